package dev.weft.zoo.train;

import dev.weft.engine.Shape;
import dev.weft.engine.Tensor;

/**
 * One batch for the training loop: inputs {@code x [N, ...]} and targets {@code y [N, ...]} (one-hot,
 * class indices as floats, or values, as the loss expects). {@code y} may be null for
 * {@link Trainer#predict} and for custom {@link TrainStep}s that need no targets (an autoencoder).
 */
public record LabeledBatch(Tensor x, Tensor y) {
    public LabeledBatch {
        if (x == null) throw new IllegalArgumentException("LabeledBatch: x is null");
        if (x.dim() == 0) throw new IllegalArgumentException("LabeledBatch: x must be a batch [N, ...], got a scalar");
        if (y != null && (y.dim() == 0 || y.size(0) != x.size(0)))
            throw new IllegalArgumentException("LabeledBatch: x " + Shape.str(x.shape()) + " and y " + Shape.str(y.shape())
                    + " must have the same batch size (first dim)");
    }

    /** Inputs only. */
    public static LabeledBatch of(Tensor x) { return new LabeledBatch(x, null); }

    /** The number of samples (first dim of x). */
    public int size() { return x.size(0); }
}
