package dev.weft.engine.ops;

import dev.weft.engine.Shape;
import dev.weft.engine.Tensor;
import dev.weft.engine.kernels.ElementwiseKernels;
import dev.weft.engine.kernels.ElementwiseKernels.Bin;
import dev.weft.engine.kernels.ElementwiseKernels.Un;

/**
 * Elementwise ops with NumPy broadcasting. Each public op is its forward (a row kernel over
 * strided operands) followed by its backward rule, written with tensor ops.
 *
 * <p>The common kernels (arithmetic, ReLU, the activation gradients) run in
 * {@link ElementwiseKernels} (SIMD when available); large outputs are filled in parallel chunks
 * (each element is computed alone, so any split gives the same bits).
 */
public final class Elementwise {
    private Elementwise() {}

    // ---------------------------------------------------------------- binary ops

    /** a + b. */
    public static Tensor add(Tensor a, Tensor b) {
        return binary(Binary.ADD, a, b).recordOp("add", g -> new Tensor[] {g, g}, a, b);
    }

    /** a - b. */
    public static Tensor sub(Tensor a, Tensor b) {
        return binary(Binary.SUB, a, b).recordOp("sub", g -> new Tensor[] {g, g.neg()}, a, b);
    }

    /** a * b. */
    public static Tensor mul(Tensor a, Tensor b) {
        return binary(Binary.MUL, a, b).recordOp("mul", g -> new Tensor[] {
                a.requiresGrad() ? g.mul(b) : null,
                b.requiresGrad() ? g.mul(a) : null}, a, b);
    }

    /** a / b. */
    public static Tensor div(Tensor a, Tensor b) {
        return binary(Binary.DIV, a, b).recordOp("div", g -> new Tensor[] {
                a.requiresGrad() ? g.div(b) : null,
                b.requiresGrad() ? g.mul(a).div(b.mul(b)).neg() : null}, a, b);
    }

    /** a ^ b. d/da = b·a^(b-1) (0 where b == 0, like torch); d/db = a^b·ln a (taken as 0 where a == 0, like torch). */
    public static Tensor pow(Tensor a, Tensor b) {
        Tensor y = binary(Binary.POW, a, b);
        return y.recordOp("pow", g -> new Tensor[] {
                a.requiresGrad() ? g.mul(binary(Binary.POW_DBASE, a, b)) : null,
                b.requiresGrad() ? g.mul(y).mul(unary(Unary.LOG_OR_ZERO, a)) : null}, a, b);
    }

    /** Elementwise maximum; on ties the gradient is split in half (torch's rule). */
    public static Tensor maximum(Tensor a, Tensor b) {
        return binary(Binary.MAX, a, b).recordOp("maximum", g -> new Tensor[] {
                g.mul(binary(Binary.WIN_GT, a, b)), g.mul(binary(Binary.WIN_GT, b, a))}, a, b);
    }

    /** Elementwise minimum; on ties the gradient is split in half. */
    public static Tensor minimum(Tensor a, Tensor b) {
        return binary(Binary.MIN, a, b).recordOp("minimum", g -> new Tensor[] {
                g.mul(binary(Binary.WIN_GT, b, a)), g.mul(binary(Binary.WIN_GT, a, b))}, a, b);
    }

    /** 1 where a &gt; b, else 0 (no gradient). */
    public static Tensor gt(Tensor a, Tensor b) { return binary(Binary.GT, a, b); }
    /** 1 where a &gt;= b, else 0 (no gradient). */
    public static Tensor ge(Tensor a, Tensor b) { return binary(Binary.GE, a, b); }
    /** 1 where a == b, else 0 (no gradient). */
    public static Tensor eq(Tensor a, Tensor b) { return binary(Binary.EQ, a, b); }

    // ---------------------------------------------------------------- scalar ops

    /** x + s. */
    public static Tensor addScalar(Tensor x, float s) {
        return unary(Unary.ADD_S, x, s, 0).recordOp("add", g -> new Tensor[] {g}, x);
    }

