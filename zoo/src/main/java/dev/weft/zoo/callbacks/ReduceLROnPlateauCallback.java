package dev.weft.zoo.callbacks;

import dev.weft.nn.optim.schedule.ReduceLROnPlateau;
import dev.weft.zoo.train.Trainer;
import java.util.Map;

/**
 * Keras' {@code ReduceLROnPlateau} callback, driving nn's {@link ReduceLROnPlateau} (which holds
 * the optimizer, the mode, factor, patience, cooldown and minimum rate): after each epoch feeds it
 * the monitored metric and logs the resulting {@code learning_rate}. Epochs without the metric are
 * skipped with a warning.
 *
 * <pre>{@code
 * Adam adam = new Adam(model.namedParameters());
 * var plateau = new ReduceLROnPlateau(adam, ReduceLROnPlateau.Mode.MIN, 0.5f, 2, 1e-4f, 0, 1e-6f);
 * trainer.fit(train, FitOptions.epochs(30).validationData(val)
 *         .callbacks(new ReduceLROnPlateauCallback("val_loss", plateau)));
 * }</pre>
 */
public final class ReduceLROnPlateauCallback implements Callback {
    private final String monitor;
    private final ReduceLROnPlateau plateau;
    private boolean verbose;
    private Trainer trainer;

    /**
     * @param monitor the logged metric to watch, e.g. {@code "val_loss"}
     * @param plateau the reduce-on-plateau state, which holds the optimizer
     */
    public ReduceLROnPlateauCallback(String monitor, ReduceLROnPlateau plateau) {
        if (monitor == null || monitor.isEmpty()) throw new IllegalArgumentException("ReduceLROnPlateauCallback: monitor must be a metric name");
        if (plateau == null) throw new IllegalArgumentException("ReduceLROnPlateauCallback: plateau is null");
        this.monitor = monitor;
        this.plateau = plateau;
    }

    /** Print a line when the rate is reduced. */
    public ReduceLROnPlateauCallback verbose(boolean on) { this.verbose = on; return this; }

    /** The schedule being driven. */
    public ReduceLROnPlateau plateau() { return plateau; }

    @Override public void setTrainer(Trainer trainer) { this.trainer = trainer; }

    @Override public void onEpochEnd(int epoch, Map<String, Double> logs) {
        Double current = logs.get(monitor);
        if (current == null) {
            trainer.message("ReduceLROnPlateau: metric '" + monitor + "' is not in the logs " + logs.keySet() + "; skipping epoch " + (epoch + 1));
        } else {
            float before = trainer.optimizer().learningRate();
            float after = plateau.update(current.floatValue());
            if (verbose && after != before)
                trainer.message("Epoch " + (epoch + 1) + ": ReduceLROnPlateau reducing learning rate to " + after + ".");
        }
        logs.put("learning_rate", (double) trainer.optimizer().learningRate());
    }
}
