package dev.weft.nn;

import dev.weft.engine.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A plain stack of single-input layers, like Keras' {@code Sequential}.
 *
 * <pre>{@code
 * Sequential model = new Sequential(
 *         new Dense(64).activation("relu"),
 *         new Dense(10).activation("softmax"))
 *     .input(784);                        // builds every layer; optional (else built on first call)
 * Tensor y = model.forward(x);            // x: [N, 784] → y: [N, 10]
 * System.out.println(model.summary());
 * }</pre>
 *
 * <p>Unnamed layers get Keras' default names at {@link #add}: {@code dense}, {@code dense_1}, ...;
 * weights are named {@code <layer>.<weight>} ({@code dense_1.kernel}).
 */
public class Sequential extends Layer {
    private final List<Layer> layers = new ArrayList<>();
    private final Map<String, Integer> nameCounts = new HashMap<>();
    private int[] inputShape;

    /** A model holding {@code layers} in order. */
    public Sequential(Layer... layers) {
        for (Layer l : layers) add(l);
    }

    /** Appends a layer; returns this. */
    public Sequential add(Layer layer) {
        if (layer == null) throw new IllegalArgumentException("Sequential: cannot add a null layer");
        if (layers.contains(layer)) throw new IllegalArgumentException("Sequential: layer " + layer.describe() + " added twice");
        if (isBuilt()) throw new IllegalStateException("Sequential: already built; cannot add " + layer.typeName());
        if (layer.name() == null) layer.named(uniqueName(layer.defaultNamePrefix()));
        else nameCounts.merge(layer.name(), 1, Integer::sum);
        if (inputShape != null) layer.build(currentShape()); // validates before registering
        registerModule(layer.name(), layer);
        layers.add(layer);
        return this;
    }

    private String uniqueName(String prefix) {
        int n = nameCounts.getOrDefault(prefix, 0);
        nameCounts.put(prefix, n + 1);
        String candidate = n == 0 ? prefix : prefix + "_" + n;
        while (children().containsKey(candidate)) candidate = prefix + "_" + (++n);
        return candidate;
    }

    /** Declares the per-sample input shape and builds the layers added so far (Keras {@code Input(shape)}); returns this. */
    public Sequential input(int... shape) {
        if (isBuilt()) throw new IllegalStateException("Sequential: already built");
        if (shape == null) throw new IllegalArgumentException("Sequential.input: shape is null");
        inputShape = shape.clone();
        if (!layers.isEmpty()) build(shape);
        return this;
    }

    private int[] currentShape() {
        int[] s = inputShape;
        for (Layer l : layers) s = l.outputShape(s);
        return s;
    }

    /** The layers in order (read-only). */
    public List<Layer> layers() { return List.copyOf(layers); }

    @Override protected int[] computeOutputShape(int[][] in) {
        int[] s = single(in);
        for (Layer l : layers) s = l.outputShape(s);
        return s;
    }

    @Override protected void doBuild(int[][] in) {
        if (layers.isEmpty()) throw new IllegalStateException(describe() + ": no layers to build");
        int[] s = in[0];
        for (Layer l : layers) {
            l.build(s);
            s = l.outputShape(s);
        }
    }

    @Override protected Tensor compute(List<Tensor> inputs) {
        Tensor x = inputs.get(0);
        for (Layer l : layers) x = l.forward(x);
        return x;
    }

    /** The Keras-style summary; the model must be built (call {@link #input} or run it once). */
    public Summary summary() {
        if (!isBuilt() && inputShape != null && !layers.isEmpty()) build(inputShape);
        return Summary.of(this);
    }
}
