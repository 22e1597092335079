package dev.weft.engine.kernels;

import dev.weft.engine.kernels.ElementwiseKernels.Bin;
import dev.weft.engine.kernels.ElementwiseKernels.Un;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API rows of {@link ElementwiseKernels}: the vector body covers whole vectors, the tail
 * (fewer than one vector) runs in the scalar twin. Each lane evaluates the same float expression as
 * the scalar twin, so results are bit-identical to it. Binary rows take strides (1, 1), (1, 0) or
 * (0, 1); a stride-0 operand is one value broadcast into a register. Loaded only when
 * {@link VectorSupport#ENABLED}.
 *
 * <p>One method per op keeps every lanewise operation a compile-time constant, which the JIT needs
 * to emit SIMD instructions.
 */
final class ElementwiseVector {
    private ElementwiseVector() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    private static final FloatVector ZERO = FloatVector.zero(S);
    private static final FloatVector ONE = FloatVector.broadcast(S, 1f);

    static void binary(Bin op, float[] a, int i, int sa, float[] b, int j, int sb, float[] d, int o, int n) {
        int end = S.loopBound(n);
        switch (op) {
            case ADD: add(a, i, sa, b, j, sb, d, o, end); break;
            case SUB: sub(a, i, sa, b, j, sb, d, o, end); break;
            case MUL: mul(a, i, sa, b, j, sb, d, o, end); break;
            case DIV: div(a, i, sa, b, j, sb, d, o, end); break;
            case MAX: max(a, i, sa, b, j, sb, d, o, end); break;
            case MIN: min(a, i, sa, b, j, sb, d, o, end); break;
            case MUL_STEP: mulStep(a, i, sa, b, j, sb, d, o, end); break;
            case MUL_SIGMOID_GRAD: mulSigmoidGrad(a, i, sa, b, j, sb, d, o, end); break;
            case MUL_TANH_GRAD: mulTanhGrad(a, i, sa, b, j, sb, d, o, end); break;
            default: throw new AssertionError(op);
        }
        ElementwiseKernels.binaryScalar(op, a, i + end * sa, sa, b, j + end * sb, sb, d, o + end, n - end);
    }

    /**
     * dst[o + k] = e^src[i + k·ss] with {@link ElementwiseMath#exp} for every element: whole vectors
     * of a contiguous row are read in place, the rest (tail, strided rows) through a one-vector buffer.
     */
    static void exp(float[] s, int i, int ss, float[] d, int o, int n) {
        int k = 0;
        if (ss == 1) {
            for (int end = S.loopBound(n); k < end; k += L)
                ElementwiseMath.exp(FloatVector.fromArray(S, s, i + k)).intoArray(d, o + k);
        }
        if (k == n) return;
        float[] buf = new float[L];
        while (k < n) {
            int m = Math.min(L, n - k);
            for (int t = 0; t < m; t++) buf[t] = s[i + (k + t) * ss];
            ElementwiseMath.exp(FloatVector.fromArray(S, buf, 0)).intoArray(buf, 0);
            System.arraycopy(buf, 0, d, o + k, m);
            k += m;
        }
    }

    /** σ(x) = 1 / (1 + e^-x) in float lanes for every element, like {@link #exp}. */
    static void sigmoid(float[] s, int i, int ss, float[] d, int o, int n) {
        int k = 0;
        if (ss == 1) {
            for (int end = S.loopBound(n); k < end; k += L) sigmoid(FloatVector.fromArray(S, s, i + k)).intoArray(d, o + k);
        }
        if (k == n) return;
        float[] buf = new float[L];
        while (k < n) {
            int m = Math.min(L, n - k);
            for (int t = 0; t < m; t++) buf[t] = s[i + (k + t) * ss];
            sigmoid(FloatVector.fromArray(S, buf, 0)).intoArray(buf, 0);
            System.arraycopy(buf, 0, d, o + k, m);
            k += m;
        }
    }

    // e^-x overflows to inf below x ~ -88.7, giving 0 where the exact value is a subnormal float.
    private static FloatVector sigmoid(FloatVector x) {
        return ONE.div(ONE.add(ElementwiseMath.expSaturating(x.neg())));
    }

    static void unary(Un op, float[] s, int i, float[] d, int o, int n, float p) {
        int end = S.loopBound(n);
        FloatVector P = FloatVector.broadcast(S, p);
        switch (op) {
            case ADD_S: addS(s, i, d, o, end, P); break;
            case MUL_S: mulS(s, i, d, o, end, P); break;
            case SQUARE: square(s, i, d, o, end, P); break;
            case RELU: relu(s, i, d, o, end, P); break;
            case STEP: step(s, i, d, o, end, P); break;
            case LEAKY_RELU: leakyRelu(s, i, d, o, end, P); break;
            case LEAKY_STEP: leakyStep(s, i, d, o, end, P); break;
            case ABS: abs(s, i, d, o, end, P); break;
            case SIGMOID_GRAD: sigmoidGrad(s, i, d, o, end, P); break;
            case TANH_GRAD: tanhGrad(s, i, d, o, end, P); break;
            default: throw new AssertionError(op);
        }
        ElementwiseKernels.unaryScalar(op, s, i + end, 1, d, o + end, n - end, p);
    }

    private static void add(float[] a, int i, int sa, float[] b, int j, int sb, float[] d, int o, int end) {
        if (sb == 0) {
            FloatVector y = FloatVector.broadcast(S, b[j]);
            for (int k = 0; k < end; k += L) { FloatVector x = FloatVector.fromArray(S, a, i + k); x.add(y).intoArray(d, o + k); }
        } else if (sa == 0) {
            FloatVector x = FloatVector.broadcast(S, a[i]);
            for (int k = 0; k < end; k += L) { FloatVector y = FloatVector.fromArray(S, b, j + k); x.add(y).intoArray(d, o + k); }
        } else {
            for (int k = 0; k < end; k += L) {
                FloatVector x = FloatVector.fromArray(S, a, i + k), y = FloatVector.fromArray(S, b, j + k);
                x.add(y).intoArray(d, o + k);
            }
        }
    }

    private static void sub(float[] a, int i, int sa, float[] b, int j, int sb, float[] d, int o, int end) {
        if (sb == 0) {
            FloatVector y = FloatVector.broadcast(S, b[j]);
            for (int k = 0; k < end; k += L) { FloatVector x = FloatVector.fromArray(S, a, i + k); x.sub(y).intoArray(d, o + k); }
        } else if (sa == 0) {
            FloatVector x = FloatVector.broadcast(S, a[i]);
            for (int k = 0; k < end; k += L) { FloatVector y = FloatVector.fromArray(S, b, j + k); x.sub(y).intoArray(d, o + k); }
        } else {
            for (int k = 0; k < end; k += L) {
                FloatVector x = FloatVector.fromArray(S, a, i + k), y = FloatVector.fromArray(S, b, j + k);
                x.sub(y).intoArray(d, o + k);
            }
        }
    }

    private static void mul(float[] a, int i, int sa, float[] b, int j, int sb, float[] d, int o, int end) {
        if (sb == 0) {
            FloatVector y = FloatVector.broadcast(S, b[j]);
            for (int k = 0; k < end; k += L) { FloatVector x = FloatVector.fromArray(S, a, i + k); x.mul(y).intoArray(d, o + k); }
        } else if (sa == 0) {
            FloatVector x = FloatVector.broadcast(S, a[i]);
            for (int k = 0; k < end; k += L) { FloatVector y = FloatVector.fromArray(S, b, j + k); x.mul(y).intoArray(d, o + k); }
        } else {
            for (int k = 0; k < end; k += L) {
                FloatVector x = FloatVector.fromArray(S, a, i + k), y = FloatVector.fromArray(S, b, j + k);
                x.mul(y).intoArray(d, o + k);
            }
        }
    }

    private static void div(float[] a, int i, int sa, float[] b, int j, int sb, float[] d, int o, int end) {
        if (sb == 0) {
            FloatVector y = FloatVector.broadcast(S, b[j]);
            for (int k = 0; k < end; k += L) { FloatVector x = FloatVector.fromArray(S, a, i + k); x.div(y).intoArray(d, o + k); }
        } else if (sa == 0) {
            FloatVector x = FloatVector.broadcast(S, a[i]);
            for (int k = 0; k < end; k += L) { FloatVector y = FloatVector.fromArray(S, b, j + k); x.div(y).intoArray(d, o + k); }
        } else {
            for (int k = 0; k < end; k += L) {
                FloatVector x = FloatVector.fromArray(S, a, i + k), y = FloatVector.fromArray(S, b, j + k);
                x.div(y).intoArray(d, o + k);
            }
        }
    }

    private static void max(float[] a, int i, int sa, float[] b, int j, int sb, float[] d, int o, int end) {
        if (sb == 0) {
            FloatVector y = FloatVector.broadcast(S, b[j]);
            for (int k = 0; k < end; k += L) { FloatVector x = FloatVector.fromArray(S, a, i + k); x.max(y).intoArray(d, o + k); }
        } else if (sa == 0) {
            FloatVector x = FloatVector.broadcast(S, a[i]);
            for (int k = 0; k < end; k += L) { FloatVector y = FloatVector.fromArray(S, b, j + k); x.max(y).intoArray(d, o + k); }
        } else {
            for (int k = 0; k < end; k += L) {
                FloatVector x = FloatVector.fromArray(S, a, i + k), y = FloatVector.fromArray(S, b, j + k);
                x.max(y).intoArray(d, o + k);
            }
        }
    }

    private static void min(float[] a, int i, int sa, float[] b, int j, int sb, float[] d, int o, int end) {
        if (sb == 0) {
            FloatVector y = FloatVector.broadcast(S, b[j]);
            for (int k = 0; k < end; k += L) { FloatVector x = FloatVector.fromArray(S, a, i + k); x.min(y).intoArray(d, o + k); }
        } else if (sa == 0) {
            FloatVector x = FloatVector.broadcast(S, a[i]);
            for (int k = 0; k < end; k += L) { FloatVector y = FloatVector.fromArray(S, b, j + k); x.min(y).intoArray(d, o + k); }
        } else {
            for (int k = 0; k < end; k += L) {
                FloatVector x = FloatVector.fromArray(S, a, i + k), y = FloatVector.fromArray(S, b, j + k);
                x.min(y).intoArray(d, o + k);
            }
        }
    }

    private static void mulStep(float[] a, int i, int sa, float[] b, int j, int sb, float[] d, int o, int end) {
        if (sb == 0) {
            FloatVector y = FloatVector.broadcast(S, b[j]);
            for (int k = 0; k < end; k += L) { FloatVector x = FloatVector.fromArray(S, a, i + k); x.mul(ZERO.blend(ONE, y.compare(VectorOperators.GT, 0f))).intoArray(d, o + k); }
        } else if (sa == 0) {
            FloatVector x = FloatVector.broadcast(S, a[i]);
            for (int k = 0; k < end; k += L) { FloatVector y = FloatVector.fromArray(S, b, j + k); x.mul(ZERO.blend(ONE, y.compare(VectorOperators.GT, 0f))).intoArray(d, o + k); }
        } else {
            for (int k = 0; k < end; k += L) {
                FloatVector x = FloatVector.fromArray(S, a, i + k), y = FloatVector.fromArray(S, b, j + k);
                x.mul(ZERO.blend(ONE, y.compare(VectorOperators.GT, 0f))).intoArray(d, o + k);
            }
        }
    }

    private static void mulSigmoidGrad(float[] a, int i, int sa, float[] b, int j, int sb, float[] d, int o, int end) {
        if (sb == 0) {
            FloatVector y = FloatVector.broadcast(S, b[j]);
            for (int k = 0; k < end; k += L) { FloatVector x = FloatVector.fromArray(S, a, i + k); x.mul(y.mul(ONE.sub(y))).intoArray(d, o + k); }
        } else if (sa == 0) {
            FloatVector x = FloatVector.broadcast(S, a[i]);
            for (int k = 0; k < end; k += L) { FloatVector y = FloatVector.fromArray(S, b, j + k); x.mul(y.mul(ONE.sub(y))).intoArray(d, o + k); }
        } else {
            for (int k = 0; k < end; k += L) {
                FloatVector x = FloatVector.fromArray(S, a, i + k), y = FloatVector.fromArray(S, b, j + k);
                x.mul(y.mul(ONE.sub(y))).intoArray(d, o + k);
            }
        }
    }

    private static void mulTanhGrad(float[] a, int i, int sa, float[] b, int j, int sb, float[] d, int o, int end) {
        if (sb == 0) {
            FloatVector y = FloatVector.broadcast(S, b[j]);
            for (int k = 0; k < end; k += L) { FloatVector x = FloatVector.fromArray(S, a, i + k); x.mul(ONE.sub(y.mul(y))).intoArray(d, o + k); }
        } else if (sa == 0) {
            FloatVector x = FloatVector.broadcast(S, a[i]);
            for (int k = 0; k < end; k += L) { FloatVector y = FloatVector.fromArray(S, b, j + k); x.mul(ONE.sub(y.mul(y))).intoArray(d, o + k); }
        } else {
            for (int k = 0; k < end; k += L) {
                FloatVector x = FloatVector.fromArray(S, a, i + k), y = FloatVector.fromArray(S, b, j + k);
                x.mul(ONE.sub(y.mul(y))).intoArray(d, o + k);
            }
        }
    }

    private static void addS(float[] s, int i, float[] d, int o, int end, FloatVector P) {
        for (int k = 0; k < end; k += L) { FloatVector x = FloatVector.fromArray(S, s, i + k); x.add(P).intoArray(d, o + k); }
    }

    private static void mulS(float[] s, int i, float[] d, int o, int end, FloatVector P) {
        for (int k = 0; k < end; k += L) { FloatVector x = FloatVector.fromArray(S, s, i + k); x.mul(P).intoArray(d, o + k); }
    }

    private static void square(float[] s, int i, float[] d, int o, int end, FloatVector P) {
        for (int k = 0; k < end; k += L) { FloatVector x = FloatVector.fromArray(S, s, i + k); x.mul(x).intoArray(d, o + k); }
    }

    private static void relu(float[] s, int i, float[] d, int o, int end, FloatVector P) {
        for (int k = 0; k < end; k += L) { FloatVector x = FloatVector.fromArray(S, s, i + k); x.blend(ZERO, x.compare(VectorOperators.LE, 0f)).intoArray(d, o + k); }
    }

    private static void step(float[] s, int i, float[] d, int o, int end, FloatVector P) {
        for (int k = 0; k < end; k += L) { FloatVector x = FloatVector.fromArray(S, s, i + k); ZERO.blend(ONE, x.compare(VectorOperators.GT, 0f)).intoArray(d, o + k); }
    }

    private static void leakyRelu(float[] s, int i, float[] d, int o, int end, FloatVector P) {
        for (int k = 0; k < end; k += L) { FloatVector x = FloatVector.fromArray(S, s, i + k); x.mul(P).blend(x, x.compare(VectorOperators.GT, 0f)).intoArray(d, o + k); }
    }

    private static void leakyStep(float[] s, int i, float[] d, int o, int end, FloatVector P) {
        for (int k = 0; k < end; k += L) { FloatVector x = FloatVector.fromArray(S, s, i + k); P.blend(ONE, x.compare(VectorOperators.GT, 0f)).intoArray(d, o + k); }
    }

    private static void abs(float[] s, int i, float[] d, int o, int end, FloatVector P) {
        for (int k = 0; k < end; k += L) { FloatVector x = FloatVector.fromArray(S, s, i + k); x.abs().intoArray(d, o + k); }
    }

    private static void sigmoidGrad(float[] s, int i, float[] d, int o, int end, FloatVector P) {
        for (int k = 0; k < end; k += L) { FloatVector x = FloatVector.fromArray(S, s, i + k); x.mul(ONE.sub(x)).intoArray(d, o + k); }
    }

    private static void tanhGrad(float[] s, int i, float[] d, int o, int end, FloatVector P) {
        for (int k = 0; k < end; k += L) { FloatVector x = FloatVector.fromArray(S, s, i + k); ONE.sub(x.mul(x)).intoArray(d, o + k); }
    }

}
