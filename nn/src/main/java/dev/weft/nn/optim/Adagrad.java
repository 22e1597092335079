package dev.weft.nn.optim;

import dev.weft.engine.Tensor;
import dev.weft.engine.kernels.VectorSupport;
import java.util.List;
import java.util.Map;

/**
 * Adagrad, Keras 3's {@code Adagrad} (defaults lr 1e-3, initial accumulator 0.1, ε 1e-7):
 * {@code acc ← acc + g²;  w ← w − lr·g / √(acc + ε)}.
 *
 * <p><b>Differences from {@code torch.optim.Adagrad}</b>: torch starts the accumulator at 0, adds ε
 * (1e-10) outside the root ({@code g / (√acc + ε)}) and has an lr decay term.
 */
public final class Adagrad extends AbstractOptimizer<Adagrad> {
    private final float epsilon;

    /** Keras' defaults. */
    public Adagrad(Map<String, Tensor> params) { this(params, 1e-3f, 0.1f, 1e-7f); }

    /** Keras' defaults over a list of parameters, named "0", "1", ... in the state. */
    public Adagrad(List<Tensor> params) { this(byPosition(params)); }

    /** @param initialAccumulator the accumulator's starting value (&gt;= 0) */
    public Adagrad(Map<String, Tensor> params, float learningRate, float initialAccumulator, float epsilon) {
        super(params, learningRate, new String[] {"accumulator"}, new float[] {checkInit(initialAccumulator)});
        requirePositive("epsilon", epsilon);
        this.epsilon = epsilon;
    }

    private static float checkInit(float v) {
        if (!(v >= 0) || Float.isInfinite(v)) throw new IllegalArgumentException("Adagrad: initial accumulator must be >= 0 and finite, got " + v);
        return v;
    }

    @Override protected void update(int index, float[] w, int wOff, float[] g, int gOff, int from, int to, float lr, float scale, float clip) {
        float[] acc = slot(0, index);
        if (VectorSupport.ENABLED && to - from >= Adam.VECTOR_MIN)
            from = OptimizerVector.adagrad(w, wOff, g, gOff, acc, from, to, lr, epsilon, scale, clip);
        updateScalar(w, wOff, g, gOff, acc, from, to, lr, epsilon, scale, clip);
    }

    /**
     * The scalar update of elements {@code [from, to)}: the reference for {@link OptimizerVector#adagrad},
     * which must give the same bits, and the tail after its whole vectors.
     */
    static void updateScalar(float[] w, int wOff, float[] g, int gOff, float[] acc, int from, int to,
            float lr, float epsilon, float scale, float clip) {
        for (int i = from; i < to; i++) {
            float gi = clipped(g[gOff + i], scale, clip);
            float ai = acc[i] + gi * gi;
            acc[i] = ai;
            w[wOff + i] -= lr * gi / (float) Math.sqrt(ai + epsilon);
        }
    }
}