    /** x * s. */
    public static Tensor mulScalar(Tensor x, float s) {
        return unary(Unary.MUL_S, x, s, 0).recordOp("mul", g -> new Tensor[] {g.mul(s)}, x);
    }

    /** x ^ p. */
    public static Tensor powScalar(Tensor x, float p) {
        return unary(Unary.POW_S, x, p, 0).recordOp("pow", g -> new Tensor[] {
                p == 0 ? Tensor.zeros(x.shape()) : g.mul(unary(Unary.POW_S, x, p - 1, 0)).mul(p)}, x);
    }

    // ---------------------------------------------------------------- unary math and activations

    /** e^x. */
    public static Tensor exp(Tensor x) {
        Tensor y = unary(Unary.EXP, x);
        return y.recordOp("exp", g -> new Tensor[] {g.mul(y)}, x);
    }

    /** ln x. */
    public static Tensor log(Tensor x) {
        return unary(Unary.LOG, x).recordOp("log", g -> new Tensor[] {g.div(x)}, x);
    }

    /** sqrt x. */
    public static Tensor sqrt(Tensor x) {
        Tensor y = unary(Unary.SQRT, x);
        return y.recordOp("sqrt", g -> new Tensor[] {g.div(y).mul(0.5f)}, x);
    }

    /** |x|; the gradient is sign(x), 0 at 0. */
    public static Tensor abs(Tensor x) {
        return unary(Unary.ABS, x).recordOp("abs", g -> new Tensor[] {g.mul(unary(Unary.SIGN, x))}, x);
    }

    /** Clamps into [min, max]; the gradient passes where min &lt;= x &lt;= max. */
    public static Tensor clamp(Tensor x, float min, float max) {
        if (min > max) throw new IllegalArgumentException("clamp: min " + min + " > max " + max);
        return unary(Unary.CLAMP, x, min, max).recordOp("clamp", g -> new Tensor[] {g.mul(unary(Unary.IN_RANGE, x, min, max))}, x);
    }

    /** max(x, 0); the gradient is 1 where x &gt; 0. */
    public static Tensor relu(Tensor x) {
        return unary(Unary.RELU, x).recordOp("relu", g -> new Tensor[] {binary(Binary.MUL_STEP, g, x)}, x);
    }

    /** x if x &gt; 0 else slope·x. */
    public static Tensor leakyRelu(Tensor x, float slope) {
        return unary(Unary.LEAKY_RELU, x, slope, 0).recordOp("leaky_relu", g -> new Tensor[] {g.mul(unary(Unary.LEAKY_STEP, x, slope, 0))}, x);
    }

    /** σ(x) = 1/(1+e^-x), computed without overflow; the gradient is y(1-y). */
    public static Tensor sigmoid(Tensor x) {
        Tensor y = unary(Unary.SIGMOID, x);
        return y.recordOp("sigmoid", g -> new Tensor[] {binary(Binary.MUL_SIGMOID_GRAD, g, y)}, x);
    }

    /** tanh x; the gradient is 1 - y². */
    public static Tensor tanh(Tensor x) {
        Tensor y = unary(Unary.TANH, x);
        return y.recordOp("tanh", g -> new Tensor[] {binary(Binary.MUL_TANH_GRAD, g, y)}, x);
    }

    /** sign(x) (no gradient). */
    public static Tensor sign(Tensor x) { return unary(Unary.SIGN, x); }

    // ---------------------------------------------------------------- raw kernels

    /** Applies a unary kernel into a new contiguous tensor (no autograd). */
    public static Tensor unary(Unary op, Tensor x) { return unary(op, x, 0, 0); }

