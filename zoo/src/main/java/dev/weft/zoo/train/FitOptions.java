package dev.weft.zoo.train;

import dev.weft.zoo.callbacks.Callback;
import dev.weft.zoo.util.Require;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * The arguments of {@link Trainer#fit} beyond the data, Keras' {@code fit(...)} keywords, as a
 * fluent builder:
 *
 * <pre>{@code
 * History h = trainer.fit(train, FitOptions.epochs(10)
 *         .validationData(val)          // validation_data
 *         .validationFreq(2)            // validation_freq: every 2nd epoch
 *         .callbacks(new EarlyStopping("val_loss", 3))
 *         .verbose(2));
 * }</pre>
 *
 * Defaults: 1 epoch, no validation, verbose 1, output {@code System.out}, progress redrawn in place
 * when {@code System.console() != null} and it is a terminal (override with {@link #terminal(boolean)}).
 */
public final class FitOptions {
    int epochs = 1;
    int initialEpoch;
    BatchSource validationData;
    int validationFreq = 1;
    Set<Integer> validationEpochs;
    final List<Callback> callbacks = new ArrayList<>();
    int verbose = 1;
    PrintStream out = System.out;
    Boolean terminal;
    long stepsPerEpoch = -1;
    LongSupplier nanoClock = System::nanoTime;
    double progressInterval = 0.05;
    boolean shuffle = true;
    long seed;

    /** Options for {@code epochs} epochs. */
    public static FitOptions epochs(int epochs) { return new FitOptions().setEpochs(epochs); }

    private FitOptions setEpochs(int epochs) {
        if (epochs < 1) throw new IllegalArgumentException("fit: epochs must be >= 1, got " + epochs);
        this.epochs = epochs;
        return this;
    }

    /** Starts at this epoch (0-based; Keras' {@code initial_epoch}, to resume training). */
    public FitOptions initialEpoch(int e) {
        if (e < 0) throw new IllegalArgumentException("fit: initialEpoch must be >= 0, got " + e);
        this.initialEpoch = e;
        return this;
    }

    /** Data evaluated at the end of epochs, logged as {@code val_<metric>}; null: no validation (Keras' {@code None}). */
    public FitOptions validationData(BatchSource data) {
        this.validationData = data;
        return this;
    }

    /** Validate every {@code n}-th epoch (epochs n, 2n, ... counted from 1), Keras' {@code validation_freq=n}. */
    public FitOptions validationFreq(int n) {
        if (n < 1) throw new IllegalArgumentException("fit: validationFreq must be >= 1, got " + n);
        this.validationFreq = n;
        this.validationEpochs = null;
        return this;
    }

    /** Validate at exactly these epochs, counted from 1 (Keras' {@code validation_freq=[1, 2, 10]}). */
    public FitOptions validationEpochs(int... oneBased) {
        Require.nonNull(oneBased, "FitOptions.validationEpochs", "oneBased");
        TreeSet<Integer> s = new TreeSet<>();
        for (int e : oneBased) {
            if (e < 1) throw new IllegalArgumentException("fit: validation epochs count from 1, got " + Arrays.toString(oneBased));
            s.add(e);
        }
        this.validationEpochs = Collections.unmodifiableSet(s);
        return this;
    }

    /** Adds callbacks (called in this order, before the History and the progress bar). */
    public FitOptions callbacks(Callback... callbacks) {
        this.callbacks.addAll(List.of(Require.noNulls(callbacks, "FitOptions.callbacks", "callbacks")));
        return this;
    }

    /** Adds callbacks. */
    public FitOptions callbacks(List<? extends Callback> callbacks) {
        return callbacks(Require.nonNull(callbacks, "FitOptions.callbacks", "callbacks").toArray(new Callback[0]));
    }

    /** 0 silent, 1 progress bar, 2 one line per epoch (Keras' {@code verbose}). */
    public FitOptions verbose(int v) {
        if (v < 0 || v > 2) throw new IllegalArgumentException("fit: verbose must be 0, 1 or 2, got " + v);
        this.verbose = v;
        return this;
    }

    /** Where progress and callback messages go (default {@code System.out}). */
    public FitOptions out(PrintStream out) {
        this.out = Require.nonNull(out, "FitOptions.out", "out");
        return this;
    }

    /** Forces the progress bar to redraw in place ({@code true}) or to print one line per epoch ({@code false}). */
    public FitOptions terminal(boolean redrawInPlace) {
        this.terminal = redrawInPlace;
        return this;
    }

    /** Ends each epoch after at most {@code n} batches (Keras' {@code steps_per_epoch}). */
    public FitOptions stepsPerEpoch(long n) {
        if (n < 1) throw new IllegalArgumentException("fit: stepsPerEpoch must be >= 1, got " + n);
        this.stepsPerEpoch = n;
        return this;
    }

    /** The progress bar's clock (nanoseconds) and minimum redraw interval in seconds; for tests. */
    public FitOptions progressClock(LongSupplier nanoClock, double intervalSeconds) {
        this.nanoClock = Require.nonNull(nanoClock, "FitOptions.progressClock", "nanoClock");
        this.progressInterval = intervalSeconds;
        return this;
    }

    /**
     * For {@link Trainer#fit(dev.weft.engine.Tensor, dev.weft.engine.Tensor, int, FitOptions)} only:
     * whether to reshuffle the samples every epoch (default true, as Keras) and the seed of the
     * shuffle (default 0): the same seed gives the same batches.
     */
    public FitOptions shuffle(boolean shuffle, long seed) {
        this.shuffle = shuffle;
        this.seed = seed;
        return this;
    }

    /** The number of epochs. */
    public int epochs() { return epochs; }

    /** The verbosity. */
    public int verbose() { return verbose; }

    boolean validateAt(int epoch) {
        if (validationData == null) return false;
        if (validationEpochs != null) return validationEpochs.contains(epoch + 1);
        return (epoch + 1) % validationFreq == 0;
    }

    boolean redrawInPlace() { return terminal != null ? terminal : stdoutIsTerminal(); }

    /**
     * {@code System.console() != null}, and on JDK 22+ also {@code Console.isTerminal()} (called
     * reflectively: this code targets Java 17), since newer JDKs may return a console whose output
     * is redirected.
     */
    static boolean stdoutIsTerminal() {
        java.io.Console console = System.console();
        if (console == null) return false;
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return true;   // JDK 17-21: a console exists only for a terminal
        }
    }
}
