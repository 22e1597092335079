package dev.weft.engine;

import java.util.Arrays;

/**
 * A dense, row-major tensor of 32-bit integers: class labels, token ids, argmax results.
 *
 * <p>Integer data never carries gradients, so this companion type is deliberately simple:
 * contiguous storage and a shape, no views. Ops that take indices ({@link Tensor#gather},
 * {@link Tensor#indexSelect}, {@link Tensor#oneHot}) accept it; {@link Tensor#argmax} returns it.
 */
public final class IntTensor {
    private final int[] data;
    private final int[] shape;

    private IntTensor(int[] data, int[] shape) {
        this.data = data;
        this.shape = shape;
    }

    /** Wraps {@code data} (not copied) with the given shape; the sizes must agree. */
    public static IntTensor of(int[] data, int... shape) {
        if (data == null) throw new IllegalArgumentException("IntTensor.of: data is null");
        int[] s = Shape.check("IntTensor.of", shape);
        long n = Shape.numel(s);
        if (n != data.length)
            throw new IllegalArgumentException("IntTensor.of: " + data.length + " values do not fill shape "
                    + Arrays.toString(s) + " (" + n + " elements)");
        return new IntTensor(data, s);
    }

    /** A 1-D tensor holding a copy of {@code values}. */
    public static IntTensor vector(int... values) {
        return new IntTensor(values.clone(), new int[] {values.length});
    }

    /** A tensor of zeros. */
    public static IntTensor zeros(int... shape) {
        int[] s = Shape.check("IntTensor.zeros", shape);
        return new IntTensor(new int[Math.toIntExact(Shape.numel(s))], s);
    }

    /** The shape (a copy). */
    public int[] shape() { return shape.clone(); }

    /** Number of dimensions. */
    public int dim() { return shape.length; }

    /** Size along dimension {@code d} (negative counts from the end). */
    public int size(int d) { return shape[Shape.normDim("IntTensor.size", d, shape.length)]; }

    /** Number of elements. */
    public int numel() { return data.length; }

    /** The element at a flat (row-major) index. */
    public int get(int flatIndex) {
        if (flatIndex < 0 || flatIndex >= data.length)
            throw new IndexOutOfBoundsException("IntTensor.get: index " + flatIndex + " out of range for " + data.length + " elements");
        return data[flatIndex];
    }

    /** The single value of a one-element tensor. */
    public int item() {
        if (data.length != 1) throw new IllegalStateException("IntTensor.item: tensor of shape " + Arrays.toString(shape) + " has " + data.length + " elements, not 1");
        return data[0];
    }

    /** A copy of the values in row-major order. */
    public int[] toIntArray() { return data.clone(); }

    /** The backing array, not copied: for readers and kernels inside Weft. */
    public int[] data() { return data; }

    /** Same data, new shape with the same number of elements. */
    public IntTensor reshape(int... newShape) {
        int[] s = Shape.inferReshape("IntTensor.reshape", shape, newShape);
        return new IntTensor(data, s);
    }

    /** Converts to a float tensor. */
    public Tensor toFloat() {
        float[] f = new float[data.length];
        for (int i = 0; i < f.length; i++) f[i] = data[i];
        return Tensor.of(f, shape);
    }

    @Override public boolean equals(Object o) {
        return o instanceof IntTensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override public int hashCode() { return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data); }

    @Override public String toString() { return Printer.format(this); }
}
