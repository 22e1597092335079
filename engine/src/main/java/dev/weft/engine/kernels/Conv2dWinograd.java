package dev.weft.engine.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Winograd F(2x2, 3x3) for 3x3, stride-1, undilated convolutions on the Vector API (Lavin &amp; Gray,
 * "Fast Algorithms for Convolutional Neural Networks", 2016). Loaded only when
 * {@link VectorSupport#ENABLED}.
 *
 * <p>Each 2x2 block of output pixels (a "tile") is computed from the 4x4 input patch under it with 16
 * multiplies per (input channel, output channel) pair instead of 36:
 * <pre>
 *   Y = A^T [ (G g G^T) ⊙ (B^T d B) ] A        g: 3x3 kernel, d: 4x4 input patch, Y: 2x2 output
 * </pre>
 * With channels the elementwise product becomes 16 independent products of channel matrices:
 * <pre>
 *   U[e] [Cin, Cout] = (G g G^T)[e]    kernel transform, once per call
 *   V[e] [T, Cin]    = (B^T d B)[e]    input transform of T tiles
 *   M[e] [T, Cout]   = V[e] · U[e]     16 GEMMs, e = 0..15 (the 4x4 positions)
 *   y                = A^T M A         output transform, + bias
 * </pre>
 * so the multiply-adds drop by 36/16 = 2.25x; the transforms are additions only. All three
 * transforms run on channel vectors (channels-last keeps them contiguous). Work is split into tasks of
 * {@link #tilesPerBlock} tiles (and, when there are few tiles, groups of output-channel panels); each
 * task transforms its tiles into a per-thread V block, runs the 16 GEMMs with 8 (or 4) tiles x 2
 * vectors register tiles reading V in place, and transforms its M block into y. Every output is summed
 * in the same order whatever the split, so results do not depend on the thread count.
 *
 * <p>Rounding: the transforms use the exact factors 1 and 1/2, so the error stays close to the direct
 * sum's (measured against the double-precision reference in Conv2dTest).
 */
final class Conv2dWinograd {
    private Conv2dWinograd() {}

    // the GEMM's vector shape: the products run on its in-place micro-kernels
    private static final VectorSpecies<Float> S = GemmVector.SPECIES;
    private static final int L = GemmVector.L;
    /** Panel width of the transformed kernel: two vectors of output channels. */
    private static final int PW = GemmVector.NR;
    /** Tiles per register tile: 8 with 32 vector registers, 4 with 16. */
    private static final int MR = GemmVector.MR == 4 ? 4 : 8;
    /** Positions of a transformed 4x4 tile. */
    private static final int E = 16;
    /** With fewer tile blocks than this, the output-channel panels are split between tasks too (small batches). */
    private static final int MIN_TASKS = 8;
    /**
     * Floats of one V[e] block (tiles x Cin) a task aims for, so it stays in L2 next to a kernel panel:
     * 128 tiles at 128 channels, 32 at 512. 4096-32768 are within ±3 % on 64-256 channels; 512ch@4x4
     * gains ~7 % at 32768, 64K and up lose 10-40 % everywhere (in-JVM interleaved A/B, bench/CONV.md).
     */
    static final int BLOCK_FLOATS = Integer.getInteger("weft.conv.winogradBlock", 16384);
    /** Fewest input and output channels for which the transforms pay off (see bench/CONV.md). */
    static final int MIN_CHANNELS = Integer.getInteger("weft.conv.winogradMinChannels", 64);
    /**
     * Fewest tiles (over the batch) per call: the kernel transform costs ~Cin·Cout per call whatever the
     * batch. With 64 tiles (512ch@2x2 batch 64, 512ch@4x4 batch 16) direct is 10-40 % faster; at 128
     * they are even (256ch@4x4 batch 32) or Winograd is ahead (512ch@4x4 batch 32: +20 %).
     */
    static final int MIN_TILES = Integer.getInteger("weft.conv.winogradMinTiles", 128);

    /** Whether s is a convolution this kernel computes, and one where it is measured to win. */
    static boolean suits(Conv2dSpec s) {
        return applies(s) && s.cin >= MIN_CHANNELS && s.cout >= MIN_CHANNELS && tiles(s) >= MIN_TILES;
    }

    /** Fewest input and output channels for the weight gradient (64ch@30x30: direct 260 vs 180 GFLOP/s at 2 threads). */
    static final int MIN_WEIGHT_CHANNELS = Integer.getInteger("weft.conv.winogradMinWeightChannels", 128);
    /** Fewest tiles for the weight gradient: its 4x4 → 3x3 back-transform is cheaper than the forward's kernel transform. */
    static final int MIN_WEIGHT_TILES = Integer.getInteger("weft.conv.winogradMinWeightTiles", 32);

    /** Whether the weight gradient of s runs here: measured faster than the direct and implicit-GEMM kernels. */
    static boolean suitsWeightGradient(Conv2dSpec s) {
        return applies(s) && s.cin >= MIN_WEIGHT_CHANNELS && s.cout >= MIN_WEIGHT_CHANNELS && tiles(s) >= MIN_WEIGHT_TILES;
    }

    /** 3x3, stride 1, no dilation, channel counts whole vectors: the shapes this kernel can compute. */
    static boolean applies(Conv2dSpec s) {
        return s.kh == 3 && s.kw == 3 && s.sh == 1 && s.sw == 1 && s.dh == 1 && s.dw == 1
                && s.cin % L == 0 && s.cout % L == 0;
    }

    /** Output tiles over the batch: N · ceil(OH/2) · ceil(OW/2). */
    static long tiles(Conv2dSpec s) {
        return (long) s.n * ((s.oh + 1) / 2) * ((s.ow + 1) / 2);
    }

    /** Tiles per task: about {@link #BLOCK_FLOATS} / Cin, a multiple of MR. */
    static int tilesPerBlock(int cin) {
        return Math.max(MR, BLOCK_FLOATS / cin / MR * MR);
    }

    /** Forward: y [N, OH, OW, Cout] = conv(x, w) + bias, w [3, 3, Cin, Cout]. */
    static void forward(Conv2dSpec s, float[] x, int xOff, float[] w, int wOff, float[] bias, int bOff,
                        float[] y, int yOff) {
        forward(s, x, xOff, w, wOff, bias, bOff, y, yOff, false);
    }

    /** {@link #forward}, then max(y, 0) when relu, block by block. */
    static void forward(Conv2dSpec s, float[] x, int xOff, float[] w, int wOff, float[] bias, int bOff,
                        float[] y, int yOff, boolean relu) {
        run(s, x, xOff, transformKernel(w, wOff, s.cin, s.cout), bias, bOff, y, yOff, relu);
    }

    /**
     * The stride-1 input gradient as a forward convolution t (dy → dx, see
     * {@link Conv2d#backwardInputAsForward}) of the flipped, channel-transposed kernel; w is the
     * original kernel [3, 3, t.cout, t.cin].
     */
    static void backwardInputAsForward(Conv2dSpec t, float[] dy, int dyOff, float[] w, int wOff, float[] dx, int dxOff) {
        int taps = 9, tapSize = t.cin * t.cout;
        float[] wt = FLIPPED.get(taps * tapSize);
        // wt [3, 3, t.cin, t.cout] = w [2-ky, 2-kx, :, :]^T; flipping both spatial axes reverses the taps
        Parallel.forEach(taps, tap -> Conv2dGemm.transposeInto(w, wOff + (taps - 1 - tap) * tapSize, t.cout, t.cin, wt, tap * tapSize));
        run(t, dy, dyOff, transformKernel(wt, 0, t.cin, t.cout), null, 0, dx, dxOff, false);
    }

    private static final ThreadScratch FLIPPED = new ThreadScratch(), KERNEL = new ThreadScratch();
    private static final ThreadScratch V_BLOCK = new ThreadScratch(), M_BLOCK = new ThreadScratch();

    // ---------------------------------------------------------------- kernel transform

    /**
     * u[e][j][ci][PW] = (G g G^T)[e] for g = w[:, :, ci, j·PW + c], zero past Cout; w [3, 3, Cin, Cout].
     * G = [[1, 0, 0], [1/2, 1/2, 1/2], [1/2, -1/2, 1/2], [0, 0, 1]].
     */
    static float[] transformKernel(float[] w, int wOff, int cin, int cout) {
        int panels = (cout + PW - 1) / PW;
        int panelSize = cin * PW;
        float[] u = KERNEL.get(E * panels * panelSize);
        int vectors = cout / L, tap = cin * cout;
        int chunk = 16;
        Parallel.forEach((cin + chunk - 1) / chunk, task -> {
            int ci1 = Math.min(cin, task * chunk + chunk);
            FloatVector half = FloatVector.broadcast(S, 0.5f);
            for (int ci = task * chunk; ci < ci1; ci++) {
                if (cout % PW != 0) { // the last panel's upper half is padding
                    for (int e = 0; e < E; e++) {
                        int d = (e * panels + panels - 1) * panelSize + ci * PW + L;
                        Arrays.fill(u, d, d + L, 0f);
                    }
                }
                for (int v = 0; v < vectors; v++) {
                    int src = wOff + ci * cout + v * L;
                    int dst = (v * L / PW) * panelSize + ci * PW + (v * L) % PW;
                    int es = panels * panelSize; // stride between positions e
                    // rows: t[r][kx] = (G g)[r][kx]
                    FloatVector g00 = FloatVector.fromArray(S, w, src), g01 = FloatVector.fromArray(S, w, src + tap),
                            g02 = FloatVector.fromArray(S, w, src + 2 * tap);
                    FloatVector g10 = FloatVector.fromArray(S, w, src + 3 * tap), g11 = FloatVector.fromArray(S, w, src + 4 * tap),
                            g12 = FloatVector.fromArray(S, w, src + 5 * tap);
                    FloatVector g20 = FloatVector.fromArray(S, w, src + 6 * tap), g21 = FloatVector.fromArray(S, w, src + 7 * tap),
                            g22 = FloatVector.fromArray(S, w, src + 8 * tap);
                    FloatVector t10 = g00.add(g10).add(g20).mul(half), t20 = g00.sub(g10).add(g20).mul(half);
                    FloatVector t11 = g01.add(g11).add(g21).mul(half), t21 = g01.sub(g11).add(g21).mul(half);
                    FloatVector t12 = g02.add(g12).add(g22).mul(half), t22 = g02.sub(g12).add(g22).mul(half);
                    // columns: u[r][c] = (t G^T)[r][c] = t[r][0], (t[r][0] + t[r][1] + t[r][2])/2,
                    // (t[r][0] - t[r][1] + t[r][2])/2, t[r][2]; rows r = g0x, t1x, t2x, g2x
                    // (written out: a helper taking vectors was not always inlined, and then boxed them)
                    g00.intoArray(u, dst); g00.add(g01).add(g02).mul(half).intoArray(u, dst + es);
                    g00.sub(g01).add(g02).mul(half).intoArray(u, dst + 2 * es); g02.intoArray(u, dst + 3 * es);
                    t10.intoArray(u, dst + 4 * es); t10.add(t11).add(t12).mul(half).intoArray(u, dst + 5 * es);
                    t10.sub(t11).add(t12).mul(half).intoArray(u, dst + 6 * es); t12.intoArray(u, dst + 7 * es);
                    t20.intoArray(u, dst + 8 * es); t20.add(t21).add(t22).mul(half).intoArray(u, dst + 9 * es);
                    t20.sub(t21).add(t22).mul(half).intoArray(u, dst + 10 * es); t22.intoArray(u, dst + 11 * es);
                    g20.intoArray(u, dst + 12 * es); g20.add(g21).add(g22).mul(half).intoArray(u, dst + 13 * es);
                    g20.sub(g21).add(g22).mul(half).intoArray(u, dst + 14 * es); g22.intoArray(u, dst + 15 * es);
                }
            }
        });
        return u;
    }

    // ---------------------------------------------------------------- tiles

    private static void run(Conv2dSpec s, float[] x, int xOff, float[] u, float[] bias, int bOff, float[] y, int yOff,
                            boolean relu) {
        int th = (s.oh + 1) / 2, tw = (s.ow + 1) / 2, hp = 2 * th + 2, wp = 2 * tw + 2;
        float[] xp = pad(s, x, xOff);
        int tiles = s.n * th * tw;
        int tb = tilesPerBlock(s.cin);
        int blocks = (tiles + tb - 1) / tb;
        int panels = (s.cout + PW - 1) / PW;
        int groups = Math.min(panels, Math.max(1, (MIN_TASKS + blocks - 1) / blocks));
        int panelsPerGroup = (panels + groups - 1) / groups;
        int g = (panels + panelsPerGroup - 1) / panelsPerGroup;
        Parallel.forEach(blocks * g, task -> {
            int block = task / g, j0 = (task % g) * panelsPerGroup, j1 = Math.min(panels, j0 + panelsPerGroup);
            int t0 = block * tb, nt = Math.min(tiles, t0 + tb) - t0;
            int rows = (nt + MR - 1) / MR * MR; // V and M rows, padded to whole register tiles
            int ms = (j1 - j0) * PW;            // row stride of the M block
            float[] v = V_BLOCK.get(E * rows * s.cin);
            float[] m = M_BLOCK.get(E * rows * ms);
            transformInput(s, xp, hp, wp, th, tw, t0, nt, v, 0, rows);
            for (int e = 0; e < E; e++) Arrays.fill(v, (e * rows + nt) * s.cin, (e + 1) * rows * s.cin, 0f);
            multiply(s.cin, panels, j0, j1, rows, v, u, m, ms);
            int co0 = j0 * PW, co1 = Math.min(s.cout, j1 * PW);
            transformOutput(s, th, tw, t0, nt, rows, co0, co1, m, ms, bias, bOff, y, yOff);
            if (relu) reluTiles(s, th, tw, t0, nt, co0, co1, y, yOff);   // while the block is still in cache
        });
    }

    /** y = max(y, 0) over the pixels of tiles [t0, t0 + nt), channels [co0, co1). */
    private static void reluTiles(Conv2dSpec s, int th, int tw, int t0, int nt, int co0, int co1, float[] y, int yOff) {
        for (int t = t0; t < t0 + nt; t++) {
            int n = t / (th * tw), r = t % (th * tw), oy = 2 * (r / tw), ox = 2 * (r % tw);
            int pixels = Math.min(s.ow, ox + 2) - ox;                   // 1 or 2 on a row
            for (int py = oy; py < Math.min(s.oh, oy + 2); py++) {
                int row = yOff + ((n * s.oh + py) * s.ow + ox) * s.cout;
                if (co1 - co0 == s.cout) {                                   // the row's pixels are contiguous
                    ElementwiseKernels.unary(ElementwiseKernels.Un.RELU, y, row, 1, y, row, pixels * s.cout, 0f);
                } else {
                    for (int px = 0; px < pixels; px++) {
                        int o = row + px * s.cout + co0;
                        ElementwiseKernels.unary(ElementwiseKernels.Un.RELU, y, o, 1, y, o, co1 - co0, 0f);
                    }
                }
            }
        }
    }

    /**
     * x zero-padded so every tile's 4x4 patch is in range: [N, 2·TH + 2, 2·TW + 2, Cin] with the input
     * at (padTop, padLeft), TH = ceil(OH/2), TW = ceil(OW/2).
     */
    private static float[] pad(Conv2dSpec s, float[] x, int xOff) {
        int hp = 2 * ((s.oh + 1) / 2) + 2, wp = 2 * ((s.ow + 1) / 2) + 2;
        Conv2dSpec padded = Conv2dSpec.explicit(s.n, s.h, s.w, s.cin, 3, 3, s.cout, 1, 1, 1, 1,
                s.padTop, hp - s.h - s.padTop, s.padLeft, wp - s.w - s.padLeft);
        return Conv2dVector.pad(padded, x, xOff);
    }

    /**
     * v[e][row0 + i][ci] = (B^T d B)[e] for the 4x4 patch d of tile t0 + i, i < nt, with
     * B^T = [[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]]. xp [N, Hp, Wp, Cin], v [E][rows][Cin].
     */
    private static void transformInput(Conv2dSpec s, float[] xp, int hp, int wp, int th, int tw, int t0, int nt,
                                       float[] v, int row0, int rows) {
        int cin = s.cin, es = rows * cin, rs = wp * cin;
        for (int i = 0; i < nt; i++) {
            int t = t0 + i, n = t / (th * tw), r = t % (th * tw), ty = r / tw, tx = r % tw;
            int base = ((n * hp + 2 * ty) * wp + 2 * tx) * cin;
            for (int ci = 0; ci < cin; ci += L) {
                int d = (row0 + i) * cin + ci;
                // columns c: t[r][c] = (B^T d)[r][c]
                int p = base + ci;
                FloatVector d00 = FloatVector.fromArray(S, xp, p), d10 = FloatVector.fromArray(S, xp, p + rs),
                        d20 = FloatVector.fromArray(S, xp, p + 2 * rs), d30 = FloatVector.fromArray(S, xp, p + 3 * rs);
                FloatVector a0 = d00.sub(d20), b0 = d10.add(d20), c0 = d20.sub(d10), e0 = d10.sub(d30);
                p += cin;
                FloatVector d01 = FloatVector.fromArray(S, xp, p), d11 = FloatVector.fromArray(S, xp, p + rs),
                        d21 = FloatVector.fromArray(S, xp, p + 2 * rs), d31 = FloatVector.fromArray(S, xp, p + 3 * rs);
                FloatVector a1 = d01.sub(d21), b1 = d11.add(d21), c1 = d21.sub(d11), e1 = d11.sub(d31);
                p += cin;
                FloatVector d02 = FloatVector.fromArray(S, xp, p), d12 = FloatVector.fromArray(S, xp, p + rs),
                        d22 = FloatVector.fromArray(S, xp, p + 2 * rs), d32 = FloatVector.fromArray(S, xp, p + 3 * rs);
                FloatVector a2 = d02.sub(d22), b2 = d12.add(d22), c2 = d22.sub(d12), e2 = d12.sub(d32);
                p += cin;
                FloatVector d03 = FloatVector.fromArray(S, xp, p), d13 = FloatVector.fromArray(S, xp, p + rs),
                        d23 = FloatVector.fromArray(S, xp, p + 2 * rs), d33 = FloatVector.fromArray(S, xp, p + 3 * rs);
                FloatVector a3 = d03.sub(d23), b3 = d13.add(d23), c3 = d23.sub(d13), e3 = d13.sub(d33);
                // rows: v[r][c] = (t B)[r][c] = t[r][0] - t[r][2], t[r][1] + t[r][2], t[r][2] - t[r][1], t[r][1] - t[r][3].
                // Written out rather than in a helper taking vectors: C2 did not always inline it, and then boxed them.
                a0.sub(a2).intoArray(v, d); a1.add(a2).intoArray(v, d + es);
                a2.sub(a1).intoArray(v, d + 2 * es); a1.sub(a3).intoArray(v, d + 3 * es);
                b0.sub(b2).intoArray(v, d + 4 * es); b1.add(b2).intoArray(v, d + 5 * es);
                b2.sub(b1).intoArray(v, d + 6 * es); b1.sub(b3).intoArray(v, d + 7 * es);
                c0.sub(c2).intoArray(v, d + 8 * es); c1.add(c2).intoArray(v, d + 9 * es);
                c2.sub(c1).intoArray(v, d + 10 * es); c1.sub(c3).intoArray(v, d + 11 * es);
                e0.sub(e2).intoArray(v, d + 12 * es); e1.add(e2).intoArray(v, d + 13 * es);
                e2.sub(e1).intoArray(v, d + 14 * es); e1.sub(e3).intoArray(v, d + 15 * es);
            }
        }
    }

    /** m[e][i][(j - j0)·PW + c] = sum over ci of v[e][i][ci] · u[e][j][ci][c], for panels j in [j0, j1). */
    private static void multiply(int cin, int panels, int j0, int j1, int rows, float[] v, float[] u, float[] m, int ms) {
        int panelSize = cin * PW;
        for (int e = 0; e < E; e++) {
            for (int j = j0; j < j1; j++) {
                int ub = (e * panels + j) * panelSize;
                for (int i = 0; i < rows; i += MR) {
                    int vb = (e * rows + i) * cin, mb = (e * rows + i) * ms + (j - j0) * PW;
                    if (MR == 8) GemmVector.kernel8Direct(cin, v, vb, cin, MR, u, ub, m, mb, ms);
                    else GemmVector.kernel4Direct(cin, v, vb, cin, MR, u, ub, m, mb, ms);
                }
            }
        }
    }

    /**
     * y[2x2 pixels of tile t0 + i, co0:co1] = (A^T m A) + bias, clipped at the image's edge, with
     * A^T = [[1, 1, 1, 0], [0, 1, -1, -1]]. m [E][rows][ms], column 0 = output channel co0.
     */
    private static void transformOutput(Conv2dSpec s, int th, int tw, int t0, int nt, int rows, int co0, int co1,
                                        float[] m, int ms, float[] bias, int bOff, float[] y, int yOff) {
        int es = rows * ms, cout = s.cout;
        for (int i = 0; i < nt; i++) {
            int t = t0 + i, n = t / (th * tw), r = t % (th * tw), oy = 2 * (r / tw), ox = 2 * (r % tw);
            boolean down = oy + 1 < s.oh, right = ox + 1 < s.ow;
            int y00 = yOff + ((n * s.oh + oy) * s.ow + ox) * cout, y10 = y00 + s.ow * cout;
            for (int co = co0; co < co1; co += L) {
                int p = i * ms + co - co0;
                // s0[c] = m0c + m1c + m2c, s1[c] = m1c - m2c - m3c for the four columns c
                FloatVector m00 = FloatVector.fromArray(S, m, p), m10 = FloatVector.fromArray(S, m, p + 4 * es),
                        m20 = FloatVector.fromArray(S, m, p + 8 * es), m30 = FloatVector.fromArray(S, m, p + 12 * es);
                FloatVector s00 = m00.add(m10).add(m20), s10 = m10.sub(m20).sub(m30);
                FloatVector m01 = FloatVector.fromArray(S, m, p + es), m11 = FloatVector.fromArray(S, m, p + 5 * es),
                        m21 = FloatVector.fromArray(S, m, p + 9 * es), m31 = FloatVector.fromArray(S, m, p + 13 * es);
                FloatVector s01 = m01.add(m11).add(m21), s11 = m11.sub(m21).sub(m31);
                FloatVector m02 = FloatVector.fromArray(S, m, p + 2 * es), m12 = FloatVector.fromArray(S, m, p + 6 * es),
                        m22 = FloatVector.fromArray(S, m, p + 10 * es), m32 = FloatVector.fromArray(S, m, p + 14 * es);
                FloatVector s02 = m02.add(m12).add(m22), s12 = m12.sub(m22).sub(m32);
                FloatVector m03 = FloatVector.fromArray(S, m, p + 3 * es), m13 = FloatVector.fromArray(S, m, p + 7 * es),
                        m23 = FloatVector.fromArray(S, m, p + 11 * es), m33 = FloatVector.fromArray(S, m, p + 15 * es);
                FloatVector s03 = m03.add(m13).add(m23), s13 = m13.sub(m23).sub(m33);
                FloatVector b = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, bOff + co);
                s00.add(s01).add(s02).add(b).intoArray(y, y00 + co);
                if (right) s01.sub(s02).sub(s03).add(b).intoArray(y, y00 + cout + co);
                if (down) {
                    s10.add(s11).add(s12).add(b).intoArray(y, y10 + co);
                    if (right) s11.sub(s12).sub(s13).add(b).intoArray(y, y10 + cout + co);
                }
            }
        }
    }

    // ---------------------------------------------------------------- weight gradient

    /**
     * Tiles per weight-gradient chunk: V and the transformed dy of a chunk, 16·tiles·(Cin + Cout)
     * floats, stay within about {@link #CHUNK_FLOATS} (4M: one chunk of 256 tiles at 512 channels, 512
     * at 256). Fixed by the shape, so the sum over chunks runs in the same order for any thread count.
     * 512ch@4x4 dw: 1M / 2M / 4M 194 / 238 / 269 GFLOP/s at 1 thread, 363 / 447 / 511 at 2; 128 and 256
     * channels within ±5 % from 2M up (in-JVM interleaved A/B, bench/CONV.md).
     */
    static final int CHUNK_FLOATS = Integer.getInteger("weft.conv.winogradChunk", 1 << 22);

    /**
     * Weight gradient, dw [3, 3, Cin, Cout] = sum over tiles of G^T [(B^T d B) ⊙ (A δ A^T)] G, δ the 2x2
     * block of dy over the tile (zero past the image's edge), d the 4x4 input patch under it: the
     * transpose of the forward's bilinear form, again 16 products per channel pair instead of 36. Per
     * chunk of tiles, the 16 positions' products V[e]^T · D[e] [Cin, Cout] are summed over the tiles by
     * the GEMM (one position per task), accumulated over the chunks in order, and transformed back.
     */
    static void backwardWeight(Conv2dSpec s, float[] x, int xOff, float[] dy, int dyOff, float[] dw, int dwOff) {
        backwardWeight(s, x, xOff, dy, dyOff, dw, dwOff, Math.max(MR, CHUNK_FLOATS / (E * (s.cin + s.cout))));
    }

    /** {@link #backwardWeight} with chunks of the given number of tiles (tests use small ones). */
    static void backwardWeight(Conv2dSpec s, float[] x, int xOff, float[] dy, int dyOff, float[] dw, int dwOff, int chunk) {
        int th = (s.oh + 1) / 2, tw = (s.ow + 1) / 2, hp = 2 * th + 2, wp = 2 * tw + 2;
        float[] xp = pad(s, x, xOff);
        int cin = s.cin, cout = s.cout, tiles = s.n * th * tw;
        float[] v = DW_V.get(E * chunk * cin), d = DW_D.get(E * chunk * cout);
        float[] acc = DW_ACC.get(E * cin * cout);
        for (int c0 = 0; c0 < tiles; c0 += chunk) {
            final int t0 = c0, nt = Math.min(chunk, tiles - c0);
            int sub = 16; // tiles per transform task
            Parallel.forEach((nt + sub - 1) / sub, task -> {
                int i0 = task * sub, count = Math.min(nt, i0 + sub) - i0;
                transformInput(s, xp, hp, wp, th, tw, t0 + i0, count, v, i0, nt);
                transformGradient(s, dy, dyOff, th, tw, t0 + i0, count, d, i0, nt);
            });
            float beta = c0 == 0 ? 0f : 1f;
            // acc[e] [Cin, Cout] (+)= V[e]^T [Cin, nt] · D[e] [nt, Cout]; each GEMM single-threaded inside the task
            Parallel.forEach(E, e -> GemmVector.sgemm(true, false, cin, cout, nt, 1f, v, e * nt * cin, cin,
                    d, e * nt * cout, cout, beta, acc, e * cin * cout, cout));
        }
        untransformWeight(acc, cin, cout, dw, dwOff);
    }

    private static final ThreadScratch DW_V = new ThreadScratch(), DW_D = new ThreadScratch(), DW_ACC = new ThreadScratch();

    /**
     * dd[e][row0 + i][co] = (A δ A^T)[e] for the 2x2 block δ of dy over tile t0 + i (zero past OH/OW),
     * A^T = [[1, 1, 1, 0], [0, 1, -1, -1]]. dd [E][rows][Cout].
     */
    private static void transformGradient(Conv2dSpec s, float[] dy, int dyOff, int th, int tw, int t0, int nt,
                                          float[] dd, int row0, int rows) {
        int cout = s.cout, es = rows * cout;
        FloatVector zero = FloatVector.zero(S);
        for (int i = 0; i < nt; i++) {
            int t = t0 + i, n = t / (th * tw), r = t % (th * tw), oy = 2 * (r / tw), ox = 2 * (r % tw);
            boolean down = oy + 1 < s.oh, right = ox + 1 < s.ow;
            int p00 = dyOff + ((n * s.oh + oy) * s.ow + ox) * cout, p10 = p00 + s.ow * cout;
            for (int co = 0; co < cout; co += L) {
                FloatVector a = FloatVector.fromArray(S, dy, p00 + co);
                FloatVector b = right ? FloatVector.fromArray(S, dy, p00 + cout + co) : zero;
                FloatVector c = down ? FloatVector.fromArray(S, dy, p10 + co) : zero;
                FloatVector e = down && right ? FloatVector.fromArray(S, dy, p10 + cout + co) : zero;
                // rows of A δ: δ0x, δ0x + δ1x, δ0x - δ1x, -δ1x (x = column)
                // then each row [p, q] times A^T: p, p + q, p - q, -q (written out, see transformInput)
                int o = (row0 + i) * cout + co;
                FloatVector p1 = a.add(c), q1 = b.add(e), p2 = a.sub(c), q2 = b.sub(e);
                a.intoArray(dd, o); a.add(b).intoArray(dd, o + es); a.sub(b).intoArray(dd, o + 2 * es); b.neg().intoArray(dd, o + 3 * es);
                p1.intoArray(dd, o + 4 * es); p1.add(q1).intoArray(dd, o + 5 * es);
                p1.sub(q1).intoArray(dd, o + 6 * es); q1.neg().intoArray(dd, o + 7 * es);
                p2.intoArray(dd, o + 8 * es); p2.add(q2).intoArray(dd, o + 9 * es);
                p2.sub(q2).intoArray(dd, o + 10 * es); q2.neg().intoArray(dd, o + 11 * es);
                c.neg().intoArray(dd, o + 12 * es); e.add(c).neg().intoArray(dd, o + 13 * es);
                e.sub(c).intoArray(dd, o + 14 * es); e.intoArray(dd, o + 15 * es);
            }
        }
    }

    /** dw[ky, kx, ci, co] = (G^T acc[:, ci, co] G)[ky][kx]; acc [E][Cin][Cout] (4x4 → 3x3). */
    private static void untransformWeight(float[] acc, int cin, int cout, float[] dw, int dwOff) {
        int es = cin * cout, chunk = 16;
        Parallel.forEach((cin + chunk - 1) / chunk, task -> {
            FloatVector half = FloatVector.broadcast(S, 0.5f);
            int ci1 = Math.min(cin, task * chunk + chunk);
            for (int ci = task * chunk; ci < ci1; ci++) {
                for (int co = 0; co < cout; co += L) {
                    int p = ci * cout + co;
                    // h[r][k] = (acc[r] G)[k] for the 4 rows r, k = 0..2
                    FloatVector a0 = FloatVector.fromArray(S, acc, p), a1 = FloatVector.fromArray(S, acc, p + es),
                            a2 = FloatVector.fromArray(S, acc, p + 2 * es), a3 = FloatVector.fromArray(S, acc, p + 3 * es);
                    FloatVector s0 = a1.add(a2).mul(half), d0 = a1.sub(a2).mul(half);
                    FloatVector h00 = a0.add(s0), h01 = d0, h02 = s0.add(a3);
                    a0 = FloatVector.fromArray(S, acc, p + 4 * es); a1 = FloatVector.fromArray(S, acc, p + 5 * es);
                    a2 = FloatVector.fromArray(S, acc, p + 6 * es); a3 = FloatVector.fromArray(S, acc, p + 7 * es);
                    FloatVector s1 = a1.add(a2).mul(half), d1 = a1.sub(a2).mul(half);
                    FloatVector h10 = a0.add(s1), h11 = d1, h12 = s1.add(a3);
                    a0 = FloatVector.fromArray(S, acc, p + 8 * es); a1 = FloatVector.fromArray(S, acc, p + 9 * es);
                    a2 = FloatVector.fromArray(S, acc, p + 10 * es); a3 = FloatVector.fromArray(S, acc, p + 11 * es);
                    FloatVector s2 = a1.add(a2).mul(half), d2 = a1.sub(a2).mul(half);
                    FloatVector h20 = a0.add(s2), h21 = d2, h22 = s2.add(a3);
                    a0 = FloatVector.fromArray(S, acc, p + 12 * es); a1 = FloatVector.fromArray(S, acc, p + 13 * es);
                    a2 = FloatVector.fromArray(S, acc, p + 14 * es); a3 = FloatVector.fromArray(S, acc, p + 15 * es);
                    FloatVector s3 = a1.add(a2).mul(half), d3 = a1.sub(a2).mul(half);
                    FloatVector h30 = a0.add(s3), h31 = d3, h32 = s3.add(a3);
                    // dw[ky][k] = (G^T h)[ky]: h0 + (h1 + h2)/2, (h1 - h2)/2, (h1 + h2)/2 + h3
                    // (written out, see transformInput)
                    int tap = cin * cout, o = dwOff + p;
                    FloatVector m0 = h10.add(h20).mul(half), m1 = h11.add(h21).mul(half), m2 = h12.add(h22).mul(half);
                    h00.add(m0).intoArray(dw, o); h01.add(m1).intoArray(dw, o + tap); h02.add(m2).intoArray(dw, o + 2 * tap);
                    h10.sub(h20).mul(half).intoArray(dw, o + 3 * tap); h11.sub(h21).mul(half).intoArray(dw, o + 4 * tap);
                    h12.sub(h22).mul(half).intoArray(dw, o + 5 * tap);
                    m0.add(h30).intoArray(dw, o + 6 * tap); m1.add(h31).intoArray(dw, o + 7 * tap); m2.add(h32).intoArray(dw, o + 8 * tap);
                }
            }
        });
    }
}
