package dev.weft.engine.kernels;

import java.util.Arrays;

/**
 * The im2col + GEMM path of {@link Conv2d}, and its 1x1 special case. Works without the Vector API
 * (GEMM brings its own fallback).
 *
 * <p>The im2col matrix {@code col [M, K]} (M = N·OH·OW output pixels, K = KH·KW·Cin) is never
 * built whole: pixels are taken in tiles of at most {@link #TILE_FLOATS} / K rows, so the buffer
 * stays ≤ 4 MB whatever the batch. Tiles hold whole images when an image fits, else rows of one
 * image, so col2im (input gradient) can scatter image by image in parallel without races.
 */
final class Conv2dGemm {
    private Conv2dGemm() {}

    /** im2col tile budget in floats (4 MB). */
    static final int TILE_FLOATS = 1 << 20;

    static void forward(Conv2dSpec s, float[] x, int xOff, float[] w, int wOff, float[] bias, int bOff,
                        float[] y, int yOff) {
        forward(s, x, xOff, w, wOff, bias, bOff, y, yOff, false);
    }

    /** {@link #forward}, then max(y, 0) when relu (one in-place pass over y). */
    static void forward(Conv2dSpec s, float[] x, int xOff, float[] w, int wOff, float[] bias, int bOff,
                        float[] y, int yOff, boolean relu) {
        int k = s.kh * s.kw * s.cin;
        int m = s.n * s.oh * s.ow;
        if (Conv2d.isPointwise(s)) {
            // y [M, Cout] = x [M, Cin] · w [Cin, Cout]
            Gemm.sgemm(false, false, m, s.cout, k, 1f, x, xOff, s.cin, w, wOff, s.cout, 0f, y, yOff, s.cout);
        } else {
            float[] col = new float[tilePixels(s, k) * k];
            for (int p0 = 0; p0 < m; ) {
                int p1 = tileEnd(s, k, p0);
                im2col(s, x, xOff, p0, p1, col);
                // y[p0:p1, :] = col [p1-p0, K] · w [K, Cout]
                Gemm.sgemm(false, false, p1 - p0, s.cout, k, 1f, col, 0, k, w, wOff, s.cout, 0f, y, yOff + p0 * s.cout, s.cout);
                p0 = p1;
            }
        }
        if (bias != null) addBias(m, s.cout, bias, bOff, y, yOff);
        if (relu) ElementwiseKernels.unary(ElementwiseKernels.Un.RELU, y, yOff, 1, y, yOff, m * s.cout, 0f);
    }

    static void backwardInput(Conv2dSpec s, float[] dy, int dyOff, float[] w, int wOff, float[] dx, int dxOff) {
        int k = s.kh * s.kw * s.cin;
        int m = s.n * s.oh * s.ow;
        if (Conv2d.isPointwise(s)) {
            // dx [M, Cin] = dy [M, Cout] · w[Cin, Cout]^T
            Gemm.sgemm(false, true, m, s.cin, s.cout, 1f, dy, dyOff, s.cout, w, wOff, s.cout, 0f, dx, dxOff, s.cin);
            return;
        }
        Arrays.fill(dx, dxOff, dxOff + (int) s.inputSize(), 0f);
        float[] col = new float[tilePixels(s, k) * k];
        // wt [Cout, K] = w^T once, so every tile's GEMM packs a row-major B with vector copies
        // instead of transposing w again, element by element, for every block of rows
        float[] wt = transpose(w, wOff, k, s.cout);
        for (int p0 = 0; p0 < m; ) {
            int p1 = tileEnd(s, k, p0);
            // dcol [p1-p0, K] = dy[p0:p1, Cout] · wt [Cout, K]
            Gemm.sgemm(false, false, p1 - p0, k, s.cout, 1f, dy, dyOff + p0 * s.cout, s.cout, wt, 0, k, 0f, col, 0, k);
            col2im(s, col, p0, p1, dx, dxOff);
            p0 = p1;
        }
    }

    static void backwardWeight(Conv2dSpec s, float[] x, int xOff, float[] dy, int dyOff, float[] dw, int dwOff) {
        int k = s.kh * s.kw * s.cin;
        int m = s.n * s.oh * s.ow;
        if (Conv2d.isPointwise(s)) {
            // dw [Cin, Cout] = x [M, Cin]^T · dy [M, Cout]
            Gemm.sgemm(true, false, k, s.cout, m, 1f, x, xOff, s.cin, dy, dyOff, s.cout, 0f, dw, dwOff, s.cout);
            return;
        }
        float[] col = new float[tilePixels(s, k) * k];
        for (int p0 = 0; p0 < m; ) {
            int p1 = tileEnd(s, k, p0);
            im2col(s, x, xOff, p0, p1, col);
            // dw [K, Cout] (+)= col [p1-p0, K]^T · dy[p0:p1, Cout]; tiles summed in order
            Gemm.sgemm(true, false, k, s.cout, p1 - p0, 1f, col, 0, k, dy, dyOff + p0 * s.cout, s.cout,
                    p0 == 0 ? 0f : 1f, dw, dwOff, s.cout);
            p0 = p1;
        }
    }

