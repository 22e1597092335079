package dev.weft.nn.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.engine.Rng;
import dev.weft.engine.kernels.VectorSupport;
import org.junit.jupiter.api.Test;

/**
 * {@link OptimizerVector} + scalar tail must give exactly the bits of the SGD, RMSprop and Adagrad
 * scalar loops and of the weight-decay loop on every length 0..67 and a large array, in every variant, with and without
 * clipping, at non-zero offsets. NaNs are compared as NaN (their payload is not specified).
 */
class OptimizerVectorTest {
    private static final float[][] CLIPS = {{1f, Float.POSITIVE_INFINITY}, {0.37f, 1e-3f}}; // {scale, clip}
    private static final int[] LENGTHS = lengths();

    private static int[] lengths() {
        int[] n = new int[69];
        for (int i = 0; i <= 67; i++) n[i] = i;
        n[68] = 100_003;
        return n;
    }

    /** Gaussian values over many magnitudes, with signed zeros, subnormals and huge values mixed in (also AdamVectorTest's). */
    static float[] values(Rng rng, int n, boolean nonNegative) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            int kind = rng.nextInt(20);
            float gauss = (float) (Math.sqrt(-2 * Math.log(1 - rng.nextFloat())) * Math.cos(2 * Math.PI * rng.nextFloat()));
            if (kind == 0) a[i] = 0f;
            else if (kind == 1) a[i] = -0f;
            else if (kind == 2) a[i] = Float.MIN_VALUE * (1 + rng.nextInt(1000));
            else if (kind == 3) a[i] = gauss * 1e30f;
            else a[i] = gauss * (float) Math.pow(10, rng.nextInt(13) - 8);
            if (nonNegative) a[i] = Math.abs(a[i]);
        }
        return a;
    }

    private static void assertBits(float[] expected, float[] actual, String what) {
        if (expected == null) return;
        for (int i = 0; i < expected.length; i++)
            assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(actual[i]), what + ": element " + i + " differs, scalar vs vector");
    }

    private static float[] copy(float[] a) { return a == null ? null : a.clone(); }

    @Test void weightDecayVectorMatchesScalarBits() {
        assumeTrue(VectorSupport.ENABLED, "jdk.incubator.vector not enabled");
        Rng rng = new Rng(20);
        for (int n : LENGTHS) {
            int wOff = rng.nextInt(5), from = n > 3 ? rng.nextInt(3) : 0;
            float[] w = values(rng, n + wOff, false), w2 = w.clone();
            AbstractOptimizer.decayScalar(w, wOff, from, n, 0.004f, 0.01f);
            int end = OptimizerVector.decay(w2, wOff, from, n, 0.004f, 0.01f);
            AbstractOptimizer.decayScalar(w2, wOff, end, n, 0.004f, 0.01f);
            assertBits(w, w2, "decay n=" + n + " from=" + from);
        }
    }

    @Test void sgdVectorMatchesScalarBits() {
        assumeTrue(VectorSupport.ENABLED, "jdk.incubator.vector not enabled");
        Rng rng = new Rng(21);
        for (int n : LENGTHS)
            for (float[] c : CLIPS)
                for (int variant = 0; variant < 3; variant++) { // plain, momentum, Nesterov
                    int wOff = rng.nextInt(5), gOff = rng.nextInt(5);
                    float[] w = values(rng, n + wOff, false), g = values(rng, n + gOff, false);
                    float[] m = variant == 0 ? null : values(rng, n, false);
                    float[] w2 = w.clone(), m2 = copy(m);
                    boolean nesterov = variant == 2;
                    SGD.updateScalar(w, wOff, g, gOff, m, 0, n, 0.01f, 0.9f, nesterov, c[0], c[1]);
                    int end = OptimizerVector.sgd(w2, wOff, g, gOff, m2, 0, n, 0.01f, 0.9f, nesterov, c[0], c[1]);
                    SGD.updateScalar(w2, wOff, g, gOff, m2, end, n, 0.01f, 0.9f, nesterov, c[0], c[1]);
                    String what = "SGD n=" + n + " variant=" + variant + " clip=" + c[1];
                    assertBits(w, w2, what + " w");
                    assertBits(m, m2, what + " m");
                }
    }

    @Test void rmspropVectorMatchesScalarBits() {
        assumeTrue(VectorSupport.ENABLED, "jdk.incubator.vector not enabled");
        Rng rng = new Rng(22);
        for (int n : LENGTHS)
            for (float[] c : CLIPS)
                for (int variant = 0; variant < 4; variant++) { // bit 0: momentum, bit 1: centered
                    boolean withMomentum = (variant & 1) != 0, centered = (variant & 2) != 0;
                    int wOff = rng.nextInt(5), gOff = rng.nextInt(5);
                    float[] w = values(rng, n + wOff, false), g = values(rng, n + gOff, false), v = values(rng, n, true);
                    float[] b = withMomentum ? values(rng, n, false) : null, a = centered ? values(rng, n, false) : null;
                    float[] w2 = w.clone(), v2 = v.clone(), b2 = copy(b), a2 = copy(a);
                    float mu = withMomentum ? 0.5f : 0f;
                    RMSprop.updateScalar(w, wOff, g, gOff, v, b, a, 0, n, 1e-3f, 0.9f, mu, 1e-7f, c[0], c[1]);
                    int end = OptimizerVector.rmsprop(w2, wOff, g, gOff, v2, b2, a2, 0, n, 1e-3f, 0.9f, mu, 1e-7f, c[0], c[1]);
                    RMSprop.updateScalar(w2, wOff, g, gOff, v2, b2, a2, end, n, 1e-3f, 0.9f, mu, 1e-7f, c[0], c[1]);
                    String what = "RMSprop n=" + n + " variant=" + variant + " clip=" + c[1];
                    assertBits(w, w2, what + " w");
                    assertBits(v, v2, what + " v");
                    assertBits(b, b2, what + " b");
                    assertBits(a, a2, what + " a");
                }
    }

    @Test void adagradVectorMatchesScalarBits() {
        assumeTrue(VectorSupport.ENABLED, "jdk.incubator.vector not enabled");
        Rng rng = new Rng(23);
        for (int n : LENGTHS)
            for (float[] c : CLIPS) {
                int wOff = rng.nextInt(5), gOff = rng.nextInt(5);
                float[] w = values(rng, n + wOff, false), g = values(rng, n + gOff, false), acc = values(rng, n, true);
                float[] w2 = w.clone(), acc2 = acc.clone();
                Adagrad.updateScalar(w, wOff, g, gOff, acc, 0, n, 1e-3f, 1e-7f, c[0], c[1]);
                int end = OptimizerVector.adagrad(w2, wOff, g, gOff, acc2, 0, n, 1e-3f, 1e-7f, c[0], c[1]);
                Adagrad.updateScalar(w2, wOff, g, gOff, acc2, end, n, 1e-3f, 1e-7f, c[0], c[1]);
                String what = "Adagrad n=" + n + " clip=" + c[1];
                assertBits(w, w2, what + " w");
                assertBits(acc, acc2, what + " acc");
            }
    }
}
