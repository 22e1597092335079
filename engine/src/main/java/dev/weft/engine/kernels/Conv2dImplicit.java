package dev.weft.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Convolution products on the packed GEMM whose im2col operand is never built: the GEMM asks for
 * slivers of it and they are packed straight from the input. Loaded only when
 * {@link VectorSupport#ENABLED} (it drives {@link GemmVector}).
 *
 * <p>Weight gradient, computed transposed: {@code dw^T [Cout, K] = dy^T [Cout, M] · col(x) [M, K]}
 * (K = KH·KW·Cin, M = N·OH·OW), then {@code dw [K, Cout]} by a blocked transpose. This way round x is
 * the GEMM's vector operand: a 2L-column sliver of col(x) is 2L contiguous channels of one tap, two
 * vector copies per pixel. The other way round ({@code col(x)^T · dy}) x is the broadcast operand and
 * its MR-row slivers are 8-float pieces gathered per pixel and per tap: that packing cost 40-70 % of the
 * FMAs' time (dw of 128ch@15x15 ~110 → ~155 GFLOP/s at 1 thread, bench/CONV.md). dy^T, the broadcast
 * operand now, is packed once per call ({@link PrepackedRows}), as it is 9x smaller than col(x)^T for
 * a 3x3 kernel and every task that shares its rows copies the same slivers.
 */
final class Conv2dImplicit {
    private Conv2dImplicit() {}

    /** Weight gradient without the bias: x [N, H, W, Cin], dy [N, OH, OW, Cout] → dw [KH, KW, Cin, Cout] (overwritten). */
    static void backwardWeight(Conv2dSpec s, float[] x, int xOff, float[] dy, int dyOff, float[] dw, int dwOff) {
        int k = s.kh * s.kw * s.cin;
        int m = s.n * s.oh * s.ow;
        // the GEMM's reduction runs over the pixels in order, in k blocks that do not depend on the threads
        float[] dwt = DWT.get(s.cout * k);
        GemmVector.sgemm(new PrepackedRows(dy, dyOff, m, s.cout), new Im2colColumns(s, x, xOff), s.cout, k, m, 0f, dwt, 0, k);
        transpose(dwt, s.cout, k, dw, dwOff);
    }

    /**
     * dy^T [Cout, M] packed once per call into the GEMM's MR-row slivers over all M ({@code [Cout/MR][M][MR]}),
     * so that every task's A block is a plain copy: packing it per task, 8 floats per pixel, cost as
     * much as the FMAs when the tasks were split by column.
     */
    static final class PrepackedRows implements GemmVector.PackedA {
        private static final int MR = GemmVector.MR;
        private static final ThreadScratch BUFFER = new ThreadScratch();
        private final float[] packed;
        private final int m;

        /** a [m, rows] row-major (dy [M, Cout]); this packs a^T [rows, m]. */
        PrepackedRows(float[] a, int aOff, int m, int rows) {
            this.m = m;
            int slivers = (rows + MR - 1) / MR;
            float[] dst = packed = BUFFER.get(slivers * m * MR);
            int chunk = 1024; // pixels per task
            Parallel.forEach((m + chunk - 1) / chunk, t -> {
                int p0 = t * chunk, p1 = Math.min(m, p0 + chunk);
                for (int p = p0; p < p1; p++) {
                    int src = aOff + p * rows;
                    for (int sl = 0; sl < slivers; sl++) {
                        int r0 = sl * MR, d = (sl * m + p) * MR;
                        if (r0 + MR <= rows) System.arraycopy(a, src + r0, dst, d, MR);
                        else for (int r = 0; r < MR; r++) dst[d + r] = r0 + r < rows ? a[src + r0 + r] : 0f;
                    }
                }
            });
        }

        @Override
        public void pack(int i0, int mc, int pc, int kc, float[] dst) {
            for (int sl = 0; sl * MR < mc; sl++) {
                System.arraycopy(packed, ((i0 / MR + sl) * m + pc) * MR, dst, sl * kc * MR, kc * MR);
            }
        }
    }

    /** Per-thread buffer for dw^T (512 channels: 9.4 MB). */
    private static final ThreadScratch DWT = new ThreadScratch();

    /** b[bOff + c·rows + r] = a[r·cols + c]: a [rows, cols] → b [cols, rows], in 16x16 blocks, parallel over column blocks. */
    static void transpose(float[] a, int rows, int cols, float[] b, int bOff) {
        int blocks = (cols + 15) / 16;
        Parallel.forEach(blocks, blk -> {
            int c0 = blk * 16, c1 = Math.min(cols, c0 + 16);
            for (int r0 = 0; r0 < rows; r0 += 16) {
                int r1 = Math.min(rows, r0 + 16);
                for (int r = r0; r < r1; r++)
                    for (int c = c0; c < c1; c++) b[bOff + c * rows + r] = a[r * cols + c];
            }
        });
    }

    /** col(x) [M, K]: row p = output pixel (n, oy, ox), column kk = (ky, kx, ci); zero where the tap falls in the padding. */
    static final class Im2colColumns implements GemmVector.PackedB {
        private static final int NR = GemmVector.NR, L = GemmVector.L;
        private static final VectorSpecies<Float> S = GemmVector.SPECIES;

        private final Conv2dSpec s;
        private final float[] x;
        private final int xOff;

        Im2colColumns(Conv2dSpec s, float[] x, int xOff) {
            this.s = s;
            this.x = x;
            this.xOff = xOff;
        }

        @Override
        public void pack(int pc, int kc, int j, int cols, float[] dst) {
            int tap = j / s.cin, ci = j - tap * s.cin;
            if (cols == NR && ci + NR <= s.cin) packOneTap(pc, kc, tap, ci, dst);
            else packGeneral(pc, kc, j, cols, dst);
        }

        /** The sliver's NR columns are channels ci..ci+NR-1 of one tap: NR contiguous floats of x per pixel. */
        private void packOneTap(int pc, int kc, int tap, int ci, float[] dst) {
            int ky = tap / s.kw, kx = tap - ky * s.kw;
            int ohw = s.oh * s.ow;
            int n = pc / ohw, r = pc - n * ohw, oy = r / s.ow, ox = r - oy * s.ow;
            for (int p = 0, d = 0; p < kc; p++, d += NR) {
                int iy = oy * s.sh - s.padTop + ky * s.dh, ix = ox * s.sw - s.padLeft + kx * s.dw;
                if (iy < 0 || iy >= s.h || ix < 0 || ix >= s.w) {
                    FloatVector.zero(S).intoArray(dst, d);
                    FloatVector.zero(S).intoArray(dst, d + L);
                } else {
                    int src = xOff + ((n * s.h + iy) * s.w + ix) * s.cin + ci;
                    FloatVector.fromArray(S, x, src).intoArray(dst, d);
                    FloatVector.fromArray(S, x, src + L).intoArray(dst, d + L);
                }
                if (++ox == s.ow) { // next pixel: walk (n, oy, ox) instead of dividing
                    ox = 0;
                    if (++oy == s.oh) { oy = 0; n++; }
                }
            }
        }

        /** Any sliver: columns may straddle taps (Cin not a multiple of NR) or run past the matrix (zeros). */
        private void packGeneral(int pc, int kc, int j, int cols, float[] dst) {
            int ohw = s.oh * s.ow;
            for (int col = 0; col < NR; col++) {
                if (col >= cols) {
                    for (int p = 0; p < kc; p++) dst[p * NR + col] = 0f;
                    continue;
                }
                int kk = j + col, tap = kk / s.cin, ci = kk - tap * s.cin;
                int ky = tap / s.kw, kx = tap - ky * s.kw;
                for (int p = 0; p < kc; p++) {
                    int pixel = pc + p, n = pixel / ohw, r = pixel - n * ohw, oy = r / s.ow, ox = r - oy * s.ow;
                    int iy = oy * s.sh - s.padTop + ky * s.dh, ix = ox * s.sw - s.padLeft + kx * s.dw;
                    boolean inside = iy >= 0 && iy < s.h && ix >= 0 && ix < s.w;
                    dst[p * NR + col] = inside ? x[xOff + ((n * s.h + iy) * s.w + ix) * s.cin + ci] : 0f;
                }
            }
        }
    }
}
