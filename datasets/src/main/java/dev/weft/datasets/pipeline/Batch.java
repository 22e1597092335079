package dev.weft.datasets.pipeline;

import dev.weft.engine.IntTensor;

/**
 * A batch of inputs and labels.
 *
 * @param x the inputs: a {@code Tensor [B, ...]} for images, an {@code IntTensor [B, T]} for token ids
 * @param y the labels {@code [B]}
 * @param <X> the input tensor type
 */
public record Batch<X>(X x, IntTensor y) {
    /** Number of examples (the labels' length). */
    public int size() { return y.shape()[0]; }
}
