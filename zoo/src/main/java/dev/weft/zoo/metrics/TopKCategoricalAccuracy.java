package dev.weft.zoo.metrics;

import dev.weft.engine.Tensor;

/**
 * Keras' {@code TopKCategoricalAccuracy(k=5)} and {@code SparseTopKCategoricalAccuracy}: the fraction
 * of samples whose target class is among the {@code k} highest predictions. As TensorFlow's
 * {@code in_top_k}, classes tied with the target at the boundary count in its favour (the target is
 * in when fewer than {@code k} classes score strictly higher) and a non-finite target score is out.
 *
 * <p>Targets: one-hot {@code [..., C]} (the target is its argmax) or, for the sparse variant, class
 * indices {@code [...]} / {@code [..., 1]}.
 */
public final class TopKCategoricalAccuracy extends MeanMetric {
    private final int k;
    private final boolean sparse;

    /** One-hot targets, logged as {@code top_k_categorical_accuracy}. */
    public TopKCategoricalAccuracy(int k) { this("top_k_categorical_accuracy", k, false); }

    /**
     * @param sparse true for class-index targets (Keras' {@code SparseTopKCategoricalAccuracy})
     */
    public TopKCategoricalAccuracy(String name, int k, boolean sparse) {
        super(name);
        if (k < 1) throw new IllegalArgumentException(name + ": k must be >= 1, got " + k);
        this.k = k;
        this.sparse = sparse;
    }

    /** Class-index targets, logged as {@code sparse_top_k_categorical_accuracy}. */
    public static TopKCategoricalAccuracy sparse(int k) {
        return new TopKCategoricalAccuracy("sparse_top_k_categorical_accuracy", k, true);
    }

    /** How many top classes count. */
    public int k() { return k; }

    @Override protected double[] perSample(Tensor yPred, Tensor yTrue) {
        int c = Shapes.classes(name(), yPred);
        int[] targets;
        if (sparse) {
            targets = Shapes.sparseLabels(name(), yPred, yTrue);
        } else {
            Shapes.requireSameShape(name(), yPred, yTrue);
            targets = Shapes.argmaxRows(yTrue.toFloatArray(), c);
        }
        float[] p = yPred.toFloatArray();
        double[] out = new double[targets.length];
        for (int i = 0; i < targets.length; i++) out[i] = Shapes.inTopK(p, i * c, c, targets[i], k) ? 1 : 0;
        return out;
    }
}
