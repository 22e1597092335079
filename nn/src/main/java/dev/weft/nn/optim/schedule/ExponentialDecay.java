package dev.weft.nn.optim.schedule;

/**
 * Keras' {@code ExponentialDecay}: {@code lr0 · rate^(step / decaySteps)}, with the exponent floored
 * when {@code staircase} (then the rate changes every {@code decaySteps} steps).
 */
public final class ExponentialDecay implements LearningRateSchedule {
    private final float initial, rate;
    private final long decaySteps;
    private final boolean staircase;

    /**
     * @param initialLearningRate the rate at step 0 (&gt;= 0)
     * @param decaySteps steps per factor of {@code decayRate} (&gt; 0)
     * @param decayRate  the factor per {@code decaySteps} steps (&gt; 0)
     * @param staircase  floor the exponent (decay in steps)
     */
    public ExponentialDecay(float initialLearningRate, long decaySteps, float decayRate, boolean staircase) {
        if (!(initialLearningRate >= 0) || Float.isInfinite(initialLearningRate))
            throw new IllegalArgumentException("ExponentialDecay: initial learning rate must be >= 0 and finite, got " + initialLearningRate);
        if (decaySteps <= 0) throw new IllegalArgumentException("ExponentialDecay: decaySteps must be positive, got " + decaySteps);
        if (!(decayRate > 0) || Float.isInfinite(decayRate))
            throw new IllegalArgumentException("ExponentialDecay: decayRate must be positive and finite, got " + decayRate);
        this.initial = initialLearningRate;
        this.decaySteps = decaySteps;
        this.rate = decayRate;
        this.staircase = staircase;
    }

    @Override public float at(long step) {
        double p = (double) step / decaySteps;
        if (staircase) p = Math.floor(p);
        return (float) (initial * Math.pow(rate, p));
    }
}
