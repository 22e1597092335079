package dev.weft.nn.losses;

import dev.weft.engine.Tensor;
import dev.weft.engine.ops.LossOps;

/**
 * Categorical cross-entropy on one-hot (or soft) targets, Keras'
 * {@code CategoricalCrossentropy(from_logits, label_smoothing, axis=-1)}.
 *
 * <ul>
 *   <li>{@code fromLogits}: {@code −Σ_c t_c·log_softmax(x)_c}, fused and stable
 *       ({@link LossOps#softmaxCrossEntropy}).
 *   <li>probabilities: as Keras' torch/JAX/NumPy backends, {@code p = yPred / Σ_c yPred}, clipped to
 *       [{@value ReducingLoss#EPSILON}, 1 − ε], then {@code −Σ_c t_c·log p_c}.
 *       (TensorFlow's backend additionally recovers the logits when yPred came straight from a
 *       softmax op; Weft does not.)
 * </ul>
 * Per-sample values have the prediction shape without the last dim: [N, C] → [N].
 */
public final class CategoricalCrossentropy extends ReducingLoss {
    private final boolean fromLogits;
    private final float labelSmoothing;

    /** Keras' defaults: probabilities, no smoothing, mean over the batch. */
    public CategoricalCrossentropy() { this(false); }

    /** @param fromLogits true when predictions are unnormalised scores */
    public CategoricalCrossentropy(boolean fromLogits) { this(fromLogits, 0f, Reduction.SUM_OVER_BATCH_SIZE); }

    /**
     * @param fromLogits true when predictions are unnormalised scores
     * @param labelSmoothing in [0, 1]: targets become {@code t·(1 − s) + s/C}
     */
    public CategoricalCrossentropy(boolean fromLogits, float labelSmoothing, Reduction reduction) {
        super(reduction);
        this.fromLogits = fromLogits;
        this.labelSmoothing = checkLabelSmoothing("CategoricalCrossentropy", labelSmoothing);
    }

    @Override public Tensor perSample(Tensor yPred, Tensor yTrue) {
        if (yPred != null && yPred.dim() == 0) throw new IllegalArgumentException(name() + ": predictions need a class dim, got a scalar");
        Tensor[] pt = matchShapes(yPred, yTrue);
        Tensor pred = pt[0], target = pt[1];
        if (labelSmoothing > 0) target = target.mul(1 - labelSmoothing).add(labelSmoothing / pred.size(-1));
        if (fromLogits) return LossOps.softmaxCrossEntropy(pred, target, -1);
        Tensor p = pred.div(pred.sum(-1, true)).clamp(EPSILON, 1 - EPSILON); // [N, C]
        return target.mul(p.log()).sum(-1, false).neg();                     // [N]
    }
}
