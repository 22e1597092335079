package dev.weft.engine.ops;

import dev.weft.engine.Shape;
import dev.weft.engine.Tensor;
import dev.weft.engine.kernels.Gemm;
import dev.weft.engine.kernels.ReduceKernels;

/** Matrix products through the GEMM kernel, with torch.matmul's rules for 1-D and batched operands. */
public final class LinAlg {
    private LinAlg() {}

    /**
     * a @ b. 1-D operands are promoted (a vector as a row on the left, a column on the right) and the
     * added dim removed again; batch dims ({@code [..., m, k] @ [..., k, n]}) broadcast.
     * Backward: dA = g @ Bᵀ, dB = Aᵀ @ g (batch broadcasting summed back by the graph walk).
     */
    public static Tensor matmul(Tensor a, Tensor b) {
        if (a.dim() == 0 || b.dim() == 0)
            throw new IllegalArgumentException("matmul: both operands need at least 1 dim, got " + Shape.str(a.shape()) + " and " + Shape.str(b.shape()));
        // vector @ vector: the inner call already removed b's added dim, leaving [1] -> 0-D.
        if (a.dim() == 1) return matmul(a.unsqueeze(0), b).squeeze(b.dim() == 1 ? -1 : -2);
        if (b.dim() == 1) return matmul(a, b.unsqueeze(1)).squeeze(-1);
        Tensor y = matmulRaw(a, b);
        return y.recordOp("matmul", g -> new Tensor[] {
                a.requiresGrad() ? matmulRaw(g, b.transpose(-1, -2)) : null,
                b.requiresGrad() ? matmulRaw(a.transpose(-1, -2), g) : null}, a, b);
    }

    /**
     * A fully connected layer: {@code x [M, K] @ w [K, N] + b [N]} (b added to every row), computed
     * in one GEMM whose tiles get the bias as they are written (no second pass over the output).
     * Equals {@code x.matmul(w).add(b)}; b may be null. torch: {@code F.linear(x, w.T, b)}.
     * Backward: dx = g @ wᵀ, dw = xᵀ @ g, db = column sums of g.
     */
    public static Tensor linear(Tensor x, Tensor w, Tensor b) {
        checkLinear("linear", x, w, b);
        if (b == null) return matmul(x, w);
        Tensor out = linearForward(x, w, b, false);
        return out.recordOp("linear", g -> linearGradients(g, x, w, b), x, w, b);
    }

    /**
     * {@code relu(x [M, K] @ w [K, N] + b [N])} with the ReLU applied as the GEMM writes its output:
     * a Dense layer with a ReLU activation, one [M, N] array written once instead of two. Equals
     * {@code x.linear(w, b).relu()} bit for bit, forward and backward; b may be null (then it is
     * that composition). Backward: gz = g where out &gt; 0 (out &gt; 0 exactly where x·w + b &gt; 0),
     * then as {@link #linear}.
     */
    public static Tensor linearRelu(Tensor x, Tensor w, Tensor b) {
        checkLinear("linearRelu", x, w, b);
        if (b == null) return matmul(x, w).relu();
        Tensor out = linearForward(x, w, b, true);
        return out.recordOp("linear_relu",
                g -> linearGradients(Elementwise.binary(Elementwise.Binary.MUL_STEP, g, out), x, w, b), x, w, b);
    }

    private static void checkLinear(String op, Tensor x, Tensor w, Tensor b) {
        if (x == null || w == null) throw new IllegalArgumentException(op + ": x and w must not be null");
        if (x.dim() != 2 || w.dim() != 2 || x.size(1) != w.size(0))
            throw new IllegalArgumentException(op + ": expects x [M, K] and w [K, N], got " + Shape.str(x.shape())
                    + " and " + Shape.str(w.shape()));
        if (b != null && (b.dim() != 1 || b.size(0) != w.size(1)))
            throw new IllegalArgumentException(op + ": bias must be [" + w.size(1) + "] for w " + Shape.str(w.shape()) + ", got "
                    + Shape.str(b.shape()));
    }

    /** out [M, N] = x · w + b (then max(·, 0) when relu): the GEMM adds b, and applies the ReLU, while writing its output tiles. */
    private static Tensor linearForward(Tensor x, Tensor w, Tensor b, boolean relu) {
        int m = x.size(0), k = x.size(1), n = w.size(1);
        Tensor out = Tensor.zeros(m, n);
        if (m > 0 && n > 0) {
            Operand oa = Operand.of(x), ob = Operand.of(w);
            Tensor bc = b.contiguous();
            Gemm.sgemmBias(oa.trans, ob.trans, m, n, k, 1f, oa.t.storage(), oa.t.offset(), oa.ld,
                    ob.t.storage(), ob.t.offset(), ob.ld, bc.storage(), bc.offset(), out.storage(), 0, n, relu);
        }
        return out;
    }

