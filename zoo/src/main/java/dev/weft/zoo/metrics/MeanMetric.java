package dev.weft.zoo.metrics;

import dev.weft.engine.Tensor;

/**
 * A metric that is the mean of a per-sample value, Keras' {@code MeanMetricWrapper}: each batch
 * contributes its per-sample values, so the result is the mean over all samples (batches are
 * weighted by their size).
 */
public abstract class MeanMetric implements Metric {
    private final String name;
    private final Mean mean;

    /** @param name the metric's name in the logs */
    protected MeanMetric(String name) {
        this.name = name;
        this.mean = new Mean(name);
    }

    @Override public String name() { return name; }

    /** The per-sample values of one batch (one value per sample, in the metric's own sense of sample). */
    protected abstract double[] perSample(Tensor yPred, Tensor yTrue);

    @Override public void update(Tensor yPred, Tensor yTrue) {
        if (yPred == null || yTrue == null) throw new IllegalArgumentException(name + ": yPred and yTrue must not be null");
        double[] v = perSample(yPred, yTrue);
        double sum = 0;
        for (double d : v) sum += d;
        if (v.length > 0) mean.update(sum / v.length, v.length);
    }

    @Override public double result() { return mean.result(); }

    @Override public void reset() { mean.reset(); }

    @Override public String toString() { return name; }
}
