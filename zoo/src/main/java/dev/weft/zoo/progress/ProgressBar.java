package dev.weft.zoo.progress;

import dev.weft.zoo.util.Require;
import java.io.PrintStream;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Keras' progress bar ({@code keras.utils.Progbar} as in Keras 2), for one pass of {@code target}
 * steps:
 *
 * <pre>
 *  12/100 [==&gt;...........................] - ETA: 3s - loss: 0.6931 - accuracy: 0.5000
 * 100/100 [==============================] - 12s 120ms/step - loss: 0.2310 - accuracy: 0.9100
 * </pre>
 *
 * <ul>
 *   <li><b>verbose 1, dynamic</b> (a terminal): each {@link #update} redraws the line in place
 *       ({@code \r}, padded with spaces over a longer previous line), at most every
 *       {@code interval} seconds; the final update ends the line;</li>
 *   <li><b>verbose 1, not dynamic</b> (output piped to a file): only the final line is printed, so
 *       logs get one line per epoch instead of Keras' one line per update;</li>
 *   <li><b>verbose 2</b>: only a final summary line,
 *       {@code 100/100 - 12s - loss: 0.2310 - 12s/epoch - 120ms/step};</li>
 *   <li><b>verbose 0</b>: nothing.</li>
 * </ul>
 *
 * The bar is 30 characters: {@code int(30·current/target)} filled, the last filled one an arrow
 * {@code >} while unfinished. The ETA is the time per step times the steps left, with the time per
 * step measured after the first step (which includes warm-up) as Keras does; it prints as
 * {@code 3s}, {@code 1:05} or {@code 1:01:05}. Values print as {@code %.4f}, or {@code %.4e} when
 * their magnitude is at most 1e-3. An unknown target (-1) shows {@code      12/Unknown}.
 * Not thread-safe.
 */
public final class ProgressBar {
    /** Keras' bar width. */
    public static final int WIDTH = 30;

    private int target;
    private final int verbose;
    private final PrintStream out;
    private final boolean dynamic;
    private final LongSupplier nanoClock;
    private final long intervalNanos;
    private final long start;
    private long lastUpdate = Long.MIN_VALUE;
    private long afterFirstStep = -1;
    private int totalWidth;
    private boolean midLine;

    /**
     * @param target   number of steps, or -1 when unknown
     * @param verbose  0 silent, 1 bar, 2 one line at the end
     * @param out      where to print
     * @param dynamic  redraw in place (true for a terminal)
     * @param nanoClock time source in nanoseconds ({@code System::nanoTime}); the bar's clock starts now
     * @param intervalSeconds minimum time between two redraws (Keras: 0.05)
     */
    public ProgressBar(int target, int verbose, PrintStream out, boolean dynamic, LongSupplier nanoClock, double intervalSeconds) {
        if (verbose < 0 || verbose > 2) throw new IllegalArgumentException("ProgressBar: verbose must be 0, 1 or 2, got " + verbose);
        if (target == 0 || target < -1) throw new IllegalArgumentException("ProgressBar: target must be positive or -1 (unknown), got " + target);
        this.target = target;
        this.verbose = verbose;
        this.out = Require.nonNull(out, "ProgressBar", "out");
        this.dynamic = dynamic;
        this.nanoClock = Require.nonNull(nanoClock, "ProgressBar", "nanoClock");
        this.intervalNanos = (long) (intervalSeconds * 1e9);
        this.start = nanoClock.getAsLong();
    }

    /** A bar on {@code System.nanoTime} with Keras' 0.05 s redraw interval. */
    public ProgressBar(int target, int verbose, PrintStream out, boolean dynamic) {
        this(target, verbose, out, dynamic, System::nanoTime, 0.05);
    }

    /** The number of steps, or -1 when unknown. */
    public int target() { return target; }

    /** True when a dynamic bar has drawn a line that is not yet ended (a message must start a new line). */
    public boolean midLine() { return midLine; }

    /** Ends a partly drawn line so that other output starts on a fresh one. */
    public void interrupt() {
        if (midLine) {
            out.println();
            out.flush();
            midLine = false;
            totalWidth = 0;
        }
    }

    /**
     * Shows progress after {@code current} steps with the given values.
     *
     * @param finalize true for the last update of the pass (ends the line); an unknown target
     *                 becomes {@code current}
     */
    public void update(int current, Map<String, Double> values, boolean finalize) {
        long now = nanoClock.getAsLong();
        double perStep = stepDuration(current, now);
        if (finalize && target < 0) target = current;
        if (verbose == 1) {
            if (!finalize && (!dynamic || (lastUpdate != Long.MIN_VALUE && now - lastUpdate < intervalNanos))) return;
            lastUpdate = now;
            String bar = bar(current);
            StringBuilder info = new StringBuilder();
            if (target < 0 || finalize) {
                info.append(" - ").append(PyFormat.roundHalfEven(seconds(now - start))).append('s').append(formatTime(perStep, "step"));
            } else {
                info.append(" - ETA: ").append(eta(perStep * (target - current)));
            }
            appendValues(info, values);
            int width = bar.length() + info.length();
            StringBuilder line = new StringBuilder();
            if (dynamic) line.append('\r');
            line.append(bar).append(info);
            if (dynamic && totalWidth > width) line.append(" ".repeat(totalWidth - width));
            totalWidth = width;
            if (finalize) {
                line.append('\n');
                midLine = false;
                totalWidth = 0;
            } else {
                midLine = true;
            }
            out.print(line);
            out.flush();
        } else if (verbose == 2 && finalize) {
            double elapsed = seconds(now - start);
            StringBuilder line = new StringBuilder(count(current));
            line.append(" - ").append(PyFormat.roundHalfEven(elapsed)).append('s');
            appendValues(line, values);
            line.append(" -").append(formatTime(elapsed, "epoch"));
            line.append(" -").append(formatTime(elapsed / Math.max(1, current), "step"));
            out.println(line);
            out.flush();
        }
    }

    private String count(int current) {
        int digits = String.valueOf(target).length();
        return String.format("%" + digits + "d/%d", current, target);
    }

    private String bar(int current) {
        if (target < 0) return String.format("%7d/Unknown", current);
        StringBuilder b = new StringBuilder(count(current)).append(" [");
        int filled = (int) (WIDTH * Math.min(1.0, (double) current / target));
        if (filled > 0) {
            b.append("=".repeat(filled - 1));
            b.append(current < target ? '>' : '=');
        }
        b.append(".".repeat(WIDTH - filled)).append(']');
        return b.toString();
    }

    /** Seconds per step; the first step (warm-up) is left out once a second one exists. */
    private double stepDuration(int current, long now) {
        if (current <= 0) return 0;
        double perStep;
        if (afterFirstStep >= 0 && current > 1) perStep = seconds(now - afterFirstStep) / (current - 1);
        else perStep = seconds(now - start) / current;
        if (current == 1) afterFirstStep = now;
        return perStep;
    }

    private static double seconds(long nanos) { return nanos / 1e9; }

    static String eta(double seconds) {
        long e = (long) seconds; // Python's %d truncates
        if (seconds > 3600) return String.format("%d:%02d:%02d", e / 3600, (e % 3600) / 60, e % 60);
        if (seconds > 60) return String.format("%d:%02d", e / 60, e % 60);
        return e + "s";
    }

    /** Keras' {@code _format_time}: {@code " 12s/step"}, {@code " 120ms/step"} or {@code " 85us/step"}. */
    static String formatTime(double perUnit, String unit) {
        if (perUnit >= 1 || perUnit == 0) return " " + PyFormat.roundHalfEven(perUnit) + "s/" + unit;
        if (perUnit >= 1e-3) return " " + PyFormat.roundHalfEven(perUnit * 1e3) + "ms/" + unit;
        return " " + PyFormat.roundHalfEven(perUnit * 1e6) + "us/" + unit;
    }

    /** {@code " - name: 0.1234"} per value, {@code %.4e} for magnitudes up to 1e-3. */
    static void appendValues(StringBuilder sb, Map<String, Double> values) {
        if (values == null) return;
        for (Map.Entry<String, Double> e : values.entrySet()) {
            double v = e.getValue() == null ? Double.NaN : e.getValue();
            sb.append(" - ").append(e.getKey()).append(": ")
              .append(Math.abs(v) > 1e-3 || !Double.isFinite(v) ? PyFormat.fixed(v, 4) : PyFormat.scientific(v, 4));
        }
    }
}
