package dev.weft.engine.kernels;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.engine.Tensor;
import dev.weft.engine.kernels.ElementwiseKernels.Bin;
import dev.weft.engine.kernels.ElementwiseKernels.Un;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The elementwise row kernels: SIMD rows against their scalar twins (bit for bit) and both against
 * each op's defining formula written out here, over edge lengths, offsets, strides 0/1/other and
 * special values; then whole tensor ops, strided and broadcast, for 1 to 4 threads.
 */
class ElementwiseKernelsTest {
    @AfterEach
    void resetThreads() { Parallel.setThreads(Runtime.getRuntime().availableProcessors()); }

    static final int[] LENGTHS = {0, 1, 7, 8, 15, 16, 17, 31, 33, 64, 1001};
    static final float[] SPECIAL = {0f, -0f, 1f, -1f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.MIN_VALUE, -Float.MIN_VALUE, 1e-30f, 3.5f, -2.25f};

    static float[] values(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = r.nextInt(8) == 0 ? SPECIAL[r.nextInt(SPECIAL.length)] : (float) r.nextGaussian() * 3f;
        return a;
    }

    /** Each op's definition, element by element. */
    static float expected(Bin op, float a, float b) {
        switch (op) {
            case ADD: return a + b;
            case SUB: return a - b;
            case MUL: return a * b;
            case DIV: return a / b;
            case MAX: return Math.max(a, b);
            case MIN: return Math.min(a, b);
            case MUL_STEP: return b > 0 ? a : a * 0f;
            case MUL_SIGMOID_GRAD: return a * (b * (1f - b));
            case MUL_TANH_GRAD: return a * (1f - b * b);
            default: throw new AssertionError(op);
        }
    }

    static float expected(Un op, float s, float p) {
        switch (op) {
            case EXP: return (float) Math.exp(s);
            case SIGMOID: {
                if (s >= 0) return (float) (1.0 / (1.0 + Math.exp(-s)));
                double e = Math.exp(s);
                return (float) (e / (1.0 + e));
            }
            case ADD_S: return s + p;
            case MUL_S: return s * p;
            case SQUARE: return s * s;
            case RELU: return s > 0 || Float.isNaN(s) ? s : 0f;
            case STEP: return s > 0 ? 1f : 0f;
            case LEAKY_RELU: return s > 0 ? s : p * s;
            case LEAKY_STEP: return s > 0 ? 1f : p;
            case ABS: return Math.abs(s);
            case SIGMOID_GRAD: return s * (1f - s);
            case TANH_GRAD: return 1f - s * s;
            default: throw new AssertionError(op);
        }
    }

    /** Same float bits (any NaN equals any NaN: payloads may differ); the message is built only on failure. */
    static void assertSameBits(float want, float got, String what, int index) {
        if (Float.floatToIntBits(want) != Float.floatToIntBits(got))
            fail(what + " at " + index + ": want " + want + " got " + got);
    }

    @Test
    void binaryRowsMatchScalarTwinAndFormula() {
        Random r = new Random(7);
        int[][] strides = {{1, 1}, {1, 0}, {0, 1}, {2, 3}, {0, 0}, {3, 1}};
        for (Bin op : Bin.values()) for (int n : LENGTHS) for (int[] st : strides) {
            int i = 3, j = 5, o = 2;
            float[] a = values(r, i + n * Math.max(1, st[0]) + 1), b = values(r, j + n * Math.max(1, st[1]) + 1);
            float[] got = new float[o + n + 3], twin = new float[o + n + 3];
            ElementwiseKernels.binary(op, a, i, st[0], b, j, st[1], got, o, n);
            ElementwiseKernels.binaryScalar(op, a, i, st[0], b, j, st[1], twin, o, n);
            if (VectorSupport.ENABLED && (st[0] | st[1]) == 1 && st[0] <= 1 && st[1] <= 1) {
                float[] vec = new float[o + n + 3];
                ElementwiseVector.binary(op, a, i, st[0], b, j, st[1], vec, o, n);
                for (int k = 0; k < vec.length; k++) assertSameBits(twin[k], vec[k], op + " vector n=" + n, k);
            }
            String what = op + " n=" + n + " strides=" + st[0] + "," + st[1];
            for (int k = 0; k < got.length; k++) {
                boolean inside = k >= o && k < o + n;
                float want = inside ? expected(op, a[i + (k - o) * st[0]], b[j + (k - o) * st[1]]) : 0f;
                assertSameBits(want, twin[k], what + " scalar", k);
                assertSameBits(want, got[k], what, k);
            }
        }
    }

