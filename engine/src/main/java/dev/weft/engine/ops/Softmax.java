package dev.weft.engine.ops;

import dev.weft.engine.Shape;
import dev.weft.engine.Tensor;

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
        float[] src = c.storage(), dst = new float[c.numel()];
        int base = c.offset();
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                int start = o * n * inner + in;
                float m = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < n; j++) m = Math.max(m, src[base + start + j * inner]);
                if (m == Float.NEGATIVE_INFINITY) m = 0; // all -inf: avoid inf - inf
                double s = 0;
                for (int j = 0; j < n; j++) s += Math.exp(src[base + start + j * inner] - m);
                if (log) {
                    float lse = (float) (m + Math.log(s));
                    for (int j = 0; j < n; j++) dst[start + j * inner] = src[base + start + j * inner] - lse;
                } else {
                    double inv = 1.0 / s;
                    for (int j = 0; j < n; j++) dst[start + j * inner] = (float) (Math.exp(src[base + start + j * inner] - m) * inv);
                }
            }
        }
        return Tensor.of(dst, shape);
    }
}
