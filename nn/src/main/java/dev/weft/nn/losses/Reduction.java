package dev.weft.nn.losses;

import dev.weft.engine.Tensor;

/** How per-sample loss values become the returned loss (Keras' {@code reduction} argument). */
public enum Reduction {
    /** Sum of the values divided by their number: the mean (Keras' default, {@code "sum_over_batch_size"}). */
    SUM_OVER_BATCH_SIZE,
    /** Sum of the values. */
    SUM,
    /** The per-sample values themselves. */
    NONE;

    /** Reduces per-sample loss values. */
    public Tensor reduce(Tensor values) {
        switch (this) {
            case SUM: return values.sum();
            case NONE: return values;
            default:
                // An empty batch gives 0, not 0/0 (Keras divides by max(count, 1) in effect too).
                return values.numel() == 0 ? values.sum() : values.sum().div((float) values.numel());
        }
    }
}
