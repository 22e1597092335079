package dev.weft.engine.kernels;

/**
 * Pooling kernels on raw channels-last arrays: max and average 2-D pooling (Keras padding, see
 * {@link Pool2dSpec}) and global average pooling, forward and backward. Work is split by image over
 * {@link Parallel} (each task writes its own image), vectorised over channels when the Vector API is
 * on; results are bit-identical for any thread count. Backward kernels overwrite dx.
 *
 * <p>Max pooling routes each window's gradient to the first maximum in window scan order (rows, then
 * columns), recomputed from x; overlapping windows add up.
 */
public final class Pool {
    private Pool() {}

    /** x [N, H, W, C] → y [N, OH, OW, C], max over each window's real cells. */
    public static void maxForward(Pool2dSpec s, float[] x, int xOff, float[] y, int yOff) {
        checkForward("Pool.maxForward", s, x, xOff, y, yOff);
        if (VectorSupport.ENABLED) Parallel.forEach(s.n, n -> PoolVector.maxForwardImage(s, n, x, xOff, y, yOff));
        else Parallel.forEach(s.n, n -> PoolReference.maxForwardImage(s, n, x, xOff, y, yOff));
    }

    /** x [N, H, W, C], dy [N, OH, OW, C] → dx [N, H, W, C] (overwritten). */
    public static void maxBackward(Pool2dSpec s, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        checkBackward("Pool.maxBackward", s, x, xOff, dy, dyOff, dx, dxOff);
        if (VectorSupport.ENABLED) Parallel.forEach(s.n, n -> PoolVector.maxBackwardImage(s, n, x, xOff, dy, dyOff, dx, dxOff));
        else Parallel.forEach(s.n, n -> PoolReference.maxBackwardImage(s, n, x, xOff, dy, dyOff, dx, dxOff));
    }

    /** x [N, H, W, C] → y [N, OH, OW, C], mean over each window's real cells. */
    public static void avgForward(Pool2dSpec s, float[] x, int xOff, float[] y, int yOff) {
        checkForward("Pool.avgForward", s, x, xOff, y, yOff);
        if (VectorSupport.ENABLED) Parallel.forEach(s.n, n -> PoolVector.avgForwardImage(s, n, x, xOff, y, yOff));
        else Parallel.forEach(s.n, n -> PoolReference.avgForwardImage(s, n, x, xOff, y, yOff));
    }

    /** dy [N, OH, OW, C] → dx [N, H, W, C] (overwritten). */
    public static void avgBackward(Pool2dSpec s, float[] dy, int dyOff, float[] dx, int dxOff) {
        checkAvgBackward("Pool.avgBackward", s, dy, dyOff, dx, dxOff);
        if (VectorSupport.ENABLED) Parallel.forEach(s.n, n -> PoolVector.avgBackwardImage(s, n, dy, dyOff, dx, dxOff));
        else Parallel.forEach(s.n, n -> PoolReference.avgBackwardImage(s, n, dy, dyOff, dx, dxOff));
    }

    /** x [N, H, W, C] → y [N, C], mean over H·W. */
    public static void globalAvgForward(int n, int h, int w, int c, float[] x, int xOff, float[] y, int yOff) {
        checkGlobal("Pool.globalAvgForward", n, h, w, c, x, xOff, y, yOff);
        if (VectorSupport.ENABLED) Parallel.forEach(n, b -> PoolVector.globalAvgForwardImage(b, h * w, c, x, xOff, y, yOff));
        else Parallel.forEach(n, b -> PoolReference.globalAvgForwardImage(b, h * w, c, x, xOff, y, yOff));
    }

    /** dy [N, C] → dx [N, H, W, C] = dy / (H·W) (overwritten). */
    public static void globalAvgBackward(int n, int h, int w, int c, float[] dy, int dyOff, float[] dx, int dxOff) {
        checkGlobal("Pool.globalAvgBackward", n, h, w, c, dx, dxOff, dy, dyOff);
        int hw = h * w;
        Parallel.forEach(n, b -> {
            for (int ch = 0; ch < c; ch++) {
                float g = dy[dyOff + b * c + ch] / hw;
                for (int p = 0; p < hw; p++) dx[dxOff + (b * hw + p) * c + ch] = g;
            }
        });
    }

    static void checkForward(String kernel, Pool2dSpec s, float[] x, int xOff, float[] y, int yOff) {
        if (s == null) throw new IllegalArgumentException(kernel + ": spec is null");
        s.check(kernel, "x", x, xOff, s.inputSize());
        s.check(kernel, "y", y, yOff, s.outputSize());
    }

    static void checkBackward(String kernel, Pool2dSpec s, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        checkForward(kernel, s, x, xOff, dy, dyOff);
        s.check(kernel, "dx", dx, dxOff, s.inputSize());
    }

    static void checkAvgBackward(String kernel, Pool2dSpec s, float[] dy, int dyOff, float[] dx, int dxOff) {
        if (s == null) throw new IllegalArgumentException(kernel + ": spec is null");
        s.check(kernel, "dy", dy, dyOff, s.outputSize());
        s.check(kernel, "dx", dx, dxOff, s.inputSize());
    }

    /** big [N, H, W, C] and small [N, C]. */
    static void checkGlobal(String kernel, int n, int h, int w, int c, float[] big, int bigOff, float[] small, int smallOff) {
        String shape = "[" + n + ", " + h + ", " + w + ", " + c + "]";
        if (n <= 0 || h <= 0 || w <= 0 || c <= 0) throw new IllegalArgumentException(kernel + ": sizes must be positive, got " + shape);
        long bs = (long) n * h * w * c;
        if (big == null || bigOff < 0 || bigOff + bs > big.length) {
            throw new IllegalArgumentException(kernel + ": the " + shape + " array needs " + bs + " elements from offset " + bigOff
                    + " but has length " + (big == null ? "null" : String.valueOf(big.length)));
        }
        if (small == null || smallOff < 0 || smallOff + (long) n * c > small.length) {
            throw new IllegalArgumentException(kernel + ": the [" + n + ", " + c + "] array needs " + ((long) n * c)
                    + " elements from offset " + smallOff + " but has length " + (small == null ? "null" : String.valueOf(small.length)));
        }
    }
}
