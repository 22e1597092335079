package dev.weft.engine.ops;

import dev.weft.engine.Shape;
import dev.weft.engine.Tensor;
import dev.weft.engine.kernels.SoftmaxKernels;

/**
 * Softmax and log-softmax along one dim, max-shifted for stability. The input is viewed as
 * {@code [outer, n, inner]} with the softmax dim in the middle, so no permute is needed.
 */
public final class Softmax {
    private Softmax() {}

    /** y = exp(x - max) / sum(exp(x - max)); backward dx = y·(g - sum(g·y)). */
    public static Tensor softmax(Tensor x, int dim) {
        int d = Shape.normDim("softmax", dim, x.dim());
        Tensor y = compute(x, d, false);
        return y.recordOp("softmax", g -> {
            Tensor gy = g.mul(y);
            return new Tensor[] {gy.sub(y.mul(gy.sum(d, true)))};
        }, x);
    }

    /** y = x - max - log(sum(exp(x - max))); backward dx = g - exp(y)·sum(g). */
    public static Tensor logSoftmax(Tensor x, int dim) {
        int d = Shape.normDim("log_softmax", dim, x.dim());
        Tensor y = compute(x, d, true);
        return y.recordOp("log_softmax", g -> new Tensor[] {g.sub(y.exp().mul(g.sum(d, true)))}, x);
    }

    private static Tensor compute(Tensor x, int d, boolean log) {
        Tensor c = x.isContiguous() ? x : Views.copyRaw(x);
        int[] shape = c.shape();
        int n = shape[d], inner = 1, outer = 1;
        for (int i = 0; i < d; i++) outer *= shape[i];
        for (int i = d + 1; i < shape.length; i++) inner *= shape[i];
        float[] dst = new float[c.numel()];
        SoftmaxKernels.softmax(c.storage(), c.offset(), dst, outer, n, inner, log);
        return Tensor.of(dst, shape);
    }
}
