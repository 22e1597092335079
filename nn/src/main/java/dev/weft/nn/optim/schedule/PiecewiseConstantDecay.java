package dev.weft.nn.optim.schedule;

/**
 * Keras' {@code PiecewiseConstantDecay}: {@code values[0]} while {@code step <= boundaries[0]},
 * {@code values[1]} while {@code step <= boundaries[1]}, ..., {@code values[n]} after the last
 * boundary. (Note the {@code <=}: with boundary 100, step 100 still uses {@code values[0]}.)
 */
public final class PiecewiseConstantDecay implements LearningRateSchedule {
    private final long[] boundaries;
    private final float[] values;

    /** @param boundaries strictly increasing steps  @param values one more than boundaries */
    public PiecewiseConstantDecay(long[] boundaries, float[] values) {
        if (boundaries == null || values == null || values.length != boundaries.length + 1)
            throw new IllegalArgumentException("PiecewiseConstantDecay: need exactly one more value than boundaries, got "
                    + (values == null ? "null" : values.length) + " values for " + (boundaries == null ? "null" : boundaries.length) + " boundaries");
        for (int i = 1; i < boundaries.length; i++)
            if (boundaries[i] <= boundaries[i - 1])
                throw new IllegalArgumentException("PiecewiseConstantDecay: boundaries must increase, got " + java.util.Arrays.toString(boundaries));
        this.boundaries = boundaries.clone();
        this.values = values.clone();
    }

    @Override public float at(long step) {
        for (int i = 0; i < boundaries.length; i++) if (step <= boundaries[i]) return values[i];
        return values[values.length - 1];
    }
}