    /** dx = g @ wᵀ, dw = xᵀ @ g, db = column sums of g (null where no gradient is wanted). */
    private static Tensor[] linearGradients(Tensor g, Tensor x, Tensor w, Tensor b) {
        return new Tensor[] {
                x.requiresGrad() ? matmulRaw(g, w.transpose(-1, -2)) : null,
                w.requiresGrad() ? matmulRaw(x.transpose(-1, -2), g) : null,
                b.requiresGrad() ? biasGradient(g) : null};
    }

    /** db [N] = Σ_rows g [M, N]. */
    private static Tensor biasGradient(Tensor g) {
        Tensor gc = g.contiguous();
        int rows = gc.size(0), cols = gc.size(1);
        Tensor db = Tensor.zeros(cols);
        if (rows > 0 && cols > 0) ReduceKernels.columnSums(gc.storage(), gc.offset(), rows, cols, 1.0, db.storage());
        return db;
    }

    /** Batched product without autograd; operands of rank &gt;= 2. */
    public static Tensor matmulRaw(Tensor a, Tensor b) {
        int[] as = a.shape(), bs = b.shape();
        int m = as[as.length - 2], k = as[as.length - 1], k2 = bs[bs.length - 2], n = bs[bs.length - 1];
        if (k != k2)
            throw new IllegalArgumentException("matmul: shapes " + Shape.str(as) + " and " + Shape.str(bs) + " do not align (" + k + " != " + k2 + ")");
        int[] batchA = java.util.Arrays.copyOf(as, as.length - 2), batchB = java.util.Arrays.copyOf(bs, bs.length - 2);
        int[] batch = Shape.broadcast("matmul", batchA, batchB);
        int[] outShape = java.util.Arrays.copyOf(batch, batch.length + 2);
        outShape[batch.length] = m;
        outShape[batch.length + 1] = n;
        Tensor out = Tensor.zeros(outShape);
        if (Shape.numel(outShape) == 0) return out;
        int[] fullA = java.util.Arrays.copyOf(batch, batch.length + 2), fullB = fullA.clone();
        fullA[batch.length] = m; fullA[batch.length + 1] = k;
        fullB[batch.length] = k; fullB[batch.length + 1] = n;
        Operand oa = Operand.of(Views.expandRaw("matmul", a, fullA));
        Operand ob = Operand.of(Views.expandRaw("matmul", b, fullB));
        int batches = (int) Shape.numel(batch);
        int[] idx = new int[batch.length];
        float[] c = out.storage();
        for (int bi = 0; bi < batches; bi++) {
            int offA = oa.t.offset(), offB = ob.t.offset();
            for (int d = 0; d < batch.length; d++) {
                offA += idx[d] * oa.t.strides()[d];
                offB += idx[d] * ob.t.strides()[d];
            }
            Gemm.sgemm(oa.trans, ob.trans, m, n, k, 1f, oa.t.storage(), offA, oa.ld, ob.t.storage(), offB, ob.ld, 0f, c, bi * m * n, n);
            for (int d = batch.length - 1; d >= 0 && ++idx[d] == batch[d]; d--) idx[d] = 0;
        }
        return out;
    }

    /** A matrix operand as GEMM wants it: row-major or transposed, with a leading dimension. */
    private static final class Operand {
        final Tensor t;
        final boolean trans;
        final int ld;

        private Operand(Tensor t, boolean trans, int ld) {
            this.t = t;
            this.trans = trans;
            this.ld = ld;
        }

        static Operand of(Tensor x) {
            int r = x.dim();
            int[] st = x.strides(), sh = x.shape();
            int rows = sh[r - 2], cols = sh[r - 1];
            if (st[r - 1] == 1 && (st[r - 2] >= cols || rows == 1) && st[r - 2] >= 1) return new Operand(x, false, Math.max(st[r - 2], cols));
            if (st[r - 2] == 1 && (st[r - 1] >= rows || cols == 1) && st[r - 1] >= 1) return new Operand(x, true, Math.max(st[r - 1], rows));
            // Other layouts (e.g. a broadcast inner dim): copy the batch to a contiguous block.
            return of(Views.copyRaw(x));
        }
    }
}
