package dev.weft.nn.layers;

import dev.weft.engine.Tensor;
import dev.weft.engine.ops.Pooling;
import java.util.List;

/**
 * Keras {@code AveragePooling2D(pool_size=(2, 2), strides=None, padding="valid")}, channels-last;
 * with 'same', each window averages only its real (unpadded) elements, as TensorFlow does.
 */
public class AveragePooling2D extends Pool2D<AveragePooling2D> {
    /** 2x2 pool, stride 2. */
    public AveragePooling2D() { this(2, 2); }
    /** Square pool. */
    public AveragePooling2D(int pool) { this(pool, pool); }
    /** {@code ph x pw} pool; stride defaults to the pool size. */
    public AveragePooling2D(int ph, int pw) { super(ph, pw); }

    @Override protected Tensor compute(List<Tensor> inputs) { return Pooling.avgPool2d(inputs.get(0), ph, pw, sh, sw, padding); }
}
