package dev.weft.nn.losses;

import dev.weft.engine.Tensor;

/** A differentiable loss: {@code loss(yPred, yTrue)} returns a scalar (or per-sample values with reduction NONE). */
@FunctionalInterface
public interface Loss {
    /** @param yPred the model's output  @param yTrue targets (one-hot, class indices as floats, or values, per loss) */
    Tensor apply(Tensor yPred, Tensor yTrue);
}
