package dev.weft.datasets.pipeline;

import dev.weft.engine.IntTensor;
import dev.weft.engine.Shape;
import dev.weft.engine.Tensor;

import java.util.List;
import java.util.function.Function;

/** Functions that stack a list of examples into one {@link Batch} of tensors (use with {@code Dataset.map}). */
public final class Collate {
    private Collate() {}

    /** Stacks {@link Example}s whose features have {@code exampleShape} into {@code Tensor [B, ...exampleShape]}. */
    public static Function<List<Example>, Batch<Tensor>> images(int... exampleShape) {
        int[] shape = exampleShape.clone();
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("Collate.images: example shape " + Shape.str(shape) + " has a negative dim");
            n *= d;
        }
        int per = Math.toIntExact(n);
        return list -> {
            int b = list.size();
            float[] x = new float[Math.multiplyExact(b, per)];
            int[] y = new int[b];
            for (int i = 0; i < b; i++) {
                Example e = list.get(i);
                if (e.x().length != per)
                    throw new IllegalArgumentException("Collate.images: example " + i + " has " + e.x().length + " values, expected "
                            + per + " for example shape " + Shape.str(shape));
                System.arraycopy(e.x(), 0, x, i * per, per);
                y[i] = e.label();
            }
            return new Batch<>(Tensor.of(x, batchShape(b, shape)), IntTensor.of(y, b));
        };
    }

    /** Stacks equal-length {@link SequenceExample}s into {@code IntTensor [B, T]} (pad them first). */
    public static Function<List<SequenceExample>, Batch<IntTensor>> sequences() {
        return list -> {
            int b = list.size();
            int t = b == 0 ? 0 : list.get(0).tokens().length;
            int[] x = new int[Math.multiplyExact(b, t)];
            int[] y = new int[b];
            for (int i = 0; i < b; i++) {
                SequenceExample e = list.get(i);
                if (e.tokens().length != t)
                    throw new IllegalArgumentException("Collate.sequences: sequence " + i + " has length " + e.tokens().length + ", expected " + t
                            + " (pad with Sequences.padSequences first)");
                System.arraycopy(e.tokens(), 0, x, i * t, t);
                y[i] = e.label();
            }
            return new Batch<>(IntTensor.of(x, b, t), IntTensor.of(y, b));
        };
    }

    /** The shape {@code [b, ...exampleShape]} (helper for custom collators). */
    public static int[] batchShape(int b, int... exampleShape) {
        int[] s = new int[exampleShape.length + 1];
        s[0] = b;
        System.arraycopy(exampleShape, 0, s, 1, exampleShape.length);
        return s;
    }
}
