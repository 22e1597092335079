package dev.weft.nn.losses;

import dev.weft.engine.Shape;
import dev.weft.engine.Tensor;
import java.util.Arrays;

/**
 * Base of the Keras-style losses: a per-sample function ({@link #perSample}) followed by a
 * {@link Reduction}, with optional per-sample weights.
 */
public abstract class ReducingLoss implements Loss {
    /** Keras' {@code backend.epsilon()}: the clip applied to probabilities before taking logs. */
    public static final float EPSILON = 1e-7f;

    private final Reduction reduction;

    /** @param reduction how {@link #apply} reduces the per-sample values (not null) */
    protected ReducingLoss(Reduction reduction) {
        if (reduction == null) throw new IllegalArgumentException(getClass().getSimpleName() + ": reduction is null");
        this.reduction = reduction;
    }

    /** The reduction applied to the per-sample values. */
    public Reduction reduction() { return reduction; }

    /** Per-sample (unreduced) loss values, e.g. shape [N] for predictions [N, C]. */
    public abstract Tensor perSample(Tensor yPred, Tensor yTrue);

    @Override public Tensor apply(Tensor yPred, Tensor yTrue) {
        return reduction.reduce(perSample(yPred, yTrue));
    }

    /**
     * The weighted loss: per-sample values times {@code sampleWeight} (broadcast against them, e.g.
     * shape [N]), then reduced. As in Keras, {@code SUM_OVER_BATCH_SIZE} still divides by the number
     * of values, not by the sum of the weights.
     */
    public Tensor apply(Tensor yPred, Tensor yTrue, Tensor sampleWeight) {
        Tensor values = perSample(yPred, yTrue);
        if (sampleWeight == null) return reduction.reduce(values);
        Tensor w = sampleWeight;
        // Keras squeezes a trailing 1 ([N, 1] weights on [N] values) or adds one.
        if (w.dim() == values.dim() + 1 && w.size(-1) == 1) w = w.squeeze(-1);
        if (!Arrays.equals(Shape.broadcast(name(), values.shape(), w.shape()), values.shape()))
            throw new IllegalArgumentException(name() + ": sample weights of shape " + Shape.str(sampleWeight.shape())
                    + " do not broadcast to the per-sample losses of shape " + Shape.str(values.shape()));
        return reduction.reduce(values.mul(w));
    }

    /** The loss's name for error messages. */
    protected String name() { return getClass().getSimpleName(); }

    /**
     * Keras' {@code squeeze_or_expand_to_same_rank}: when the ranks differ by one and the longer
     * shape ends in 1, a rank-1 shorter tensor gets a trailing 1 (labels [N] against predictions
     * [N, 1] become [N, 1]); otherwise the longer one loses its trailing 1. Then the shapes must be
     * equal.
     *
     * @return {@code {yPred, yTrue}} with equal shapes
     */
    protected Tensor[] matchShapes(Tensor yPred, Tensor yTrue) {
        if (yPred == null || yTrue == null) throw new IllegalArgumentException(name() + ": yPred and yTrue must not be null");
        Tensor p = yPred, t = yTrue;
        if (t.dim() == p.dim() + 1 && t.size(-1) == 1) {
            if (p.dim() == 1) p = p.unsqueeze(-1); else t = t.squeeze(-1);
        } else if (p.dim() == t.dim() + 1 && p.size(-1) == 1) {
            if (t.dim() == 1) t = t.unsqueeze(-1); else p = p.squeeze(-1);
        }
        if (!Arrays.equals(p.shape(), t.shape()))
            throw new IllegalArgumentException(name() + ": prediction shape " + Shape.str(yPred.shape()) + " and target shape "
                    + Shape.str(yTrue.shape()) + " differ");
        return new Tensor[] {p, t};
    }

    /** Returns {@code s} after checking it is a label-smoothing factor in [0, 1] (the message names {@code loss}). */
    protected static float checkLabelSmoothing(String loss, float s) {
        if (!(s >= 0 && s <= 1)) throw new IllegalArgumentException(loss + ": labelSmoothing must be in [0, 1], got " + s);
        return s;
    }

    /** Mean over the last dim (a scalar input stays a scalar). */
    protected static Tensor meanLast(Tensor v) {
        return v.dim() == 0 ? v : v.mean(-1, false);
    }
}
