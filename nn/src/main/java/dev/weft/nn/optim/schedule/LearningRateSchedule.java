package dev.weft.nn.optim.schedule;

/**
 * A learning rate as a function of the optimizer's completed step count (Keras'
 * {@code LearningRateSchedule}): step {@code k} (0-based) of training uses {@code at(k)}.
 * Schedules are pure functions, so an optimizer's step count is all a checkpoint needs to resume one.
 */
@FunctionalInterface
public interface LearningRateSchedule {
    /** The learning rate for the update that follows {@code step} completed updates. */
    float at(long step);

    /** A constant rate. */
    static LearningRateSchedule constant(float lr) { return step -> lr; }
}
