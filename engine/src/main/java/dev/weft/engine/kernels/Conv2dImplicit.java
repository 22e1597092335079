package dev.weft.engine.kernels;

/**
 * Convolution products on the packed GEMM whose im2col operand is never built: the GEMM asks for
 * blocks of it and they are packed straight from the input. Loaded only when
 * {@link VectorSupport#ENABLED} (it drives {@link GemmVector}).
 *
 * <p>Weight gradient: {@code dw [K, Cout] = col(x)^T [K, M] · dy [M, Cout]} (K = KH·KW·Cin, M =
 * N·OH·OW). Going through a stored im2col tile instead costs a 4 MB buffer per call and, worse,
 * packing its transpose reads the tile down its columns (one cache line per 8 floats, K·4 bytes
 * apart): that packing took 2.5x the time of the GEMM's own FMAs in a ResNet-18 step. Here a sliver
 * of MR rows of col^T, i.e. MR consecutive channels of one kernel tap, is MR contiguous floats of x
 * per pixel, read from x itself (9x smaller than col for a 3x3 kernel, so it stays in cache).
 */
final class Conv2dImplicit {
    private Conv2dImplicit() {}

    /** Weight gradient without the bias: x [N, H, W, Cin], dy [N, OH, OW, Cout] → dw [KH, KW, Cin, Cout] (overwritten). */
    static void backwardWeight(Conv2dSpec s, float[] x, int xOff, float[] dy, int dyOff, float[] dw, int dwOff) {
        int k = s.kh * s.kw * s.cin;
        int m = s.n * s.oh * s.ow;
        // dw [K, Cout] = col^T [K, M] · dy [M, Cout]: the GEMM's reduction runs over the pixels, in order
        GemmVector.sgemm(new TransposedIm2col(s, x, xOff), k, s.cout, m, dy, dyOff, s.cout, 0f, dw, dwOff, s.cout);
    }

    /** col(x)^T [K, M]: row kk = (ky, kx, ci), column p = output pixel (n, oy, ox); zero where the tap falls in the padding. */
    static final class TransposedIm2col implements GemmVector.PackedA {
        private static final int MR = GemmVector.MR;
        /** Per-thread pixel coordinates of the block being packed. */
        private static final ThreadLocal<int[]> COORDS = ThreadLocal.withInitial(() -> new int[3 * GemmVector.PACKED_KC]);

        private final Conv2dSpec s;
        private final float[] x;
        private final int xOff;

        TransposedIm2col(Conv2dSpec s, float[] x, int xOff) {
            this.s = s;
            this.x = x;
            this.xOff = xOff;
        }

        @Override
        public void pack(int i0, int mc, int pc, int kc, float[] dst) {
            int[] coords = COORDS.get();
            if (coords.length < 3 * kc) COORDS.set(coords = new int[3 * kc]);
            // for each pixel of the block: first input row and column of its window, and its image's first row
            int ohw = s.oh * s.ow;
            for (int p = 0; p < kc; p++) {
                int pixel = pc + p, n = pixel / ohw, r = pixel - n * ohw, oy = r / s.ow, ox = r - oy * s.ow;
                coords[3 * p] = oy * s.sh - s.padTop;
                coords[3 * p + 1] = ox * s.sw - s.padLeft;
                coords[3 * p + 2] = n * s.h;
            }
            for (int sl = 0; sl * MR < mc; sl++) {
                int row0 = i0 + sl * MR, rows = Math.min(MR, mc - sl * MR), base = sl * kc * MR;
                int tap = row0 / s.cin, ci = row0 - tap * s.cin;
                if (rows == MR && ci + MR <= s.cin) packOneTap(tap, ci, kc, coords, dst, base);
                else packGeneral(row0, rows, kc, coords, dst, base);
            }
        }

        /** The sliver's MR rows are channels ci..ci+MR-1 of one tap: MR contiguous floats of x per pixel. */
        private void packOneTap(int tap, int ci, int kc, int[] coords, float[] dst, int base) {
            int ky = tap / s.kw, kx = tap - ky * s.kw;
            int dy = ky * s.dh, dx = kx * s.dw;
            for (int p = 0, d = base; p < kc; p++, d += MR) {
                int iy = coords[3 * p] + dy, ix = coords[3 * p + 1] + dx;
                if (iy < 0 || iy >= s.h || ix < 0 || ix >= s.w) {
                    for (int r = 0; r < MR; r++) dst[d + r] = 0f;
                } else {
                    int src = xOff + ((coords[3 * p + 2] + iy) * s.w + ix) * s.cin + ci;
                    System.arraycopy(x, src, dst, d, MR);
                }
            }
        }

        /** Any sliver: rows may straddle taps (Cin not a multiple of MR) or run past the matrix (zeros). */
        private void packGeneral(int row0, int rows, int kc, int[] coords, float[] dst, int base) {
            for (int r = 0; r < MR; r++) {
                if (r >= rows) {
                    for (int p = 0; p < kc; p++) dst[base + p * MR + r] = 0f;
                    continue;
                }
                int row = row0 + r, tap = row / s.cin, ci = row - tap * s.cin;
                int ky = tap / s.kw, kx = tap - ky * s.kw;
                for (int p = 0; p < kc; p++) {
                    int iy = coords[3 * p] + ky * s.dh, ix = coords[3 * p + 1] + kx * s.dw;
                    boolean inside = iy >= 0 && iy < s.h && ix >= 0 && ix < s.w;
                    dst[base + p * MR + r] = inside ? x[xOff + ((coords[3 * p + 2] + iy) * s.w + ix) * s.cin + ci] : 0f;
                }
            }
        }
    }
}
