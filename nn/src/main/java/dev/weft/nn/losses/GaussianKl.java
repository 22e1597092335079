package dev.weft.nn.losses;

import dev.weft.engine.Shape;
import dev.weft.engine.Tensor;
import java.util.Arrays;

/**
 * KL divergence of a diagonal Gaussian {@code N(mean, exp(logVar))} from the standard normal, the
 * VAE regulariser: per sample {@code −0.5·Σ_d (1 + logVar − mean² − exp(logVar))} over the last
 * dim. With the default {@link Reduction#SUM_OVER_BATCH_SIZE} that is the seed VAE's
 * {@code sum(−0.5·(1 + log_var − mean² − exp(log_var)))/batch}.
 *
 * <p>Not a {@link Loss} (it compares a distribution with a fixed prior, not predictions with
 * targets): call {@link #apply(Tensor, Tensor)} with the encoder's two outputs.
 */
public final class GaussianKl {
    private final Reduction reduction;

    /** Sum over the last dim, mean over the batch. */
    public GaussianKl() { this(Reduction.SUM_OVER_BATCH_SIZE); }

    /** @param reduction how the per-sample values are reduced */
    public GaussianKl(Reduction reduction) {
        if (reduction == null) throw new IllegalArgumentException("GaussianKl: reduction is null");
        this.reduction = reduction;
    }

    /** @param mean [N, D]  @param logVar [N, D]  @return the reduced KL (per-sample [N] with NONE) */
    public Tensor apply(Tensor mean, Tensor logVar) { return reduction.reduce(perSample(mean, logVar)); }

    /** Per-sample KL: [N, D] → [N]. */
    public Tensor perSample(Tensor mean, Tensor logVar) {
        if (mean == null || logVar == null) throw new IllegalArgumentException("GaussianKl: mean and logVar must not be null");
        if (!Arrays.equals(mean.shape(), logVar.shape()) || mean.dim() == 0)
            throw new IllegalArgumentException("GaussianKl: mean " + Shape.str(mean.shape()) + " and logVar " + Shape.str(logVar.shape())
                    + " must have the same shape of rank >= 1");
        Tensor inner = logVar.add(1f).sub(mean.mul(mean)).sub(logVar.exp()); // [N, D]
        return inner.sum(-1, false).mul(-0.5f);                             // [N]
    }
}
