package dev.weft.nn.layers;

import dev.weft.engine.Tensor;
import dev.weft.engine.ops.Pooling;
import dev.weft.nn.Layer;
import java.util.List;

/** Keras {@code GlobalAveragePooling2D()}: {@code [N, H, W, C] → [N, C]}, the mean over each channel's plane. */
public class GlobalAveragePooling2D extends Layer {
    @Override protected int[] computeOutputShape(int[][] in) { return new int[] {single(in, 4)[2]}; }

    @Override protected Tensor compute(List<Tensor> inputs) { return Pooling.globalAvgPool2d(inputs.get(0)); }
}
