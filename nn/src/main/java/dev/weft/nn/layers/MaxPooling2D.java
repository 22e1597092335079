package dev.weft.nn.layers;

import dev.weft.engine.Tensor;
import dev.weft.engine.ops.Pooling;
import java.util.List;

/** Keras {@code MaxPooling2D(pool_size=(2, 2), strides=None, padding="valid")}, channels-last; 'same' ignores padded positions. */
public class MaxPooling2D extends Pool2D<MaxPooling2D> {
    /** 2x2 pool, stride 2. */
    public MaxPooling2D() { this(2, 2); }
    /** Square pool. */
    public MaxPooling2D(int pool) { this(pool, pool); }
    /** {@code ph x pw} pool; stride defaults to the pool size. */
    public MaxPooling2D(int ph, int pw) { super(ph, pw); }

    @Override protected Tensor compute(List<Tensor> inputs) { return Pooling.maxPool2d(inputs.get(0), ph, pw, sh, sw, padding); }
}
