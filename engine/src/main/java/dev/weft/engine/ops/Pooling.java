package dev.weft.engine.ops;

import dev.weft.engine.Shape;
import dev.weft.engine.Tensor;
import dev.weft.engine.kernels.Conv2dSpec;
import dev.weft.engine.kernels.Pool;
import dev.weft.engine.kernels.Pool2dSpec;

/**
 * Differentiable 2-D pooling, channels-last ({@code [N, H, W, C]}), with Keras padding.
 *
 * <p>Runs on the fused {@link Pool} kernels; window geometry is a {@link Pool2dSpec} ('same' pads like
 * convolution: the extra row/column at the bottom/right). Padded positions never take part: max
 * pooling ignores them and average pooling divides by the number of real elements in the window, as
 * TensorFlow does.
 */
public final class Pooling {
    private Pooling() {}

    private static Pool2dSpec geometry(String op, Tensor x, int ph, int pw, int sh, int sw, Conv2dSpec.Padding padding) {
        Conv.nonNull(op, "input", x);
        int[] xs = x.shape();
        if (xs.length != 4) throw new IllegalArgumentException(op + ": input must be [N, H, W, C], got " + Shape.str(xs));
        try {
            return Pool2dSpec.of(xs[0], xs[1], xs[2], xs[3], ph, pw, sh, sw, padding);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + ": pool " + ph + "x" + pw + " stride " + sh + "x" + sw + " does not fit input "
                    + Shape.str(xs) + " (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Max over each window ({@link Pool#maxForward}); backward ({@link Pool#maxBackward}) routes the
     * gradient to the first maximum in scan order. x: [N, H, W, C] → [N, OH, OW, C].
     */
    public static Tensor maxPool2d(Tensor x, int poolH, int poolW, int strideH, int strideW, Conv2dSpec.Padding padding) {
        Pool2dSpec s = geometry("max_pool2d", x, poolH, poolW, strideH, strideW, padding);
        Tensor xc = Conv.raw(x);
        float[] y = new float[(int) s.outputSize()];
        Pool.maxForward(s, xc.storage(), xc.offset(), y, 0);
        int[] xs = x.shape();
        return Tensor.of(y, s.n, s.oh, s.ow, s.c).recordOp("max_pool2d", g -> {
            Tensor gc = Conv.raw(g);
            float[] dx = new float[(int) s.inputSize()];
            Pool.maxBackward(s, xc.storage(), xc.offset(), gc.storage(), gc.offset(), dx, 0);
            return new Tensor[] {Tensor.of(dx, xs)};
        }, x);
    }

    /** Mean over the real elements of each window ({@link Pool#avgForward}). x: [N, H, W, C] → [N, OH, OW, C]. */
    public static Tensor avgPool2d(Tensor x, int poolH, int poolW, int strideH, int strideW, Conv2dSpec.Padding padding) {
        Pool2dSpec s = geometry("avg_pool2d", x, poolH, poolW, strideH, strideW, padding);
        Tensor xc = Conv.raw(x);
        float[] y = new float[(int) s.outputSize()];
        Pool.avgForward(s, xc.storage(), xc.offset(), y, 0);
        int[] xs = x.shape();
        return Tensor.of(y, s.n, s.oh, s.ow, s.c).recordOp("avg_pool2d", g -> {
            Tensor gc = Conv.raw(g);
            float[] dx = new float[(int) s.inputSize()];
            Pool.avgBackward(s, gc.storage(), gc.offset(), dx, 0);
            return new Tensor[] {Tensor.of(dx, xs)};
        }, x);
    }

    /** Mean over H and W: [N, H, W, C] → [N, C]; backward spreads g/(H·W) over the plane. */
    public static Tensor globalAvgPool2d(Tensor x) {
        Conv.nonNull("global_avg_pool2d", "input", x);
        int[] xs = x.shape();
        if (xs.length != 4) throw new IllegalArgumentException("global_avg_pool2d: input must be [N, H, W, C], got " + Shape.str(xs));
        for (int d : xs)
            if (d <= 0) throw new IllegalArgumentException("global_avg_pool2d: empty input " + Shape.str(xs));
        int n = xs[0], h = xs[1], w = xs[2], c = xs[3];
        Tensor xc = Conv.raw(x);
        float[] y = new float[n * c];
        Pool.globalAvgForward(n, h, w, c, xc.storage(), xc.offset(), y, 0);
        return Tensor.of(y, n, c).recordOp("global_avg_pool2d", g -> {
            Tensor gc = Conv.raw(g);
            float[] dx = new float[n * h * w * c];
            Pool.globalAvgBackward(n, h, w, c, gc.storage(), gc.offset(), dx, 0);
            return new Tensor[] {Tensor.of(dx, xs)};
        }, x);
    }
}
