package dev.weft.nn.layers;

import dev.weft.engine.Tensor;
import dev.weft.nn.Layer;
import java.util.List;

/** Keras {@code Activation("relu")}: applies an activation function elementwise (softmax: last axis). */
public class Activation extends Layer {
    private final Activations fn;

    /** By Keras name. */
    public Activation(String name) { this(Activations.of(name)); }

    /** By enum. */
    public Activation(Activations fn) {
        if (fn == null) throw new IllegalArgumentException("Activation: function is null");
        this.fn = fn;
    }

    /** The function applied. */
    public Activations function() { return fn; }

    @Override protected int[] computeOutputShape(int[][] in) { return single(in).clone(); }

    @Override protected Tensor compute(List<Tensor> inputs) { return fn.apply(inputs.get(0)); }
}
