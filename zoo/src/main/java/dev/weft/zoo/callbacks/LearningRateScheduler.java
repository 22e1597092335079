package dev.weft.zoo.callbacks;

import dev.weft.nn.optim.Optimizer;
import dev.weft.nn.optim.schedule.LearningRateSchedule;
import dev.weft.zoo.train.Trainer;
import java.util.Map;

/**
 * Keras' {@code LearningRateScheduler}: at the start of each epoch sets the optimizer's learning
 * rate to {@code schedule(epoch, currentRate)} (epoch 0-based), and logs the rate used as
 * {@code learning_rate} at the end of the epoch.
 *
 * <pre>{@code
 * new LearningRateScheduler((epoch, lr) -> epoch < 10 ? lr : lr * 0.9f)      // Keras' doc example
 * LearningRateScheduler.perEpoch(new ExponentialDecay(1e-3f, 1, 0.9f, true)) // an nn schedule, indexed by epoch
 * }</pre>
 *
 * nn's schedules are normally indexed by optimizer step (give them to the optimizer for per-step
 * decay); {@link #perEpoch} evaluates one at the epoch number instead. Setting the rate replaces any
 * schedule the optimizer had. For reduce-on-plateau see {@link ReduceLROnPlateauCallback}.
 */
public final class LearningRateScheduler implements Callback {
    /** The rate for an epoch from the epoch (0-based) and the current rate. */
    @FunctionalInterface
    public interface EpochSchedule {
        /** The rate for {@code epoch} (0-based), given the optimizer's current rate. */
        float at(int epoch, float currentRate);
    }

    private final EpochSchedule schedule;
    private boolean verbose;
    private Trainer trainer;

    /** Sets the rate from {@code schedule} at the start of every epoch. */
    public LearningRateScheduler(EpochSchedule schedule) {
        if (schedule == null) throw new IllegalArgumentException("LearningRateScheduler: schedule is null");
        this.schedule = schedule;
    }

    /** Epoch {@code e} uses {@code schedule.at(e)}. */
    public static LearningRateScheduler perEpoch(LearningRateSchedule schedule) {
        if (schedule == null) throw new IllegalArgumentException("LearningRateScheduler: schedule is null");
        return new LearningRateScheduler((epoch, lr) -> schedule.at(epoch));
    }

    /** Print the rate at each epoch start (Keras' {@code verbose=1}). */
    public LearningRateScheduler verbose(boolean on) { this.verbose = on; return this; }

    @Override public void setTrainer(Trainer trainer) { this.trainer = trainer; }

    @Override public void onEpochBegin(int epoch, Map<String, Double> logs) {
        Optimizer opt = trainer.optimizer();
        float lr = schedule.at(epoch, opt.learningRate());
        if (!Float.isFinite(lr) || lr < 0)
            throw new IllegalArgumentException("LearningRateScheduler: the schedule gave " + lr + " for epoch " + epoch + " (need a finite rate >= 0)");
        opt.setLearningRate(lr);
        if (verbose) trainer.message("Epoch " + (epoch + 1) + ": LearningRateScheduler setting learning rate to " + lr + ".");
    }

    @Override public void onEpochEnd(int epoch, Map<String, Double> logs) {
        logs.put("learning_rate", (double) trainer.optimizer().learningRate());
    }
}
