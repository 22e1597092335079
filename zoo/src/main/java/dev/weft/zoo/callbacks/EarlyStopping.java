package dev.weft.zoo.callbacks;

import dev.weft.engine.Tensor;
import dev.weft.zoo.train.Trainer;
import dev.weft.zoo.util.Require;
import java.util.Map;

/**
 * Keras' {@code EarlyStopping}: stops training when the monitored metric has not improved for
 * {@code patience} epochs.
 *
 * <p>As Keras: an epoch improves when {@code current < best − minDelta} (MIN) or
 * {@code current > best + minDelta} (MAX); then {@code best} and (with restoreBestWeights) a copy of
 * the weights are taken, and the wait resets (unless a {@code baseline} is set and not yet beaten).
 * Otherwise the wait grows; when it reaches {@code patience} (and it is not the first epoch) the
 * trainer is told to stop and, with restoreBestWeights, the best epoch's weights are copied back.
 * Epochs before {@code startFromEpoch} or without the metric are ignored. Like Keras, the weights are
 * restored only when this callback stops training — if the epochs simply run out, the final weights
 * stay. Restoring keeps a full copy of the weights in memory (parameters and buffers, as floats).
 *
 * <pre>{@code
 * new EarlyStopping("val_loss", 3).minDelta(1e-3).restoreBestWeights(true)
 * }</pre>
 */
public final class EarlyStopping implements Callback {
    private final String monitor;
    private final int patience;
    private Monitor mode = Monitor.AUTO;
    private double minDelta;
    private Double baseline;
    private boolean restoreBestWeights;
    private int startFromEpoch;
    private boolean verbose;

    private Trainer trainer;
    private int wait;
    private Double best;
    private int bestEpoch = -1;
    private int stoppedEpoch = -1;
    private Map<String, Tensor> bestWeights;

    /** Watches {@code monitor} (e.g. {@code val_loss}) with the given patience. */
    public EarlyStopping(String monitor, int patience) {
        if (monitor == null || monitor.isEmpty()) throw new IllegalArgumentException("EarlyStopping: monitor must be a metric name");
        if (patience < 0) throw new IllegalArgumentException("EarlyStopping: patience must be >= 0, got " + patience);
        this.monitor = monitor;
        this.patience = patience;
    }

    /** MIN, MAX or AUTO (default: MAX for accuracies, MIN otherwise). */
    public EarlyStopping mode(Monitor m) { this.mode = Require.nonNull(m, "EarlyStopping.mode", "m"); return this; }

    /** The smallest change that counts as an improvement (absolute, ≥ 0). */
    public EarlyStopping minDelta(double d) {
        if (!(d >= 0)) throw new IllegalArgumentException("EarlyStopping: minDelta must be >= 0, got " + d);
        this.minDelta = d;
        return this;
    }

    /** Training counts as not improving until the metric beats this value. */
    public EarlyStopping baseline(double b) { this.baseline = b; return this; }

    /** On stopping, put back the weights of the best epoch. */
    public EarlyStopping restoreBestWeights(boolean on) { this.restoreBestWeights = on; return this; }

    /** Ignore epochs before this one (0-based; a warm-up). */
    public EarlyStopping startFromEpoch(int e) { this.startFromEpoch = e; return this; }

    /** Print Keras' messages when stopping and restoring. */
    public EarlyStopping verbose(boolean on) { this.verbose = on; return this; }

    /** The epoch (0-based) at which training was stopped, or -1. */
    public int stoppedEpoch() { return stoppedEpoch; }

    /** The epoch (0-based) with the best value, or -1. */
    public int bestEpoch() { return bestEpoch; }

    /** The best value seen, or NaN. */
    public double best() { return best == null ? Double.NaN : best; }

    @Override public void setTrainer(Trainer trainer) { this.trainer = trainer; }

    @Override public void onTrainBegin(Map<String, Double> logs) {
        wait = 0;
        best = null;
        bestEpoch = -1;
        stoppedEpoch = -1;
        bestWeights = null;
    }

    @Override public void onEpochEnd(int epoch, Map<String, Double> logs) {
        Double current = logs.get(monitor);
        if (current == null) {
            trainer.message("EarlyStopping: metric '" + monitor + "' is not in the logs " + logs.keySet() + "; skipping epoch " + (epoch + 1));
            return;
        }
        if (epoch < startFromEpoch) return;
        Monitor m = mode.resolve(monitor);
        wait++;
        boolean improved = best == null || m.improves(current, best, minDelta);
        // as Keras, the first counted epoch's weights are kept even without an improvement; one copy either way
        if (restoreBestWeights && (improved || bestWeights == null)) bestWeights = WeightSnapshot.snapshot(trainer.module());
        if (improved) {
            best = current;
            bestEpoch = epoch;
            if (baseline == null || m.improves(current, baseline, minDelta)) wait = 0;
            return;
        }
        if (wait >= patience && epoch > 0) {
            stoppedEpoch = epoch;
            trainer.setStopTraining(true);
            if (restoreBestWeights && bestWeights != null) {
                if (verbose) trainer.message("Restoring model weights from the end of the best epoch: " + (bestEpoch + 1) + ".");
                WeightSnapshot.restore(trainer.module(), bestWeights);
            }
        }
    }

    @Override public void onTrainEnd(Map<String, Double> logs) {
        if (stoppedEpoch >= 0 && verbose) trainer.message("Epoch " + (stoppedEpoch + 1) + ": early stopping");
        bestWeights = null;
    }
}
