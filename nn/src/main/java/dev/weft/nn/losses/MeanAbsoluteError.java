package dev.weft.nn.losses;

import dev.weft.engine.Tensor;

/** Keras' {@code MeanAbsoluteError}: per sample {@code mean(|yPred − yTrue|, axis=-1)}; the gradient at 0 is 0. */
public final class MeanAbsoluteError extends ReducingLoss {
    /** Mean over the batch (Keras' default). */
    public MeanAbsoluteError() { this(Reduction.SUM_OVER_BATCH_SIZE); }

    /** @param reduction how the per-sample values are reduced */
    public MeanAbsoluteError(Reduction reduction) { super(reduction); }

    @Override public Tensor perSample(Tensor yPred, Tensor yTrue) {
        Tensor[] pt = matchShapes(yPred, yTrue);
        return meanLast(pt[0].sub(pt[1]).abs());
    }
}
