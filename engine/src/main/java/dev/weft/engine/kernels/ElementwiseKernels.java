package dev.weft.engine.kernels;

/**
 * Row kernels for the common elementwise ops: {@code dst[o + k] = f(a[i + k·sa], b[j + k·sb])} for
 * k in [0, n). Strides are any int; 1 (contiguous) and 0 (a broadcast value) are the fast cases.
 *
 * <p>When {@link VectorSupport#ENABLED} and every stride is 0 or 1, the row runs in
 * {@link ElementwiseVector}; otherwise in the scalar twins here ({@link #binaryScalar},
 * {@link #unaryScalar}), which are also the test oracle. Both evaluate the same float expression
 * per element (no fused multiply-add, no reassociation), so they give identical bits; the one
 * exceptions are {@link Un#EXP}, whose SIMD exp is within 1 ulp of the scalar one, and
 * {@link Un#SIGMOID}, built on it.
 */
public final class ElementwiseKernels {
    private ElementwiseKernels() {}

    /** Rows shorter than this stay scalar: the vector set-up would cost more than it saves. */
    static final int VECTOR_MIN = 8;

    /** Two-input ops with a fast kernel. */
    public enum Bin {
        /** a + b. */ ADD,
        /** a - b. */ SUB,
        /** a · b. */ MUL,
        /** a / b. */ DIV,
        /** Math.max(a, b) (NaN wins; +0 &gt; -0). */ MAX,
        /** Math.min(a, b). */ MIN,
        /** a · (b &gt; 0 ? 1 : 0): ReLU backward, g · step(x). */ MUL_STEP,
        /** a · (b·(1 - b)): sigmoid backward from y = σ(x). */ MUL_SIGMOID_GRAD,
        /** a · (1 - b·b): tanh backward from y = tanh(x). */ MUL_TANH_GRAD
    }

    /** One-input ops with a fast kernel; p is the op's scalar parameter. */
    public enum Un {
        /**
         * e^s. With SIMD every element (tail and strided rows included) goes through
         * {@link ElementwiseMath#exp}, within 1 ulp of the scalar twin's (float) Math.exp (about
         * 0.4 % of floats differ by 1 ulp) and built from exactly rounded lane operations, so a
         * value's result depends neither on its position, the thread count nor the JIT tier.
         */ EXP,
        /**
         * σ(s) = 1/(1 + e^-s); the scalar twin in double, the SIMD row in float lanes on the same
         * exp (a few ulps from the twin; 0 instead of a subnormal below s ~ -88), every element through
         * the same path as for {@link #EXP}.
         */ SIGMOID,
        /** s + p. */ ADD_S,
        /** s · p. */ MUL_S,
        /** s · s. */ SQUARE,
        /** s &lt;= 0 ? 0 : s (NaN propagates). */ RELU,
        /** s &gt; 0 ? 1 : 0. */ STEP,
        /** s &gt; 0 ? s : p·s. */ LEAKY_RELU,
        /** s &gt; 0 ? 1 : p. */ LEAKY_STEP,
        /** |s|. */ ABS,
        /** s·(1 - s). */ SIGMOID_GRAD,
        /** 1 - s·s. */ TANH_GRAD
    }

    /** {@code dst[o + k] = op(a[i + k·sa], b[j + k·sb])}, k in [0, n). */
    public static void binary(Bin op, float[] a, int i, int sa, float[] b, int j, int sb, float[] dst, int o, int n) {
        if (VectorSupport.ENABLED && n >= VECTOR_MIN && (sa == 0 || sa == 1) && (sb == 0 || sb == 1) && (sa | sb) == 1)
            ElementwiseVector.binary(op, a, i, sa, b, j, sb, dst, o, n);
        else binaryScalar(op, a, i, sa, b, j, sb, dst, o, n);
    }

    /** {@code dst[o + k] = op(src[i + k·ss], p)}, k in [0, n). */
    public static void unary(Un op, float[] src, int i, int ss, float[] dst, int o, int n, float p) {
        if (VectorSupport.ENABLED && op == Un.EXP) ElementwiseVector.exp(src, i, ss, dst, o, n);
        else if (VectorSupport.ENABLED && op == Un.SIGMOID) ElementwiseVector.sigmoid(src, i, ss, dst, o, n);
        else if (VectorSupport.ENABLED && n >= VECTOR_MIN && ss == 1 && op != Un.SIGMOID) ElementwiseVector.unary(op, src, i, dst, o, n, p);
        else unaryScalar(op, src, i, ss, dst, o, n, p);
    }

