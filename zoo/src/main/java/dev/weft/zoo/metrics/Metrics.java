package dev.weft.zoo.metrics;

import java.util.Locale;

/**
 * Factories for the built-in metrics, and Keras' string names.
 *
 * <pre>{@code
 * trainer.compile(optimizer, loss, Metrics.accuracy(), Metrics.topK(5));
 * trainer.compile(optimizer, loss, Metrics.get("accuracy"));
 * }</pre>
 */
public final class Metrics {
    private Metrics() {}

    /** {@code "accuracy"}: binary, sparse or categorical by Keras' shape rule (see {@link Accuracy}). */
    public static Metric accuracy() { return new Accuracy(); }

    /** Threshold 0.5 on probabilities. */
    public static Metric binaryAccuracy() { return new BinaryAccuracy(); }

    /** Threshold 0 on logits (same decisions as 0.5 after a sigmoid). */
    public static Metric binaryAccuracyFromLogits() { return BinaryAccuracy.fromLogits(); }

    /** One-hot targets. */
    public static Metric categoricalAccuracy() { return new CategoricalAccuracy(); }

    /** Class-index targets. */
    public static Metric sparseCategoricalAccuracy() { return new SparseCategoricalAccuracy(); }

    /** Top-k with one-hot targets. */
    public static Metric topK(int k) { return new TopKCategoricalAccuracy(k); }

    /** Top-k with class-index targets. */
    public static Metric sparseTopK(int k) { return TopKCategoricalAccuracy.sparse(k); }

    /**
     * A metric by its Keras name: {@code accuracy}/{@code acc}, {@code binary_accuracy},
     * {@code categorical_accuracy}, {@code sparse_categorical_accuracy},
     * {@code top_k_categorical_accuracy}, {@code sparse_top_k_categorical_accuracy} (k = 5, Keras'
     * default).
     */
    public static Metric get(String name) {
        if (name == null) throw new IllegalArgumentException("Metrics.get: name is null");
        switch (name.toLowerCase(Locale.ROOT)) {
            case "accuracy": case "acc": return new Accuracy(name);
            case "binary_accuracy": return new BinaryAccuracy();
            case "categorical_accuracy": return new CategoricalAccuracy();
            case "sparse_categorical_accuracy": return new SparseCategoricalAccuracy();
            case "top_k_categorical_accuracy": return new TopKCategoricalAccuracy(5);
            case "sparse_top_k_categorical_accuracy": return TopKCategoricalAccuracy.sparse(5);
            default:
                throw new IllegalArgumentException("Metrics.get: unknown metric '" + name + "' (known: accuracy, binary_accuracy, "
                        + "categorical_accuracy, sparse_categorical_accuracy, top_k_categorical_accuracy, sparse_top_k_categorical_accuracy)");
        }
    }
}
