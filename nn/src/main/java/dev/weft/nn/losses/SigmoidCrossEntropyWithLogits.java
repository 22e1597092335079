package dev.weft.nn.losses;

import dev.weft.engine.Tensor;
import dev.weft.engine.ops.LossOps;

/**
 * Elementwise sigmoid cross-entropy with logits, TensorFlow's
 * {@code tf.nn.sigmoid_cross_entropy_with_logits}: {@code max(x, 0) − x·z + log(1 + exp(−|x|))}.
 * Unlike {@link BinaryCrossentropy} there is no mean over the last dim: {@link Reduction#NONE}
 * returns one value per element and {@code SUM_OVER_BATCH_SIZE} is the mean over all elements.
 *
 * <p>The seed VAE's reconstruction term, {@code sum(...)/batch}, is
 * {@code new SigmoidCrossEntropyWithLogits(Reduction.SUM).apply(logits, x).div(batch)}.
 */
public final class SigmoidCrossEntropyWithLogits extends ReducingLoss {
    /** Mean over all elements. */
    public SigmoidCrossEntropyWithLogits() { this(Reduction.SUM_OVER_BATCH_SIZE); }

    /** @param reduction how the elementwise values are reduced */
    public SigmoidCrossEntropyWithLogits(Reduction reduction) { super(reduction); }

    /** The unreduced elementwise loss (static convenience). */
    public static Tensor elementwise(Tensor logits, Tensor labels) {
        return LossOps.sigmoidCrossEntropyWithLogits(logits, labels);
    }

    @Override public Tensor perSample(Tensor yPred, Tensor yTrue) {
        Tensor[] pt = matchShapes(yPred, yTrue);
        return LossOps.sigmoidCrossEntropyWithLogits(pt[0], pt[1]);
    }

    /**
     * The reduced loss. SUM and the mean go through the fused sum op: the same value and gradients
     * as reducing {@link #perSample}, without an array of elementwise values.
     */
    @Override public Tensor apply(Tensor yPred, Tensor yTrue) {
        if (reduction() == Reduction.NONE) return super.apply(yPred, yTrue);
        Tensor[] pt = matchShapes(yPred, yTrue);
        Tensor sum = LossOps.sigmoidCrossEntropyWithLogitsSum(pt[0], pt[1]);
        int n = pt[0].numel();
        return reduction() == Reduction.SUM || n == 0 ? sum : sum.div((float) n); // as Reduction.reduce
    }
}
