package dev.weft.engine.kernels;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link Gemm} (vector path when the module is present, else scalar) against {@link GemmReference}.
 *
 * <p>Tolerance per element: {@code 1e-5 * (|alpha| * sum_p |a_ip||b_pj| + |beta||c_ij|)} plus a tiny
 * absolute term — float rounding of a k-term sum grows with that magnitude, not with the result.
 */
class GemmTest {
    private static final int[] EDGE_SIZES = {1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 97, 131};

    @AfterAll
    static void restoreThreads() {
        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
    }

    /** One random problem: arrays with padding (offsets, leading dims larger than needed). */
    private static final class Problem {
        final boolean ta, tb;
        final int m, n, k, lda, ldb, ldc, aOff, bOff, cOff;
        final float alpha, beta;
        final float[] a, b, c0;

        Problem(SplittableRandom rnd, boolean ta, boolean tb, int m, int n, int k, float alpha, float beta, boolean padded) {
            this(rnd, ta, tb, m, n, k, alpha, beta, padded, 0);
        }

        /** fixedLda > 0 sets A's leading dimension (must be at least op(A)'s stored row length). */
        Problem(SplittableRandom rnd, boolean ta, boolean tb, int m, int n, int k, float alpha, float beta, boolean padded,
                int fixedLda) {
            this.ta = ta; this.tb = tb; this.m = m; this.n = n; this.k = k; this.alpha = alpha; this.beta = beta;
            int aCols = ta ? m : k, aRows = ta ? k : m, bCols = tb ? k : n, bRows = tb ? n : k;
            lda = fixedLda > 0 ? fixedLda : aCols + (padded ? rnd.nextInt(5) : 0);
            ldb = bCols + (padded ? rnd.nextInt(5) : 0);
            ldc = n + (padded ? rnd.nextInt(5) : 0);
            aOff = padded ? rnd.nextInt(7) : 0;
            bOff = padded ? rnd.nextInt(7) : 0;
            cOff = padded ? rnd.nextInt(7) : 0;
            a = randomArray(rnd, aOff + aRows * lda + 3);
            b = randomArray(rnd, bOff + bRows * ldb + 3);
            c0 = randomArray(rnd, cOff + m * ldc + 3);
        }

        float[] run(boolean reference) {
            float[] c = c0.clone();
            if (reference) GemmReference.sgemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            else Gemm.sgemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return c;
        }

        /** Checks C against the reference within tolerance, and that padding around C is untouched. */
        void check(float[] got) {
            float[] want = run(true);
            for (int i = 0; i < c0.length; i++) {
                int row = (i - cOff) / Math.max(1, ldc), col = (i - cOff) - row * ldc;
                boolean inside = i >= cOff && row < m && col < n;
                if (!inside) {
                    if (Float.floatToIntBits(got[i]) != Float.floatToIntBits(c0[i])) fail("wrote outside C at index " + i + " " + this);
                    continue;
                }
                double mag = 0;
                for (int p = 0; p < k; p++) {
                    float av = ta ? a[aOff + p * lda + row] : a[aOff + row * lda + p];
                    float bv = tb ? b[bOff + col * ldb + p] : b[bOff + p * ldb + col];
                    mag += Math.abs((double) av * bv);
                }
                double tol = 1e-5 * (Math.abs(alpha) * mag + (beta == 0f ? 0 : Math.abs(beta) * Math.abs(c0[i]))) + 1e-30;
                if (!(Math.abs(got[i] - want[i]) <= tol)) {
                    fail("C[" + row + "," + col + "] = " + got[i] + ", reference " + want[i] + ", tolerance " + tol + " for " + this);
                }
            }
        }

        @Override public String toString() {
            return "sgemm(ta=" + ta + ", tb=" + tb + ", m=" + m + ", n=" + n + ", k=" + k + ", alpha=" + alpha + ", beta=" + beta
                    + ", lda=" + lda + ", ldb=" + ldb + ", ldc=" + ldc + ", offs=" + aOff + "/" + bOff + "/" + cOff + ")";
        }
    }

    private static float[] randomArray(SplittableRandom rnd, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = (float) (rnd.nextDouble() * 2 - 1);
        return x;
    }

