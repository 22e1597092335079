package dev.weft.zoo.metrics;

import dev.weft.engine.Tensor;

/**
 * Keras' {@code CategoricalAccuracy}: the fraction of samples whose predicted class
 * ({@code argmax} of the last dim) equals the target's {@code argmax}. Targets are one-hot (or any
 * scores) with the predictions' shape {@code [..., C]}; every position but the last is a sample.
 * Ties go to the first index, as numpy's argmax.
 */
public final class CategoricalAccuracy extends MeanMetric {
    /** Logged as {@code categorical_accuracy}. */
    public CategoricalAccuracy() { this("categorical_accuracy"); }

    /** Logged under {@code name}. */
    public CategoricalAccuracy(String name) { super(name); }

    @Override protected double[] perSample(Tensor yPred, Tensor yTrue) {
        int c = Shapes.classes(name(), yPred);
        Shapes.requireSameShape(name(), yPred, yTrue);
        int[] p = Shapes.argmaxRows(yPred.toFloatArray(), c), t = Shapes.argmaxRows(yTrue.toFloatArray(), c);
        double[] out = new double[p.length];
        for (int i = 0; i < p.length; i++) out[i] = p[i] == t[i] ? 1 : 0;
        return out;
    }
}
