package dev.weft.engine.ops;

import dev.weft.engine.Shape;
import dev.weft.engine.Tensor;

/**
 * Differentiable batch normalisation over the last axis (channels-last): the input is viewed as
 * rows {@code [M, C]} with {@code M = N·H·W} (or N for a Dense output), one statistic per channel.
 */
public final class BatchNormOp {
    private BatchNormOp() {}

    /** The normalised output and the batch statistics (biased variance, detached) for the moving-average update. */
    public record Result(Tensor output, Tensor mean, Tensor variance) {}

    private static int channels(String op, Tensor x, Tensor gamma, Tensor beta) {
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
        float[] in = Conv.raw(x).toFloatArray();
        double[] mean = new double[c], var = new double[c];
        for (int r = 0; r < m; r++) for (int ch = 0; ch < c; ch++) mean[ch] += in[r * c + ch];
        for (int ch = 0; ch < c; ch++) mean[ch] /= m;
        for (int r = 0; r < m; r++)
            for (int ch = 0; ch < c; ch++) {
                double d = in[r * c + ch] - mean[ch];
                var[ch] += d * d;
            }
        float[] inv = new float[c], meanF = new float[c], varF = new float[c];
        for (int ch = 0; ch < c; ch++) {
            var[ch] /= m;
            meanF[ch] = (float) mean[ch];
            varF[ch] = (float) var[ch];
            inv[ch] = (float) (1.0 / Math.sqrt(var[ch] + epsilon));
        }
        float[] g = gamma.toFloatArray(), b = beta.toFloatArray();
        float[] xhat = new float[in.length], y = new float[in.length];
        for (int r = 0; r < m; r++)
            for (int ch = 0; ch < c; ch++) {
                int i = r * c + ch;
                xhat[i] = (in[i] - meanF[ch]) * inv[ch];
                y[i] = g[ch] * xhat[i] + b[ch];
            }
        int[] xs = x.shape();
        Tensor out = Tensor.of(y, xs).recordOp("batch_norm", grad -> {
            float[] gd = Conv.raw(grad).toFloatArray();
            double[] sumG = new double[c], sumGX = new double[c];
            for (int r = 0; r < m; r++)
                for (int ch = 0; ch < c; ch++) {
                    int i = r * c + ch;
                    sumG[ch] += gd[i];
                    sumGX[ch] += gd[i] * (double) xhat[i];
                }
            Tensor dx = null;
            if (x.requiresGrad()) {
                float[] d = new float[in.length];
                for (int r = 0; r < m; r++)
                    for (int ch = 0; ch < c; ch++) {
                        int i = r * c + ch;
                        d[i] = (float) (g[ch] * inv[ch] / m * (m * (double) gd[i] - sumG[ch] - xhat[i] * sumGX[ch]));
                    }
                dx = Tensor.of(d, xs);
            }
            return new Tensor[] {dx, Tensor.of(toFloat(sumGX), c), Tensor.of(toFloat(sumG), c)};
        }, x, gamma, beta);
        return new Result(out, Tensor.of(meanF, c), Tensor.of(varF, c));
    }

    /**
     * Inference mode with given statistics: {@code y = γ·(x - mean)/sqrt(var + ε) + β}. Gradients
     * flow to x, γ and β (the statistics are constants).
     */
    public static Tensor inference(Tensor x, Tensor gamma, Tensor beta, Tensor mean, Tensor variance, float epsilon) {
        int c = channels("batch_norm_inference", x, gamma, beta);
        for (Tensor p : new Tensor[] {mean, variance})
            if (p == null || p.dim() != 1 || p.size(0) != c)
                throw new IllegalArgumentException("batch_norm_inference: mean and variance must be [" + c + "], got "
                        + (p == null ? "null" : Shape.str(p.shape())));
        int m = x.numel() / Math.max(c, 1);
        float[] in = Conv.raw(x).toFloatArray(), g = gamma.toFloatArray(), b = beta.toFloatArray();
        float[] mu = mean.toFloatArray(), v = variance.toFloatArray();
        float[] inv = new float[c];
        for (int ch = 0; ch < c; ch++) inv[ch] = (float) (1.0 / Math.sqrt((double) v[ch] + epsilon));
        float[] xhat = new float[in.length], y = new float[in.length];
        for (int r = 0; r < m; r++)
            for (int ch = 0; ch < c; ch++) {
                int i = r * c + ch;
                xhat[i] = (in[i] - mu[ch]) * inv[ch];
                y[i] = g[ch] * xhat[i] + b[ch];
            }
        int[] xs = x.shape();
        return Tensor.of(y, xs).recordOp("batch_norm_inference", grad -> {
            float[] gd = Conv.raw(grad).toFloatArray(), d = new float[in.length];
            double[] sumG = new double[c], sumGX = new double[c];
            for (int r = 0; r < m; r++)
                for (int ch = 0; ch < c; ch++) {
                    int i = r * c + ch;
                    sumG[ch] += gd[i];
                    sumGX[ch] += gd[i] * (double) xhat[i];
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
