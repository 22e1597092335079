package dev.weft.engine.kernels;

/**
 * The scalar twin of {@link Conv2d}: the convolution written straight from its definition, one
 * output element at a time. Test oracle; no blocking, no threads.
 *
 * <p>{@code y[n, oy, ox, co] = b[co] + sum_{ky, kx, ci} x[n, oy*SH + ky*DH - padTop, ox*SW + kx*DW - padLeft, ci] * w[ky, kx, ci, co]},
 * out-of-range input pixels counting as zero.
 */
public final class Conv2dReference {
    private Conv2dReference() {}

    /** Forward: x [N, H, W, Cin], w [KH, KW, Cin, Cout], bias [Cout] or null, y [N, OH, OW, Cout] (overwritten). */
    public static void forward(Conv2dSpec s, float[] x, int xOff, float[] w, int wOff, float[] bias, int bOff,
                               float[] y, int yOff) {
        Conv2d.checkForward("Conv2dReference.forward", s, x, xOff, w, wOff, bias, bOff, y, yOff);
        for (int n = 0; n < s.n; n++)
            for (int oy = 0; oy < s.oh; oy++)
                for (int ox = 0; ox < s.ow; ox++)
                    for (int co = 0; co < s.cout; co++) {
                        float acc = bias == null ? 0f : bias[bOff + co];
                        for (int ky = 0; ky < s.kh; ky++) {
                            int iy = oy * s.sh + ky * s.dh - s.padTop;
                            if (iy < 0 || iy >= s.h) continue;
                            for (int kx = 0; kx < s.kw; kx++) {
                                int ix = ox * s.sw + kx * s.dw - s.padLeft;
                                if (ix < 0 || ix >= s.w) continue;
                                int xi = xOff + ((n * s.h + iy) * s.w + ix) * s.cin;
                                int wi = wOff + ((ky * s.kw + kx) * s.cin) * s.cout + co;
                                for (int ci = 0; ci < s.cin; ci++) acc += x[xi + ci] * w[wi + ci * s.cout];
                            }
                        }
                        y[yOff + ((n * s.oh + oy) * s.ow + ox) * s.cout + co] = acc;
                    }
    }

    /** Input gradient: dy [N, OH, OW, Cout], w [KH, KW, Cin, Cout] → dx [N, H, W, Cin] (overwritten). */
    public static void backwardInput(Conv2dSpec s, float[] dy, int dyOff, float[] w, int wOff, float[] dx, int dxOff) {
        Conv2d.checkBackwardInput("Conv2dReference.backwardInput", s, dy, dyOff, w, wOff, dx, dxOff);
        java.util.Arrays.fill(dx, dxOff, dxOff + (int) s.inputSize(), 0f);
        for (int n = 0; n < s.n; n++)
            for (int oy = 0; oy < s.oh; oy++)
                for (int ox = 0; ox < s.ow; ox++)
                    for (int ky = 0; ky < s.kh; ky++) {
                        int iy = oy * s.sh + ky * s.dh - s.padTop;
                        if (iy < 0 || iy >= s.h) continue;
                        for (int kx = 0; kx < s.kw; kx++) {
                            int ix = ox * s.sw + kx * s.dw - s.padLeft;
                            if (ix < 0 || ix >= s.w) continue;
                            int dyi = dyOff + ((n * s.oh + oy) * s.ow + ox) * s.cout;
                            int dxi = dxOff + ((n * s.h + iy) * s.w + ix) * s.cin;
                            for (int ci = 0; ci < s.cin; ci++) {
                                int wi = wOff + ((ky * s.kw + kx) * s.cin + ci) * s.cout;
                                float acc = 0f;
                                for (int co = 0; co < s.cout; co++) acc += dy[dyi + co] * w[wi + co];
                                dx[dxi + ci] += acc;
                            }
                        }
                    }
    }

    /**
     * Weight and bias gradients: x [N, H, W, Cin], dy [N, OH, OW, Cout] → dw [KH, KW, Cin, Cout] and
     * db [Cout] (both overwritten; db may be null).
     */
    public static void backwardWeight(Conv2dSpec s, float[] x, int xOff, float[] dy, int dyOff,
                                      float[] dw, int dwOff, float[] db, int dbOff) {
        Conv2d.checkBackwardWeight("Conv2dReference.backwardWeight", s, x, xOff, dy, dyOff, dw, dwOff, db, dbOff);
        for (int ky = 0; ky < s.kh; ky++)
            for (int kx = 0; kx < s.kw; kx++)
                for (int ci = 0; ci < s.cin; ci++)
                    for (int co = 0; co < s.cout; co++) {
                        float acc = 0f;
                        for (int n = 0; n < s.n; n++)
                            for (int oy = 0; oy < s.oh; oy++) {
                                int iy = oy * s.sh + ky * s.dh - s.padTop;
                                if (iy < 0 || iy >= s.h) continue;
                                for (int ox = 0; ox < s.ow; ox++) {
                                    int ix = ox * s.sw + kx * s.dw - s.padLeft;
                                    if (ix < 0 || ix >= s.w) continue;
                                    acc += x[xOff + ((n * s.h + iy) * s.w + ix) * s.cin + ci]
                                            * dy[dyOff + ((n * s.oh + oy) * s.ow + ox) * s.cout + co];
                                }
                            }
                        dw[dwOff + ((ky * s.kw + kx) * s.cin + ci) * s.cout + co] = acc;
                    }
        if (db != null) {
            for (int co = 0; co < s.cout; co++) {
                float acc = 0f;
                for (int p = 0; p < s.n * s.oh * s.ow; p++) acc += dy[dyOff + p * s.cout + co];
                db[dbOff + co] = acc;
            }
        }
    }
}
