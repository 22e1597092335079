package dev.weft.engine;

/** Placeholder: replaced by the full strided tensor within the hour. */
public final class Tensor {
    final float[] data;
    final int[] shape;
    final int[] strides;
    final int offset;

    Tensor(float[] data, int[] shape, int[] strides, int offset) {
        this.data = data; this.shape = shape; this.strides = strides; this.offset = offset;
    }

    /** Wraps {@code data} (not copied), row-major, with the given shape. */
    public static Tensor of(float[] data, int... shape) {
        int[] s = Shape.check("Tensor.of", shape);
        if (Shape.numel(s) != data.length) throw new IllegalArgumentException("Tensor.of: " + data.length + " values do not fill shape " + Shape.str(s));
        return new Tensor(data, s, Shape.contiguousStrides(s), 0);
    }
    public static Tensor zeros(int... shape) { int[] s = Shape.check("Tensor.zeros", shape); return of(new float[(int) Shape.numel(s)], s); }
    public int[] shape() { return shape.clone(); }
    public int dim() { return shape.length; }
    public int size(int d) { return shape[Shape.normDim("Tensor.size", d, shape.length)]; }
    public int numel() { return (int) Shape.numel(shape); }
    public float[] toFloatArray() { return data.clone(); }
    public IntTensor argmax(int dim) { throw new IllegalStateException(); }
    public Tensor gather(int dim, IntTensor idx) { throw new IllegalStateException(); }
    public Tensor indexSelect(int dim, IntTensor idx) { throw new IllegalStateException(); }
    public static Tensor oneHot(IntTensor idx, int n) { throw new IllegalStateException(); }
}
