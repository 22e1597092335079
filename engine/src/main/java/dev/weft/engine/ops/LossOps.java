package dev.weft.engine.ops;

import dev.weft.engine.IntTensor;
import dev.weft.engine.Shape;
import dev.weft.engine.Tensor;
import dev.weft.engine.kernels.SigmoidCrossEntropy;

/**
 * Fused, numerically stable loss kernels: softmax cross-entropy with dense or integer targets and
 * sigmoid cross-entropy with logits. Each is one forward pass (log-sum-exp with the row maximum
 * subtracted, sums in double) and one backward rule, instead of the five or six composed ops a
 * naive formula needs; none of them overflows for logits of any finite size.
 */
public final class LossOps {
    private LossOps() {}

    /**
     * Softmax cross-entropy along {@code dim}: {@code loss = Σ_j t_j·(lse(x) − x_j)} with
     * {@code lse(x) = m + log Σ_j exp(x_j − m)}, {@code m = max_j x_j}. The result has the logits'
     * shape without {@code dim}. Targets need not be one-hot (label smoothing, soft labels).
     *
     * <p>Backward: {@code dx_j = g·(softmax_j·Σ_k t_k − t_j)} (that is {@code softmax − t} for
     * targets summing to one) and {@code dt_j = g·(lse − x_j)}.
     *
     * @param logits [..., C, ...] unnormalised scores
     * @param target same shape as {@code logits}: class probabilities
     */
    public static Tensor softmaxCrossEntropy(Tensor logits, Tensor target, int dim) {
        String op = "softmax_cross_entropy";
        Conv.nonNull(op, "logits and target", logits, target);
        int[] shape = logits.shape();
        if (!java.util.Arrays.equals(shape, target.shape()))
            throw new IllegalArgumentException(op + ": logits shape " + Shape.str(shape) + " and target shape "
                    + Shape.str(target.shape()) + " must be equal");
        int d = Shape.normDim(op, dim, shape.length);
        Rows rows = Rows.of(shape, d);
        float[] x = logits.toFloatArray(), t = target.toFloatArray();
        double[] lse = new double[rows.outer * rows.inner]; // kept in double: exp(x − lse) needs its low bits
        float[] loss = new float[lse.length];
        for (int o = 0; o < rows.outer; o++) {
            for (int in = 0; in < rows.inner; in++) {
                int r = o * rows.inner + in, start = o * rows.n * rows.inner + in;
                double l = logSumExp(x, start, rows.n, rows.inner);
                lse[r] = l;
                double s = 0;
                for (int j = 0; j < rows.n; j++) {
                    int i = start + j * rows.inner;
                    if (t[i] != 0) s += t[i] * (l - x[i]); // skip zero targets: 0·inf would be NaN
                }
                loss[r] = (float) s;
            }
        }
        int[] outShape = removeDim(shape, d);
        return Tensor.of(loss, outShape).recordOp(op, g -> {
            float[] gd = g.toFloatArray();
            float[] gx = logits.requiresGrad() ? new float[x.length] : null;
            float[] gt = target.requiresGrad() ? new float[x.length] : null;
            for (int o = 0; o < rows.outer; o++) {
                for (int in = 0; in < rows.inner; in++) {
                    int r = o * rows.inner + in, start = o * rows.n * rows.inner + in;
                    float gr = gd[r];
                    double tsum = 0;
                    for (int j = 0; j < rows.n; j++) tsum += t[start + j * rows.inner];
                    for (int j = 0; j < rows.n; j++) {
                        int i = start + j * rows.inner;
                        double logP = (double) x[i] - lse[r];
                        if (gx != null) gx[i] = (float) (gr * (Math.exp(logP) * tsum - t[i]));
                        if (gt != null) gt[i] = (float) (-gr * logP);
                    }
                }
            }
            return new Tensor[] {gx == null ? null : Tensor.of(gx, shape), gt == null ? null : Tensor.of(gt, shape)};
        }, logits, target);
    }

