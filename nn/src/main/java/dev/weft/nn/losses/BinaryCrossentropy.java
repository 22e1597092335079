package dev.weft.nn.losses;

import dev.weft.engine.Tensor;
import dev.weft.engine.ops.LossOps;

/**
 * Binary cross-entropy, Keras' {@code BinaryCrossentropy(from_logits, label_smoothing)}: the
 * elementwise loss averaged over the last dim, so predictions [N, 1] give per-sample values [N].
 *
 * <ul>
 *   <li>{@code fromLogits}: {@code max(x, 0) − x·z + log(1 + exp(−|x|))}
 *       ({@link LossOps#sigmoidCrossEntropyWithLogits}), finite for any logit.
 *   <li>probabilities: clipped to [{@value ReducingLoss#EPSILON}, 1 − ε], then
 *       {@code −(z·log p + (1 − z)·log(1 − p))} (Keras' torch/JAX/NumPy backends; the TensorFlow
 *       backend also adds ε inside each log).
 * </ul>
 */
public final class BinaryCrossentropy extends ReducingLoss {
    private final boolean fromLogits;
    private final float labelSmoothing;

    /** Keras' defaults: probabilities, no smoothing, mean over the batch. */
    public BinaryCrossentropy() { this(false); }

    /** @param fromLogits true when predictions are logits */
    public BinaryCrossentropy(boolean fromLogits) { this(fromLogits, 0f, Reduction.SUM_OVER_BATCH_SIZE); }

    /** @param labelSmoothing in [0, 1]: targets become {@code z·(1 − s) + s/2} */
    public BinaryCrossentropy(boolean fromLogits, float labelSmoothing, Reduction reduction) {
        super(reduction);
        this.fromLogits = fromLogits;
        this.labelSmoothing = checkLabelSmoothing("BinaryCrossentropy", labelSmoothing);
    }

    @Override public Tensor perSample(Tensor yPred, Tensor yTrue) {
        Tensor[] pt = matchShapes(yPred, yTrue);
        Tensor pred = pt[0], z = pt[1];
        if (labelSmoothing > 0) z = z.mul(1 - labelSmoothing).add(0.5f * labelSmoothing);
        Tensor elem;
        if (fromLogits) {
            elem = LossOps.sigmoidCrossEntropyWithLogits(pred, z);
        } else {
            Tensor p = pred.clamp(EPSILON, 1 - EPSILON);
            Tensor oneMinusZ = z.neg().add(1f), oneMinusP = p.neg().add(1f);
            elem = z.mul(p.log()).add(oneMinusZ.mul(oneMinusP.log())).neg();
        }
        return meanLast(elem);
    }
}
