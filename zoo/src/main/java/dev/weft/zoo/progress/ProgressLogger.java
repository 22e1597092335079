package dev.weft.zoo.progress;

import dev.weft.zoo.callbacks.Callback;
import dev.weft.zoo.util.Require;
import java.io.PrintStream;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The callback that prints Keras' per-epoch progress ({@code ProgbarLogger}): {@code Epoch 3/10}
 * (when there is more than one epoch), then a {@link ProgressBar} fed with the running logs after
 * each batch and finished with the epoch's logs (including {@code val_*}). {@code Trainer.fit} adds
 * one automatically when verbose is 1 or 2, after the user's callbacks. An epoch stopped early ends
 * its bar at the steps actually run ({@code 6/100 [=>...]}), where Keras would draw it full.
 */
public final class ProgressLogger implements Callback {
    private final int verbose, epochs;
    private final PrintStream out;
    private final boolean dynamic;
    private final IntSupplier stepsPerEpoch;
    private final LongSupplier nanoClock;
    private final double interval;
    private ProgressBar bar;
    private int seen;
    private int learnedSteps = -1;

    /**
     * @param verbose       1 bar, 2 one line per epoch
     * @param epochs        total epochs (for {@code Epoch i/n})
     * @param stepsPerEpoch steps per epoch, or -1 when unknown (learnt after the first epoch)
     * @param dynamic       redraw in place (a terminal)
     */
    public ProgressLogger(int verbose, int epochs, IntSupplier stepsPerEpoch, PrintStream out, boolean dynamic,
                          LongSupplier nanoClock, double intervalSeconds) {
        if (verbose < 1 || verbose > 2) throw new IllegalArgumentException("ProgressLogger: verbose must be 1 or 2, got " + verbose);
        this.verbose = verbose;
        this.epochs = epochs;
        this.stepsPerEpoch = Require.nonNull(stepsPerEpoch, "ProgressLogger", "stepsPerEpoch");
        this.out = Require.nonNull(out, "ProgressLogger", "out");
        this.dynamic = dynamic;
        this.nanoClock = Require.nonNull(nanoClock, "ProgressLogger", "nanoClock");
        this.interval = intervalSeconds;
    }

    /** Ends a partly drawn bar line so a message can be printed on its own line. */
    public void interrupt() { if (bar != null) bar.interrupt(); }

    @Override public void onEpochBegin(int epoch, Map<String, Double> logs) {
        if (epochs > 1) out.println("Epoch " + (epoch + 1) + "/" + epochs);
        int steps = stepsPerEpoch.getAsInt();
        if (steps <= 0) steps = learnedSteps;
        bar = new ProgressBar(steps > 0 ? steps : -1, verbose, out, dynamic, nanoClock, interval);
        seen = 0;
    }

    @Override public void onBatchEnd(int step, Map<String, Double> logs) {
        seen = step + 1;
        bar.update(seen, logs, false);
    }

    @Override public void onEpochEnd(int epoch, Map<String, Double> logs) {
        if (bar == null) return;
        if (bar.target() < 0) learnedSteps = seen;
        bar.update(seen, logs, true);
        bar = null;
    }
}
