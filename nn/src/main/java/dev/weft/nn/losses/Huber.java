package dev.weft.nn.losses;

import dev.weft.engine.Tensor;

/**
 * Keras' {@code Huber(delta=1.0)}: with {@code e = yPred − yTrue}, per element
 * {@code 0.5·e²} where {@code |e| ≤ δ}, else {@code δ·|e| − 0.5·δ²}; averaged over the last dim.
 * (torch's {@code HuberLoss} is the same function; {@code SmoothL1Loss} divides it by δ.)
 */
public final class Huber extends ReducingLoss {
    private final float delta;

    /** δ = 1, mean over the batch. */
    public Huber() { this(1f, Reduction.SUM_OVER_BATCH_SIZE); }

    /**
     * @param delta     where the loss turns from quadratic to linear (&gt; 0)
     * @param reduction how the per-sample values are reduced
     */
    public Huber(float delta, Reduction reduction) {
        super(reduction);
        if (!(delta > 0) || Float.isInfinite(delta)) throw new IllegalArgumentException("Huber: delta must be positive and finite, got " + delta);
        this.delta = delta;
    }

    @Override public Tensor perSample(Tensor yPred, Tensor yTrue) {
        Tensor[] pt = matchShapes(yPred, yTrue);
        Tensor e = pt[0].sub(pt[1]);
        Tensor abs = e.abs();
        // Quadratic part uses min(|e|, δ): 0.5·q² + δ·(|e| − q) equals both branches and is smooth.
        Tensor q = abs.clamp(0f, delta);
        Tensor elem = q.mul(q).mul(0.5f).add(abs.sub(q).mul(delta));
        return meanLast(elem);
    }
}
