package dev.weft.zoo.train;

import dev.weft.engine.IntTensor;
import dev.weft.engine.Tensor;
import java.util.function.Function;

/**
 * How integer labels {@code [B]} from the {@code datasets} pipeline become the float targets a loss
 * expects (see {@link DatasetBatches}).
 */
public final class Targets {
    private Targets() {}

    /** Class indices as floats {@code [B]}: for {@code SparseCategoricalCrossentropy} and sparse metrics. */
    public static Function<IntTensor, Tensor> classIndices() { return IntTensor::toFloat; }

    /**
     * One-hot rows {@code [B, numClasses]}: for {@code CategoricalCrossentropy} (the VGG and ResNet
     * seeds). A label outside {@code [0, numClasses)} fails with a message naming it.
     */
    public static Function<IntTensor, Tensor> oneHot(int numClasses) {
        if (numClasses < 1) throw new IllegalArgumentException("Targets.oneHot: numClasses must be >= 1, got " + numClasses);
        return labels -> {
            int[] v = labels.data();
            int[] s = labels.shape();
            int[] shape = java.util.Arrays.copyOf(s, s.length + 1);
            shape[s.length] = numClasses;
            float[] out = new float[Math.multiplyExact(v.length, numClasses)];
            for (int i = 0; i < v.length; i++) {
                if (v[i] < 0 || v[i] >= numClasses)
                    throw new IllegalArgumentException("Targets.oneHot: label " + v[i] + " at position " + i + " is outside [0, " + numClasses + ")");
                out[i * numClasses + v[i]] = 1f;
            }
            return Tensor.of(out, shape);
        };
    }

    /** 0/1 labels as a column {@code [B, 1]}: for {@code BinaryCrossentropy} against a {@code Dense(1)} output (the LSTM seed). */
    public static Function<IntTensor, Tensor> binaryColumn() {
        return labels -> {
            int[] v = labels.data();
            float[] out = new float[v.length];
            for (int i = 0; i < v.length; i++) out[i] = v[i];
            return Tensor.of(out, v.length, 1);
        };
    }
}
