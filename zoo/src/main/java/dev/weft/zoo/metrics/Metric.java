package dev.weft.zoo.metrics;

import dev.weft.engine.Tensor;

/**
 * A stateful metric, like Keras' {@code keras.metrics.Metric}: {@link #update} accumulates a batch,
 * {@link #result} gives the value over everything since the last {@link #reset}.
 *
 * <p>The training loop calls {@code update(yPred, yTrue)} after every batch with the model's output
 * (detached) and the targets; the progress bar shows {@link #result()} as a running value and
 * {@code History} records it at the end of each epoch.
 */
public interface Metric {
    /** The key under which the value is logged, e.g. {@code "accuracy"} ({@code "val_accuracy"} on validation data). */
    String name();

    /**
     * Accumulates one batch.
     *
     * @param yPred the model's output {@code [N, ...]}
     * @param yTrue the targets, shaped as the metric documents
     */
    void update(Tensor yPred, Tensor yTrue);

    /** The value over every sample seen since the last {@link #reset()}; NaN before any update. */
    double result();

    /** Forgets everything accumulated. */
    void reset();
}