    /**
     * Sparse softmax cross-entropy: {@code loss = lse(x) − x[label]} over the last dim.
     * Backward: {@code dx = g·(softmax − onehot(label))}.
     *
     * @param logits [..., C]
     * @param labels [...] (the logits' shape without the last dim), values in [0, C)
     * @return [...] per-position losses
     */
    public static Tensor sparseSoftmaxCrossEntropy(Tensor logits, IntTensor labels) {
        String op = "sparse_softmax_cross_entropy";
        Conv.nonNull(op, "logits", logits);
        if (labels == null) throw new IllegalArgumentException(op + ": labels must not be null");
        int[] shape = logits.shape();
        if (shape.length == 0) throw new IllegalArgumentException(op + ": logits must have a class dim, got a scalar");
        int[] outShape = removeDim(shape, shape.length - 1);
        if (!java.util.Arrays.equals(outShape, labels.shape()))
            throw new IllegalArgumentException(op + ": labels shape " + Shape.str(labels.shape()) + " must be the logits shape "
                    + Shape.str(shape) + " without the class dim, i.e. " + Shape.str(outShape));
        int c = shape[shape.length - 1], rowsN = labels.numel();
        int[] lab = labels.data();
        for (int r = 0; r < rowsN; r++)
            if (lab[r] < 0 || lab[r] >= c)
                throw new IllegalArgumentException(op + ": label " + lab[r] + " at position " + r + " is outside [0, " + c + ") for logits " + Shape.str(shape));
        float[] x = logits.toFloatArray();
        double[] lse = new double[rowsN];
        float[] loss = new float[rowsN];
        for (int r = 0; r < rowsN; r++) {
            double l = logSumExp(x, r * c, c, 1);
            lse[r] = l;
            loss[r] = (float) (l - x[r * c + lab[r]]);
        }
        return Tensor.of(loss, outShape).recordOp(op, g -> {
            float[] gd = g.toFloatArray(), gx = new float[x.length];
            for (int r = 0; r < rowsN; r++) {
                for (int j = 0; j < c; j++) gx[r * c + j] = (float) (gd[r] * Math.exp((double) x[r * c + j] - lse[r]));
                gx[r * c + lab[r]] -= gd[r];
            }
            return new Tensor[] {Tensor.of(gx, shape)};
        }, logits);
    }

    /**
     * Elementwise sigmoid cross-entropy with logits (TensorFlow's
     * {@code sigmoid_cross_entropy_with_logits}): {@code max(x, 0) − x·z + log(1 + exp(−|x|))},
     * equal to {@code −z·log σ(x) − (1−z)·log(1−σ(x))} without overflow. The arithmetic is in
     * {@link SigmoidCrossEntropy} (float SIMD lanes when the Vector API is enabled, a scalar double
     * twin otherwise). Backward: {@code dx = g·(σ(x) − z)}, with σ recomputed from {@code x} rather
     * than saved, and {@code dz = −g·x}.
     *
     * <p>Contiguous inputs are read in place (not copied), also by the backward rule: like every
     * saved input, they must not be modified in place between forward and backward.
     *
     * @param logits any shape
     * @param labels same shape as {@code logits}, usually in [0, 1]
     */
    public static Tensor sigmoidCrossEntropyWithLogits(Tensor logits, Tensor labels) {
        String op = "sigmoid_cross_entropy_with_logits";
        SigmoidCeInputs in = SigmoidCeInputs.of(op, logits, labels);
        float[] loss = new float[in.n];
        if (in.n > 0) SigmoidCrossEntropy.forward(in.x, in.xo, in.z, in.zo, loss, 0, in.n);
        return Tensor.of(loss, logits.shape()).recordOp(op, g -> {
            if (in.n == 0) return in.grads(null, 0, 0);
            // g: [shape]; a broadcast scalar (the usual sum() upstream) is read with stride 0.
            boolean scalar = isBroadcastScalar(g);
            Tensor gc = scalar ? g : contiguousOrCopy(g);
            return in.grads(gc.storage(), gc.offset(), scalar ? 0 : 1);
        }, logits, labels);
    }

    /**
     * {@code sum(sigmoidCrossEntropyWithLogits(logits, labels))} as one op: the same value bit for
     * bit (the losses are summed chunk by chunk in {@link Reduce}'s order), and
     * the same gradients, but the elementwise losses never fill an array of the logits' size (the
     * VAE's reconstruction term: 1.6 MB per step written, then read back by the sum).
     * Backward: {@code dx = g·(σ(x) − z)}, {@code dz = −g·x} with the scalar upstream {@code g}.
     *
     * @param logits any shape
     * @param labels same shape as {@code logits}
     * @return a scalar (shape [])
     */
    public static Tensor sigmoidCrossEntropyWithLogitsSum(Tensor logits, Tensor labels) {
        String op = "sigmoid_cross_entropy_with_logits_sum";
        SigmoidCeInputs in = SigmoidCeInputs.of(op, logits, labels);
        double total = in.n > 0 ? SigmoidCrossEntropy.forwardSum(in.x, in.xo, in.z, in.zo, in.n) : 0;
        // g: [] — one value, read with stride 0.
        return Tensor.scalar((float) total).recordOp(op, g -> in.grads(g.storage(), g.offset(), 0), logits, labels);
    }

