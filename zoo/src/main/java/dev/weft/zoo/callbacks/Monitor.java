package dev.weft.zoo.callbacks;

import dev.weft.zoo.util.Require;
import java.util.Locale;

/**
 * Which direction of a monitored metric is better, Keras' {@code mode} argument. {@link #AUTO} picks
 * {@link #MAX} for names containing {@code acc} or {@code auc} or starting with {@code fmeasure}
 * (accuracies) and {@link #MIN} otherwise (losses), as Keras does.
 */
public enum Monitor {
    MIN, MAX, AUTO;

    /** {@link #MIN} or {@link #MAX} for {@code metric}. */
    public Monitor resolve(String metric) {
        Require.nonNull(metric, "Monitor.resolve", "metric");
        if (this != AUTO) return this;
        String m = metric.toLowerCase(Locale.ROOT);
        return m.contains("acc") || m.contains("auc") || m.startsWith("fmeasure") ? MAX : MIN;
    }

    /** True when {@code current} beats {@code reference} by more than {@code minDelta} (≥ 0) in a resolved mode. */
    boolean improves(double current, double reference, double minDelta) {
        if (Double.isNaN(current)) return false;
        return this == MAX ? current - minDelta > reference : current + minDelta < reference;
    }

    /** The worst possible value in a resolved mode (infinity for MIN). */
    double worst() { return this == MAX ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY; }
}
