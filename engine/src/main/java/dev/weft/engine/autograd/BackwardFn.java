package dev.weft.engine.autograd;

import dev.weft.engine.Tensor;

/**
 * The backward rule of one op: maps the gradient of the op's output to the gradients of its inputs.
 *
 * <p>Returned gradients may have the broadcast (output) shape: the graph walk sums them back to
 * each input's shape once, generically. An entry may be null for an input that needs no gradient.
 */
@FunctionalInterface
public interface BackwardFn {
    /** @param gradOut gradient of the loss w.r.t. the op's output, shaped like the output */
    Tensor[] apply(Tensor gradOut);
}
