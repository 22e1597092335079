package dev.weft.zoo.metrics;

/**
 * A weighted running mean, Keras' {@code keras.metrics.Mean}: {@code total += value · weight},
 * {@code count += weight}, result {@code total / count}.
 *
 * <p>The training loop tracks the loss with one, weighting each batch's mean loss by the batch size,
 * so the epoch value is the mean over samples even when the last batch is smaller (what Keras logs).
 * Keras accumulates in float32; this uses double, so long epochs drift less (values can differ from
 * Keras in the last float digits).
 */
public final class Mean {
    private final String name;
    private double total;
    private double count;

    /** A mean logged under {@code name} (e.g. {@code "loss"}). */
    public Mean(String name) {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("Mean: name must not be empty");
        this.name = name;
    }

    /** The log key. */
    public String name() { return name; }

    /** Adds {@code value} with weight 1. */
    public void update(double value) { update(value, 1); }

    /** Adds {@code value} with {@code weight} (e.g. a batch mean weighted by the batch size). */
    public void update(double value, double weight) {
        if (!(weight >= 0) || Double.isInfinite(weight))
            throw new IllegalArgumentException("Mean '" + name + "': weight must be finite and >= 0, got " + weight);
        total += value * weight;
        count += weight;
    }

    /** {@code total / count}, or NaN when nothing was added. */
    public double result() { return count == 0 ? Double.NaN : total / count; }

    /** The summed weight so far. */
    public double count() { return count; }

    /** Forgets everything. */
    public void reset() {
        total = 0;
        count = 0;
    }
}
