package dev.weft.nn.losses;

import dev.weft.engine.Tensor;

/** Keras' {@code MeanSquaredError}: per sample {@code mean((yPred − yTrue)², axis=-1)}. */
public final class MeanSquaredError extends ReducingLoss {
    /** Mean over the batch (Keras' default). */
    public MeanSquaredError() { this(Reduction.SUM_OVER_BATCH_SIZE); }

    /** @param reduction how the per-sample values are reduced */
    public MeanSquaredError(Reduction reduction) { super(reduction); }

    @Override public Tensor perSample(Tensor yPred, Tensor yTrue) {
        Tensor[] pt = matchShapes(yPred, yTrue);
        Tensor d = pt[0].sub(pt[1]);
        return meanLast(d.mul(d));
    }
}
