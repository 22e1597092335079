package dev.weft.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.engine.Tensor;
import dev.weft.engine.ops.LossOps;
import org.junit.jupiter.api.Test;

/**
 * The dispatched sigmoid cross-entropy kernel (SIMD when the Vector API is enabled, as in the test
 * JVM) against its scalar double twin and the exact loss, both against the textbook formula
 * −z·log σ(x) − (1−z)·log(1−σ(x)) evaluated with log1p, and long (parallel, chunked) rows against
 * element-by-element calls.
 */
class SigmoidCrossEntropyTest {
    private static final float[] LABELS = {0f, 0.3f, 1f};

    // x from −100 to 100 in steps of 0.01 (20001 values), each with every label.
    private static float[][] sweep() {
        int m = 20001;
        float[] x = new float[m * LABELS.length], z = new float[x.length];
        for (int j = 0; j < LABELS.length; j++)
            for (int i = 0; i < m; i++) { x[j * m + i] = -100f + 0.01f * i; z[j * m + i] = LABELS[j]; }
        return new float[][] {x, z};
    }

    // −z·log σ(x) − (1−z)·log(1−σ(x)) = z·log1p(e^−x) + (1−z)·log1p(e^x), written per sign to stay finite.
    private static double textbook(double x, double z) {
        double softplusNeg = x >= 0 ? Math.log1p(Math.exp(-x)) : -x + Math.log1p(Math.exp(x)); // −log σ(x)
        double softplusPos = x >= 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)); // −log(1−σ(x))
        return z * softplusNeg + (1 - z) * softplusPos;
    }

    private static void assertLossClose(double expected, float actual, double rel, String what) {
        if (Math.abs(expected) < Float.MIN_NORMAL) {
            // Subnormal results (|x| > ~87 with the exact cancellation z ∈ {0, 1}) have no relative precision in float.
            assertTrue(Math.abs(actual - expected) <= Float.MIN_NORMAL, what + ": " + actual + " vs " + expected);
        } else {
            assertTrue(Math.abs(actual - expected) <= rel * Math.abs(expected),
                    what + ": " + actual + " vs " + expected + " (rel " + Math.abs(actual - expected) / Math.abs(expected) + ")");
        }
    }

    @Test
    void forwardMatchesScalarTwinWithin1e6Relative() {
        float[][] xz = sweep();
        float[] x = xz[0], z = xz[1];
        float[] fast = new float[x.length], twin = new float[x.length];
        SigmoidCrossEntropy.forward(x, 0, z, 0, fast, 0, x.length);
        SigmoidCrossEntropy.forwardScalar(x, 0, z, 0, twin, 0, x.length);
        for (int i = 0; i < x.length; i++) assertLossClose(twin[i], fast[i], 1e-6, "x=" + x[i] + " z=" + z[i]);
    }

    @Test
    void bothPathsMatchTheTextbookFormula() {
        float[][] xz = sweep();
        float[] x = xz[0], z = xz[1];
        float[] fast = new float[x.length], twin = new float[x.length];
        SigmoidCrossEntropy.forward(x, 0, z, 0, fast, 0, x.length);
        SigmoidCrossEntropy.forwardScalar(x, 0, z, 0, twin, 0, x.length);
        for (int i = 0; i < x.length; i++) {
            double ref = textbook(x[i], z[i]);
            assertLossClose(ref, twin[i], 1e-6, "twin x=" + x[i] + " z=" + z[i]);
            assertLossClose(ref, fast[i], 1e-6, "fast x=" + x[i] + " z=" + z[i]);
        }
        // Hand values: x = 0 gives log 2 for any z; x = 2, z = 1 gives log(1 + e^−2).
        float[] out = new float[2];
        SigmoidCrossEntropy.forward(new float[] {0f, 2f}, 0, new float[] {0.3f, 1f}, 0, out, 0, 2);
        assertEquals(Math.log(2), out[0], 1e-7);
        assertEquals(Math.log(1 + Math.exp(-2)), out[1], 1e-7);
    }

    @Test
    void forwardIsWithinTwoUlpsOfTheExactLossForLabelsInZeroOne() {
        // Exact loss in double (x·z is exact in double for float inputs), rounded once: the float
        // SIMD lanes may add the float exp's error, carried through log1p, to their own rounding.
        float[][] xz = sweep();
        float[] x = xz[0], z = xz[1], fast = new float[x.length];
        SigmoidCrossEntropy.forward(x, 0, z, 0, fast, 0, x.length);
        for (int i = 0; i < x.length; i++) {
            double xi = x[i], exact = Math.max(xi, 0) - xi * z[i] + Math.log1p(Math.exp(-Math.abs(xi)));
            float rounded = (float) exact;
            if (Math.abs(exact) < Float.MIN_NORMAL) continue; // subnormal: covered by assertLossClose above
            assertTrue(Math.abs(fast[i] - exact) <= 2 * Math.ulp(rounded),
                    "x=" + x[i] + " z=" + z[i] + ": " + fast[i] + " vs " + exact + " (" + Math.abs(fast[i] - exact) / Math.ulp(rounded) + " ulps)");
        }
    }

    @Test
    void longRowsAreBitIdenticalForAnyThreadCountAndEqualToShortRows() {
        // Long enough for parallel chunks (with a ragged last one); the reference computes every
        // element in its own one-element call, so neither chunk nor vector boundaries change a bit.
        int n = 3 * SigmoidCrossEntropy.CHUNK + 77;
        float[] x = new float[n], z = new float[n], g = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) Math.sin(i * 0.37) * 15f;
            z[i] = (i % 5) / 4f;
            g[i] = 0.25f + (i % 3);
        }
        float[] oneLoss = new float[1], oneGrad = new float[1], refLoss = new float[n], refGrad = new float[n];
        for (int i = 0; i < n; i++) {
            SigmoidCrossEntropy.forward(x, i, z, i, oneLoss, 0, 1);
            SigmoidCrossEntropy.gradLogits(g, i, 1, x, i, z, i, oneGrad, 0, 1);
            refLoss[i] = oneLoss[0];
            refGrad[i] = oneGrad[0];
        }
        int saved = Parallel.threads();
        try {
            for (int threads = 1; threads <= 3; threads++) {
                Parallel.setThreads(threads);
                float[] loss = new float[n], grad = new float[n];
                SigmoidCrossEntropy.forward(x, 0, z, 0, loss, 0, n);
                SigmoidCrossEntropy.gradLogits(g, 0, 1, x, 0, z, 0, grad, 0, n);
                assertArrayEquals(refLoss, loss, "loss with " + threads + " threads");
                assertArrayEquals(refGrad, grad, "gradient with " + threads + " threads");
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void gradientMatchesScalarTwinForContiguousAndBroadcastUpstream() {
        float[][] xz = sweep();
        float[] x = xz[0], z = xz[1];
        float[] g = new float[x.length];
        for (int i = 0; i < g.length; i++) g[i] = 0.5f + (i % 7) * 0.25f;
        for (int gs = 0; gs <= 1; gs++) {
            float[] fast = new float[x.length], twin = new float[x.length];
            SigmoidCrossEntropy.gradLogits(g, 3, gs, x, 0, z, 0, fast, 0, x.length - 3);
            SigmoidCrossEntropy.gradLogitsScalar(g, 3, gs, x, 0, z, 0, twin, 0, x.length - 3);
            for (int i = 0; i < x.length - 3; i++) {
                double sig = 1 / (1 + Math.exp(-(double) x[i])); // hand formula: g·(σ(x) − z)
                double ref = g[3 + i * gs] * (sig - z[i]);
                assertEquals(ref, twin[i], 1e-6, "twin x=" + x[i]);
                assertEquals(ref, fast[i], 1e-6, "fast gs=" + gs + " x=" + x[i]);
            }
        }
    }

    @Test
    void offsetsAndRaggedLengthsTouchOnlyTheirRange() {
        // Lengths around vector and chunk boundaries, unaligned offsets: values outside [lo, lo + n) stay NaN.
        int[] lengths = {1, 3, 7, 8, 9, 15, 17, 31, 33, 2047, 2048, 2049, 5000};
        for (int n : lengths) {
            float[] x = new float[n + 5], z = new float[n + 6], loss = new float[n + 9], grad = new float[n + 9];
            for (int i = 0; i < x.length; i++) x[i] = (float) Math.sin(i * 1.7) * 12f;
            for (int i = 0; i < z.length; i++) z[i] = (i % 3) / 2f;
            java.util.Arrays.fill(loss, Float.NaN);
            java.util.Arrays.fill(grad, Float.NaN);
            SigmoidCrossEntropy.forward(x, 5, z, 6, loss, 4, n);
            SigmoidCrossEntropy.gradLogits(new float[] {2f}, 0, 0, x, 5, z, 6, grad, 4, n);
            for (int i = 0; i < loss.length; i++) {
                boolean inside = i >= 4 && i < 4 + n;
                assertEquals(inside, !Float.isNaN(loss[i]), "loss n=" + n + " i=" + i);
                assertEquals(inside, !Float.isNaN(grad[i]), "grad n=" + n + " i=" + i);
                if (inside) {
                    double xi = x[i + 1], zi = z[i + 2]; // loss[4 + k] pairs with x[5 + k] and z[6 + k]
                    assertLossClose(textbook(xi, zi), loss[i], 1e-6, "n=" + n + " i=" + i);
                    assertEquals(2 * (1 / (1 + Math.exp(-xi)) - zi), grad[i], 2e-6, "grad n=" + n + " i=" + i);
                }
            }
        }
    }

    @Test
    void opAcceptsNonContiguousInputsAndNonScalarUpstream() {
        // logits as a transposed view [3, 4] of a [4, 3] tensor; labels contiguous.
        float[] raw = {-3f, 0.5f, 7f, 2f, -0.25f, 0f, 40f, -40f, 1f, -1.5f, 3f, 0.1f};
        Tensor base = Tensor.of(raw, 4, 3).requiresGrad(true);
        Tensor logits = base.t(); // [3, 4], logits[i][j] = raw[j * 3 + i]
        float[] zv = {0f, 1f, 0.3f, 1f, 0.5f, 0f, 1f, 0.3f, 0f, 1f, 0.7f, 0f};
        Tensor labels = Tensor.of(zv, 3, 4).requiresGrad(true);
        float[] w = {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f};
        Tensor loss = LossOps.sigmoidCrossEntropyWithLogits(logits, labels); // [3, 4]
        loss.mul(Tensor.of(w, 3, 4)).sum().backward();
        float[] out = loss.toFloatArray(), gBase = base.grad().toFloatArray(), gLab = labels.grad().toFloatArray();
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 4; j++) {
                int k = i * 4 + j;
                double x = raw[j * 3 + i];
                assertLossClose(textbook(x, zv[k]), out[k], 1e-6, "loss " + k);
                assertEquals(w[k] * (1 / (1 + Math.exp(-x)) - zv[k]), gBase[j * 3 + i], 1e-5, "dx " + k);
                assertEquals(-w[k] * x, gLab[k], 1e-5, "dz " + k);
            }
    }

    @Test
    void forwardSumEqualsTheSumOfForwardBitForBit() {
        // Sizes around both chunkings (SUM_CHUNK 32768, PARALLEL_MIN 65536, the VAE's 512 x 784),
        // at offsets, on 1 to 3 threads: the fused sum must be exactly ReduceKernels.sum of forward.
        int[] sizes = {0, 1, 15, 17, 1000, 32769, 65535, 65536, 65537, 512 * 784};
        dev.weft.engine.Rng rng = new dev.weft.engine.Rng(5);
        int before = Parallel.threads();
        try {
            for (int n : sizes) {
                float[] x = new float[n + 3], z = new float[n + 2], loss = new float[n];
                for (int i = 0; i < x.length; i++) x[i] = (rng.nextFloat() - 0.5f) * 30f;
                for (int i = 0; i < z.length; i++) z[i] = rng.nextFloat();
                SigmoidCrossEntropy.forward(x, 3, z, 2, loss, 0, n);
                double expected = ReduceKernels.sum(loss, 0, n);
                for (int threads = 1; threads <= 3; threads++) {
                    Parallel.setThreads(threads);
                    assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(SigmoidCrossEntropy.forwardSum(x, 3, z, 2, n)),
                            "n=" + n + " threads=" + threads);
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
    }
}
