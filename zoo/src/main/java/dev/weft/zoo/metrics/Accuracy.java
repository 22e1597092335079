package dev.weft.zoo.metrics;

import dev.weft.engine.Tensor;
import dev.weft.zoo.util.Require;

/**
 * Keras' {@code metrics=["accuracy"]}: picks the accuracy from the shapes of the first batch, with
 * Keras' rule ({@code compile_utils.get_metric}):
 * <ul>
 *   <li>predictions with last dim 1 → {@link BinaryAccuracy} (threshold 0.5);</li>
 *   <li>targets of lower rank than the predictions, or targets with last dim 1 against predictions
 *       with more classes → {@link SparseCategoricalAccuracy} (class indices);</li>
 *   <li>otherwise → {@link CategoricalAccuracy} (one-hot targets).</li>
 * </ul>
 * Logged as {@code accuracy}. The choice is kept for the metric's lifetime (across resets).
 */
public final class Accuracy implements Metric {
    private final String name;
    private MeanMetric resolved;

    /** Logged as {@code accuracy}. */
    public Accuracy() { this("accuracy"); }

    /** Logged under {@code name}. */
    public Accuracy(String name) { this.name = Require.nonNull(name, "Accuracy", "name"); }

    @Override public String name() { return name; }

    /** The concrete accuracy chosen, or null before the first update. */
    public Metric resolved() { return resolved; }

    @Override public void update(Tensor yPred, Tensor yTrue) {
        if (yPred == null || yTrue == null) throw new IllegalArgumentException(name + ": yPred and yTrue must not be null");
        if (resolved == null) resolved = choose(name, yPred, yTrue);
        resolved.update(yPred, yTrue);
    }

    static MeanMetric choose(String name, Tensor yPred, Tensor yTrue) {
        int pLast = yPred.dim() == 0 ? 1 : yPred.size(-1);
        int tLast = yTrue.dim() == 0 ? 1 : yTrue.size(-1);
        if (pLast == 1) return new BinaryAccuracy(name, 0.5f);
        if (yTrue.dim() < yPred.dim() || (tLast == 1 && pLast > 1)) return new SparseCategoricalAccuracy(name);
        return new CategoricalAccuracy(name);
    }

    @Override public double result() { return resolved == null ? Double.NaN : resolved.result(); }

    @Override public void reset() { if (resolved != null) resolved.reset(); }

    @Override public String toString() { return name; }
}
