package dev.weft.engine.kernels;

import java.util.Arrays;

/**
 * The scalar twin of {@link Pool}: max/average 2-D pooling and global average pooling, forward and
 * backward, one element at a time. Test oracle and the fallback without the Vector API.
 */
public final class PoolReference {
    private PoolReference() {}

    /** y[n, oy, ox, c] = max over the window's real cells of x. x [N, H, W, C], y [N, OH, OW, C]. */
    public static void maxForward(Pool2dSpec s, float[] x, int xOff, float[] y, int yOff) {
        Pool.checkForward("PoolReference.maxForward", s, x, xOff, y, yOff);
        for (int n = 0; n < s.n; n++) maxForwardImage(s, n, x, xOff, y, yOff);
    }

    static void maxForwardImage(Pool2dSpec s, int n, float[] x, int xOff, float[] y, int yOff) {
        for (int oy = 0; oy < s.oh; oy++)
            for (int ox = 0; ox < s.ow; ox++)
                for (int c = 0; c < s.c; c++) {
                    int arg = argmax(s, n, oy, ox, c, x, xOff);
                    y[yOff + ((n * s.oh + oy) * s.ow + ox) * s.c + c] = x[arg];
                }
    }

    /** Index in x of the first maximum (window scan order: rows, then columns) of one output cell. */
    static int argmax(Pool2dSpec s, int n, int oy, int ox, int c, float[] x, int xOff) {
        int best = -1;
        float m = 0f;
        for (int iy = s.rowStart(oy); iy < s.rowEnd(oy); iy++)
            for (int ix = s.colStart(ox); ix < s.colEnd(ox); ix++) {
                int i = xOff + ((n * s.h + iy) * s.w + ix) * s.c + c;
                if (best < 0 || x[i] > m) { best = i; m = x[i]; }
            }
        return best;
    }

    /**
     * dx (overwritten) = dy routed to the first maximum of each window; windows that overlap add up.
     * x [N, H, W, C], dy [N, OH, OW, C], dx [N, H, W, C].
     */
    public static void maxBackward(Pool2dSpec s, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        Pool.checkBackward("PoolReference.maxBackward", s, x, xOff, dy, dyOff, dx, dxOff);
        for (int n = 0; n < s.n; n++) maxBackwardImage(s, n, x, xOff, dy, dyOff, dx, dxOff);
    }

    static void maxBackwardImage(Pool2dSpec s, int n, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        int img = s.h * s.w * s.c;
        Arrays.fill(dx, dxOff + n * img, dxOff + (n + 1) * img, 0f);
        for (int oy = 0; oy < s.oh; oy++)
            for (int ox = 0; ox < s.ow; ox++)
                for (int c = 0; c < s.c; c++) {
                    int arg = argmax(s, n, oy, ox, c, x, xOff);
                    dx[arg - xOff + dxOff] += dy[dyOff + ((n * s.oh + oy) * s.ow + ox) * s.c + c];
                }
    }

    /** y = mean over the window's real cells of x (padding not counted). */
    public static void avgForward(Pool2dSpec s, float[] x, int xOff, float[] y, int yOff) {
        Pool.checkForward("PoolReference.avgForward", s, x, xOff, y, yOff);
        for (int n = 0; n < s.n; n++) avgForwardImage(s, n, x, xOff, y, yOff);
    }

    static void avgForwardImage(Pool2dSpec s, int n, float[] x, int xOff, float[] y, int yOff) {
        for (int oy = 0; oy < s.oh; oy++)
            for (int ox = 0; ox < s.ow; ox++) {
                int cells = (s.rowEnd(oy) - s.rowStart(oy)) * (s.colEnd(ox) - s.colStart(ox));
                for (int c = 0; c < s.c; c++) {
                    float acc = 0f;
                    for (int iy = s.rowStart(oy); iy < s.rowEnd(oy); iy++)
                        for (int ix = s.colStart(ox); ix < s.colEnd(ox); ix++)
                            acc += x[xOff + ((n * s.h + iy) * s.w + ix) * s.c + c];
                    y[yOff + ((n * s.oh + oy) * s.ow + ox) * s.c + c] = acc / cells;
                }
            }
    }

    /** dx (overwritten): each window's real cells get dy / (number of real cells). */
    public static void avgBackward(Pool2dSpec s, float[] dy, int dyOff, float[] dx, int dxOff) {
        Pool.checkAvgBackward("PoolReference.avgBackward", s, dy, dyOff, dx, dxOff);
        for (int n = 0; n < s.n; n++) avgBackwardImage(s, n, dy, dyOff, dx, dxOff);
    }

    static void avgBackwardImage(Pool2dSpec s, int n, float[] dy, int dyOff, float[] dx, int dxOff) {
        int img = s.h * s.w * s.c;
        Arrays.fill(dx, dxOff + n * img, dxOff + (n + 1) * img, 0f);
        for (int oy = 0; oy < s.oh; oy++)
            for (int ox = 0; ox < s.ow; ox++) {
                int cells = (s.rowEnd(oy) - s.rowStart(oy)) * (s.colEnd(ox) - s.colStart(ox));
                for (int c = 0; c < s.c; c++) {
                    float g = dy[dyOff + ((n * s.oh + oy) * s.ow + ox) * s.c + c] / cells;
                    for (int iy = s.rowStart(oy); iy < s.rowEnd(oy); iy++)
                        for (int ix = s.colStart(ox); ix < s.colEnd(ox); ix++)
                            dx[dxOff + ((n * s.h + iy) * s.w + ix) * s.c + c] += g;
                }
            }
    }

    /** y[n, c] = mean over h, w of x[n, h, w, c]. x [N, H, W, C], y [N, C]. */
    public static void globalAvgForward(int n, int h, int w, int c, float[] x, int xOff, float[] y, int yOff) {
        Pool.checkGlobal("PoolReference.globalAvgForward", n, h, w, c, x, xOff, y, yOff);
        for (int b = 0; b < n; b++) globalAvgForwardImage(b, h * w, c, x, xOff, y, yOff);
    }

    static void globalAvgForwardImage(int b, int hw, int c, float[] x, int xOff, float[] y, int yOff) {
        for (int ch = 0; ch < c; ch++) {
            float acc = 0f;
            for (int p = 0; p < hw; p++) acc += x[xOff + (b * hw + p) * c + ch];
            y[yOff + b * c + ch] = acc / hw;
        }
    }

    /** dx[n, h, w, c] = dy[n, c] / (H·W) (overwritten). dy [N, C], dx [N, H, W, C]. */
    public static void globalAvgBackward(int n, int h, int w, int c, float[] dy, int dyOff, float[] dx, int dxOff) {
        Pool.checkGlobal("PoolReference.globalAvgBackward", n, h, w, c, dx, dxOff, dy, dyOff);
        int hw = h * w;
        for (int b = 0; b < n; b++)
            for (int p = 0; p < hw; p++)
                for (int ch = 0; ch < c; ch++) dx[dxOff + (b * hw + p) * c + ch] = dy[dyOff + b * c + ch] / hw;
    }
}