    /** at [cols, rows] = a [rows, cols]^T, in 16x16 blocks so both sides stay in cache. */
    static float[] transpose(float[] a, int aOff, int rows, int cols) {
        float[] at = new float[rows * cols];
        transposeInto(a, aOff, rows, cols, at, 0);
        return at;
    }

    /** at[atOff + c·rows + r] = a[aOff + r·cols + c] for r < rows, c < cols, in 16x16 blocks. */
    static void transposeInto(float[] a, int aOff, int rows, int cols, float[] at, int atOff) {
        for (int r0 = 0; r0 < rows; r0 += 16) {
            int r1 = Math.min(rows, r0 + 16);
            for (int c0 = 0; c0 < cols; c0 += 16) {
                int c1 = Math.min(cols, c0 + 16);
                for (int r = r0; r < r1; r++)
                    for (int c = c0; c < c1; c++) at[atOff + c * rows + r] = a[aOff + r * cols + c];
            }
        }
    }

    /** db[c] = sum_p dy[p, c] in pixel order. dy [M, C]. */
    static void columnSums(int m, int c, float[] dy, int dyOff, float[] db, int dbOff) {
        Arrays.fill(db, dbOff, dbOff + c, 0f);
        for (int p = 0; p < m; p++) {
            int o = dyOff + p * c;
            for (int j = 0; j < c; j++) db[dbOff + j] += dy[o + j];
        }
    }

    static void addBias(int m, int c, float[] bias, int bOff, float[] y, int yOff) {
        for (int p = 0; p < m; p++) {
            int o = yOff + p * c;
            for (int j = 0; j < c; j++) y[o + j] += bias[bOff + j];
        }
    }

    /** Pixels per tile: whole images if one fits the budget, else rows of one image. */
    static int tilePixels(Conv2dSpec s, int k) {
        int perImage = s.oh * s.ow;
        int budget = Math.max(1, TILE_FLOATS / k);
        if (perImage <= budget) return Math.min(s.n, budget / perImage) * perImage;
        return Math.max(1, budget / s.ow) * s.ow;
    }

    /** End of the tile starting at pixel p0 (tiles never straddle an image unless they hold whole images). */
    static int tileEnd(Conv2dSpec s, int k, int p0) {
        int perImage = s.oh * s.ow;
        int t = tilePixels(s, k);
        int end = p0 + t;
        if (t < perImage) end = Math.min(end, (p0 / perImage + 1) * perImage);
        return Math.min(end, s.n * perImage);
    }

    /** col[p - p0, (ky, kx, ci)] = x[n, iy, ix, ci] or 0 outside the input, for pixels [p0, p1). Parallel over pixel chunks. */
    static void im2col(Conv2dSpec s, float[] x, int xOff, int p0, int p1, float[] col) {
        int k = s.kh * s.kw * s.cin;
        int chunk = 64;
        int tasks = (p1 - p0 + chunk - 1) / chunk;
        Parallel.forEach(tasks, t -> {
            int a = p0 + t * chunk, b = Math.min(p1, a + chunk);
            for (int p = a; p < b; p++) {
                int n = p / (s.oh * s.ow), r = p % (s.oh * s.ow), oy = r / s.ow, ox = r % s.ow;
                int c = (p - p0) * k;
                for (int ky = 0; ky < s.kh; ky++) {
                    int iy = oy * s.sh + ky * s.dh - s.padTop;
                    for (int kx = 0; kx < s.kw; kx++, c += s.cin) {
                        int ix = ox * s.sw + kx * s.dw - s.padLeft;
                        if (iy < 0 || iy >= s.h || ix < 0 || ix >= s.w) Arrays.fill(col, c, c + s.cin, 0f);
                        else System.arraycopy(x, xOff + ((n * s.h + iy) * s.w + ix) * s.cin, col, c, s.cin);
                    }
                }
            }
        });
    }

    /** dx[n, iy, ix, ci] += col[p - p0, (ky, kx, ci)] for pixels [p0, p1); one task per image, pixels in order. */
    static void col2im(Conv2dSpec s, float[] col, int p0, int p1, float[] dx, int dxOff) {
        int k = s.kh * s.kw * s.cin;
        int perImage = s.oh * s.ow;
        int n0 = p0 / perImage, n1 = (p1 - 1) / perImage + 1;
        Parallel.forEach(n1 - n0, t -> {
            int n = n0 + t;
            int a = Math.max(p0, n * perImage), b = Math.min(p1, (n + 1) * perImage);
            for (int p = a; p < b; p++) {
                int r = p - n * perImage, oy = r / s.ow, ox = r % s.ow;
                int c = (p - p0) * k;
                for (int ky = 0; ky < s.kh; ky++) {
                    int iy = oy * s.sh + ky * s.dh - s.padTop;
                    for (int kx = 0; kx < s.kw; kx++, c += s.cin) {
                        int ix = ox * s.sw + kx * s.dw - s.padLeft;
                        if (iy < 0 || iy >= s.h || ix < 0 || ix >= s.w) continue;
                        int o = dxOff + ((n * s.h + iy) * s.w + ix) * s.cin;
                        for (int ci = 0; ci < s.cin; ci++) dx[o + ci] += col[c + ci];
                    }
                }
            }
        });
    }
}
