package dev.weft.zoo.callbacks;

import dev.weft.zoo.train.Trainer;
import java.util.Map;

/**
 * Hooks into {@link Trainer#fit}, like Keras' {@code keras.callbacks.Callback}. Every method has an
 * empty default; override what you need.
 *
 * <p>Epochs and steps are 0-based, as Keras passes them (the progress bar shows them 1-based).
 * {@code logs} maps metric names to values: in {@link #onBatchEnd} the running values of the
 * current epoch ({@code loss}, {@code accuracy}, ...), in {@link #onEpochEnd} the epoch's values
 * plus {@code val_*} when validation ran. The map is shared along the callback list in order, so a
 * callback may add entries (e.g. {@code learning_rate}) that later ones, the {@code History} and the
 * progress bar (always last) see.
 *
 * <p>To stop training, call {@link Trainer#setStopTraining(boolean) trainer().setStopTraining(true)}:
 * the current epoch ends after this batch (its {@code onEpochEnd} still runs, as in Keras) and no
 * further epoch starts.
 */
public interface Callback {
    /** Called once by {@code fit} before anything else, with the trainer being fitted. */
    default void setTrainer(Trainer trainer) {}

    default void onTrainBegin(Map<String, Double> logs) {}

    default void onTrainEnd(Map<String, Double> logs) {}

    default void onEpochBegin(int epoch, Map<String, Double> logs) {}

    default void onEpochEnd(int epoch, Map<String, Double> logs) {}

    default void onBatchBegin(int step, Map<String, Double> logs) {}

    default void onBatchEnd(int step, Map<String, Double> logs) {}
}
