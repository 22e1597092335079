package dev.weft.engine.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The direct ("implicit GEMM") convolution path of {@link Conv2d} on the Vector API. Loaded only when
 * {@link VectorSupport#ENABLED}.
 *
 * <p>Forward views the convolution as {@code y [M, Cout] = col(x) [M, K] · w [K, Cout]} without
 * building col(x): the input is zero-padded once ({@code xp [N, Hp, Wp, Cin]}), so the K values of an
 * output pixel are KH·KW runs of Cin contiguous floats at fixed offsets from the pixel's base. The
 * kernel is packed into zero-padded column panels {@code [K, 2L]} (L = lanes). A register tile is 8
 * (or 4) output pixels x 2 vectors. Blocked like a GEMM: a task owns ~128 output pixels (and, for
 * small batches, a group of panels); within it the K blocks (~512 rows: whole taps, or a slice of one
 * tap's channels) are the outer loop and the panels the inner one, partial sums kept in a per-task
 * output block. The packed kernel and the padded input live in per-thread buffers reused across calls;
 * when there are at most {@link #JIT_MAX_ROW_TASKS} tasks over the pixels (small images, small batch)
 * each task packs a (K block, panel) slice of the kernel just before using it instead.
 *
 * <p>Weight gradient: {@code dw [K, Cout] = col(x)^T · dy}, register tiles of 8 (or 4) input channels x 2
 * vectors, summing over pixels in ascending pixel order (chunks of {@link #PCHUNK} pixels, accumulators
 * kept in a per-task dw block between chunks); tasks own disjoint (channel group, column panel) blocks of dw, so the result does not
 * depend on the thread count.
 *
 * <p>The stride-1 input gradient runs on {@link #forward} (see {@link Conv2d#backwardInputAsForward}).
 */
final class Conv2dVector {
    private Conv2dVector() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /** Panel width: two vectors of output channels. */
    static final int PW = 2 * L;
    /**
     * Rows of the packed kernel walked per K block (rounded to whole taps). 512 rather than 256: 512ch@4x4
     * +7 % at 1 thread and +12 % at 2, 512ch@2x2 +4 %, 64-256 channels within ±1.5 % (in-JVM interleaved
     * A/B, bench/CONV.md).
     */
    static final int KC = 512;
    /**
     * Use the 8-row register tiles (16 accumulators) when the machine has 32 vector registers
     * (AVX-512); with 16 registers (AVX2) 4 rows is the largest tile that does not spill.
     * {@code -Dweft.conv.rows=4|8} overrides.
     */
    static final boolean WIDE = Integer.getInteger("weft.conv.rows", S.vectorBitSize() >= 512 ? 8 : 4) == 8;
    /** A forward call is split into at least this many tasks when the shape allows (small batches). */
    static final int MIN_TASKS = 8;
    /** Pixels per weight-gradient chunk (64 rather than 128: +3-6 % on 64ch layers, in-JVM interleaved A/B). */
    static final int PCHUNK = 64;
    /**
     * Input channels per weight-gradient task (64 rather than 32: each task reads whole 256-byte pixel
     * rows of a 64-channel input; 64ch@30x30 dw +17-20 % at 1 and 2 threads, in-JVM interleaved A/B).
     */
    static final int CHANNEL_GROUP = 64;

    // ---------------------------------------------------------------- forward

    static void forward(Conv2dSpec s, float[] x, int xOff, float[] w, int wOff, float[] bias, int bOff,
                        float[] y, int yOff) {
        forward(s, x, xOff, w, wOff, bias, bOff, y, yOff, false);
    }

    /** {@link #forward}, then max(y, 0) when relu, as each task copies its output block out. */
    static void forward(Conv2dSpec s, float[] x, int xOff, float[] w, int wOff, float[] bias, int bOff,
                        float[] y, int yOff, boolean relu) {
        run(s, x, xOff, null, w, wOff, bias, bOff, y, yOff, relu);
    }

    /**
     * Up to this many tasks over the pixels, the forward packs each kernel slice as it goes instead of
     * the whole kernel up front: each slice is then packed at most this many times, but read from cache
     * rather than from a 9.4 MB packed copy in memory (512ch@2x2: +17 % / +20 % at 1 / 2 threads at batch 32,
     * +10 % at 64; with 4 row tasks even, with 16+ up to 8 % slower; in-JVM interleaved A/B, bench/CONV.md).
     */
    static final int JIT_MAX_ROW_TASKS = 2;

    /**
     * The stride-1 input gradient as a forward convolution (see {@link Conv2d#backwardInputAsForward}):
     * t is the spec of that convolution (dy → dx), w the original kernel [KH, KW, Cin, Cout], flipped
     * and transposed while it is packed.
     */
    static void backwardInputAsForward(Conv2dSpec t, float[] dy, int dyOff, float[] w, int wOff, float[] dx, int dxOff) {
        forwardPacked(t, dy, dyOff, packPanelsFlipped(t, w, wOff), null, 0, dx, dxOff);
    }

    /** Forward with the kernel already packed into panels by {@link #packPanels}. */
    static void forwardPacked(Conv2dSpec s, float[] x, int xOff, float[] wp, float[] bias, int bOff,
                              float[] y, int yOff) {
        run(s, x, xOff, wp, null, 0, bias, bOff, y, yOff, false);
    }

    /**
     * The forward loop: with wp (kernel packed into panels by the caller) the tiles read it in place;
     * with wp == null each task packs the (K block, panel) slice of w [K, Cout] it is about to use
     * into a per-thread buffer.
     */
    private static void run(Conv2dSpec s, float[] x, int xOff, float[] wPacked, float[] w, int wOff, float[] bias, int bOff,
                            float[] y, int yOff, boolean relu) {
        int hp = s.h + s.padTop + s.padBottom, wpad = s.w + s.padLeft + s.padRight;
        float[] xp = x;
        int xpOff = xOff;
        if (!s.unpadded()) {
            xp = pad(s, x, xOff);
            xpOff = 0;
        }
        int k = s.kh * s.kw * s.cin;
        int panels = (s.cout + PW - 1) / PW;
        int taps = s.kh * s.kw;
        // tapOff[t]: offset in xp of tap t = (ky, kx) from a pixel's base; rows (t, ci) of the implicit im2col follow it
        int[] tapOff = new int[taps];
        for (int ky = 0; ky < s.kh; ky++)
            for (int kx = 0; kx < s.kw; kx++) tapOff[ky * s.kw + kx] = (ky * s.dh * wpad + kx * s.dw) * s.cin;
        // K blocks of ~KC rows: whole taps when Cin <= KC, else slices of one tap's channels
        int tapsPerBlock = Math.max(1, KC / s.cin), cBlock = Math.min(s.cin, KC);
        // tasks: blocks of output rows counted over the whole batch (n·OH + oy), ~128+ pixels each,
        // so small images are grouped and a panel slice of w is reused over enough pixels; when that
        // gives few tasks (a small batch), the panels are split between tasks too. Either way each
        // output is summed in the same order, so the split does not change a bit.
        int rowsPerTask = Math.max(1, (128 + s.ow - 1) / s.ow);
        int totalRows = s.n * s.oh;
        int rowTasks = (totalRows + rowsPerTask - 1) / rowsPerTask;
        float[] wp = wPacked != null || rowTasks <= JIT_MAX_ROW_TASKS ? wPacked : packPanels(w, wOff, k, s.cout, panels);
        int groups = Math.min(panels, Math.max(1, (MIN_TASKS + rowTasks - 1) / rowTasks));
        int panelsPerGroup = (panels + groups - 1) / groups;
        groups = (panels + panelsPerGroup - 1) / panelsPerGroup;
        int ys = panelsPerGroup * PW; // row stride of a task's output block
        final float[] xpf = xp;
        final int xpo = xpOff;
        final int g = groups;
        Parallel.forEach(rowTasks * groups, task -> {
            int rowTask = task / g, j0 = (task % g) * panelsPerGroup, j1 = Math.min(panels, j0 + panelsPerGroup);
            int row0 = rowTask * rowsPerTask, row1 = Math.min(totalRows, row0 + rowsPerTask);
            int np = (row1 - row0) * s.ow;
            int co0 = j0 * PW, cols = Math.min(s.cout, j1 * PW) - co0;
            // base offset in xp (tap 0, channel 0) of every pixel of the task
            int[] xb = new int[np];
            int pFirst = row0 * s.ow;
            for (int i = 0; i < np; i++) {
                int row = row0 + i / s.ow, n = row / s.oh, oy = row % s.oh, ox = i % s.ow;
                xb[i] = xpo + ((n * hp + oy * s.sh) * wpad + ox * s.sw) * s.cin;
            }
            // yt [np, ys]: the task's output block, accumulated over the K blocks. The K block is the
            // outer loop, as in a GEMM: the block's slice of the pixels' inputs (np x ~KC floats)
            // stays in L2 while each panel's slice of w (KC x 2L) streams through L1.
            float[] yt = OUTPUT_BLOCK.get(np * ys);
            for (int i = 0; i < np; i++) {
                if (bias == null) Arrays.fill(yt, i * ys, i * ys + ys, 0f);
                else System.arraycopy(bias, bOff + co0, yt, i * ys, cols);
            }
            float[] wbuf = wp != null ? null : PANEL.get(tapsPerBlock * cBlock * PW);
            for (int t0 = 0; t0 < taps; t0 += tapsPerBlock) {
                int t1 = Math.min(taps, t0 + tapsPerBlock);
                for (int c0 = 0; c0 < s.cin; c0 += cBlock) {
                    int c1 = Math.min(s.cin, c0 + cBlock);
                    for (int j = j0; j < j1; j++) {
                        int yo = (j - j0) * PW;
                        float[] wa = wp;
                        if (wp == null) {
                            wa = wbuf;
                            packSlice(w, wOff, s.cin, s.cout, j, t0, t1, c0, c1, wbuf);
                        }
                        // one tile call per tap: accumulators must not live across an outer loop, or
                        // JDK 17's C2 boxes them (forward ran at 6 instead of 158 GFLOP/s there)
                        for (int t = t0; t < t1; t++) {
                            int wb = wp != null ? (j * k + t * s.cin + c0) * PW : (t - t0) * (c1 - c0) * PW;
                            int o = tapOff[t];
                            int i = 0;
                            if (WIDE) {
                                for (; i + 8 <= np; i += 8) tile8(xpf, xb, i, o, c0, c1, wa, wb, yt, i * ys + yo, ys);
                            }
                            for (; i + 4 <= np; i += 4) {
                                tile4(xpf, xb[i], xb[i + 1], xb[i + 2], xb[i + 3], o, c0, c1, wa, wb, yt, i * ys + yo, ys);
                            }
                            for (; i < np; i++) tile1(xpf, xb[i], o, c0, c1, wa, wb, yt, i * ys + yo);
                        }
                    }
                }
            }
            for (int i = 0; i < np; i++) {
                int dst = yOff + (pFirst + i) * s.cout + co0;
                if (relu) ElementwiseKernels.unary(ElementwiseKernels.Un.RELU, yt, i * ys, 1, y, dst, cols, 0f);
                else System.arraycopy(yt, i * ys, y, dst, cols);
            }
        });
    }

    /**
     * wbuf [(t - t0)·(c1 - c0) + (ci - c0)][PW] = w[t, ci, j·PW + c] for taps [t0, t1), channels [c0, c1),
     * zero past Cout. w [taps, Cin, Cout].
     */
    private static void packSlice(float[] w, int wOff, int cin, int cout, int j, int t0, int t1, int c0, int c1, float[] wbuf) {
        int co0 = j * PW, len = Math.min(PW, cout - co0), d = 0;
        for (int t = t0; t < t1; t++) {
            for (int ci = c0; ci < c1; ci++, d += PW) {
                int src = wOff + (t * cin + ci) * cout + co0;
                if (len == PW) {
                    FloatVector.fromArray(S, w, src).intoArray(wbuf, d);
                    FloatVector.fromArray(S, w, src + L).intoArray(wbuf, d + L);
                } else {
                    System.arraycopy(w, src, wbuf, d, len);
                    Arrays.fill(wbuf, d + len, d + PW, 0f);
                }
            }
        }
    }

    /** Per-thread buffers: one (K block, panel) slice of the kernel; the output block of a forward task. */
    private static final ThreadScratch PANEL = new ThreadScratch(), OUTPUT_BLOCK = new ThreadScratch();

    /** yt[8 pixels, 2L] += sum over channels [c0, c1) of one tap (at offset o from each pixel's base) of x ⊗ packed w (16 accumulators: 32-register machines); yt rows ys apart. */
    private static void tile8(float[] xp, int[] xb, int i, int o, int c0, int c1, float[] wp, int wb, float[] yt, int yo,
                              int ys) {
        int x0 = xb[i], x1 = xb[i + 1], x2 = xb[i + 2], x3 = xb[i + 3], x4 = xb[i + 4], x5 = xb[i + 5], x6 = xb[i + 6], x7 = xb[i + 7];
        FloatVector a00 = FloatVector.fromArray(S, yt, yo), a01 = FloatVector.fromArray(S, yt, yo + L);
        FloatVector a10 = FloatVector.fromArray(S, yt, yo + ys), a11 = FloatVector.fromArray(S, yt, yo + ys + L);
        FloatVector a20 = FloatVector.fromArray(S, yt, yo + 2 * ys), a21 = FloatVector.fromArray(S, yt, yo + 2 * ys + L);
        FloatVector a30 = FloatVector.fromArray(S, yt, yo + 3 * ys), a31 = FloatVector.fromArray(S, yt, yo + 3 * ys + L);
        FloatVector a40 = FloatVector.fromArray(S, yt, yo + 4 * ys), a41 = FloatVector.fromArray(S, yt, yo + 4 * ys + L);
        FloatVector a50 = FloatVector.fromArray(S, yt, yo + 5 * ys), a51 = FloatVector.fromArray(S, yt, yo + 5 * ys + L);
        FloatVector a60 = FloatVector.fromArray(S, yt, yo + 6 * ys), a61 = FloatVector.fromArray(S, yt, yo + 6 * ys + L);
        FloatVector a70 = FloatVector.fromArray(S, yt, yo + 7 * ys), a71 = FloatVector.fromArray(S, yt, yo + 7 * ys + L);
        // within a tap the inputs are cin contiguous floats per pixel and the kernel rows PW apart:
        // every index is affine in ci, so C2 hoists the bounds checks out of the loop
        int wt = wb - c0 * PW;
        int q0 = x0 + o, q1 = x1 + o, q2 = x2 + o, q3 = x3 + o, q4 = x4 + o, q5 = x5 + o, q6 = x6 + o, q7 = x7 + o;
        for (int ci = c0; ci < c1; ci++) {
            int wi = wt + ci * PW;
            FloatVector w0 = FloatVector.fromArray(S, wp, wi);
            FloatVector w1 = FloatVector.fromArray(S, wp, wi + L);
            FloatVector b = FloatVector.broadcast(S, xp[q0 + ci]);
            a00 = b.fma(w0, a00); a01 = b.fma(w1, a01);
            b = FloatVector.broadcast(S, xp[q1 + ci]);
            a10 = b.fma(w0, a10); a11 = b.fma(w1, a11);
            b = FloatVector.broadcast(S, xp[q2 + ci]);
            a20 = b.fma(w0, a20); a21 = b.fma(w1, a21);
            b = FloatVector.broadcast(S, xp[q3 + ci]);
            a30 = b.fma(w0, a30); a31 = b.fma(w1, a31);
            b = FloatVector.broadcast(S, xp[q4 + ci]);
            a40 = b.fma(w0, a40); a41 = b.fma(w1, a41);
            b = FloatVector.broadcast(S, xp[q5 + ci]);
            a50 = b.fma(w0, a50); a51 = b.fma(w1, a51);
            b = FloatVector.broadcast(S, xp[q6 + ci]);
            a60 = b.fma(w0, a60); a61 = b.fma(w1, a61);
            b = FloatVector.broadcast(S, xp[q7 + ci]);
            a70 = b.fma(w0, a70); a71 = b.fma(w1, a71);
        }
        a00.intoArray(yt, yo); a01.intoArray(yt, yo + L);
        a10.intoArray(yt, yo + ys); a11.intoArray(yt, yo + ys + L);
        a20.intoArray(yt, yo + 2 * ys); a21.intoArray(yt, yo + 2 * ys + L);
        a30.intoArray(yt, yo + 3 * ys); a31.intoArray(yt, yo + 3 * ys + L);
        a40.intoArray(yt, yo + 4 * ys); a41.intoArray(yt, yo + 4 * ys + L);
        a50.intoArray(yt, yo + 5 * ys); a51.intoArray(yt, yo + 5 * ys + L);
        a60.intoArray(yt, yo + 6 * ys); a61.intoArray(yt, yo + 6 * ys + L);
        a70.intoArray(yt, yo + 7 * ys); a71.intoArray(yt, yo + 7 * ys + L);
    }

    /** yt[4 pixels, 2L] += sum over channels [c0, c1) of one tap (offset o) of x ⊗ packed w; yt rows ys apart. */
    private static void tile4(float[] xp, int x0, int x1, int x2, int x3, int o, int c0, int c1,
                              float[] wp, int wb, float[] yt, int yo, int ys) {
        FloatVector a00 = FloatVector.fromArray(S, yt, yo), a01 = FloatVector.fromArray(S, yt, yo + L);
        FloatVector a10 = FloatVector.fromArray(S, yt, yo + ys), a11 = FloatVector.fromArray(S, yt, yo + ys + L);
        FloatVector a20 = FloatVector.fromArray(S, yt, yo + 2 * ys), a21 = FloatVector.fromArray(S, yt, yo + 2 * ys + L);
        FloatVector a30 = FloatVector.fromArray(S, yt, yo + 3 * ys), a31 = FloatVector.fromArray(S, yt, yo + 3 * ys + L);
        int wt = wb - c0 * PW;
        int q0 = x0 + o, q1 = x1 + o, q2 = x2 + o, q3 = x3 + o;
        for (int ci = c0; ci < c1; ci++) {
            int wi = wt + ci * PW;
            FloatVector w0 = FloatVector.fromArray(S, wp, wi);
            FloatVector w1 = FloatVector.fromArray(S, wp, wi + L);
            FloatVector b = FloatVector.broadcast(S, xp[q0 + ci]);
            a00 = b.fma(w0, a00); a01 = b.fma(w1, a01);
            b = FloatVector.broadcast(S, xp[q1 + ci]);
            a10 = b.fma(w0, a10); a11 = b.fma(w1, a11);
            b = FloatVector.broadcast(S, xp[q2 + ci]);
            a20 = b.fma(w0, a20); a21 = b.fma(w1, a21);
            b = FloatVector.broadcast(S, xp[q3 + ci]);
            a30 = b.fma(w0, a30); a31 = b.fma(w1, a31);
        }
        a00.intoArray(yt, yo); a01.intoArray(yt, yo + L);
        a10.intoArray(yt, yo + ys); a11.intoArray(yt, yo + ys + L);
        a20.intoArray(yt, yo + 2 * ys); a21.intoArray(yt, yo + 2 * ys + L);
        a30.intoArray(yt, yo + 3 * ys); a31.intoArray(yt, yo + 3 * ys + L);
    }

    /** 1 output pixel x 2L output channels (tails). */
    private static void tile1(float[] xp, int x0, int o, int c0, int c1,
                              float[] wp, int wb, float[] yt, int yo) {
        FloatVector a0 = FloatVector.fromArray(S, yt, yo), a1 = FloatVector.fromArray(S, yt, yo + L);
        int wt = wb - c0 * PW;
        int q0 = x0 + o;
        for (int ci = c0; ci < c1; ci++) {
            int wi = wt + ci * PW;
            FloatVector b = FloatVector.broadcast(S, xp[q0 + ci]);
            a0 = b.fma(FloatVector.fromArray(S, wp, wi), a0);
            a1 = b.fma(FloatVector.fromArray(S, wp, wi + L), a1);
        }
        a0.intoArray(yt, yo);
        a1.intoArray(yt, yo + L);
    }

    /** Per-thread buffers of the calling thread: the packed kernel (512 channels: 9.4 MB) and the padded input. */
    private static final ThreadScratch PACKED_W = new ThreadScratch(), PADDED_X = new ThreadScratch();

    /** xp [N, Hp, Wp, C] = x with zero borders (written explicitly: the buffer is reused). Parallel over images. */
    static float[] pad(Conv2dSpec s, float[] x, int xOff) {
        int hp = s.h + s.padTop + s.padBottom, wpad = s.w + s.padLeft + s.padRight;
        float[] xp = PADDED_X.get(s.n * hp * wpad * s.cin);
        int rowLen = s.w * s.cin, padRowLen = wpad * s.cin;
        int left = s.padLeft * s.cin, right = s.padRight * s.cin;
        Parallel.forEach(s.n, n -> {
            int img = n * hp * padRowLen;
            Arrays.fill(xp, img, img + s.padTop * padRowLen, 0f);
            for (int iy = 0; iy < s.h; iy++) {
                int row = img + (iy + s.padTop) * padRowLen;
                Arrays.fill(xp, row, row + left, 0f);
                System.arraycopy(x, xOff + (n * s.h + iy) * rowLen, xp, row + left, rowLen);
                Arrays.fill(xp, row + left + rowLen, row + padRowLen, 0f);
            }
            Arrays.fill(xp, img + (s.padTop + s.h) * padRowLen, img + hp * padRowLen, 0f);
        });
        return xp;
    }

    /**
     * Panels of the flipped, transposed kernel of the input-gradient convolution t (Cin' = Cout of the
     * original, Cout' = its Cin): wp[j][tap·Cout' ... ][PW] with row (tap, co) holding
     * w[KH-1-ky, KW-1-kx, j·PW + c, co] for c < PW, zero past Cout'. w [KH, KW, Cout', Cin'].
     */
    static float[] packPanelsFlipped(Conv2dSpec t, float[] w, int wOff) {
        int taps = t.kh * t.kw, rows = t.cout, cols = t.cin; // one tap of w: [rows, cols]
        int k = taps * cols;
        int panels = (rows + PW - 1) / PW;
        float[] wp = PACKED_W.get(panels * k * PW);
        Parallel.forEach(panels * taps, task -> {
            int j = task / taps, tap = task % taps;
            int r0 = j * PW, len = Math.min(PW, rows - r0);
            int src = wOff + (taps - 1 - tap) * rows * cols; // flipping both spatial axes reverses the taps
            int dst = (j * k + tap * cols) * PW;
            if (len < PW) { // the last panel's lanes past Cout' are zero
                for (int c = 0; c < cols; c++) Arrays.fill(wp, dst + c * PW + len, dst + c * PW + PW, 0f);
            }
            // transpose the [len, cols] block in 16-column strips, so reads and writes stay in cache
            for (int c0 = 0; c0 < cols; c0 += 16) {
                int c1 = Math.min(cols, c0 + 16);
                for (int r = 0; r < len; r++) {
                    int from = src + (r0 + r) * cols;
                    for (int c = c0; c < c1; c++) wp[dst + c * PW + r] = w[from + c];
                }
            }
        });
        return wp;
    }

    /** wp[j][k][PW] = w[k, j·PW + c], zero past Cout. w [K, Cout]. */
    static float[] packPanels(float[] w, int wOff, int k, int cout, int panels) {
        float[] wp = PACKED_W.get(panels * k * PW);
        // in w's own order (whole rows read once, one write stream per panel), parallel over row
        // chunks: for 512 channels w is 9.4 MB. Panel by panel instead (rows read 2L floats at a time,
        // 2 KB apart) made 512ch@2x2 forward 16 % slower at 1 thread (in-JVM interleaved A/B)
        int chunk = 64;
        Parallel.forEach((k + chunk - 1) / chunk, t -> {
            int r0 = t * chunk, r1 = Math.min(k, r0 + chunk);
            for (int r = r0; r < r1; r++) {
                for (int j = 0; j < panels; j++) {
                    int co0 = j * PW, len = Math.min(PW, cout - co0);
                    int d = (j * k + r) * PW;
                    System.arraycopy(w, wOff + r * cout + co0, wp, d, len);
                    if (len < PW) Arrays.fill(wp, d + len, d + PW, 0f);
                }
            }
        });
        return wp;
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
        int groupSize = CHANNEL_GROUP;
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
            int ci0 = g * groupSize, ci1 = Math.min(s.cin, ci0 + groupSize), gc = ci1 - ci0;
            int[] xb = new int[PCHUNK];
            float[] dyt = new float[PCHUNK * PW];     // dy chunk [PCHUNK, PW], zero past Cout
            float[] dwt = new float[taps * gc * PW];  // dw block [taps, gc, PW]
            for (int p0 = 0; p0 < m; p0 += PCHUNK) {
                int p1 = Math.min(m, p0 + PCHUNK), np = p1 - p0;
                for (int p = p0; p < p1; p++) {
                    int n = p / (s.oh * s.ow), r = p % (s.oh * s.ow), oy = r / s.ow, ox = r % s.ow;
                    xb[p - p0] = xpo + ((n * hp + oy * s.sh) * wpad + ox * s.sw) * s.cin;
                    System.arraycopy(dy, dyOff + p * s.cout + co0, dyt, (p - p0) * PW, valid);
                }
                for (int t = 0; t < taps; t++) {
                    int c = 0;
                    if (WIDE) for (; c + 8 <= gc; c += 8) wtile8(xpf, xb, tapOff[t] + ci0 + c, dyt, np, dwt, (t * gc + c) * PW);
                    for (; c + 4 <= gc; c += 4) wtile4(xpf, xb, tapOff[t] + ci0 + c, dyt, np, dwt, (t * gc + c) * PW);
                    for (; c < gc; c++) wtile1(xpf, xb, tapOff[t] + ci0 + c, dyt, np, dwt, (t * gc + c) * PW);
                }
            }
            for (int t = 0; t < taps; t++)
                for (int c = 0; c < gc; c++)
                    System.arraycopy(dwt, (t * gc + c) * PW, dw, dwOff + (t * s.cin + ci0 + c) * s.cout + co0, valid);
        });
    }

    /** dwt rows (8 channels) x 2L columns += sum over the chunk's pixels of x[p, ci..ci+7] ⊗ dyt[p, :]. */
    private static void wtile8(float[] xp, int[] xb, int xo, float[] dyt, int np, float[] dwt, int wo) {
        FloatVector a00 = FloatVector.fromArray(S, dwt, wo), a01 = FloatVector.fromArray(S, dwt, wo + L);
        FloatVector a10 = FloatVector.fromArray(S, dwt, wo + PW), a11 = FloatVector.fromArray(S, dwt, wo + PW + L);
        FloatVector a20 = FloatVector.fromArray(S, dwt, wo + 2 * PW), a21 = FloatVector.fromArray(S, dwt, wo + 2 * PW + L);
        FloatVector a30 = FloatVector.fromArray(S, dwt, wo + 3 * PW), a31 = FloatVector.fromArray(S, dwt, wo + 3 * PW + L);
        FloatVector a40 = FloatVector.fromArray(S, dwt, wo + 4 * PW), a41 = FloatVector.fromArray(S, dwt, wo + 4 * PW + L);
        FloatVector a50 = FloatVector.fromArray(S, dwt, wo + 5 * PW), a51 = FloatVector.fromArray(S, dwt, wo + 5 * PW + L);
        FloatVector a60 = FloatVector.fromArray(S, dwt, wo + 6 * PW), a61 = FloatVector.fromArray(S, dwt, wo + 6 * PW + L);
        FloatVector a70 = FloatVector.fromArray(S, dwt, wo + 7 * PW), a71 = FloatVector.fromArray(S, dwt, wo + 7 * PW + L);
        for (int p = 0; p < np; p++) {
            int xi = xb[p] + xo;
            FloatVector d0 = FloatVector.fromArray(S, dyt, p * PW);
            FloatVector d1 = FloatVector.fromArray(S, dyt, p * PW + L);
            FloatVector b = FloatVector.broadcast(S, xp[xi]);
            a00 = b.fma(d0, a00); a01 = b.fma(d1, a01);
            b = FloatVector.broadcast(S, xp[xi + 1]);
            a10 = b.fma(d0, a10); a11 = b.fma(d1, a11);
            b = FloatVector.broadcast(S, xp[xi + 2]);
            a20 = b.fma(d0, a20); a21 = b.fma(d1, a21);
            b = FloatVector.broadcast(S, xp[xi + 3]);
            a30 = b.fma(d0, a30); a31 = b.fma(d1, a31);
            b = FloatVector.broadcast(S, xp[xi + 4]);
            a40 = b.fma(d0, a40); a41 = b.fma(d1, a41);
            b = FloatVector.broadcast(S, xp[xi + 5]);
            a50 = b.fma(d0, a50); a51 = b.fma(d1, a51);
            b = FloatVector.broadcast(S, xp[xi + 6]);
            a60 = b.fma(d0, a60); a61 = b.fma(d1, a61);
            b = FloatVector.broadcast(S, xp[xi + 7]);
            a70 = b.fma(d0, a70); a71 = b.fma(d1, a71);
        }
        a00.intoArray(dwt, wo); a01.intoArray(dwt, wo + L);
        a10.intoArray(dwt, wo + PW); a11.intoArray(dwt, wo + PW + L);
        a20.intoArray(dwt, wo + 2 * PW); a21.intoArray(dwt, wo + 2 * PW + L);
        a30.intoArray(dwt, wo + 3 * PW); a31.intoArray(dwt, wo + 3 * PW + L);
        a40.intoArray(dwt, wo + 4 * PW); a41.intoArray(dwt, wo + 4 * PW + L);
        a50.intoArray(dwt, wo + 5 * PW); a51.intoArray(dwt, wo + 5 * PW + L);
        a60.intoArray(dwt, wo + 6 * PW); a61.intoArray(dwt, wo + 6 * PW + L);
        a70.intoArray(dwt, wo + 7 * PW); a71.intoArray(dwt, wo + 7 * PW + L);
    }

    /** dwt rows (4 channels) x 2L columns += sum over the chunk's pixels of x[p, ci..ci+3] ⊗ dyt[p, :]. */
    private static void wtile4(float[] xp, int[] xb, int xo, float[] dyt, int np, float[] dwt, int wo) {
        FloatVector a00 = FloatVector.fromArray(S, dwt, wo), a01 = FloatVector.fromArray(S, dwt, wo + L);
        FloatVector a10 = FloatVector.fromArray(S, dwt, wo + PW), a11 = FloatVector.fromArray(S, dwt, wo + PW + L);
        FloatVector a20 = FloatVector.fromArray(S, dwt, wo + 2 * PW), a21 = FloatVector.fromArray(S, dwt, wo + 2 * PW + L);
        FloatVector a30 = FloatVector.fromArray(S, dwt, wo + 3 * PW), a31 = FloatVector.fromArray(S, dwt, wo + 3 * PW + L);
        for (int p = 0; p < np; p++) {
            int xi = xb[p] + xo;
            FloatVector d0 = FloatVector.fromArray(S, dyt, p * PW);
            FloatVector d1 = FloatVector.fromArray(S, dyt, p * PW + L);
            FloatVector b = FloatVector.broadcast(S, xp[xi]);
            a00 = b.fma(d0, a00); a01 = b.fma(d1, a01);
            b = FloatVector.broadcast(S, xp[xi + 1]);
            a10 = b.fma(d0, a10); a11 = b.fma(d1, a11);
            b = FloatVector.broadcast(S, xp[xi + 2]);
            a20 = b.fma(d0, a20); a21 = b.fma(d1, a21);
            b = FloatVector.broadcast(S, xp[xi + 3]);
            a30 = b.fma(d0, a30); a31 = b.fma(d1, a31);
        }
        a00.intoArray(dwt, wo); a01.intoArray(dwt, wo + L);
        a10.intoArray(dwt, wo + PW); a11.intoArray(dwt, wo + PW + L);
        a20.intoArray(dwt, wo + 2 * PW); a21.intoArray(dwt, wo + 2 * PW + L);
        a30.intoArray(dwt, wo + 3 * PW); a31.intoArray(dwt, wo + 3 * PW + L);
    }

    /** One channel row of {@link #wtile4} (channel tails). */
    private static void wtile1(float[] xp, int[] xb, int xo, float[] dyt, int np, float[] dwt, int wo) {
        FloatVector a0 = FloatVector.fromArray(S, dwt, wo), a1 = FloatVector.fromArray(S, dwt, wo + L);
        for (int p = 0; p < np; p++) {
            FloatVector b = FloatVector.broadcast(S, xp[xb[p] + xo]);
            a0 = b.fma(FloatVector.fromArray(S, dyt, p * PW), a0);
            a1 = b.fma(FloatVector.fromArray(S, dyt, p * PW + L), a1);
        }
        a0.intoArray(dwt, wo);
        a1.intoArray(dwt, wo + L);
    }

    // ---------------------------------------------------------------- bias gradient

    /** db[c] = sum_p dy[p, c], pixels in ascending order. dy [M, C]. */
    static void columnSums(int m, int c, float[] dy, int dyOff, float[] db, int dbOff) {
        Arrays.fill(db, dbOff, dbOff + c, 0f);
        int c0 = 0;
        for (; c0 + L <= c; c0 += L) {
            FloatVector acc = FloatVector.zero(S);
            for (int p = 0; p < m; p++) acc = acc.add(FloatVector.fromArray(S, dy, dyOff + p * c + c0));
            acc.intoArray(db, dbOff + c0);
        }
        for (; c0 < c; c0++) {
            float acc = 0f;
            for (int p = 0; p < m; p++) acc += dy[dyOff + p * c + c0];
            db[dbOff + c0] = acc;
        }
    }
}
