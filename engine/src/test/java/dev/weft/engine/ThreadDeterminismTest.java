package dev.weft.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.engine.kernels.Parallel;
import org.junit.jupiter.api.Test;

/** Results do not depend on the thread count: matmul (forward and backward) is bit-identical for 1..4 threads. */
class ThreadDeterminismTest {
    private record Run(float[] out, float[] ga, float[] gb) {}

    private static Run run(int threads, int[] aShape, int[] bShape) {
        int saved = Parallel.threads();
        try {
            Parallel.setThreads(threads);
            Tensor a = Tensor.randn(new Rng(1), aShape).requiresGrad(true);
            Tensor b = Tensor.randn(new Rng(2), bShape).requiresGrad(true);
            Tensor y = a.matmul(b);
            y.backward(Tensor.randn(new Rng(3), y.shape()));
            return new Run(y.toFloatArray(), a.grad().toFloatArray(), b.grad().toFloatArray());
        } finally {
            Parallel.setThreads(saved);
        }
    }

    private static void assertSameBits(int[] aShape, int[] bShape) {
        int saved = Parallel.threads();
        Run ref = run(1, aShape, bShape);
        for (int t = 2; t <= 4; t++) {
            Run r = run(t, aShape, bShape);
            // assertArrayEquals on float[] compares bit patterns via Float.floatToIntBits
            assertArrayEquals(ref.out(), r.out(), "forward with " + t + " threads");
            assertArrayEquals(ref.ga(), r.ga(), "grad a with " + t + " threads");
            assertArrayEquals(ref.gb(), r.gb(), "grad b with " + t + " threads");
        }
        assertEquals(saved, Parallel.threads(), "thread count restored");
    }

    @Test void largeMatmulIsBitIdenticalAcrossThreadCounts() {
        // 150·300·130 ≈ 5.9M multiply-adds: far above the single-thread cut-off (Gemm.SMALL_MACS), k spans two k-blocks.
        assertSameBits(new int[] {150, 300}, new int[] {300, 130});
    }

    @Test void batchedMatmulIsBitIdenticalAcrossThreadCounts() {
        assertSameBits(new int[] {3, 130, 150}, new int[] {1, 150, 170});
    }
}
