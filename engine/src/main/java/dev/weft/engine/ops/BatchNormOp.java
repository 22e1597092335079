package dev.weft.engine.ops;

import dev.weft.engine.Shape;
import dev.weft.engine.Tensor;
import dev.weft.engine.kernels.BatchNorm;

/**
 * Differentiable batch normalisation over the last axis (channels-last): the input is viewed as
 * rows {@code [M, C]} with {@code M = N·H·W} (or N for a Dense output), one statistic per channel.
 * Both modes run on the fused {@link BatchNorm} kernels.
 */
public final class BatchNormOp {
    private BatchNormOp() {}

    /** The normalised output and the batch statistics (biased variance, detached) for the moving-average update. */
    public record Result(Tensor output, Tensor mean, Tensor variance) {}

    private static int channels(String op, Tensor x, Tensor gamma, Tensor beta) {
        Conv.nonNull(op, "input", x);
        if (x.dim() < 2) throw new IllegalArgumentException(op + ": input must be [N, ..., C], got " + Shape.str(x.shape()));
        int c = x.size(-1);
        for (Tensor p : new Tensor[] {gamma, beta})
            if (p == null || p.dim() != 1 || p.size(0) != c)
                throw new IllegalArgumentException(op + ": gamma and beta must be [" + c + "] for input " + Shape.str(x.shape())
                        + ", got " + (p == null ? "null" : Shape.str(p.shape())));
        return c;
    }

    /**
     * Training mode: {@code y = γ·(x - μ)/sqrt(σ² + ε) + β} with the batch mean μ and biased variance σ².
     * Backward (x̂ = normalised x, M rows): dβ = Σg, dγ = Σg·x̂,
     * dx = γ/(M·sqrt(σ²+ε)) · (M·g - Σg - x̂·Σg·x̂).
     */
    public static Result training(Tensor x, Tensor gamma, Tensor beta, float epsilon) {
        int c = channels("batch_norm", x, gamma, beta);
        int m = x.numel() / Math.max(c, 1);
        if (m == 0) throw new IllegalArgumentException("batch_norm: empty batch " + Shape.str(x.shape()));
        Tensor xc = Conv.raw(x), gc = Conv.raw(gamma), bc = Conv.raw(beta);
        float[] y = new float[m * c], mean = new float[c], var = new float[c], invStd = new float[c];
        BatchNorm.forwardTraining(m, c, xc.storage(), xc.offset(), gc.storage(), gc.offset(), bc.storage(), bc.offset(), epsilon,
                y, 0, mean, 0, var, 0, invStd, 0);
        int[] xs = x.shape();
        Tensor out = Tensor.of(y, xs).recordOp("batch_norm", grad -> {
            Tensor dyc = Conv.raw(grad);
            float[] dx = new float[m * c], dgamma = new float[c], dbeta = new float[c];
            BatchNorm.backward(m, c, xc.storage(), xc.offset(), dyc.storage(), dyc.offset(), gc.storage(), gc.offset(),
                    mean, 0, invStd, 0, dx, 0, dgamma, 0, dbeta, 0);
            return new Tensor[] {Tensor.of(dx, xs), Tensor.of(dgamma, c), Tensor.of(dbeta, c)};
        }, x, gamma, beta);
        return new Result(out, Tensor.of(mean.clone(), c), Tensor.of(var, c));
    }

    /**
     * Inference mode with given statistics: {@code y = γ·(x - mean)/sqrt(var + ε) + β}, computed by
     * the {@link BatchNorm#forwardInference} kernel as {@code x·scale + shift} per channel (SIMD,
     * parallel over row chunks). Gradients flow to x, γ and β (the statistics are constants).
     */
    public static Tensor inference(Tensor x, Tensor gamma, Tensor beta, Tensor mean, Tensor variance, float epsilon) {
        int c = channels("batch_norm_inference", x, gamma, beta);
        for (Tensor p : new Tensor[] {mean, variance})
            if (p == null || p.dim() != 1 || p.size(0) != c)
                throw new IllegalArgumentException("batch_norm_inference: mean and variance must be [" + c + "], got "
                        + (p == null ? "null" : Shape.str(p.shape())));
        int m = x.numel() / Math.max(c, 1);
        Tensor xc = Conv.raw(x);
        float[] in = xc.storage(), g = gamma.toFloatArray(), b = beta.toFloatArray();
        float[] mu = mean.toFloatArray(), v = variance.toFloatArray();
        int xo = xc.offset();
        float[] y = new float[m * c];
        if (m > 0) BatchNorm.forwardInference(m, c, in, xo, g, 0, b, 0, mu, 0, v, 0, epsilon, y, 0);
        int[] xs = x.shape();
        return Tensor.of(y, xs).recordOp("batch_norm_inference", grad -> {
            float[] inv = new float[c];
            for (int ch = 0; ch < c; ch++) inv[ch] = (float) (1.0 / Math.sqrt((double) v[ch] + epsilon));
            float[] gd = grad.toFloatArray(), d = new float[m * c];
            double[] sumG = new double[c], sumGX = new double[c];
            for (int r = 0; r < m; r++)
                for (int ch = 0; ch < c; ch++) {
                    int i = r * c + ch;
                    float xhat = (in[xo + i] - mu[ch]) * inv[ch];
                    sumG[ch] += gd[i];
                    sumGX[ch] += gd[i] * (double) xhat;
                    d[i] = gd[i] * g[ch] * inv[ch];
                }
            return new Tensor[] {Tensor.of(d, xs), Tensor.of(toFloat(sumGX), c), Tensor.of(toFloat(sumG), c)};
        }, x, gamma, beta);
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }
}