    @Test
    void edgeSizesAllTransposesMatchReference() {
        SplittableRandom rnd = new SplittableRandom(1);
        // m and n walk through the edge sizes (around multiples of the micro-tile), k varied too.
        for (int mi = 0; mi < EDGE_SIZES.length; mi++) {
            for (int ni = 0; ni < EDGE_SIZES.length; ni += 2) {
                int m = EDGE_SIZES[mi], n = EDGE_SIZES[(ni + mi) % EDGE_SIZES.length];
                int k = EDGE_SIZES[(mi * 3 + ni) % EDGE_SIZES.length] * 3 + 1;
                for (int t = 0; t < 4; t++) {
                    Problem pr = new Problem(rnd, (t & 1) != 0, (t & 2) != 0, m, n, k, 1f, 0f, true);
                    pr.check(pr.run(false));
                }
            }
        }
    }

    @Test
    void shapesAcrossBlockBoundaries() {
        SplittableRandom rnd = new SplittableRandom(2);
        // k beyond one KC block (256 and 512 are common KC choices), m beyond MC, n beyond the task width.
        int[][] shapes = {{67, 129, 257}, {130, 40, 513}, {300, 97, 61}, {5, 600, 300}, {257, 3, 700}, {1, 1, 1000}, {200, 280, 19}};
        for (int[] s : shapes) {
            for (int t = 0; t < 4; t++) {
                Problem pr = new Problem(rnd, (t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], 0.75f, 0.5f, true);
                pr.check(pr.run(false));
            }
        }
    }