    @Test
    void unaryRowsMatchScalarTwinAndFormula() {
        Random r = new Random(8);
        for (Un op : Un.values()) for (int n : LENGTHS) for (int ss : new int[] {1, 0, 2}) {
            if (op == Un.EXP || op == Un.SIGMOID) continue; // SIMD rows differ by ulps: see expAndSigmoidRows...
            int i = 1, o = 4;
            float p = op == Un.LEAKY_RELU || op == Un.LEAKY_STEP ? 0.2f : -1.5f;
            float[] s = values(r, i + n * Math.max(1, ss) + 1);
            float[] got = new float[o + n + 2], twin = new float[o + n + 2];
            ElementwiseKernels.unary(op, s, i, ss, got, o, n, p);
            ElementwiseKernels.unaryScalar(op, s, i, ss, twin, o, n, p);
            if (VectorSupport.ENABLED && ss == 1) {
                float[] vec = new float[o + n + 2];
                ElementwiseVector.unary(op, s, i, vec, o, n, p);
                for (int k = 0; k < vec.length; k++) assertSameBits(twin[k], vec[k], op + " vector n=" + n, k);
            }
            for (int k = 0; k < got.length; k++) {
                boolean inside = k >= o && k < o + n;
                float want = inside ? expected(op, s[i + (k - o) * ss], p) : 0f;
                assertSameBits(want, twin[k], op + " scalar n=" + n, k);
                assertSameBits(want, got[k], op + " n=" + n, k);
            }
        }
    }

    /** x: [30, 50, 64] (96000 elements, split into parallel chunks), in several layouts. */
    @Test
    void tensorOpsOnStridedAndBroadcastOperandsAreExactForAnyThreadCount() {
        Random r = new Random(9);
        int A = 30, B = 50, C = 64;
        float[] xd = values(r, A * B * C), yd = values(r, A * B * C), bd = values(r, C);
        Tensor x = Tensor.of(xd, A, B, C), bias = Tensor.of(bd, C);
        Tensor yT = Tensor.of(yd, C, B, A).permute(2, 1, 0);  // [A, B, C] with strides (1, A, A*B)
        Tensor xSliced = Tensor.of(xd, A, B, C).slice(2, 0, C, 2); // [A, B, C/2], inner stride 2
        float[][] previous = null;
        for (int threads = 1; threads <= 4; threads++) {
            Parallel.setThreads(threads);
            float[][] got = {
                x.add(bias).toFloatArray(), x.mul(yT).toFloatArray(), x.relu().toFloatArray(),
                xSliced.sub(0.5f).toFloatArray(), Tensor.of(bd, C, 1, 1).add(x.select(0, 3)).toFloatArray()};
            for (int a = 0; a < A; a++) for (int b = 0; b < B; b++) for (int c = 0; c < C; c++) {
                int i = (a * B + b) * C + c;
                float xv = xd[i];
                assertSameBits(xv + bd[c], got[0][i], "bias add", i);
                assertSameBits(xv * yd[(c * B + b) * A + a], got[1][i], "mul by transposed", i);
                assertSameBits(expected(Un.RELU, xv, 0), got[2][i], "relu", i);
                if (c % 2 == 0) assertSameBits(xv + -0.5f, got[3][(a * B + b) * (C / 2) + c / 2], "strided sub", i);
            }
            // [C, 1, 1] + [B, C] -> [C, B, C]: out[c1, b, c] = bias[c1] + x[3, b, c]
            for (int c1 = 0; c1 < C; c1++) for (int b = 0; b < B; b++) for (int c = 0; c < C; c++)
                assertSameBits(bd[c1] + xd[(3 * B + b) * C + c], got[4][(c1 * B + b) * C + c], "outer broadcast", c1);
            if (previous != null) for (int k = 0; k < got.length; k++) assertArrayEquals(previous[k], got[k], "threads " + threads);
            previous = got;
        }
    }

