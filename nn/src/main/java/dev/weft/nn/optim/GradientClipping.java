package dev.weft.nn.optim;

import dev.weft.engine.Tensor;
import dev.weft.engine.autograd.GradMode;
import java.util.Collection;

/**
 * In-place gradient clipping for custom training loops, like {@code torch.nn.utils.clip_grad_*}.
 * (Optimizers clip on the fly through {@link AbstractOptimizer#clipNorm(float)} and friends, the
 * Keras way, without touching {@code .grad()}.) Parameters without a gradient are skipped.
 */
public final class GradientClipping {
    private GradientClipping() {}

    /** Clamps every gradient element to [−v, v]. */
    public static void clipByValue(Collection<Tensor> params, float v) {
        AbstractOptimizer.requirePositive("clipByValue", v);
        for (Tensor p : params) {
            Tensor g = ownGrad(p);
            if (g == null) continue;
            float[] s = g.storage();
            for (int i = g.offset(), e = g.offset() + g.numel(); i < e; i++) s[i] = Math.max(-v, Math.min(v, s[i]));
        }
    }

    /**
     * Rescales each gradient tensor separately to L2 norm at most {@code maxNorm}
     * ({@code g ← g·c / max(‖g‖, c)}, Keras' {@code clipnorm}).
     */
    public static void clipByNorm(Collection<Tensor> params, float maxNorm) {
        AbstractOptimizer.requirePositive("clipByNorm", maxNorm);
        for (Tensor p : params) {
            Tensor g = ownGrad(p);
            if (g == null) continue;
            double norm = Math.sqrt(AbstractOptimizer.sumOfSquares(g));
            if (norm > maxNorm) scale(g, (float) (maxNorm / norm));
        }
    }

    /**
     * Rescales all gradients by {@code c / max(‖G‖, c)}, {@code ‖G‖} the L2 norm of all of them
     * together (Keras' {@code global_clipnorm}, torch's {@code clip_grad_norm_}).
     *
     * @return the global norm before clipping
     */
    public static double clipByGlobalNorm(Collection<Tensor> params, float maxNorm) {
        AbstractOptimizer.requirePositive("clipByGlobalNorm", maxNorm);
        double norm = globalNorm(params);
        if (norm > maxNorm) {
            float f = (float) (maxNorm / norm);
            for (Tensor p : params) {
                Tensor g = ownGrad(p);
                if (g != null) scale(g, f);
            }
        }
        return norm;
    }

    /** The L2 norm of all gradients together (0 when none has one). */
    public static double globalNorm(Collection<Tensor> params) {
        double sq = 0;
        for (Tensor p : params) if (p.grad() != null) sq += AbstractOptimizer.sumOfSquares(p.grad());
        return Math.sqrt(sq);
    }

    // The gradient as a contiguous tensor this parameter owns (a view is replaced by a copy).
    private static Tensor ownGrad(Tensor p) {
        Tensor g = p.grad();
        if (g == null || g.isContiguous()) return g;
        Tensor c = Tensor.of(g.toFloatArray(), g.shape());
        p.setGrad(c);
        return c;
    }

    private static void scale(Tensor g, float f) {
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            float[] s = g.storage();
            for (int i = g.offset(), e = g.offset() + g.numel(); i < e; i++) s[i] *= f;
        }
    }
}
