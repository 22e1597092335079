package dev.weft.zoo.train;

import dev.weft.engine.Tensor;
import dev.weft.nn.Module;
import dev.weft.nn.optim.Optimizer;
import dev.weft.zoo.util.Require;
import java.util.function.Supplier;

/**
 * The raw training loop, without {@link Trainer}: what the VAE uses, and the equivalent of the Keras
 * seed's {@code tf.GradientTape} loop. Autograd records every op on tensors that require grad, so
 * there is no tape object: the forward pass is the tape, {@code backward()} is
 * {@code tape.gradient}, and the optimizer reads the gradients from the parameters.
 *
 * <pre>{@code
 * // Keras (the seed):                              // Weft:
 * // with tf.GradientTape() as tape:                model.train();
 * //     out = model(x, training=True)              optimizer.zeroGrad();
 * //     loss = loss_fn(x, out)                     Tensor out = model.forward(x);
 * // grads = tape.gradient(loss,                    Tensor loss = lossFn.apply(out, x);
 * //         model.trainable_variables)             loss.backward();
 * // optimizer.apply_gradients(                     optimizer.step();
 * //         zip(grads, model.trainable_variables))
 *
 * for (int epoch = 0; epoch < epochs; epoch++) {
 *     Iterator<LabeledBatch> it = data.open(epoch);
 *     while (it.hasNext()) {
 *         Tensor x = it.next().x();
 *         float loss = RawLoop.step(model, optimizer, () -> lossFn.apply(model.forward(x), x));
 *     }
 * }
 * }</pre>
 *
 * {@link #step} is exactly those five lines; write them out when a step needs more (several
 * losses, gradient clipping, logging of intermediate tensors).
 */
public final class RawLoop {
    private RawLoop() {}

    /**
     * One update: training mode ({@link TrainingModes#enterTraining}: sublayers the user put in a
     * mode of their own, such as a frozen BatchNormalization, keep it), clear gradients, run {@code computeLoss} (forward and loss), backward,
     * optimizer step.
     *
     * @param computeLoss builds the scalar loss from a fresh forward pass
     * @return the loss value before the update
     * @throws IllegalStateException if the loss is not a scalar
     */
    public static float step(Module model, Optimizer optimizer, Supplier<Tensor> computeLoss) {
        Require.nonNull(model, "RawLoop.step", "model");
        Require.nonNull(optimizer, "RawLoop.step", "optimizer");
        Require.nonNull(computeLoss, "RawLoop.step", "computeLoss");
        TrainingModes.enterTraining(model);
        model.zeroGrad();
        Tensor loss = computeLoss.get();
        if (loss == null || loss.numel() != 1)
            throw new IllegalStateException("RawLoop.step: the loss must be a scalar, got "
                    + (loss == null ? "null" : dev.weft.engine.Shape.str(loss.shape())));
        loss.backward();
        optimizer.step();
        return loss.item();
    }
}