    @Test
    void fusedBackwardRulesMatchUnfusedProducts() {
        Random r = new Random(10);
        float[] xd = values(r, 70_001), gd = values(r, 70_001);
        Tensor g = Tensor.of(gd, 70_001);
        for (String act : new String[] {"relu", "sigmoid", "tanh"}) {
            Tensor x = Tensor.of(xd.clone(), 70_001).requiresGrad(true);
            Tensor y = act.equals("relu") ? x.relu() : act.equals("sigmoid") ? x.sigmoid() : x.tanh();
            y.backward(g);
            float[] dx = x.grad().toFloatArray(), yv = y.detach().toFloatArray();
            for (int i = 0; i < xd.length; i++) {
                float local = act.equals("relu") ? (xd[i] > 0 ? 1f : 0f) : act.equals("sigmoid") ? yv[i] * (1f - yv[i]) : 1f - yv[i] * yv[i];
                assertSameBits(gd[i] * local, dx[i], act + " backward", i);
            }
        }
    }

    /** pow(x, 2) and pow(x, 1) (the backward of a square) take kernel paths: same bits as Math.pow. */
    @Test
    void powerFastPathsMatchMathPow() {
        Random r = new Random(11);
        float[] xd = values(r, 1000);
        Tensor x = Tensor.of(xd, 1000);
        for (float p : new float[] {2f, 1f}) {
            float[] got = x.pow(p).toFloatArray();
            for (int i = 0; i < xd.length; i++) assertSameBits((float) Math.pow(xd[i], p), got[i], "pow " + p, i);
        }
    }

    /** Parallel chunks that end mid-row of a strided walk: x [1000, 77] + yᵀ (77 does not divide the chunk size). */
    @Test
    void parallelChunksSplitRowsOfStridedWalksCorrectly() {
        Random r = new Random(12);
        int R = 1000, C = 77;
        float[] xd = values(r, R * C), yd = values(r, R * C);
        Tensor x = Tensor.of(xd, R, C), yT = Tensor.of(yd, C, R).t(); // yT[i, j] = yd[j * R + i]
        for (int threads = 1; threads <= 3; threads++) {
            Parallel.setThreads(threads);
            float[] got = x.sub(yT).toFloatArray();
            for (int i = 0; i < R; i++) for (int j = 0; j < C; j++)
                assertSameBits(xd[i * C + j] - yd[j * R + i], got[i * C + j], "x - yT threads " + threads, i * C + j);
        }
    }

    /**
     * exp: the scalar twin is (float) Math.exp; the SIMD row is within 1 ulp of it (sigmoid: 4 ulps,
     * or 1e-37 absolute where the exact value is subnormal), and every element
     * goes through the same SIMD exp, so a value gives the same bits at any position, in a tail, in a
     * strided row or in a broadcast row.
     */
    @Test
    void expAndSigmoidRowsAreCloseAndIndependentOfPosition() {
        Random r = new Random(13);
        for (Un op : new Un[] {Un.EXP, Un.SIGMOID}) for (int n : LENGTHS) {
            float[] s = values(r, 2 * n + 3);
            for (int k = 0; k < s.length; k++) if (r.nextBoolean()) s[k] = (r.nextFloat() - 0.5f) * 180f; // over/underflow too
            float[] twin = new float[n], got = new float[n], shifted = new float[n + 1], strided = new float[n];
            ElementwiseKernels.unaryScalar(op, s, 1, 1, twin, 0, n, 0);
            ElementwiseKernels.unary(op, s, 1, 1, got, 0, n, 0);
            ElementwiseKernels.unary(op, s, 1, 1, shifted, 1, n, 0);
            float[] spread = new float[2 * n + 3]; // the same values at stride 2
            for (int k = 0; k < n; k++) spread[2 * k] = s[1 + k];
            ElementwiseKernels.unary(op, spread, 0, 2, strided, 0, n, 0);
            for (int k = 0; k < n; k++) {
                assertSameBits(expected(op, s[1 + k], 0), twin[k], op + " scalar twin", k);
                float want = twin[k], g = got[k];
                int ulps = op == Un.EXP ? 1 : 4;
                if (Float.isNaN(want) || Float.isInfinite(want) || want == 0f) assertSameBits(want, g, op + " special", k);
                else if (!(op == Un.SIGMOID && Math.abs(want - g) <= 1e-37f))
                    assertTrue(Math.abs(Float.floatToIntBits(want) - Float.floatToIntBits(g)) <= ulps, op + " within " + ulps + " ulps at " + k + ": " + want + " vs " + g);
                assertSameBits(g, shifted[k + 1], op + " at another offset", k);
                assertSameBits(g, strided[k], op + " of a strided row", k);
                float[] one = new float[1];
                ElementwiseKernels.unary(op, s, 1 + k, 0, one, 0, 1, 0);
                assertSameBits(g, one[0], op + " of a broadcast value", k);
            }
        }
    }
}