    /** Scalar twin of {@link #binary}. */
    public static void binaryScalar(Bin op, float[] a, int i, int sa, float[] b, int j, int sb, float[] d, int o, int n) {
        // One loop per op so that each is a simple counted loop the JIT can unroll (and, for
        // contiguous rows, auto-vectorise).
        switch (op) {
            case ADD: for (int k = 0; k < n; k++, i += sa, j += sb) d[o + k] = a[i] + b[j]; break;
            case SUB: for (int k = 0; k < n; k++, i += sa, j += sb) d[o + k] = a[i] - b[j]; break;
            case MUL: for (int k = 0; k < n; k++, i += sa, j += sb) d[o + k] = a[i] * b[j]; break;
            case DIV: for (int k = 0; k < n; k++, i += sa, j += sb) d[o + k] = a[i] / b[j]; break;
            case MAX: for (int k = 0; k < n; k++, i += sa, j += sb) d[o + k] = Math.max(a[i], b[j]); break;
            case MIN: for (int k = 0; k < n; k++, i += sa, j += sb) d[o + k] = Math.min(a[i], b[j]); break;
            case MUL_STEP: for (int k = 0; k < n; k++, i += sa, j += sb) d[o + k] = a[i] * (b[j] > 0f ? 1f : 0f); break;
            case MUL_SIGMOID_GRAD: for (int k = 0; k < n; k++, i += sa, j += sb) d[o + k] = a[i] * (b[j] * (1f - b[j])); break;
            case MUL_TANH_GRAD: for (int k = 0; k < n; k++, i += sa, j += sb) d[o + k] = a[i] * (1f - b[j] * b[j]); break;
            default: throw new AssertionError(op);
        }
    }

    /** Scalar twin of {@link #unary}. */
    public static void unaryScalar(Un op, float[] s, int i, int ss, float[] d, int o, int n, float p) {
        switch (op) {
            case EXP: for (int k = 0; k < n; k++, i += ss) d[o + k] = (float) Math.exp(s[i]); break;
            case SIGMOID:
                for (int k = 0; k < n; k++, i += ss) {
                    // e = e^-|s| never overflows; 1/(1+e) for s >= 0 and e/(1+e) below. The select
                    // instead of a branch on the sign keeps random signs from stalling the loop.
                    double v = s[i], e = Math.exp(-Math.abs(v));
                    d[o + k] = (float) ((v >= 0 ? 1.0 : e) / (1.0 + e));
                }
                break;
            case ADD_S: for (int k = 0; k < n; k++, i += ss) d[o + k] = s[i] + p; break;
            case MUL_S: for (int k = 0; k < n; k++, i += ss) d[o + k] = s[i] * p; break;
            case SQUARE: for (int k = 0; k < n; k++, i += ss) d[o + k] = s[i] * s[i]; break;
            case RELU: for (int k = 0; k < n; k++, i += ss) d[o + k] = s[i] <= 0f ? 0f : s[i]; break;
            case STEP: for (int k = 0; k < n; k++, i += ss) d[o + k] = s[i] > 0f ? 1f : 0f; break;
            case LEAKY_RELU: for (int k = 0; k < n; k++, i += ss) d[o + k] = s[i] > 0f ? s[i] : p * s[i]; break;
            case LEAKY_STEP: for (int k = 0; k < n; k++, i += ss) d[o + k] = s[i] > 0f ? 1f : p; break;
            case ABS: for (int k = 0; k < n; k++, i += ss) d[o + k] = Math.abs(s[i]); break;
            case SIGMOID_GRAD: for (int k = 0; k < n; k++, i += ss) d[o + k] = s[i] * (1f - s[i]); break;
            case TANH_GRAD: for (int k = 0; k < n; k++, i += ss) d[o + k] = 1f - s[i] * s[i]; break;
            default: throw new AssertionError(op);
        }
    }
}
