package dev.weft.zoo.train;

import java.util.Map;

/**
 * A custom training step for {@link Trainer#fit}, Keras' "override {@code train_step}": runs one
 * update on a batch and returns the batch's scalars to log (e.g. {@code loss}, {@code kl}). The
 * trainer averages each over the epoch weighted by the batch size, shows them on the progress bar
 * and passes them to callbacks, exactly like compiled metrics. The compiled loss and metrics are not
 * used; the model is put in training mode before each epoch.
 *
 * <pre>{@code
 * trainer.compile(optimizer, (TrainStep) batch -> {
 *     float loss = RawLoop.step(vae, optimizer, () -> vae.loss(batch.x()));
 *     return Map.of("loss", (double) loss);
 * });
 * }</pre>
 */
@FunctionalInterface
public interface TrainStep {
    /** Runs one update on {@code batch}; returns the values to log for it. */
    Map<String, Double> run(LabeledBatch batch);
}