    /** Leading dimensions of A that are multiples of 256 floats (rows of A alias in the L1 sets). */
    @Test
    void powerOfTwoLeadingDimensionOfA() {
        SplittableRandom rnd = new SplittableRandom(9);
        int[][] shapes = {{140, 70, 300}, {9, 40, 200}};
        int[] ldas = {512, 256};
        for (int si = 0; si < shapes.length; si++) {
            int[] s = shapes[si];
            for (int t = 0; t < 4; t++) {
                int lda = Math.max(ldas[si], (t & 1) != 0 ? s[0] : s[2]);
                lda = (lda + 255) / 256 * 256;
                Problem pr = new Problem(rnd, (t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], 0.75f, 0.5f, true, lda);
                checkSameBitsForThreads(pr, 2);
            }
        }
        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void randomShapesAlphaBeta() {
        SplittableRandom rnd = new SplittableRandom(3);
        float[] alphas = {1f, -1f, 0.5f, 2.5f};
        float[] betas = {0f, 1f, -0.5f, 2f};
        for (int i = 0; i < 60; i++) {
            int m = 1 + rnd.nextInt(90), n = 1 + rnd.nextInt(90), k = 1 + rnd.nextInt(300);
            Problem pr = new Problem(rnd, rnd.nextBoolean(), rnd.nextBoolean(), m, n, k,
                    alphas[rnd.nextInt(alphas.length)], betas[rnd.nextInt(betas.length)], rnd.nextBoolean());
            pr.check(pr.run(false));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void betaZeroIgnoresNaNInC(int vectorSized) {
        SplittableRandom rnd = new SplittableRandom(4);
        int m = vectorSized == 1 ? 70 : 3, n = vectorSized == 1 ? 45 : 4, k = vectorSized == 1 ? 50 : 5;
        Problem pr = new Problem(rnd, false, false, m, n, k, 1f, 0f, false);
        Arrays.fill(pr.c0, Float.NaN);
        float[] got = pr.run(false);
        for (int i = 0; i < m * n; i++) assertFalse(Float.isNaN(got[i]), "beta == 0 must overwrite NaN in C");
        pr.check(got);
    }

    @Test
    void alphaZeroOrEmptyKScalesC() {
        float[] c = {1f, 2f, Float.NaN, 4f};
        Gemm.sgemm(false, false, 2, 2, 0, 1f, new float[0], 0, 1, new float[2], 0, 2, 0.5f, c, 0, 2);
        assertTrue(Float.isNaN(c[2]));
        assertEquals(0.5f, c[0]);
        Gemm.sgemm(false, false, 2, 2, 3, 0f, new float[6], 0, 3, new float[6], 0, 2, 0f, c, 0, 2);
        assertArrayEquals(new float[4], c);
    }

    @Test
    void threadCountsGiveBitIdenticalResults() {
        SplittableRandom rnd = new SplittableRandom(5);
        int[][] shapes = {{150, 140, 270}, {16, 520, 300}, {133, 65, 129}, {64, 256, 100}};
        for (int si = 0; si < shapes.length; si++) {
            int[] s = shapes[si];
            for (int t = si % 2; t < 4; t += 2) { // each transpose combination on two of the shapes
                Problem pr = new Problem(rnd, (t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], 1.25f, 0.5f, true);
                checkSameBitsForThreads(pr, 4);
            }
        }
        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
    }

    /**
     * A transposed B read by several row tasks is packed once into a shared panel (and per task
     * above the panel's size limit): the result must be the bits of the same product with B stored
     * untransposed, on 1 to 3 threads, with an edge sliver, several and uneven k blocks, offsets.
     */
    @Test
    void transposedBGivesTheBitsOfTheStoredProduct() {
        SplittableRandom rnd = new SplittableRandom(12);
        int[][] shapes = {{600, 70, 901}, {512, 128, 784}, {300, 20, 128}, {264, 1056, 1000}}; // the last: over the panel limit
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            Problem pr = new Problem(rnd, false, true, m, n, k, 1f, 0f, true);
            float[] bStored = new float[k * n];                   // op(B) as [k][n], ldb = n
            for (int col = 0; col < n; col++)
                for (int p = 0; p < k; p++) bStored[p * n + col] = pr.b[pr.bOff + col * pr.ldb + p];
            for (int threads = 1; threads <= (n > 1000 ? 1 : 3); threads++) {
                Parallel.setThreads(threads);
                float[] want = pr.c0.clone(), got = pr.run(false);
                Gemm.sgemm(false, false, m, n, k, 1f, pr.a, pr.aOff, pr.lda, bStored, 0, n, 0f, want, pr.cOff, pr.ldc);
                for (int i = 0; i < got.length; i++)
                    if (Float.floatToIntBits(got[i]) != Float.floatToIntBits(want[i]))
                        fail("transposed B differs at index " + i + " on " + threads + " threads for " + pr);
            }
            pr.check(pr.run(false));
        }
        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
    }

    /** GEMMs called from inside Parallel tasks (batched matmul) run inline: no deadlock, same bits. */
    @Test
    void nestedInsideParallelTasks() {
        SplittableRandom rnd = new SplittableRandom(8);
        Problem[] batch = new Problem[6];
        for (int i = 0; i < batch.length; i++) batch[i] = new Problem(rnd, i % 2 == 0, i % 3 == 0, 70, 90, 110, 1f, 0f, false);
        float[][] alone = new float[batch.length][];
        for (int i = 0; i < batch.length; i++) alone[i] = batch[i].run(false);
        Parallel.setThreads(2);
        float[][] nested = new float[batch.length][];
        Parallel.forEach(batch.length, i -> nested[i] = batch[i].run(false));
        for (int i = 0; i < batch.length; i++) assertArrayEquals(alone[i], nested[i], "batch item " + i);
        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void scalarPathMatchesReference() {
        SplittableRandom rnd = new SplittableRandom(6);
        for (int i = 0; i < 40; i++) {
            int m = 1 + rnd.nextInt(40), n = 1 + rnd.nextInt(40), k = 1 + rnd.nextInt(60);
            Problem pr = new Problem(rnd, rnd.nextBoolean(), rnd.nextBoolean(), m, n, k, 1.5f, rnd.nextBoolean() ? 0f : 0.5f, true);
            float[] c = pr.c0.clone();
            Gemm.scalar(pr.ta, pr.tb, m, n, k, pr.alpha, pr.a, pr.aOff, pr.lda, pr.b, pr.bOff, pr.ldb, pr.beta, c, pr.cOff, pr.ldc);
            pr.check(c);
        }
    }

    /**
     * The micro-kernel shape and vector width are fixed at class load, so the other configurations
     * (the AVX2 default 4 x 2L at 256 bits, and 6 x 2L at 128 bits) run in a child JVM.
     */
    @ParameterizedTest
    @ValueSource(strings = {"-Dweft.gemm.mr=4 -Dweft.vector.bits=256", "-Dweft.gemm.mr=6 -Dweft.vector.bits=128 -Dweft.gemm.kc=40"})
    void otherKernelConfigurationsInChildJvm(String flags) throws Exception {
        if (!VectorSupport.ENABLED) return;
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(
                java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path")));
        cmd.addAll(java.util.List.of(flags.split(" ")));
        cmd.add(ChildCheck.class.getName());
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(proc.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, proc.waitFor(), output);
        assertTrue(output.contains("GEMM CHECK OK"), output);
    }

    /** Entry point of the child JVM: edge shapes, all transposes, 1 and 3 threads bit-identical. */
    static final class ChildCheck {
        public static void main(String[] args) {
            SplittableRandom rnd = new SplittableRandom(7);
            int[] sizes = {1, 8, 9, 17, 33, 65, 100};
            for (int mi = 0; mi < sizes.length; mi++) {
                for (int ni = 0; ni < sizes.length; ni += 2) {
                    int m = sizes[mi], n = sizes[(mi + ni) % sizes.length], k = 1 + sizes[(2 * mi + ni) % sizes.length] * 2;
                    for (int t = 0; t < 4; t++) {
                        Problem pr = new Problem(rnd, (t & 1) != 0, (t & 2) != 0, m, n, k, 1.5f, t == 2 ? 0f : 0.5f, true);
                        Parallel.setThreads(1);
                        float[] one = pr.run(false);
                        pr.check(one);
                        Parallel.setThreads(3);
                        if (!Arrays.equals(one, pr.run(false))) throw new AssertionError("thread counts differ for " + pr);
                    }
                }
            }
            Problem big = new Problem(rnd, false, true, 130, 70, 300, 1f, 0f, true);
            big.check(big.run(false));
            System.out.println("GEMM CHECK OK " + Gemm.describe());
        }
    }

    /**
     * sgemmBias with relu = sgemmBias, then max(·, 0), bit for bit: scalar and vector paths, in-place
     * and packed A, edge columns, one and three k blocks, all transposes, 1-3 threads; NaN stays NaN.
     */
    @Test
    void reluEpilogueEqualsBiasThenRelu() {
        SplittableRandom rnd = new SplittableRandom(12);
        int[][] shapes = {{3, 5, 2}, {9, 17, 33}, {40, 20, 128}, {33, 300, 40}, {20, 40, 1300}, {130, 70, 513}};
        for (int[] sh : shapes) {
            for (int t = 0; t < 4; t++) {
                Problem pr = new Problem(rnd, (t & 1) != 0, (t & 2) != 0, sh[0], sh[1], sh[2], 1f, 0f, true);
                float[] bias = randomArray(rnd, sh[1]);
                pr.a[pr.aOff] = Float.NaN;                    // C row 0 (or column 0 of A^T's row 0) turns NaN
                float[] want = pr.c0.clone();
                Gemm.sgemmBias(pr.ta, pr.tb, pr.m, pr.n, pr.k, 1f, pr.a, pr.aOff, pr.lda, pr.b, pr.bOff, pr.ldb, bias, 0, want, pr.cOff, pr.ldc);
                int negatives = 0;
                for (int i = 0; i < pr.m; i++) {
                    for (int j = 0; j < pr.n; j++) {
                        int idx = pr.cOff + i * pr.ldc + j;
                        if (want[idx] <= 0f) { want[idx] = 0f; negatives++; }
                    }
                }
                assertTrue(negatives > 0, "no negative outputs to clamp in " + pr);
                for (int threads = 1; threads <= 3; threads++) {
                    Parallel.setThreads(threads);
                    float[] c = pr.c0.clone();
                    Gemm.sgemmBias(pr.ta, pr.tb, pr.m, pr.n, pr.k, 1f, pr.a, pr.aOff, pr.lda, pr.b, pr.bOff, pr.ldb, bias, 0, c, pr.cOff, pr.ldc, true);
                    assertArrayEquals(want, c, "threads " + threads + " " + pr);
                    assertTrue(Float.isNaN(c[pr.cOff]), "NaN must survive the fused ReLU " + pr);
                }
            }
        }
        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
    }

    /** sgemmBias = reference GEMM (beta 0) + bias on every row, on both paths, edge sizes, all transposes; same bits for 1-3 threads. */
    @Test
    void biasEpilogueMatchesReferencePlusBias() {
        SplittableRandom rnd = new SplittableRandom(11);
        int[][] shapes = {{1, 1, 1}, {3, 5, 2}, {9, 17, 33}, {17, 33, 300}, {65, 31, 64}, {130, 70, 513}, {200, 129, 40}};
        for (int[] sh : shapes) {
            for (int t = 0; t < 4; t++) {
                Problem pr = new Problem(rnd, (t & 1) != 0, (t & 2) != 0, sh[0], sh[1], sh[2], 1f, 0f, true);
                int biasOff = rnd.nextInt(5);
                float[] bias = randomArray(rnd, biasOff + sh[1] + 2);
                float[] first = null;
                for (int threads = 1; threads <= 3; threads++) {
                    Parallel.setThreads(threads);
                    float[] c = pr.c0.clone();
                    Gemm.sgemmBias(pr.ta, pr.tb, pr.m, pr.n, pr.k, 1f, pr.a, pr.aOff, pr.lda, pr.b, pr.bOff, pr.ldb,
                            bias, biasOff, c, pr.cOff, pr.ldc);
                    if (first == null) first = c;
                    else assertArrayEquals(first, c, "threads " + threads + " " + pr);
                }
                float[] want = pr.run(true);
                for (int i = 0; i < pr.m; i++) {
                    for (int j = 0; j < pr.n; j++) {
                        int idx = pr.cOff + i * pr.ldc + j;
                        float b = bias[biasOff + j];
                        assertEquals(want[idx] + b, first[idx], 1e-4 * (1 + Math.abs(want[idx]) + Math.abs(b)), "C[" + i + "," + j + "] " + pr);
                    }
                }
                for (int i = 0; i < pr.c0.length; i++) {
                    int row = (i - pr.cOff) / pr.ldc, col = (i - pr.cOff) - row * pr.ldc;
                    if (i < pr.cOff || row >= pr.m || col >= pr.n) assertEquals(pr.c0[i], first[i], 0f, "wrote outside C at " + i);
                }
            }
        }
        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
        float[] x = new float[16];
        assertThrows(IllegalArgumentException.class, () -> Gemm.sgemmBias(false, false, 4, 4, 4, 1f, x, 0, 4, x, 0, 4, null, 0, x, 0, 4));
        assertThrows(IndexOutOfBoundsException.class, () -> Gemm.sgemmBias(false, false, 4, 4, 4, 1f, x, 0, 4, x, 0, 4, x, 14, x, 0, 4));
    }

    @Test
    void rejectsBadArguments() {
        float[] x = new float[16];
        assertThrows(IllegalArgumentException.class, () -> Gemm.sgemm(false, false, 4, 4, 4, 1f, x, 0, 3, x, 0, 4, 0f, x, 0, 4));
        assertThrows(IndexOutOfBoundsException.class, () -> Gemm.sgemm(false, false, 4, 4, 4, 1f, x, 1, 4, x, 0, 4, 0f, x, 0, 4));
        assertThrows(IllegalArgumentException.class, () -> Gemm.sgemm(false, false, -1, 4, 4, 1f, x, 0, 4, x, 0, 4, 0f, x, 0, 4));
    }

    /** Runs {@code pr} with 1..maxThreads threads: the first result is checked, the others must match it bit for bit. */
    private static void checkSameBitsForThreads(Problem pr, int maxThreads) {
        float[] first = null;
        for (int threads = 1; threads <= maxThreads; threads++) {
            Parallel.setThreads(threads);
            float[] got = pr.run(false);
            if (first == null) {
                first = got;
                pr.check(got);
                continue;
            }
            for (int i = 0; i < got.length; i++) {
                if (Float.floatToIntBits(got[i]) != Float.floatToIntBits(first[i])) {
                    fail(threads + " threads differ from 1 thread at index " + i + " for " + pr);
                }
            }
        }
    }
}
