package dev.weft.engine.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The direct ("implicit GEMM") convolution path of {@link Conv2d} on the Vector API. Loaded only when
 * {@link VectorSupport#ENABLED}.
 *
 * <p>Forward views the convolution as {@code y [M, Cout] = col(x) [M, K] · w [K, Cout]} without
 * building col(x): the input is zero-padded once ({@code xp [N, Hp, Wp, Cin]}), so the K values of an
 * output pixel are KH·KW runs of Cin contiguous floats at fixed offsets from the pixel's base. The
 * kernel is packed into zero-padded column panels {@code [K, 2L]} (L = lanes). A register tile is 4
 * output pixels x 2 vectors (8 accumulators); K is walked in blocks of whole taps (≈256 rows, an L1-sized
 * panel slice), partial sums going through y.
 *
 * <p>Weight gradient: {@code dw [K, Cout] = col(x)^T · dy}, register tiles of 4 input channels x 2
 * vectors, summing over pixels in ascending pixel order (chunks of 128 pixels, accumulators kept in dw
 * between chunks); tasks own disjoint (channel group, column panel) blocks of dw, so the result does not
 * depend on the thread count.
 *
 * <p>Input gradient for stride 1: the forward kernel on dy with the kernel flipped in space and
 * transposed in channels, and pads {@code (K-1)·D - pad}.
 */
final class Conv2dVector {
    private Conv2dVector() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /** Panel width: two vectors of output channels. */
    static final int PW = 2 * L;
    /** Rows of the packed kernel walked per K block (rounded to whole taps). */
    static final int KC = 256;
    /** Pixels per weight-gradient chunk. */
    static final int PCHUNK = 128;

    // ---------------------------------------------------------------- forward

    static void forward(Conv2dSpec s, float[] x, int xOff, float[] w, int wOff, float[] bias, int bOff,
                        float[] y, int yOff) {
        int hp = s.h + s.padTop + s.padBottom, wpad = s.w + s.padLeft + s.padRight;
        float[] xp = x;
        int xpOff = xOff;
        if (!s.unpadded()) {
            xp = pad(s, x, xOff);
            xpOff = 0;
        }
        int k = s.kh * s.kw * s.cin;
        int panels = (s.cout + PW - 1) / PW;
        float[] wp = packPanels(w, wOff, k, s.cout, panels);
        int[] tapOff = new int[s.kh * s.kw];
        for (int ky = 0; ky < s.kh; ky++)
            for (int kx = 0; kx < s.kw; kx++) tapOff[ky * s.kw + kx] = (ky * s.dh * wpad + kx * s.dw) * s.cin;
        int taps = s.kh * s.kw;
        int tapsPerBlock = Math.max(1, KC / s.cin);
        // tasks: (image, block of output rows), ~128+ pixels each
        int rowsPerTask = Math.max(1, Math.min(s.oh, (128 + s.ow - 1) / s.ow));
        int rowBlocks = (s.oh + rowsPerTask - 1) / rowsPerTask;
        final float[] xpf = xp;
        final int xpo = xpOff;
        Parallel.forEach(s.n * rowBlocks, task -> {
            int n = task / rowBlocks, rb = task % rowBlocks;
            int oy0 = rb * rowsPerTask, oy1 = Math.min(s.oh, oy0 + rowsPerTask);
            int np = (oy1 - oy0) * s.ow;
            // base offset in xp (tap 0, channel 0) and in y of every pixel of the task
            int[] xb = new int[np];
            int pFirst = (n * s.oh + oy0) * s.ow;
            for (int i = 0; i < np; i++) {
                int oy = oy0 + i / s.ow, ox = i % s.ow;
                xb[i] = xpo + ((n * hp + oy * s.sh) * wpad + ox * s.sw) * s.cin;
            }
            for (int j = 0; j < panels; j++) {
                int co0 = j * PW;
                int valid = Math.min(PW, s.cout - co0);
                for (int t0 = 0; t0 < taps; t0 += tapsPerBlock) {
                    int t1 = Math.min(taps, t0 + tapsPerBlock);
                    boolean first = t0 == 0;
                    int wb = (j * k + t0 * s.cin) * PW;
                    int i = 0;
                    for (; i + 4 <= np; i += 4) {
                        tile4(xpf, xb[i], xb[i + 1], xb[i + 2], xb[i + 3], s.cin, tapOff, t0, t1, wp, wb,
                                y, yOff + (pFirst + i) * s.cout + co0, s.cout, valid, first, bias, bOff + co0);
                    }
                    for (; i < np; i++) {
                        tile1(xpf, xb[i], s.cin, tapOff, t0, t1, wp, wb,
                                y, yOff + (pFirst + i) * s.cout + co0, valid, first, bias, bOff + co0);
                    }
                }
            }
        });
    }

    /** 4 output pixels x 2L output channels, taps [t0, t1), all input channels. */
    private static void tile4(float[] xp, int x0, int x1, int x2, int x3, int cin, int[] tapOff, int t0, int t1,
                              float[] wp, int wb, float[] y, int yo, int ldy, int valid, boolean first,
                              float[] bias, int bo) {
        FloatVector a00, a01, a10, a11, a20, a21, a30, a31;
        if (first) {
            FloatVector b0 = FloatVector.zero(S), b1 = b0;
            if (bias != null) {
                b0 = load(bias, bo, valid);
                b1 = load(bias, bo + L, valid - L);
            }
            a00 = b0; a10 = b0; a20 = b0; a30 = b0;
            a01 = b1; a11 = b1; a21 = b1; a31 = b1;
        } else {
            a00 = load(y, yo, valid); a01 = load(y, yo + L, valid - L);
            a10 = load(y, yo + ldy, valid); a11 = load(y, yo + ldy + L, valid - L);
            a20 = load(y, yo + 2 * ldy, valid); a21 = load(y, yo + 2 * ldy + L, valid - L);
            a30 = load(y, yo + 3 * ldy, valid); a31 = load(y, yo + 3 * ldy + L, valid - L);
        }
        int wi = wb;
        for (int t = t0; t < t1; t++) {
            int to = tapOff[t];
            int i0 = x0 + to, i1 = x1 + to, i2 = x2 + to, i3 = x3 + to;
            for (int ci = 0; ci < cin; ci++, wi += PW) {
                FloatVector w0 = FloatVector.fromArray(S, wp, wi);
                FloatVector w1 = FloatVector.fromArray(S, wp, wi + L);
                FloatVector b = FloatVector.broadcast(S, xp[i0 + ci]);
                a00 = b.fma(w0, a00); a01 = b.fma(w1, a01);
                b = FloatVector.broadcast(S, xp[i1 + ci]);
                a10 = b.fma(w0, a10); a11 = b.fma(w1, a11);
                b = FloatVector.broadcast(S, xp[i2 + ci]);
                a20 = b.fma(w0, a20); a21 = b.fma(w1, a21);
                b = FloatVector.broadcast(S, xp[i3 + ci]);
                a30 = b.fma(w0, a30); a31 = b.fma(w1, a31);
            }
        }
        store(a00, y, yo, valid); store(a01, y, yo + L, valid - L);
        store(a10, y, yo + ldy, valid); store(a11, y, yo + ldy + L, valid - L);
        store(a20, y, yo + 2 * ldy, valid); store(a21, y, yo + 2 * ldy + L, valid - L);
        store(a30, y, yo + 3 * ldy, valid); store(a31, y, yo + 3 * ldy + L, valid - L);
    }

    /** 1 output pixel x 2L output channels (tails). */
    private static void tile1(float[] xp, int x0, int cin, int[] tapOff, int t0, int t1,
                              float[] wp, int wb, float[] y, int yo, int valid, boolean first,
                              float[] bias, int bo) {
        FloatVector a0, a1;
        if (first) {
            a0 = bias == null ? FloatVector.zero(S) : load(bias, bo, valid);
            a1 = bias == null ? FloatVector.zero(S) : load(bias, bo + L, valid - L);
        } else {
            a0 = load(y, yo, valid);
            a1 = load(y, yo + L, valid - L);
        }
        int wi = wb;
        for (int t = t0; t < t1; t++) {
            int i0 = x0 + tapOff[t];
            for (int ci = 0; ci < cin; ci++, wi += PW) {
                FloatVector b = FloatVector.broadcast(S, xp[i0 + ci]);
                a0 = b.fma(FloatVector.fromArray(S, wp, wi), a0);
                a1 = b.fma(FloatVector.fromArray(S, wp, wi + L), a1);
            }
        }
        store(a0, y, yo, valid);
        store(a1, y, yo + L, valid - L);
    }

    /** Loads L floats from a[o..], only the first {@code valid} of them when valid < L (rest 0). */
    private static FloatVector load(float[] a, int o, int valid) {
        if (valid >= L) return FloatVector.fromArray(S, a, o);
        if (valid <= 0) return FloatVector.zero(S);
        return FloatVector.fromArray(S, a, o, S.indexInRange(0, valid));
    }

    /** Stores the first min(valid, L) lanes of v at a[o..]. */
    private static void store(FloatVector v, float[] a, int o, int valid) {
        if (valid >= L) v.intoArray(a, o);
        else if (valid > 0) v.intoArray(a, o, S.indexInRange(0, valid));
    }

    /** xp [N, Hp, Wp, C] = x with zero borders. Parallel over images. */
    static float[] pad(Conv2dSpec s, float[] x, int xOff) {
        int hp = s.h + s.padTop + s.padBottom, wpad = s.w + s.padLeft + s.padRight;
        float[] xp = new float[s.n * hp * wpad * s.cin];
        int rowLen = s.w * s.cin;
        Parallel.forEach(s.n, n -> {
            for (int iy = 0; iy < s.h; iy++) {
                System.arraycopy(x, xOff + (n * s.h + iy) * rowLen, xp,
                        ((n * hp + iy + s.padTop) * wpad + s.padLeft) * s.cin, rowLen);
            }
        });
        return xp;
    }

    /** wp[j][k][PW] = w[k, j·PW + c], zero past Cout. w [K, Cout]. */
    static float[] packPanels(float[] w, int wOff, int k, int cout, int panels) {
        float[] wp = new float[panels * k * PW];
        for (int j = 0; j < panels; j++) {
            int co0 = j * PW, len = Math.min(PW, cout - co0);
            for (int r = 0; r < k; r++) System.arraycopy(w, wOff + r * cout + co0, wp, (j * k + r) * PW, len);
        }
        return wp;
    }

    // ---------------------------------------------------------------- input gradient

    /** Stride 1 and pads no larger than the dilated kernel extent minus one. */
    static boolean supportsBackwardInput(Conv2dSpec s) {
        int ey = (s.kh - 1) * s.dh, ex = (s.kw - 1) * s.dw;
        return s.sh == 1 && s.sw == 1 && s.padTop <= ey && s.padBottom <= ey && s.padLeft <= ex && s.padRight <= ex;
    }

    /** dx = conv(dy, flip(w)^T) with pads (K-1)·D - pad. Stride 1 only. */
    static void backwardInput(Conv2dSpec s, float[] dy, int dyOff, float[] w, int wOff, float[] dx, int dxOff) {
        int ey = (s.kh - 1) * s.dh, ex = (s.kw - 1) * s.dw;
        Conv2dSpec t = Conv2dSpec.explicit(s.n, s.oh, s.ow, s.cout, s.kh, s.kw, s.cin, 1, 1, s.dh, s.dw,
                ey - s.padTop, ey - s.padBottom, ex - s.padLeft, ex - s.padRight);
        // wt [KH, KW, Cout, Cin] = w [KH-1-ky, KW-1-kx, ci, co]
        float[] wt = new float[(int) s.kernelSize()];
        for (int ky = 0; ky < s.kh; ky++)
            for (int kx = 0; kx < s.kw; kx++) {
                int src = wOff + ((s.kh - 1 - ky) * s.kw + (s.kw - 1 - kx)) * s.cin * s.cout;
                int dst = (ky * s.kw + kx) * s.cout * s.cin;
                for (int ci = 0; ci < s.cin; ci++)
                    for (int co = 0; co < s.cout; co++) wt[dst + co * s.cin + ci] = w[src + ci * s.cout + co];
            }
        forward(t, dy, dyOff, wt, 0, null, 0, dx, dxOff);
    }

    // ---------------------------------------------------------------- weight gradient

    static void backwardWeight(Conv2dSpec s, float[] x, int xOff, float[] dy, int dyOff, float[] dw, int dwOff) {
        int hp = s.h + s.padTop + s.padBottom, wpad = s.w + s.padLeft + s.padRight;
        float[] xp = x;
        int xpOff = xOff;
        if (!s.unpadded()) {
            xp = pad(s, x, xOff);
            xpOff = 0;
        }
        int m = s.n * s.oh * s.ow;
        int panels = (s.cout + PW - 1) / PW;
        int groupSize = 32;
        int groups = (s.cin + groupSize - 1) / groupSize;
        int[] tapOff = new int[s.kh * s.kw];
        for (int ky = 0; ky < s.kh; ky++)
            for (int kx = 0; kx < s.kw; kx++) tapOff[ky * s.kw + kx] = (ky * s.dh * wpad + kx * s.dw) * s.cin;
        int taps = s.kh * s.kw;
        final float[] xpf = xp;
        final int xpo = xpOff;
        Parallel.forEach(panels * groups, task -> {
            int j = task / groups, g = task % groups;
            int co0 = j * PW, valid = Math.min(PW, s.cout - co0);
            int ci0 = g * groupSize, ci1 = Math.min(s.cin, ci0 + groupSize);
            int[] xb = new int[PCHUNK];
            for (int p0 = 0; p0 < m; p0 += PCHUNK) {
                int p1 = Math.min(m, p0 + PCHUNK);
                for (int p = p0; p < p1; p++) {
                    int n = p / (s.oh * s.ow), r = p % (s.oh * s.ow), oy = r / s.ow, ox = r % s.ow;
                    xb[p - p0] = xpo + ((n * hp + oy * s.sh) * wpad + ox * s.sw) * s.cin;
                }
                boolean first = p0 == 0;
                for (int t = 0; t < taps; t++) {
                    int ci = ci0;
                    for (; ci + 4 <= ci1; ci += 4) {
                        wtile4(xpf, xb, tapOff[t] + ci, dy, dyOff + co0, s.cout, p0, p1,
                                dw, dwOff + (t * s.cin + ci) * s.cout + co0, s.cout, valid, first);
                    }
                    for (; ci < ci1; ci++) {
                        wtile1(xpf, xb, tapOff[t] + ci, dy, dyOff + co0, s.cout, p0, p1,
                                dw, dwOff + (t * s.cin + ci) * s.cout + co0, valid, first);
                    }
                }
            }
        });
    }

    /** dw rows (ci..ci+3) x 2L columns += sum over pixels p0..p1 of x[p, ci..ci+3] ⊗ dy[p, co0..]. */
    private static void wtile4(float[] xp, int[] xb, int xo, float[] dy, int dyo, int ldy, int p0, int p1,
                               float[] dw, int wo, int ldw, int valid, boolean first) {
        FloatVector a00, a01, a10, a11, a20, a21, a30, a31;
        if (first) {
            a00 = a01 = a10 = a11 = a20 = a21 = a30 = a31 = FloatVector.zero(S);
        } else {
            a00 = load(dw, wo, valid); a01 = load(dw, wo + L, valid - L);
            a10 = load(dw, wo + ldw, valid); a11 = load(dw, wo + ldw + L, valid - L);
            a20 = load(dw, wo + 2 * ldw, valid); a21 = load(dw, wo + 2 * ldw + L, valid - L);
            a30 = load(dw, wo + 3 * ldw, valid); a31 = load(dw, wo + 3 * ldw + L, valid - L);
        }
        if (valid == PW) {
            for (int p = p0; p < p1; p++) {
                int xi = xb[p - p0] + xo;
                int di = dyo + p * ldy;
                FloatVector d0 = FloatVector.fromArray(S, dy, di);
                FloatVector d1 = FloatVector.fromArray(S, dy, di + L);
                FloatVector b = FloatVector.broadcast(S, xp[xi]);
                a00 = b.fma(d0, a00); a01 = b.fma(d1, a01);
                b = FloatVector.broadcast(S, xp[xi + 1]);
                a10 = b.fma(d0, a10); a11 = b.fma(d1, a11);
                b = FloatVector.broadcast(S, xp[xi + 2]);
                a20 = b.fma(d0, a20); a21 = b.fma(d1, a21);
                b = FloatVector.broadcast(S, xp[xi + 3]);
                a30 = b.fma(d0, a30); a31 = b.fma(d1, a31);
            }
        } else {
            for (int p = p0; p < p1; p++) {
                int xi = xb[p - p0] + xo;
                int di = dyo + p * ldy;
                FloatVector d0 = load(dy, di, valid);
                FloatVector d1 = load(dy, di + L, valid - L);
                FloatVector b = FloatVector.broadcast(S, xp[xi]);
                a00 = b.fma(d0, a00); a01 = b.fma(d1, a01);
                b = FloatVector.broadcast(S, xp[xi + 1]);
                a10 = b.fma(d0, a10); a11 = b.fma(d1, a11);
                b = FloatVector.broadcast(S, xp[xi + 2]);
                a20 = b.fma(d0, a20); a21 = b.fma(d1, a21);
                b = FloatVector.broadcast(S, xp[xi + 3]);
                a30 = b.fma(d0, a30); a31 = b.fma(d1, a31);
            }
        }
        store(a00, dw, wo, valid); store(a01, dw, wo + L, valid - L);
        store(a10, dw, wo + ldw, valid); store(a11, dw, wo + ldw + L, valid - L);
        store(a20, dw, wo + 2 * ldw, valid); store(a21, dw, wo + 2 * ldw + L, valid - L);
        store(a30, dw, wo + 3 * ldw, valid); store(a31, dw, wo + 3 * ldw + L, valid - L);
    }

    /** One input-channel row of {@link #wtile4} (channel tails). */
    private static void wtile1(float[] xp, int[] xb, int xo, float[] dy, int dyo, int ldy, int p0, int p1,
                               float[] dw, int wo, int valid, boolean first) {
        FloatVector a0 = first ? FloatVector.zero(S) : load(dw, wo, valid);
        FloatVector a1 = first ? FloatVector.zero(S) : load(dw, wo + L, valid - L);
        for (int p = p0; p < p1; p++) {
            int di = dyo + p * ldy;
            FloatVector b = FloatVector.broadcast(S, xp[xb[p - p0] + xo]);
            a0 = b.fma(load(dy, di, valid), a0);
            a1 = b.fma(load(dy, di + L, valid - L), a1);
        }
        store(a0, dw, wo, valid);
        store(a1, dw, wo + L, valid - L);
    }

    // ---------------------------------------------------------------- bias gradient

    /** db[c] = sum_p dy[p, c], pixels in ascending order. dy [M, C]. */
    static void columnSums(int m, int c, float[] dy, int dyOff, float[] db, int dbOff) {
        Arrays.fill(db, dbOff, dbOff + c, 0f);
        int c0 = 0;
        for (; c0 < c; c0 += L) {
            int valid = Math.min(L, c - c0);
            FloatVector acc = FloatVector.zero(S);
            for (int p = 0; p < m; p++) acc = acc.add(load(dy, dyOff + p * c + c0, valid));
            store(acc, db, dbOff + c0, valid);
        }
    }
}
