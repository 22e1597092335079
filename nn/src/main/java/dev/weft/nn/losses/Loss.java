package dev.weft.nn.losses;

import dev.weft.engine.Tensor;

/**
 * A differentiable loss: {@code loss(yPred, yTrue)} returns a scalar (or per-sample values with
 * {@link Reduction#NONE}).
 *
 * <p>Note the argument order: prediction first, like {@code torch.nn} losses; Keras' {@code loss(y_true,
 * y_pred)} takes them the other way round.
 */
@FunctionalInterface
public interface Loss {
    /** @param yPred the model's output  @param yTrue targets (one-hot, class indices as floats, or values, per loss) */
    Tensor apply(Tensor yPred, Tensor yTrue);
}
