package dev.weft.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.engine.kernels.Parallel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Tensor.normal gives exactly the values of consecutive {@link Rng#nextGaussian} calls, scaled and
 * rounded to float, whether it runs the Box–Muller transform serially or in parallel chunks, and
 * leaves the generator in the same state.
 */
class TensorNormalTest {
    @AfterEach
    void resetThreads() { Parallel.setThreads(Runtime.getRuntime().availableProcessors()); }

    @Test
    void normalEqualsSequentialNextGaussianForAnyThreadCount() {
        for (int n : new int[] {1, 4095, 4096, 10_240, 30_001}) {   // around the parallel cut-off, with ragged chunks
            Rng ref = new Rng(17);
            float[] want = new float[n];
            for (int i = 0; i < n; i++) want[i] = (float) (0.5f + 2f * ref.nextGaussian());
            long after = ref.nextLong();
            for (int threads = 1; threads <= 3; threads++) {
                Parallel.setThreads(threads);
                Rng rng = new Rng(17);
                float[] got = Tensor.normal(rng, 0.5f, 2f, n).toFloatArray();
                for (int i = 0; i < n; i++)
                    assertEquals(Float.floatToIntBits(want[i]), Float.floatToIntBits(got[i]), "n=" + n + " threads=" + threads + " element " + i);
                assertEquals(after, rng.nextLong(), "generator state after n=" + n + " with " + threads + " threads");
            }
        }
    }
}
