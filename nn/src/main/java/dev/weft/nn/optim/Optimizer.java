package dev.weft.nn.optim;

/**
 * Updates parameters from their gradients.
 *
 * <pre>{@code
 * Optimizer opt = new Adam(model.namedParameters());
 * for (...) {
 *     opt.zeroGrad();
 *     Tensor loss = lossFn.apply(model.forward(x), y);
 *     loss.backward();
 *     opt.step();
 * }
 * }</pre>
 */
public interface Optimizer {
    /** Applies one update to every parameter that has a gradient, then advances {@link #iterations()}. */
    void step();

    /** Clears the gradients of the parameters this optimizer updates. */
    void zeroGrad();

    /** The learning rate the next {@link #step()} uses (a schedule's value at {@link #iterations()}). */
    float learningRate();

    /** Sets a constant learning rate (replacing any schedule). */
    void setLearningRate(float lr);

    /** Number of completed steps (Keras' {@code optimizer.iterations}). */
    long iterations();

    /** A snapshot of the optimizer's state (step count, learning rate, moment slots), detached from it. */
    OptimizerState state();

    /**
     * Everything that would make {@link #loadState} refuse {@code state} (another optimizer kind,
     * missing, unexpected or mis-shaped slots, invalid scalars); empty when it can be loaded.
     */
    java.util.List<String> stateProblems(OptimizerState state);

    /**
     * Restores a snapshot taken from an optimizer of the same kind over parameters of the same names
     * and shapes. Everything is checked before anything changes; every problem is reported in one
     * {@link IllegalArgumentException}.
     */
    void loadState(OptimizerState state);
}
