package dev.weft.engine.kernels;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.engine.Tensor;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Sum kernels against plain sequential double sums (they differ only by double rounding, far below
 * float precision), and bit-identical results for 1 to 4 threads, directly and through Tensor.sum/mean.
 */
class ReduceKernelsTest {
    @AfterEach
    void resetThreads() { Parallel.setThreads(Runtime.getRuntime().availableProcessors()); }

    static float[] gaussian(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
        return a;
    }

    /** Within a few float ulps of the exact double sum (both round a double to float once). */
    static void assertClose(double want, float got, String what) {
        assertEquals(want, got, 2 * Math.ulp((float) Math.abs(want)) + 1e-12, what);
    }

    @Test
    void rowSumsMatchSequentialDoubleSums() {
        Random r = new Random(1);
        for (int n : new int[] {0, 1, 7, 8, 9, 15, 17, 33, 1001, 70_000, 200_003}) {
            float[] x = gaussian(r, n + 5);
            double want = 0;
            for (int i = 0; i < n; i++) want += x[3 + i];
            assertClose(want, (float) ReduceKernels.sum(x, 3, n), "sum n=" + n);
            float[] out = new float[1];
            ReduceKernels.rowSums(x, 3, 1, n, n == 0 ? 1 : n, out);
            assertClose(n == 0 ? 0 : want / n, out[0], "mean n=" + n);
        }
        int rows = 300, n = 257;
        float[] x = gaussian(r, rows * n), out = new float[rows];
        ReduceKernels.rowSums(x, 0, rows, n, 1, out);
        for (int i = 0; i < rows; i++) {
            double want = 0;
            for (int k = 0; k < n; k++) want += x[i * n + k];
            assertClose(want, out[i], "row " + i);
        }
    }

    @Test
    void columnSumsMatchSequentialDoubleSums() {
        Random r = new Random(2);
        int[][] shapes = {{1, 1}, {2, 1}, {1, 17}, {5, 3}, {100, 64}, {4096, 10}, {70_000, 3}, {3, 70_000}, {1000, 129}};
        for (int[] s : shapes) {
            int rows = s[0], cols = s[1];
            float[] x = gaussian(r, rows * cols + 2), out = new float[cols];
            ReduceKernels.columnSums(x, 2, rows, cols, rows, out);
            for (int c = 0; c < cols; c++) {
                double want = 0;
                for (int k = 0; k < rows; k++) want += x[2 + k * cols + c];
                assertClose(want / rows, out[c], "mean of column " + c + " of " + rows + "x" + cols);
            }
        }
    }

    @Test
    void kernelsAreBitIdenticalForAnyThreadCount() {
        Random r = new Random(3);
        float[] x = gaussian(r, 300_007);
        float[][] previous = null;
        for (int t = 1; t <= 4; t++) {
            Parallel.setThreads(t);
            float[] all = {(float) ReduceKernels.sum(x, 0, x.length)};
            float[] rows = new float[1000], cols = new float[300];
            ReduceKernels.rowSums(x, 7, 1000, 300, 1, rows);
            ReduceKernels.columnSums(x, 7, 1000, 300, 1, cols);
            float[][] got = {all, rows, cols};
            if (previous != null) for (int k = 0; k < got.length; k++) assertArrayEquals(previous[k], got[k], "threads " + t);
            previous = got;
        }
    }

    /** Bias gradients: sum/mean of x [N, H, W, C] over N, H, W (the column path), other dim sets, any thread count. */
    @Test
    void tensorSumsOverLeadingDimsMatchNaiveSums() {
        Random r = new Random(4);
        int N = 8, H = 12, W = 12, C = 70;
        float[] xd = gaussian(r, N * H * W * C);
        Tensor x = Tensor.of(xd, N, H, W, C);
        float[][] previous = null;
        for (int t = 1; t <= 4; t++) {
            Parallel.setThreads(t);
            Tensor bias = x.sum(new int[] {0, 1, 2}, false), meanKeep = x.mean(new int[] {0, 1, 2}, true);
            Tensor mid = x.sum(new int[] {1, 2}, false), last = x.sum(new int[] {3}, false), all = x.sum();
            assertArrayEquals(new int[] {C}, bias.shape());
            assertArrayEquals(new int[] {1, 1, 1, C}, meanKeep.shape());
            assertArrayEquals(new int[] {N, C}, mid.shape());
            for (int c = 0; c < C; c++) {
                double s = 0;
                for (int i = 0; i < N * H * W; i++) s += xd[i * C + c];
                assertClose(s, bias.toFloatArray()[c], "bias grad " + c);
                assertClose(s / (N * H * W), meanKeep.toFloatArray()[c], "mean " + c);
                for (int n = 0; n < N; n++) {
                    double m = 0;
                    for (int i = 0; i < H * W; i++) m += xd[(n * H * W + i) * C + c];
                    assertClose(m, mid.toFloatArray()[n * C + c], "sum over H, W " + n + "," + c);
                }
            }
            double total = 0;
            for (float v : xd) total += v;
            assertClose(total, all.item(), "sum of all");
            float[][] got = {bias.toFloatArray(), meanKeep.toFloatArray(), mid.toFloatArray(), last.toFloatArray(), all.toFloatArray()};
            if (previous != null) for (int k = 0; k < got.length; k++) assertArrayEquals(previous[k], got[k], "threads " + t);
            previous = got;
        }
    }
}