    /** Applies a unary kernel with two scalar parameters (no autograd). */
    public static Tensor unary(Unary op, Tensor x, float p, float q) {
        int[] shape = x.shape();
        Tensor out = Tensor.zeros(shape);
        float[] src = x.storage(), dst = out.storage();
        Strided plan = Strided.plan(shape, x.strides(), out.strides());
        int sx = plan.innerStride(0);
        plan.forEachRowParallel(new int[] {x.offset(), 0}, (o, n) -> op.row(src, o[0], sx, dst, o[1], n, p, q));
        return out;
    }

    /** Applies a binary kernel with broadcasting into a new contiguous tensor (no autograd). */
    public static Tensor binary(Binary op, Tensor a, Tensor b) {
        int[] shape = Shape.broadcast(op.name, a.shape(), b.shape());
        Tensor ea = Views.expandRaw(op.name, a, shape), eb = Views.expandRaw(op.name, b, shape);
        Tensor out = Tensor.zeros(shape);
        float[] x = a.storage(), y = b.storage(), dst = out.storage();
        Strided plan = Strided.plan(shape, ea.strides(), eb.strides(), out.strides());
        int sa = plan.innerStride(0), sb = plan.innerStride(1);
        plan.forEachRowParallel(new int[] {ea.offset(), eb.offset(), 0}, (o, n) -> op.row(x, o[0], sa, y, o[1], sb, dst, o[2], n));
        return out;
    }

    /** Row kernels of one input: {@code dst[d+i] = f(src[s + i*ss])}, with parameters p, q. */
    public enum Unary {
        ADD_S(Un.ADD_S),
        MUL_S(Un.MUL_S),
        POW_S { void row(float[] s, int i, int ss, float[] d, int o, int n, float p, float q) {
            if (p == 2f) ElementwiseKernels.unary(Un.SQUARE, s, i, ss, d, o, n, p);
            else if (p == 1f) ElementwiseKernels.unary(Un.MUL_S, s, i, ss, d, o, n, 1f); // pow(s, 1) is s: the backward of s²
            else for (int k = 0; k < n; k++, i += ss) d[o + k] = (float) Math.pow(s[i], p); } },
        EXP(Un.EXP),
        LOG { void row(float[] s, int i, int ss, float[] d, int o, int n, float p, float q) { for (int k = 0; k < n; k++, i += ss) d[o + k] = (float) Math.log(s[i]); } },
        LOG_OR_ZERO { void row(float[] s, int i, int ss, float[] d, int o, int n, float p, float q) { for (int k = 0; k < n; k++, i += ss) d[o + k] = s[i] == 0 ? 0f : (float) Math.log(s[i]); } },
        SQRT { void row(float[] s, int i, int ss, float[] d, int o, int n, float p, float q) { for (int k = 0; k < n; k++, i += ss) d[o + k] = (float) Math.sqrt(s[i]); } },
        ABS(Un.ABS),
        SIGN { void row(float[] s, int i, int ss, float[] d, int o, int n, float p, float q) { for (int k = 0; k < n; k++, i += ss) d[o + k] = Math.signum(s[i]); } },
        CLAMP { void row(float[] s, int i, int ss, float[] d, int o, int n, float p, float q) {
            for (int k = 0; k < n; k++, i += ss) { float v = s[i]; d[o + k] = v < p ? p : (v > q ? q : v); } } },
        IN_RANGE { void row(float[] s, int i, int ss, float[] d, int o, int n, float p, float q) { for (int k = 0; k < n; k++, i += ss) d[o + k] = s[i] >= p && s[i] <= q ? 1f : 0f; } },
        // "<= 0 ? 0 : x" rather than "> 0 ? x : 0" so that NaN propagates, as in torch.
        RELU(Un.RELU),
        STEP(Un.STEP),
        LEAKY_RELU(Un.LEAKY_RELU),
        LEAKY_STEP(Un.LEAKY_STEP),
        SIGMOID(Un.SIGMOID),
        SIGMOID_GRAD(Un.SIGMOID_GRAD),
        TANH { void row(float[] s, int i, int ss, float[] d, int o, int n, float p, float q) { for (int k = 0; k < n; k++, i += ss) d[o + k] = (float) Math.tanh(s[i]); } },
        TANH_GRAD(Un.TANH_GRAD);

