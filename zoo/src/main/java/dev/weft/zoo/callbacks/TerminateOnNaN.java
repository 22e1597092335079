package dev.weft.zoo.callbacks;

import dev.weft.zoo.train.Trainer;
import java.util.Map;

/**
 * Keras' {@code TerminateOnNaN}: after every batch, checks the running logs ({@code loss} and the
 * metrics); on the first NaN or infinite value it prints, e.g.,
 * {@code TerminateOnNaN: epoch 2, step 6: loss is NaN; terminating training} (epoch and step
 * 1-based, as the progress bar counts) and stops training. The running loss is a mean over the
 * epoch's batches, so one bad batch makes it non-finite for good and the step named is the first
 * bad one. Keras checks only the loss; checking every logged value also catches metrics computed
 * from NaN outputs.
 */
public final class TerminateOnNaN implements Callback {
    private Trainer trainer;
    private int epoch;
    private String message;
    private int stoppedEpoch = -1, stoppedStep = -1;

    @Override public void setTrainer(Trainer trainer) { this.trainer = trainer; }

    @Override public void onTrainBegin(Map<String, Double> logs) {
        message = null;
        stoppedEpoch = -1;
        stoppedStep = -1;
    }

    @Override public void onEpochBegin(int epoch, Map<String, Double> logs) { this.epoch = epoch; }

    @Override public void onBatchEnd(int step, Map<String, Double> logs) {
        for (Map.Entry<String, Double> e : logs.entrySet()) {
            double v = e.getValue() == null ? Double.NaN : e.getValue();
            if (!Double.isFinite(v)) {
                stoppedEpoch = epoch;
                stoppedStep = step;
                message = "TerminateOnNaN: epoch " + (epoch + 1) + ", step " + (step + 1) + ": " + e.getKey() + " is "
                        + (Double.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity") + "; terminating training";
                trainer.message(message);
                trainer.setStopTraining(true);
                return;
            }
        }
    }

    /** The message printed when training was stopped, or null. */
    public String message() { return message; }

    /** The epoch (0-based) in which training was stopped, or -1. */
    public int stoppedEpoch() { return stoppedEpoch; }

    /** The step within that epoch (0-based) after which training was stopped, or -1. */
    public int stoppedStep() { return stoppedStep; }
}
