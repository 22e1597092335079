package dev.weft.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.engine.kernels.Gaussian;
import dev.weft.engine.kernels.Parallel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Tensor.normal follows the documented recipe (Gaussian's Javadoc): ⌈n/2⌉ nextLong values, each a
 * pair (r·cos θ, r·sin θ) of 24-bit uniforms, laid out in blocks of cosine halves then sine halves.
 * The expected values here come from that description computed in double precision, independently
 * of the float kernel; the kernel must agree to float rounding, give the same bits for any thread
 * count, and leave the generator ⌈n/2⌉ draws further on.
 */
class TensorNormalTest {
    @AfterEach
    void resetThreads() { Parallel.setThreads(Runtime.getRuntime().availableProcessors()); }

    /** The documented transform in double: element i of an n-element tensor. */
    static double[] expected(long seed, int n, double mean, double std) {
        Rng rng = new Rng(seed);
        long[] bits = new long[(n + 1) / 2];
        for (int i = 0; i < bits.length; i++) bits[i] = rng.nextLong();
        double[] want = new double[n];
        for (int o = 0; o < n; o += Gaussian.BLOCK) {
            int b = Math.min(Gaussian.BLOCK, n - o), cos = (b + 1) / 2;
            for (int j = 0; j < cos; j++) {
                long x = bits[o / 2 + j];
                double u1 = 1.0 - (x >>> 40) / 16777216.0, u2 = ((x >>> 16) & 0xFFFFFF) / 16777216.0;
                double r = Math.sqrt(-2 * Math.log(u1)), th = 2 * Math.PI * u2;
                want[o + j] = mean + std * r * Math.cos(th);
                if (j < b - cos) want[o + cos + j] = mean + std * r * Math.sin(th);
            }
        }
        return want;
    }

    @Test
    void normalFollowsTheDocumentedRecipeForAnyThreadCount() {
        for (int n : new int[] {1, 2, 3, 31, 33, 2047, 2048, 2049, 10_240, 30_001}) {   // ragged vectors and blocks
            double[] want = expected(17, n, 0.5, 2.0);
            Rng probe = new Rng(17);
            for (int i = 0; i < (n + 1) / 2; i++) probe.nextLong();
            long after = probe.nextLong();
            float[] first = null;
            for (int threads = 1; threads <= 3; threads++) {
                Parallel.setThreads(threads);
                Rng rng = new Rng(17);
                float[] got = Tensor.normal(rng, 0.5f, 2f, n).toFloatArray();
                if (first == null) {
                    first = got;
                    for (int i = 0; i < n; i++)
                        assertEquals(want[i], got[i], 2e-6 * (1 + Math.abs(want[i])), "n=" + n + " element " + i);
                } else {
                    assertArrayEquals(first, got, "n=" + n + " threads=" + threads);
                }
                assertEquals(after, rng.nextLong(), "generator state after n=" + n + " with " + threads + " threads");
            }
        }
    }

    @Test
    void momentsAndTailsLookNormal() {
        int n = 1 << 20;
        float[] z = Tensor.randn(new Rng(3), n).toFloatArray();
        double sum = 0, sq = 0, max = 0;
        int beyond2 = 0;
        for (float v : z) {
            sum += v;
            sq += (double) v * v;
            max = Math.max(max, Math.abs(v));
            if (Math.abs(v) > 2) beyond2++;
        }
        double mean = sum / n, var = sq / n - mean * mean;
        assertEquals(0, mean, 4e-3, "mean");
        assertEquals(1, var, 6e-3, "variance");
        assertEquals(0.0455, (double) beyond2 / n, 1.5e-3, "P(|z| > 2)");
        assertTrue(max > 4.5 && max <= 5.78, "largest |z| " + max + " (24-bit uniforms bound it by 5.77)");
    }
}
