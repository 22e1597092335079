package dev.weft.nn.init;

import dev.weft.engine.Rng;
import dev.weft.engine.Tensor;

/**
 * Produces a weight tensor of a given shape from a seeded generator, like a Keras initializer.
 * The same {@link Rng} state always gives the same values. See {@link Initializers} for the
 * Keras set (glorot, he, lecun, orthogonal, ...).
 */
@FunctionalInterface
public interface Initializer {
    /** A fresh tensor of {@code shape} (not requiring grad). */
    Tensor init(Rng rng, int... shape);
}
