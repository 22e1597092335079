package dev.weft.nn.losses;

import dev.weft.engine.IntTensor;
import dev.weft.engine.Shape;
import dev.weft.engine.Tensor;
import java.util.Arrays;
import dev.weft.engine.ops.LossOps;

/**
 * Categorical cross-entropy with integer class labels, Keras'
 * {@code SparseCategoricalCrossentropy(from_logits)}. Labels come as an {@link IntTensor} or as a
 * float tensor of whole numbers, shaped like the predictions without the class dim (or with a
 * trailing 1: [N, 1] labels for [N, C] predictions).
 *
 * <p>{@code fromLogits}: {@code lse(x) − x[label]} (fused, {@link LossOps#sparseSoftmaxCrossEntropy}).
 * Probabilities: normalised, clipped to [ε, 1 − ε] and {@code −log p[label]}, as Keras.
 */
public final class SparseCategoricalCrossentropy extends ReducingLoss {
    private final boolean fromLogits;

    /** Keras' defaults: probabilities, mean over the batch. */
    public SparseCategoricalCrossentropy() { this(false); }

    /** @param fromLogits true when predictions are unnormalised scores */
    public SparseCategoricalCrossentropy(boolean fromLogits) { this(fromLogits, Reduction.SUM_OVER_BATCH_SIZE); }

    /**
     * @param fromLogits true when predictions are unnormalised scores
     * @param reduction  how the per-sample values are reduced
     */
    public SparseCategoricalCrossentropy(boolean fromLogits, Reduction reduction) {
        super(reduction);
        this.fromLogits = fromLogits;
    }

    /** The loss with integer labels. */
    public Tensor apply(Tensor yPred, IntTensor labels) { return reduction().reduce(perSample(yPred, labels)); }

    /** Per-sample values with float labels holding class indices. */
    @Override public Tensor perSample(Tensor yPred, Tensor yTrue) {
        if (yTrue == null) throw new IllegalArgumentException(name() + ": labels are null");
        float[] v = yTrue.toFloatArray();
        int[] ids = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            // beyond the int range a cast would clamp, and the range check would then name the wrong value
            if (v[i] != Math.rint(v[i]) || Math.abs(v[i]) > Integer.MAX_VALUE)
                throw new IllegalArgumentException(name() + ": label " + v[i] + " at position " + i + " is not a class index");
            ids[i] = (int) v[i];
        }
        return perSample(yPred, IntTensor.of(ids, yTrue.shape()));
    }

    /** Per-sample values with integer labels: shape of the predictions without the class dim. */
    public Tensor perSample(Tensor yPred, IntTensor labels) {
        if (yPred == null || labels == null) throw new IllegalArgumentException(name() + ": yPred and labels must not be null");
        if (yPred.dim() == 0) throw new IllegalArgumentException(name() + ": predictions need a class dim, got a scalar");
        IntTensor lab = labels;
        if (lab.dim() == yPred.dim() && lab.size(-1) == 1) {
            int[] s = lab.shape();
            lab = lab.reshape(Arrays.copyOf(s, s.length - 1));
        }
        int[] ps = yPred.shape();
        int[] rowShape = Arrays.copyOf(ps, ps.length - 1);
        if (!Arrays.equals(rowShape, lab.shape()))
            throw new IllegalArgumentException(name() + ": labels shape " + Shape.str(labels.shape()) + " does not fit predictions "
                    + Shape.str(ps) + " (expected " + Shape.str(rowShape) + ")");
        int c = ps[ps.length - 1];
        for (int i = 0; i < lab.numel(); i++)
            if (lab.get(i) < 0 || lab.get(i) >= c)
                throw new IllegalArgumentException(name() + ": label " + lab.get(i) + " at position " + i + " is outside [0, " + c + ")");
        if (fromLogits) return LossOps.sparseSoftmaxCrossEntropy(yPred, lab);
        Tensor p = yPred.div(yPred.sum(-1, true)).clamp(EPSILON, 1 - EPSILON);      // [..., C]
        int[] idxShape = Arrays.copyOf(rowShape, ps.length);
        idxShape[ps.length - 1] = 1;
        return p.log().gather(-1, lab.reshape(idxShape)).squeeze(-1).neg();        // [...]
    }
}
