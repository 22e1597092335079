package dev.weft.nn;

import java.util.List;

/**
 * A symbolic tensor of the functional API (Keras' {@code KerasTensor}): a per-sample shape and the
 * layer call that produces it. Make inputs with {@link #input}, apply layers with
 * {@link Layer#call}, and wrap the graph in a {@link Model}.
 */
public final class Symbolic {
    private final int[] shape;
    private final Layer layer;
    private final List<Symbolic> inputs;
    private final String inputName;

    Symbolic(int[] shape, Layer layer, List<Symbolic> inputs) {
        this.shape = shape.clone();
        this.layer = layer;
        this.inputs = List.copyOf(inputs);
        this.inputName = null;
    }

    private Symbolic(int[] shape, String inputName) {
        this.shape = shape.clone();
        this.layer = null;
        this.inputs = List.of();
        this.inputName = inputName;
    }

    /** A model input with the given per-sample shape (Keras {@code Input(shape=...)}). */
    public static Symbolic input(int... shape) { return input(null, shape); }

    /** A named model input. */
    public static Symbolic input(String name, int... shape) {
        if (shape == null) throw new IllegalArgumentException("Input: shape is null");
        for (int s : shape)
            if (s <= 0) throw new IllegalArgumentException("Input: sizes must be positive, got shape " + Layer.batchShapeString(shape));
        return new Symbolic(shape, name);
    }

    /** The per-sample shape (without the batch dim). */
    public int[] shape() { return shape.clone(); }

    /** The producing layer, or null for a model input. */
    public Layer layer() { return layer; }

    /** The symbolic inputs of the producing call. */
    public List<Symbolic> inputs() { return inputs; }

    /** True for a model input. */
    public boolean isInput() { return layer == null; }

    /** The input's name, or null. */
    public String inputName() { return inputName; }

    @Override public String toString() {
        return "Symbolic" + Layer.batchShapeString(shape) + (layer == null ? " input" : " from " + layer.typeName());
    }
}
