package dev.weft.nn.optim;

import dev.weft.engine.Tensor;
import dev.weft.engine.kernels.VectorSupport;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with optional momentum and Nesterov momentum, Keras 3's {@code SGD}
 * (defaults lr 0.01, momentum 0, nesterov false). With velocity {@code m} (starting at 0):
 *
 * <pre>
 *   momentum = 0:  w ← w − lr·g
 *   otherwise:     m ← μ·m − lr·g
 *                  w ← w + m                  (plain)
 *                  w ← w + μ·m − lr·g         (Nesterov, with the new m)
 * </pre>
 *
 * <p><b>Differences from {@code torch.optim.SGD}</b>: torch keeps the velocity without the learning
 * rate ({@code b ← μ·b + (1−dampening)·g}, {@code w ← w − lr·b}, Nesterov {@code w ← w − lr·(g + μ·b)}),
 * so the two agree step for step while lr is constant and zero dampening, but differ when a schedule
 * changes lr (Keras' velocity remembers the old rates). torch's {@code weight_decay} is an L2 term
 * added to the gradient ({@code g ← g + wd·w}) and so passes through momentum; Keras' (and
 * Weft's {@link #weightDecay(float)}) is decoupled: {@code w ← w − w·wd·lr} before the update.
 */
public final class SGD extends AbstractOptimizer<SGD> {
    private float momentum;
    private boolean nesterov;

    /** Keras' defaults: lr 0.01, no momentum. */
    public SGD(Map<String, Tensor> params) { this(params, 0.01f); }

    /** Keras' defaults over a list of parameters, named "0", "1", ... in the state. */
    public SGD(List<Tensor> params) { this(byPosition(params)); }

    /** Plain SGD (no momentum) with the given learning rate. */
    public SGD(Map<String, Tensor> params, float learningRate) { this(params, learningRate, 0f, false); }

    /**
     * @param momentum μ in [0, 1)
     * @param nesterov Nesterov momentum (needs μ &gt; 0 to have an effect)
     */
    public SGD(Map<String, Tensor> params, float learningRate, float momentum, boolean nesterov) {
        // Keras creates the velocity slot only with momentum.
        super(params, learningRate, momentum > 0 ? new String[] {"momentum"} : new String[0], new float[1]);
        if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("SGD: momentum must be in [0, 1), got " + momentum);
        this.momentum = momentum;
        this.nesterov = nesterov;
    }

    /** Parameters given as a list are named "0", "1", ... in the state. */
    public SGD(List<Tensor> params, float learningRate, float momentum, boolean nesterov) {
        this(byPosition(params), learningRate, momentum, nesterov);
    }

    @Override protected void update(int index, float[] w, int wOff, float[] g, int gOff, int from, int to, float lr, float scale, float clip) {
        float[] m = momentum == 0 ? null : slot(0, index);
        if (VectorSupport.ENABLED && to - from >= Adam.VECTOR_MIN)
            from = OptimizerVector.sgd(w, wOff, g, gOff, m, from, to, lr, momentum, nesterov, scale, clip);
        updateScalar(w, wOff, g, gOff, m, from, to, lr, momentum, nesterov, scale, clip);
    }

    /**
     * The scalar update of elements {@code [from, to)}: the reference for {@link OptimizerVector#sgd},
     * which must give the same bits, and the tail after its whole vectors.
     *
     * @param m the velocity, or null without momentum
     */
    static void updateScalar(float[] w, int wOff, float[] g, int gOff, float[] m, int from, int to,
            float lr, float mu, boolean nesterov, float scale, float clip) {
        if (m == null) {
            for (int i = from; i < to; i++) w[wOff + i] -= lr * clipped(g[gOff + i], scale, clip);
            return;
        }
        for (int i = from; i < to; i++) {
            float gi = clipped(g[gOff + i], scale, clip);
            float mi = -gi * lr + m[i] * mu;
            m[i] = mi;
            w[wOff + i] += nesterov ? -gi * lr + mi * mu : mi;
        }
    }
}
