package dev.weft.nn.optim.schedule;

/**
 * Step decay (torch's {@code StepLR}): {@code lr0 · factor^floor(step / stepSize)} — the rate is
 * multiplied by {@code factor} every {@code stepSize} steps. Equal to a staircase
 * {@link ExponentialDecay}; for uneven steps use {@link PiecewiseConstantDecay}.
 */
public final class StepDecay implements LearningRateSchedule {
    private final float initial, factor;
    private final long stepSize;

    /**
     * @param initialLearningRate the rate at step 0 (&gt;= 0)
     * @param stepSize steps between multiplications (&gt; 0)
     * @param factor   the multiplier (&gt; 0)
     */
    public StepDecay(float initialLearningRate, long stepSize, float factor) {
        if (!(initialLearningRate >= 0) || Float.isInfinite(initialLearningRate))
            throw new IllegalArgumentException("StepDecay: initial learning rate must be >= 0 and finite, got " + initialLearningRate);
        if (stepSize <= 0) throw new IllegalArgumentException("StepDecay: stepSize must be positive, got " + stepSize);
        if (!(factor > 0) || Float.isInfinite(factor)) throw new IllegalArgumentException("StepDecay: factor must be positive and finite, got " + factor);
        this.initial = initialLearningRate;
        this.stepSize = stepSize;
        this.factor = factor;
    }

    @Override public float at(long step) {
        return (float) (initial * Math.pow(factor, Math.floorDiv(step, stepSize)));
    }
}
