package dev.weft.engine.kernels;

/**
 * Sum kernels for reductions, accumulating in double.
 *
 * <p>Determinism: the summation order depends on the sizes only. A row sum uses eight interleaved
 * accumulators (element k goes to accumulator k mod 8, combined pairwise at the end), long rows are
 * cut into fixed chunks whose partial sums are added in chunk order, and column sums add the rows in
 * order within fixed row chunks, chunk partials again added in order. Tasks run on
 * {@link Parallel}, so results are bit-identical for any thread count.
 */
public final class ReduceKernels {
    private ReduceKernels() {}

    /** Work below this many elements stays on the calling thread. */
    static final int PARALLEL_MIN = 1 << 16;
    /** Elements per chunk of a long row sum. */
    static final int SUM_CHUNK = 1 << 15;

    /** The sum of {@code x[off .. off+n)} in double. */
    public static double sum(float[] x, int off, int n) {
        if (n < PARALLEL_MIN) return sumSerial(x, off, n);
        int chunks = (n + SUM_CHUNK - 1) / SUM_CHUNK;
        double[] part = new double[chunks];
        Parallel.forEach(chunks, t -> {
            int from = t * SUM_CHUNK;
            part[t] = sumSerial(x, off + from, Math.min(SUM_CHUNK, n - from));
        });
        double s = 0;
        for (double p : part) s += p;
        return s;
    }

    /** Row sum with eight independent accumulators (no chunking). */
    static double sumSerial(float[] x, int off, int n) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int k = 0;
        for (; k + 8 <= n; k += 8) {
            int i = off + k;
            s0 += x[i]; s1 += x[i + 1]; s2 += x[i + 2]; s3 += x[i + 3];
            s4 += x[i + 4]; s5 += x[i + 5]; s6 += x[i + 6]; s7 += x[i + 7];
        }
        double s = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
        for (; k < n; k++) s += x[off + k];
        return s;
    }

    /**
     * Sums of each of {@code rows} contiguous rows of length n starting at {@code off}:
     * {@code out[r] = sum(x[off + r·n .. + n)) / divisor}, rounded to float (divisor 1 for a sum, n
     * for a mean). Rows are spread over threads.
     */
    public static void rowSums(float[] x, int off, int rows, int n, double divisor, float[] out) {
        if (rows == 0) return;
        if (rows == 1) {
            out[0] = (float) (sum(x, off, n) / divisor);
            return;
        }
        long total = (long) rows * n;
        int block = total < PARALLEL_MIN ? rows : (int) Math.max(1, SUM_CHUNK / Math.max(1, n));
        int tasks = (rows + block - 1) / block;
        Parallel.forEach(tasks, t -> {
            int r1 = Math.min(rows, (t + 1) * block);
            for (int r = t * block; r < r1; r++) out[r] = (float) (sumSerial(x, off + r * n, n) / divisor);
        });
    }

    /**
     * Column sums of x [rows, cols] (row-major at {@code off}): {@code out[c] = Σ_r x[r, c] / divisor},
     * rounded to float. This is a sum over leading dims (e.g. a bias gradient over N, H, W) without
     * transposing.
     */
    public static void columnSums(float[] x, int off, int rows, int cols, double divisor, float[] out) {
        long total = (long) rows * cols;
        int chunkRows = total < PARALLEL_MIN ? rows : Math.max(1, SUM_CHUNK / cols);
        int chunks = (rows + chunkRows - 1) / chunkRows;
        double[] part = new double[chunks * cols];
        Parallel.forEach(chunks, t -> {
            int r0 = t * chunkRows, r1 = Math.min(rows, r0 + chunkRows);
            addRows(x, off, r0, r1, cols, part, t * cols);
        });
        for (int c = 0; c < cols; c++) {
            double s = 0;
            for (int t = 0; t < chunks; t++) s += part[t * cols + c];
            out[c] = (float) (s / divisor);
        }
    }

    /** acc[a + c] += Σ_{r in [r0, r1)} x[off + r·cols + c], rows in order. */
    static void addRows(float[] x, int off, int r0, int r1, int cols, double[] acc, int a) {
        for (int r = r0; r < r1; r++) {
            int row = off + r * cols;
            for (int c = 0; c < cols; c++) acc[a + c] += x[row + c];
        }
    }
}
