package dev.weft.zoo.metrics;

import dev.weft.engine.Tensor;

/**
 * Keras' {@code SparseCategoricalAccuracy}: the fraction of samples whose predicted class
 * ({@code argmax} of the last dim of {@code [..., C]} predictions) equals the target class index.
 * Targets are class indices as floats, shaped {@code [...]} or {@code [..., 1]}.
 */
public final class SparseCategoricalAccuracy extends MeanMetric {
    /** Logged as {@code sparse_categorical_accuracy}. */
    public SparseCategoricalAccuracy() { this("sparse_categorical_accuracy"); }

    /** Logged under {@code name}. */
    public SparseCategoricalAccuracy(String name) { super(name); }

    @Override protected double[] perSample(Tensor yPred, Tensor yTrue) {
        int c = Shapes.classes(name(), yPred);
        int[] t = Shapes.sparseLabels(name(), yPred, yTrue);
        int[] p = Shapes.argmaxRows(yPred.toFloatArray(), c);
        double[] out = new double[p.length];
        for (int i = 0; i < p.length; i++) out[i] = p[i] == t[i] ? 1 : 0;
        return out;
    }
}
