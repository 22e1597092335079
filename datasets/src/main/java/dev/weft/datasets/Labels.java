package dev.weft.datasets;

import dev.weft.engine.IntTensor;
import dev.weft.engine.Tensor;

/**
 * Label encodings: Keras' {@code to_categorical} / {@code tf.one_hot}.
 */
public final class Labels {
    private Labels() {}

    /**
     * One-hot encodes integer labels: a label tensor of shape {@code S} becomes a float tensor of shape
     * {@code S + [numClasses]} with 1 at the label's position and 0 elsewhere (Keras
     * {@code to_categorical(y, num_classes)}).
     *
     * @throws IllegalArgumentException if a label is negative or not below {@code numClasses}
     *         (Keras' {@code to_categorical} fails too; {@code tf.one_hot} would give a zero row)
     */
    public static Tensor oneHot(IntTensor labels, int numClasses) {
        int[] shape = labels.shape();
        int[] out = new int[shape.length + 1];
        System.arraycopy(shape, 0, out, 0, shape.length);
        out[shape.length] = numClasses;
        return Tensor.of(oneHot(labels.data(), numClasses), out);
    }

    /** {@link #oneHot(IntTensor, int)} with {@code numClasses = max(label) + 1} (Keras' {@code num_classes=None}). */
    public static Tensor oneHot(IntTensor labels) {
        int max = -1;
        for (int v : labels.data()) max = Math.max(max, v);
        return oneHot(labels, max + 1);
    }

    /** One-hot rows, flattened: {@code labels.length * numClasses} floats. */
    public static float[] oneHot(int[] labels, int numClasses) {
        if (numClasses < 1) throw new IllegalArgumentException("numClasses must be >= 1");
        float[] out = new float[Math.multiplyExact(labels.length, numClasses)];
        for (int i = 0; i < labels.length; i++) {
            int v = labels[i];
            if (v < 0 || v >= numClasses)
                throw new IllegalArgumentException("label " + v + " at index " + i + " is outside 0.." + (numClasses - 1));
            out[i * numClasses + v] = 1f;
        }
        return out;
    }
}
