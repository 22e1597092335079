package dev.weft.nn.layers;

import dev.weft.engine.Tensor;
import dev.weft.nn.Layer;
import java.util.List;

/** Keras {@code Flatten()}: {@code [N, d1, d2, ...] → [N, d1·d2·...]} (row-major, i.e. channels-last order). */
public class Flatten extends Layer {
    @Override protected int[] computeOutputShape(int[][] in) {
        int[] s = single(in);
        long n = numel(s);
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException(describe() + ": too many features in " + batchShapeString(s));
        return new int[] {(int) n};
    }

    @Override protected Tensor compute(List<Tensor> inputs) {
        Tensor x = inputs.get(0);
        return x.reshape(x.size(0), -1);
    }
}
