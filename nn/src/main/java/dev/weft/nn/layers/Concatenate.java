package dev.weft.nn.layers;

import dev.weft.engine.Tensor;
import dev.weft.nn.Layer;
import java.util.List;

/** Keras {@code Concatenate(axis=-1)}: joins inputs along a per-sample axis (negative counts from the end). */
public class Concatenate extends Layer {
    private final int axis;

    /** Concatenates on the last axis. */
    public Concatenate() { this(-1); }

    /** Concatenates on {@code axis} of the batched tensor (0 is the batch and is refused; -1 is the last). */
    public Concatenate(int axis) {
        if (axis == 0) throw new IllegalArgumentException("Concatenate: cannot concatenate along the batch axis 0");
        this.axis = axis;
    }

    private int perSampleAxis(int rank) {
        int a = axis < 0 ? axis + rank + 1 : axis; // axis counted in the batched tensor
        if (a < 1 || a > rank)
            throw new IllegalArgumentException(describe() + ": axis " + axis + " out of range for inputs of rank " + (rank + 1) + " (batch included)");
        return a - 1;
    }

    @Override protected int[] computeOutputShape(int[][] in) {
        if (in.length < 2) throw new IllegalArgumentException(describe() + ": needs at least 2 inputs, got " + in.length);
        int a = perSampleAxis(in[0].length);
        int[] out = in[0].clone();
        for (int i = 1; i < in.length; i++) {
            boolean ok = in[i].length == in[0].length;
            for (int d = 0; ok && d < out.length; d++) if (d != a && in[i][d] != in[0][d]) ok = false;
            if (!ok)
                throw new IllegalArgumentException(describe() + ": inputs must match except on axis " + axis + ", got "
                        + batchShapeString(in[0]) + " and " + batchShapeString(in[i]));
            out[a] += in[i][a];
        }
        return out;
    }

    @Override protected Tensor compute(List<Tensor> inputs) {
        return Tensor.concat(inputs, perSampleAxis(inputs.get(0).dim() - 1) + 1);
    }
}
