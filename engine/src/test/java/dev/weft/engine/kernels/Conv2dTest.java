package dev.weft.engine.kernels;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.engine.kernels.Conv2dSpec.Padding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class Conv2dTest {
    @AfterEach
    void resetThreads() { Parallel.setThreads(Runtime.getRuntime().availableProcessors()); }

    static float[] rand(Random r, long n) {
        float[] a = new float[(int) n];
        for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() * 2 - 1;
        return a;
    }

    /** Naive formula in double: y[n,oy,ox,co] = b + sum x[...]·w[...]. */
    static double[] naiveForward(Conv2dSpec s, float[] x, float[] w, float[] b) {
        double[] y = new double[(int) s.outputSize()];
        for (int n = 0; n < s.n; n++) for (int oy = 0; oy < s.oh; oy++) for (int ox = 0; ox < s.ow; ox++)
            for (int co = 0; co < s.cout; co++) {
                double acc = b == null ? 0 : b[co];
                for (int ky = 0; ky < s.kh; ky++) for (int kx = 0; kx < s.kw; kx++) {
                    int iy = oy * s.sh + ky * s.dh - s.padTop, ix = ox * s.sw + kx * s.dw - s.padLeft;
                    if (iy < 0 || ix < 0 || iy >= s.h || ix >= s.w) continue;
                    for (int ci = 0; ci < s.cin; ci++)
                        acc += (double) x[((n * s.h + iy) * s.w + ix) * s.cin + ci] * w[((ky * s.kw + kx) * s.cin + ci) * s.cout + co];
                }
                y[((n * s.oh + oy) * s.ow + ox) * s.cout + co] = acc;
            }
        return y;
    }

    static void assertClose(String what, double[] expected, float[] actual, double tol) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i], a = actual[i];
            if (Math.abs(e - a) > tol * (1 + Math.abs(e))) fail(what + " at " + i + ": expected " + e + " got " + a);
        }
    }

    static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }

    /** Random shapes incl. edge sizes, stride 1/2, valid/same (odd and even: asymmetric pad), dilation 2. */
    static Conv2dSpec[] shapes() {
        return new Conv2dSpec[] {
            Conv2dSpec.of(2, 7, 7, 3, 3, 3, 5, 1, Padding.SAME),
            Conv2dSpec.of(2, 8, 8, 4, 3, 3, 16, 2, Padding.SAME),     // even + stride 2: asymmetric pad
            Conv2dSpec.of(1, 9, 9, 8, 3, 3, 17, 2, Padding.SAME),
            Conv2dSpec.of(2, 15, 16, 9, 3, 3, 33, 1, Padding.VALID),
            Conv2dSpec.of(1, 17, 13, 16, 5, 3, 32, 1, 2, 1, 1, Padding.SAME),
            Conv2dSpec.of(2, 11, 11, 7, 3, 3, 8, 1, 1, 2, 2, Padding.SAME), // dilation 2
            Conv2dSpec.of(1, 12, 10, 5, 3, 2, 9, 2, 1, 2, 1, Padding.VALID),
            Conv2dSpec.of(2, 6, 6, 12, 1, 1, 7, 1, Padding.VALID),    // pointwise
            Conv2dSpec.of(2, 8, 8, 12, 1, 1, 31, 2, Padding.SAME),    // 1x1 stride 2
            Conv2dSpec.of(1, 1, 1, 3, 1, 1, 1, 1, Padding.SAME),
            Conv2dSpec.of(1, 1, 1, 3, 3, 3, 2, 1, Padding.SAME),       // 3x3 on 1x1
            Conv2dSpec.of(2, 4, 4, 64, 3, 3, 64, 1, Padding.SAME),
            Conv2dSpec.of(2, 16, 16, 1, 4, 4, 3, 2, Padding.SAME),     // even kernel, same
            Conv2dSpec.explicit(1, 5, 6, 3, 3, 3, 4, 1, 1, 1, 1, 0, 2, 1, 0),
            Conv2dSpec.of(1, 3, 3, 300, 3, 3, 40, 1, Padding.SAME),   // one row task, panels split
            Conv2dSpec.of(1, 3, 3, 600, 3, 3, 40, 1, Padding.SAME),   // Cin > 512: K blocks slice a tap
        };
    }

    /**
     * Small shapes take the direct forward's slice-by-slice kernel packing (at most 2 tasks over the
     * pixels); these have enough pixels for the whole kernel to be packed up front.
     */
    static Conv2dSpec[] manyPixels() {
        return new Conv2dSpec[] {
            Conv2dSpec.of(4, 20, 20, 120, 3, 3, 24, 1, Padding.SAME),  // M = 1600, K = 1080
            Conv2dSpec.of(2, 23, 23, 64, 3, 3, 20, 1, Padding.SAME),   // M = 1058
            Conv2dSpec.of(24, 4, 4, 600, 3, 3, 40, 1, Padding.SAME),   // M = 384, taps sliced
        };
    }

    @Test
    void forwardMatchesReferenceAndNaive() {
        Random r = new Random(1);
        for (Conv2dSpec s : concat(shapes(), manyPixels())) {
            float[] x = rand(r, s.inputSize()), w = rand(r, s.kernelSize()), b = rand(r, s.cout);
            float[] y = new float[(int) s.outputSize()], yr = new float[y.length];
            Conv2d.forward(s, x, 0, w, 0, b, 0, y, 0);
            Conv2dReference.forward(s, x, 0, w, 0, b, 0, yr, 0);
            double[] naive = naiveForward(s, x, w, b);
            assertClose("ref " + s, naive, yr, 1e-4);
            assertClose("fast " + s, naive, y, 1e-4);
        }
    }

    @Test
    void forwardWithOffsetsAndNoBias() {
        Random r = new Random(2);
        Conv2dSpec s = Conv2dSpec.of(2, 9, 9, 5, 3, 3, 6, 2, Padding.SAME);
        float[] x = rand(r, s.inputSize() + 3), w = rand(r, s.kernelSize() + 5);
        float[] y = new float[(int) s.outputSize() + 7], yr = new float[y.length];
        Conv2d.forward(s, x, 3, w, 5, null, 0, y, 7);
        Conv2dReference.forward(s, x, 3, w, 5, null, 0, yr, 7);
        for (int i = 0; i < 7; i++) assertEquals(0f, y[i]);
        assertClose("offsets", toDouble(yr), y, 1e-5);
    }

    @Test
    void backwardMatchesReference() {
        Random r = new Random(3);
        for (Conv2dSpec s : shapes()) {
            float[] x = rand(r, s.inputSize()), w = rand(r, s.kernelSize()), dy = rand(r, s.outputSize());
            float[] dx = new float[x.length], dxr = new float[x.length];
            Arrays.fill(dx, Float.NaN);
            Conv2d.backwardInput(s, dy, 0, w, 0, dx, 0);
            Conv2dReference.backwardInput(s, dy, 0, w, 0, dxr, 0);
            assertClose("dx " + s, toDouble(dxr), dx, 1e-4);
            float[] dw = new float[w.length], dwr = new float[w.length], db = new float[s.cout], dbr = new float[s.cout];
            Arrays.fill(dw, Float.NaN);
            Conv2d.backwardWeight(s, x, 0, dy, 0, dw, 0, db, 0);
            Conv2dReference.backwardWeight(s, x, 0, dy, 0, dwr, 0, dbr, 0);
            assertClose("dw " + s, toDouble(dwr), dw, 1e-4);
            assertClose("db " + s, toDouble(dbr), db, 1e-4);
        }
    }

    /** Both internal paths (im2col+GEMM and, with the Vector API, direct) against the reference on every shape. */
    @Test
    void bothPathsMatchReference() {
        Random r = new Random(6);
        Conv2dSpec[] all = shapes();
        for (int i = 0; i < all.length; i += 2) { // every other shape: keeps the class under 15 s cold
            Conv2dSpec s = all[i];
            float[] x = rand(r, s.inputSize()), w = rand(r, s.kernelSize()), b = rand(r, s.cout), dy = rand(r, s.outputSize());
            float[] y = new float[(int) s.outputSize()], yr = new float[y.length];
            float[] dx = new float[x.length], dxr = new float[x.length], dw = new float[w.length], dwr = new float[w.length], dbr = new float[s.cout];
            Conv2dReference.forward(s, x, 0, w, 0, b, 0, yr, 0);
            Conv2dReference.backwardInput(s, dy, 0, w, 0, dxr, 0);
            Conv2dReference.backwardWeight(s, x, 0, dy, 0, dwr, 0, dbr, 0);
            Conv2dGemm.forward(s, x, 0, w, 0, b, 0, y, 0);
            Conv2dGemm.backwardInput(s, dy, 0, w, 0, dx, 0);
            assertClose("col2im dx " + s, toDouble(dxr), dx, 1e-4);
            if (Conv2d.inputGradientIsConvolution(s)) {
                Arrays.fill(dx, Float.NaN);
                Conv2d.backwardInputAsForward(s, dy, 0, w, 0, dx, 0, false);
            }
            Conv2dGemm.backwardWeight(s, x, 0, dy, 0, dw, 0);
            assertClose("gemm y " + s, toDouble(yr), y, 1e-4);
            assertClose("gemm dx " + s, toDouble(dxr), dx, 1e-4);
            assertClose("gemm dw " + s, toDouble(dwr), dw, 1e-4);
            if (VectorSupport.ENABLED) {
                Conv2dVector.forward(s, x, 0, w, 0, b, 0, y, 0);
                Conv2dVector.backwardWeight(s, x, 0, dy, 0, dw, 0);
                assertClose("direct y " + s, toDouble(yr), y, 1e-4);
                assertClose("direct dw " + s, toDouble(dwr), dw, 1e-4);
                Arrays.fill(dw, Float.NaN);
                Conv2dImplicit.backwardWeight(s, x, 0, dy, 0, dw, 0);
                assertClose("implicit im2col dw " + s, toDouble(dwr), dw, 1e-4);
                if (Conv2d.inputGradientIsConvolution(s)) {
                    Arrays.fill(dx, Float.NaN);
                    Conv2d.backwardInputAsForward(s, dy, 0, w, 0, dx, 0, true);
                    assertClose("direct dx " + s, toDouble(dxr), dx, 1e-4);
                }
            }
        }
    }

    /**
     * Winograd F(2x2, 3x3) forward, stride-1 input gradient and weight gradient against the
     * double-precision formula and the reference: odd and even outputs (clipped tiles), asymmetric and wide pads, Cout off the
     * panel width, several tile blocks with a partial last one, 1x1 and 2x2 images; bit-identical at 1
     * and 3 threads.
     */
    @Test
    void winogradMatchesReference() {
        assumeTrue(VectorSupport.ENABLED, "Winograd runs on the Vector API");
        Random r = new Random(11);
        Conv2dSpec[] ss = {
            Conv2dSpec.of(2, 7, 7, 16, 3, 3, 48, 1, Padding.SAME),
            Conv2dSpec.of(3, 8, 6, 32, 3, 3, 16, 1, Padding.VALID),
            Conv2dSpec.explicit(1, 5, 9, 16, 3, 3, 32, 1, 1, 1, 1, 0, 2, 2, 1),
            Conv2dSpec.explicit(2, 4, 4, 16, 3, 3, 16, 1, 1, 1, 1, 2, 2, 0, 2),
            Conv2dSpec.of(6, 12, 12, 96, 3, 3, 32, 1, Padding.SAME),   // 216 tiles: 2 blocks of <= 168
            Conv2dSpec.of(2, 1, 1, 16, 3, 3, 16, 1, Padding.SAME),
            Conv2dSpec.of(3, 2, 2, 32, 3, 3, 64, 1, Padding.SAME),
        };
        for (Conv2dSpec s : ss) {
            assertTrue(Conv2dWinograd.applies(s), s.toString());
            float[] x = rand(r, s.inputSize()), w = rand(r, s.kernelSize()), b = rand(r, s.cout), dy = rand(r, s.outputSize());
            double[] naive = naiveForward(s, x, w, b);
            float[] dxr = new float[x.length], dwr = new float[w.length];
            Conv2dReference.backwardInput(s, dy, 0, w, 0, dxr, 0);
            Conv2dReference.backwardWeight(s, x, 0, dy, 0, dwr, 0, null, 0);
            float[] firstY = null, firstDx = null, firstDw = null;
            for (int t : new int[] {1, 3}) {
                Parallel.setThreads(t);
                float[] y = new float[(int) s.outputSize()], dx = new float[x.length], dw = new float[w.length];
                Arrays.fill(y, Float.NaN);
                Arrays.fill(dx, Float.NaN);
                Arrays.fill(dw, Float.NaN);
                Conv2dWinograd.backwardWeight(s, x, 0, dy, 0, dw, 0);
                assertClose("winograd dw " + s, toDouble(dwr), dw, 1e-4);
                float[] dwChunked = new float[w.length];
                Conv2dWinograd.backwardWeight(s, x, 0, dy, 0, dwChunked, 0, 24); // sums over several chunks
                assertClose("winograd dw, chunks of 24 tiles " + s, toDouble(dwr), dwChunked, 1e-4);
                Conv2dWinograd.forward(s, x, 0, w, 0, b, 0, y, 0);
                assertClose("winograd y " + s, naive, y, 1e-4);
                if (Conv2d.inputGradientIsConvolution(s)) {
                    Conv2dSpec g = gradientSpec(s);
                    assertTrue(Conv2dWinograd.applies(g), g.toString());
                    Conv2dWinograd.backwardInputAsForward(g, dy, 0, w, 0, dx, 0);
                    assertClose("winograd dx " + s, toDouble(dxr), dx, 1e-4);
                }
                if (firstY == null) { firstY = y; firstDx = dx; firstDw = dw; }
                else {
                    assertArrayEquals(firstDw, dw, "winograd dw, threads " + t + " " + s);
                    assertArrayEquals(firstY, y, "winograd y, threads " + t + " " + s);
                    assertArrayEquals(firstDx, dx, "winograd dx, threads " + t + " " + s);
                }
            }
        }
    }

    /**
     * The fused ReLU of every forward path (Winograd with whole and split channel groups and edge
     * tiles, the direct kernel, im2col + GEMM, pointwise, and the dispatcher) equals the plain
     * forward followed by the ReLU op's kernel, bit for bit, at 1 and 3 threads; NaN stays NaN.
     */
    @Test
    void fusedReluEqualsForwardThenRelu() {
        Random r = new Random(21);
        Conv2dSpec[] specs = {
            Conv2dSpec.of(8, 32, 32, 64, 3, 3, 64, 1, Padding.SAME),   // Winograd, >= 8 tile blocks: whole rows of channels
            Conv2dSpec.of(2, 15, 17, 64, 3, 3, 96, 1, Padding.SAME),   // Winograd, one block: channel groups, odd edges
            Conv2dSpec.of(2, 9, 9, 8, 3, 3, 40, 1, Padding.SAME),      // direct
            Conv2dSpec.of(2, 8, 8, 12, 3, 3, 33, 2, Padding.SAME),     // direct, stride 2
            Conv2dSpec.of(2, 6, 6, 12, 1, 1, 7, 1, Padding.VALID),     // pointwise
            Conv2dSpec.of(1, 3, 3, 600, 3, 3, 40, 1, Padding.SAME),    // K blocks slice a tap
        };
        for (Conv2dSpec s : specs) {
            float[] x = rand(r, s.inputSize()), w = rand(r, s.kernelSize()), b = rand(r, s.cout);
            x[0] = Float.NaN;                                          // output pixel 0 turns NaN
            List<String> paths = new ArrayList<>(List.of("gemm", "dispatch"));
            if (VectorSupport.ENABLED) paths.add("direct");
            if (VectorSupport.ENABLED && Conv2dWinograd.applies(s)) paths.add("winograd");
            for (String path : paths) {
                float[] want = null;
                for (int t : new int[] {1, 3}) {
                    Parallel.setThreads(t);
                    float[] plain = new float[(int) s.outputSize()], fused = new float[plain.length];
                    runForward(path, s, x, w, b, plain, false);
                    runForward(path, s, x, w, b, fused, true);
                    ElementwiseKernels.unaryScalar(ElementwiseKernels.Un.RELU, plain, 0, 1, plain, 0, plain.length, 0f);
                    assertArrayEquals(plain, fused, path + " relu, threads " + t + " " + s);
                    assertTrue(Float.isNaN(fused[0]), path + ": NaN must survive the fused ReLU " + s);
                    if (want == null) want = fused;
                    else assertArrayEquals(want, fused, path + " relu: thread counts differ " + s);
                }
            }
        }
        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
    }

    private static void runForward(String path, Conv2dSpec s, float[] x, float[] w, float[] b, float[] y, boolean relu) {
        switch (path) {
            case "winograd" -> Conv2dWinograd.forward(s, x, 0, w, 0, b, 0, y, 0, relu);
            case "direct" -> Conv2dVector.forward(s, x, 0, w, 0, b, 0, y, 0, relu);
            case "gemm" -> Conv2dGemm.forward(s, x, 0, w, 0, b, 0, y, 0, relu);
            default -> Conv2d.forward(s, x, 0, w, 0, b, 0, y, 0, relu);
        }
    }

    /** The forward convolution dy → dx that computes a stride-1 input gradient (as Conv2d builds it). */
    static Conv2dSpec gradientSpec(Conv2dSpec s) {
        int ey = (s.kh - 1) * s.dh, ex = (s.kw - 1) * s.dw;
        return Conv2dSpec.explicit(s.n, s.oh, s.ow, s.cout, s.kh, s.kw, s.cin, 1, 1, s.dh, s.dw,
                ey - s.padTop, ey - s.padBottom, ex - s.padLeft, ex - s.padRight);
    }

    /**
     * The weight gradient packed straight from x (no im2col tile) on every shape, 1 and 3 threads, and on
     * some with several k blocks of pixels (M = 1058: the second block starts mid-image; Cin and Cout off
     * the sliver widths).
     */
    @Test
    void implicitIm2colWeightGradientMatchesReference() {
        assumeTrue(VectorSupport.ENABLED, "needs the Vector API GEMM");
        Random r = new Random(8);
        for (Conv2dSpec s : concat(shapes(), manyPixels())) {
            float[] x = rand(r, s.inputSize()), dy = rand(r, s.outputSize());
            float[] dwr = new float[(int) s.kernelSize()], dbr = new float[s.cout];
            Conv2dReference.backwardWeight(s, x, 0, dy, 0, dwr, 0, dbr, 0);
            for (int t : new int[] {1, 3}) {
                Parallel.setThreads(t);
                float[] dw = new float[dwr.length];
                Arrays.fill(dw, Float.NaN);
                Conv2dImplicit.backwardWeight(s, x, 0, dy, 0, dw, 0);
                assertClose("implicit dw, " + t + " threads, " + s, toDouble(dwr), dw, 1e-4);
            }
        }
    }

    /** Finite differences in double on L = sum(y · g): dL/dx, dL/dw, dL/db. */
    @Test
    void gradientsMatchFiniteDifferences() {
        Random r = new Random(4);
        Conv2dSpec[] tiny = {
            Conv2dSpec.of(1, 4, 4, 2, 3, 3, 3, 2, Padding.SAME),
            Conv2dSpec.of(2, 5, 4, 2, 2, 3, 2, 1, 1, 2, 1, Padding.SAME),
            Conv2dSpec.of(1, 5, 5, 3, 3, 3, 2, 1, Padding.VALID),
        };
        for (Conv2dSpec s : tiny) {
            float[] x = rand(r, s.inputSize()), w = rand(r, s.kernelSize()), b = rand(r, s.cout), g = rand(r, s.outputSize());
            float[] dx = new float[x.length], dw = new float[w.length], db = new float[s.cout];
            Conv2d.backwardInput(s, g, 0, w, 0, dx, 0);
            Conv2d.backwardWeight(s, x, 0, g, 0, dw, 0, db, 0);
            double eps = 1e-3;
            for (int i = 0; i < x.length; i++) {
                float keep = x[i];
                x[i] = keep + (float) eps; double lp = loss(s, x, w, b, g);
                x[i] = keep - (float) eps; double lm = loss(s, x, w, b, g);
                x[i] = keep;
                assertEquals((lp - lm) / (2 * eps), dx[i], 2e-3, "dx[" + i + "] " + s);
            }
            for (int i = 0; i < w.length; i++) {
                float keep = w[i];
                w[i] = keep + (float) eps; double lp = loss(s, x, w, b, g);
                w[i] = keep - (float) eps; double lm = loss(s, x, w, b, g);
                w[i] = keep;
                assertEquals((lp - lm) / (2 * eps), dw[i], 2e-3, "dw[" + i + "] " + s);
            }
            for (int i = 0; i < b.length; i++) {
                float keep = b[i];
                b[i] = keep + (float) eps; double lp = loss(s, x, w, b, g);
                b[i] = keep - (float) eps; double lm = loss(s, x, w, b, g);
                b[i] = keep;
                assertEquals((lp - lm) / (2 * eps), db[i], 2e-3, "db[" + i + "] " + s);
            }
        }
    }

    private static double loss(Conv2dSpec s, float[] x, float[] w, float[] b, float[] g) {
        double[] y = naiveForward(s, x, w, b);
        double l = 0;
        for (int i = 0; i < y.length; i++) l += y[i] * g[i];
        return l;
    }

    static Conv2dSpec[] concat(Conv2dSpec[] a, Conv2dSpec[] b) {
        Conv2dSpec[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void threadCountDoesNotChangeBits() {
        Random r = new Random(5);
        Conv2dSpec[] ss = {
            Conv2dSpec.of(2, 9, 9, 17, 3, 3, 40, 1, Padding.SAME),
            Conv2dSpec.of(2, 8, 8, 16, 3, 3, 24, 2, Padding.SAME),
            Conv2dSpec.of(2, 6, 6, 20, 1, 1, 12, 1, Padding.VALID),
            Conv2dSpec.of(1, 4, 4, 128, 3, 3, 20, 1, Padding.SAME),    // K = 1152: im2col + GEMM path
            Conv2dSpec.of(2, 7, 7, 121, 3, 3, 9, 2, Padding.SAME),     // K = 1089, Cin not a multiple of 8, stride 2
            Conv2dSpec.of(1, 5, 5, 530, 3, 3, 70, 1, Padding.SAME),    // direct forward split over panels, tap sliced
            Conv2dSpec.of(4, 20, 20, 120, 3, 3, 24, 1, Padding.SAME),  // implicit dw over 3 k blocks of pixels
            Conv2dSpec.of(2, 8, 8, 128, 3, 3, 128, 1, Padding.SAME),   // Winograd dw (32 tiles)
            Conv2dSpec.of(6, 9, 9, 64, 3, 3, 64, 1, Padding.SAME),     // Winograd forward and dx (150 tiles)
        };
        assertTrue(Conv2d.useWinograd(ss[ss.length - 1]) || !VectorSupport.ENABLED, "last shape takes the Winograd path");
        assertTrue(Conv2d.useWinogradWeightGradient(ss[ss.length - 2]) || !VectorSupport.ENABLED, "Winograd dw");
        for (Conv2dSpec s : ss) {
            float[] x = rand(r, s.inputSize()), w = rand(r, s.kernelSize()), b = rand(r, s.cout), dy = rand(r, s.outputSize());
            float[][] first = null;
            for (int t = 1; t <= 4; t++) {
                Parallel.setThreads(t);
                float[] y = new float[(int) s.outputSize()], dx = new float[x.length], dw = new float[w.length], db = new float[s.cout];
                Conv2d.forward(s, x, 0, w, 0, b, 0, y, 0);
                Conv2d.backwardInput(s, dy, 0, w, 0, dx, 0);
                Conv2d.backwardWeight(s, x, 0, dy, 0, dw, 0, db, 0);
                float[][] now = {y, dx, dw, db};
                if (first == null) first = now;
                else for (int k = 0; k < 4; k++) assertArrayEquals(first[k], now[k], "threads " + t + " output " + k + " " + s);
            }
        }
    }

    @Test
    void badArgumentsThrowIllegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> Conv2dSpec.of(1, 4, 4, 1, 5, 5, 1, 1, Padding.VALID));
        assertThrows(IllegalArgumentException.class, () -> Conv2dSpec.of(1, 4, 4, 1, 3, 3, 1, 0, Padding.SAME));
        assertThrows(IllegalArgumentException.class, () -> Conv2dSpec.of(1, 4, 4, 1, 3, 3, 1, -1, Padding.SAME));
        assertThrows(IllegalArgumentException.class, () -> Conv2dSpec.of(0, 4, 4, 1, 3, 3, 1, 1, Padding.SAME));
        assertThrows(IllegalArgumentException.class, () -> Conv2dSpec.of(1, 5, 5, 1, 3, 3, 1, 1, 1, 3, 3, Padding.VALID));
        Conv2dSpec s = Conv2dSpec.of(1, 4, 4, 2, 3, 3, 3, 1, Padding.SAME);
        float[] x = new float[(int) s.inputSize()], w = new float[(int) s.kernelSize()], y = new float[(int) s.outputSize()];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Conv2d.forward(s, new float[5], 0, w, 0, null, 0, y, 0));
        assertTrue(e.getMessage().startsWith("Conv2d.forward") && e.getMessage().contains("[1, 4, 4, 2]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Conv2d.forward(s, x, 1, w, 0, null, 0, y, 0));
        assertThrows(IllegalArgumentException.class, () -> Conv2d.forward(s, x, 0, w, 0, new float[2], 0, y, 0));
        assertThrows(IllegalArgumentException.class, () -> Conv2d.backwardInput(s, y, 0, w, 0, new float[3], 0));
        assertThrows(IllegalArgumentException.class, () -> Conv2d.backwardWeight(s, x, 0, y, 0, new float[1], 0, null, 0));
        assertThrows(IllegalArgumentException.class, () -> Conv2dReference.forward(s, x, 0, new float[1], 0, null, 0, y, 0));
    }

    @Test
    void samePaddingIsKerasAsymmetric() {
        Conv2dSpec s = Conv2dSpec.of(1, 8, 8, 1, 3, 3, 1, 2, Padding.SAME);
        assertEquals(4, s.oh);
        assertEquals(0, s.padTop);
        assertEquals(1, s.padBottom);
        Conv2dSpec odd = Conv2dSpec.of(1, 7, 7, 1, 3, 3, 1, 2, Padding.SAME);
        assertEquals(4, odd.oh);
        assertEquals(1, odd.padTop);
        assertEquals(1, odd.padBottom);
        Conv2dSpec valid = Conv2dSpec.of(1, 32, 32, 3, 3, 3, 64, 1, Padding.VALID);
        assertEquals(30, valid.oh);
    }
}