    /**
     * The logits and labels of a sigmoid cross-entropy op, checked (not null, equal shapes) and read
     * row-major from their storages (copied only when not contiguous); shared by the elementwise and
     * the summed op, whose backward rules differ only in how the upstream gradient is read.
     */
    private static final class SigmoidCeInputs {
        final Tensor logits, labels;
        final float[] x, z;
        final int xo, zo, n;

        private SigmoidCeInputs(Tensor logits, Tensor labels, Tensor xc, Tensor zc) {
            this.logits = logits;
            this.labels = labels;
            x = xc.storage();
            z = zc.storage();
            xo = xc.offset();
            zo = zc.offset();
            n = logits.numel();
        }

        static SigmoidCeInputs of(String op, Tensor logits, Tensor labels) {
            Conv.nonNull(op, "logits and labels", logits, labels);
            if (!java.util.Arrays.equals(logits.shape(), labels.shape()))
                throw new IllegalArgumentException(op + ": logits shape " + Shape.str(logits.shape()) + " and labels shape "
                        + Shape.str(labels.shape()) + " must be equal");
            return new SigmoidCeInputs(logits, labels, contiguousOrCopy(logits), contiguousOrCopy(labels));
        }

        /**
         * {dx = g·(σ(x) − z), dz = −g·x}, each null when its input does not require grad; g is
         * {@code gd[go + i·gs]} (gs 1: one value per element, 0: one value for all; unread when n is 0).
         */
        Tensor[] grads(float[] gd, int go, int gs) {
            float[] gx = logits.requiresGrad() ? new float[n] : null, gz = labels.requiresGrad() ? new float[n] : null;
            if (gx != null && n > 0) SigmoidCrossEntropy.gradLogits(gd, go, gs, x, xo, z, zo, gx, 0, n);
            if (gz != null) for (int i = 0; i < n; i++) gz[i] = -gd[go + i * gs] * x[xo + i];
            int[] shape = logits.shape();
            return new Tensor[] {gx == null ? null : Tensor.of(gx, shape), gz == null ? null : Tensor.of(gz, shape)};
        }
    }

    // The tensor itself when its elements are row-major from offset(), else a contiguous copy.
    private static Tensor contiguousOrCopy(Tensor t) {
        return t.numel() > 0 && t.isContiguous() ? t : Tensor.of(t.toFloatArray(), t.shape());
    }

    // True when every element is the single value storage()[offset()] (all strides 0).
    private static boolean isBroadcastScalar(Tensor t) {
        if (t.numel() == 0) return false;
        for (int s : t.strides()) if (s != 0) return false;
        return true;
    }

    // log Σ_j exp(x[start + j·stride]) for j < n, shifted by the maximum.
    private static double logSumExp(float[] x, int start, int n, int stride) {
        double m = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) m = Math.max(m, x[start + j * stride]);
        if (m == Double.NEGATIVE_INFINITY || m == Double.POSITIVE_INFINITY) return m;
        double s = 0;
        for (int j = 0; j < n; j++) s += Math.exp(x[start + j * stride] - m);
        return m + Math.log(s);
    }

    private static int[] removeDim(int[] shape, int d) {
        int[] out = new int[shape.length - 1];
        for (int i = 0, k = 0; i < shape.length; i++) if (i != d) out[k++] = shape[i];
        return out;
    }

    /** A contiguous shape seen as [outer, n, inner] around one dim. */
    private record Rows(int outer, int n, int inner) {
        static Rows of(int[] shape, int d) {
            int outer = 1, inner = 1;
            for (int i = 0; i < d; i++) outer *= shape[i];
            for (int i = d + 1; i < shape.length; i++) inner *= shape[i];
            return new Rows(outer, shape[d], inner);
        }
    }
}
