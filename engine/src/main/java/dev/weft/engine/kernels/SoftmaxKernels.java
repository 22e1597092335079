package dev.weft.engine.kernels;

/**
 * Softmax and log-softmax rows of x viewed as {@code [outer, n, inner]}, along the middle dim:
 * max-shifted, exponentials summed in double. Each (outer, inner) line is computed alone, lines are
 * spread over {@link Parallel} in fixed blocks, so results do not depend on the thread count.
 */
public final class SoftmaxKernels {
    private SoftmaxKernels() {}

    /** Lines per parallel task are chosen so that a task covers about this many elements. */
    static final int TASK_ELEMENTS = 1 << 15;

    /**
     * dst (contiguous [outer, n, inner]) = softmax or log-softmax of src (contiguous, at srcOff)
     * along the middle dim.
     */
    public static void softmax(float[] src, int srcOff, float[] dst, int outer, int n, int inner, boolean log) {
        int lines = outer * inner;
        if (lines == 0 || n == 0) return;
        int perTask = (long) lines * n < 2L * TASK_ELEMENTS ? lines : Math.max(1, TASK_ELEMENTS / n);
        int tasks = (lines + perTask - 1) / perTask;
        Parallel.forEach(tasks, t -> {
            double[] e = new double[n]; // exp(x - max) of one line, reused for the output
            for (int l = t * perTask, end = Math.min(lines, l + perTask); l < end; l++) {
                int start = (l / inner) * n * inner + l % inner;
                line(src, srcOff + start, dst, start, n, inner, log, e);
            }
        });
    }

    /** One line of n elements at stride {@code step}. */
    static void line(float[] src, int s, float[] dst, int d, int n, int step, boolean log, double[] e) {
        float m = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) m = Math.max(m, src[s + j * step]);
        if (m == Float.NEGATIVE_INFINITY) m = 0; // all -inf: avoid inf - inf
        double sum = 0;
        for (int j = 0; j < n; j++) {
            e[j] = Math.exp(src[s + j * step] - m);
            sum += e[j];
        }
        if (log) {
            float lse = (float) (m + Math.log(sum));
            for (int j = 0; j < n; j++) dst[d + j * step] = src[s + j * step] - lse;
        } else {
            double inv = 1.0 / sum;
            for (int j = 0; j < n; j++) dst[d + j * step] = (float) (e[j] * inv);
        }
    }
}
