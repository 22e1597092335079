package dev.weft.nn.optim;

/** Updates parameters from their gradients. */
public interface Optimizer {
    /** Applies one update to every parameter that has a gradient. */
    void step();

    /** Clears the gradients of the parameters this optimizer updates. */
    void zeroGrad();

    /** The current learning rate (schedules change it between steps). */
    float learningRate();

    /** Sets the learning rate. */
    void setLearningRate(float lr);
}