        /** The fast kernel computing this op (same bits as a scalar loop), or null: then row is overridden. */
        private final Un kernel;

        Unary() { this(null); }

        Unary(Un kernel) { this.kernel = kernel; }

        void row(float[] src, int srcOff, int srcStride, float[] dst, int dstOff, int n, float p, float q) {
            ElementwiseKernels.unary(kernel, src, srcOff, srcStride, dst, dstOff, n, p);
        }
    }

    /** Row kernels of two inputs: {@code dst[d+i] = f(a[ia + i*sa], b[ib + i*sb])}. */
    public enum Binary {
        ADD("add", Bin.ADD),
        SUB("sub", Bin.SUB),
        MUL("mul", Bin.MUL),
        DIV("div", Bin.DIV),
        POW("pow") { void row(float[] a, int i, int sa, float[] b, int j, int sb, float[] d, int o, int n) { for (int k = 0; k < n; k++, i += sa, j += sb) d[o + k] = (float) Math.pow(a[i], b[j]); } },
        /** d(a^b)/da = b·a^(b-1), defined as 0 where b == 0 (else 0·0^-1 would give NaN at a == 0). */
        POW_DBASE("pow") { void row(float[] a, int i, int sa, float[] b, int j, int sb, float[] d, int o, int n) { for (int k = 0; k < n; k++, i += sa, j += sb) d[o + k] = b[j] == 0f ? 0f : b[j] * (float) Math.pow(a[i], b[j] - 1f); } },
        MAX("maximum", Bin.MAX),
        MIN("minimum", Bin.MIN),
        /** 1 where a wins, 0.5 on a tie, 0 where it loses: the share of a max/min gradient. */
        WIN_GT("maximum") { void row(float[] a, int i, int sa, float[] b, int j, int sb, float[] d, int o, int n) { for (int k = 0; k < n; k++, i += sa, j += sb) d[o + k] = a[i] > b[j] ? 1f : (a[i] == b[j] ? 0.5f : 0f); } },
        GT("gt") { void row(float[] a, int i, int sa, float[] b, int j, int sb, float[] d, int o, int n) { for (int k = 0; k < n; k++, i += sa, j += sb) d[o + k] = a[i] > b[j] ? 1f : 0f; } },
        GE("ge") { void row(float[] a, int i, int sa, float[] b, int j, int sb, float[] d, int o, int n) { for (int k = 0; k < n; k++, i += sa, j += sb) d[o + k] = a[i] >= b[j] ? 1f : 0f; } },
        EQ("eq") { void row(float[] a, int i, int sa, float[] b, int j, int sb, float[] d, int o, int n) { for (int k = 0; k < n; k++, i += sa, j += sb) d[o + k] = a[i] == b[j] ? 1f : 0f; } },
        /** a·step(b) = a·(b &gt; 0 ? 1 : 0): the ReLU backward g·step(x) in one pass. */
        MUL_STEP("relu", Bin.MUL_STEP),
        /** a·b(1-b): the sigmoid backward g·y(1-y) in one pass. */
        MUL_SIGMOID_GRAD("sigmoid", Bin.MUL_SIGMOID_GRAD),
        /** a·(1-b²): the tanh backward g·(1-y²) in one pass. */
        MUL_TANH_GRAD("tanh", Bin.MUL_TANH_GRAD);

        final String name;
        /** The fast kernel computing this op, or null: then row is overridden. */
        private final Bin kernel;

        Binary(String name) { this(name, null); }

        Binary(String name, Bin kernel) {
            this.name = name;
            this.kernel = kernel;
        }

        void row(float[] a, int aOff, int aStride, float[] b, int bOff, int bStride, float[] dst, int dstOff, int n) {
            ElementwiseKernels.binary(kernel, a, aOff, aStride, b, bOff, bStride, dst, dstOff, n);
        }
    }
}
