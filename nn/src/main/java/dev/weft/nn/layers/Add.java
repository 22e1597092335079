package dev.weft.nn.layers;

import dev.weft.engine.Tensor;
import dev.weft.nn.Layer;
import java.util.Arrays;
import java.util.List;

/** Keras {@code Add()}: elementwise sum of two or more inputs of the same shape (e.g. a ResNet shortcut). */
public class Add extends Layer {
    @Override protected int[] computeOutputShape(int[][] in) {
        if (in.length < 2) throw new IllegalArgumentException(describe() + ": needs at least 2 inputs, got " + in.length);
        for (int i = 1; i < in.length; i++)
            if (!Arrays.equals(in[i], in[0]))
                throw new IllegalArgumentException(describe() + ": inputs must have the same shape, got " + batchShapeString(in[0])
                        + " and " + batchShapeString(in[i]) + " (input " + i + ")");
        return in[0].clone();
    }

    @Override protected Tensor compute(List<Tensor> inputs) {
        Tensor y = inputs.get(0);
        for (int i = 1; i < inputs.size(); i++) y = y.add(inputs.get(i));
        return y;
    }
}
