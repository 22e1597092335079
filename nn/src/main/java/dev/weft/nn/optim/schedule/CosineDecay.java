package dev.weft.nn.optim.schedule;

/**
 * Keras' {@code CosineDecay} with its optional linear warm-up.
 *
 * <p>Without warm-up: {@code lr0 · ((1 − α)·½(1 + cos(π·min(step, D)/D)) + α)}, D = decaySteps.
 * With warm-up (W steps to {@code target}): for {@code step < W},
 * {@code lr0 + (target − lr0)·step/W}; afterwards the cosine above with {@code target} in place of
 * {@code lr0} and {@code step − W} in place of step (the step is capped at W + D, so the rate ends
 * at {@code α·target}).
 */
public final class CosineDecay implements LearningRateSchedule {
    private final float initial, alpha, warmupTarget;
    private final long decaySteps, warmupSteps;

    /** Cosine decay from {@code initial} to {@code alpha·initial} over {@code decaySteps}. */
    public CosineDecay(float initial, long decaySteps, float alpha) { this(initial, decaySteps, alpha, 0, Float.NaN); }

    /**
     * @param initial the rate at step 0 (the warm-up's start)
     * @param alpha the final rate as a fraction of the decay's start, in [0, 1]
     * @param warmupSteps linear warm-up length (0 for none)
     * @param warmupTarget the rate reached after warm-up (NaN for no warm-up)
     */
    public CosineDecay(float initial, long decaySteps, float alpha, long warmupSteps, float warmupTarget) {
        if (!(initial >= 0) || Float.isInfinite(initial)) throw new IllegalArgumentException("CosineDecay: initial rate must be >= 0 and finite, got " + initial);
        if (decaySteps <= 0) throw new IllegalArgumentException("CosineDecay: decaySteps must be positive, got " + decaySteps);
        if (!(alpha >= 0 && alpha <= 1)) throw new IllegalArgumentException("CosineDecay: alpha must be in [0, 1], got " + alpha);
        if (warmupSteps < 0) throw new IllegalArgumentException("CosineDecay: warmupSteps must be >= 0, got " + warmupSteps);
        if (warmupSteps > 0 && (!(warmupTarget >= 0) || Float.isInfinite(warmupTarget)))
            throw new IllegalArgumentException("CosineDecay: a warm-up needs a finite warmupTarget >= 0, got " + warmupTarget);
        this.initial = initial;
        this.decaySteps = decaySteps;
        this.alpha = alpha;
        this.warmupSteps = warmupSteps;
        this.warmupTarget = warmupTarget;
    }

    @Override public float at(long step) {
        if (warmupSteps == 0 || Float.isNaN(warmupTarget)) return decay(Math.min(step, decaySteps), initial);
        long s = Math.min(step, decaySteps + warmupSteps);
        if (s < warmupSteps) return (float) (initial + (warmupTarget - (double) initial) * s / warmupSteps);
        return decay(s - warmupSteps, warmupTarget);
    }

    private float decay(long step, float from) {
        double fraction = (double) step / decaySteps;
        double cosine = 0.5 * (1 + Math.cos(Math.PI * fraction));
        return (float) (from * ((1 - alpha) * cosine + alpha));
    }
}
