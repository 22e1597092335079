package dev.weft.nn.optim;

import dev.weft.engine.Tensor;
import dev.weft.engine.kernels.VectorSupport;
import java.util.List;
import java.util.Map;

/**
 * RMSprop, Keras 3's {@code RMSprop} (defaults lr 1e-3, ρ 0.9, momentum 0, ε 1e-7, centered off):
 *
 * <pre>
 *   v ← ρ·v + (1 − ρ)·g²
 *   centered:  a ← ρ·a + (1 − ρ)·g;   d ← v − a² + ε
 *   otherwise: d ← v + ε
 *   Δ ← lr·g / √d
 *   momentum &gt; 0: b ← μ·b + Δ;  w ← w − b          otherwise: w ← w − Δ
 * </pre>
 *
 * <p><b>Differences from {@code torch.optim.RMSprop}</b>: torch adds ε outside the root
 * ({@code g / (√v + ε)}, default ε 1e-8, α = ρ default 0.99) and keeps its momentum buffer without lr
 * ({@code b ← μ·b + g/(√v+ε)}, {@code w ← w − lr·b}).
 */
public final class RMSprop extends AbstractOptimizer<RMSprop> {
    private final float rho, momentum, epsilon;
    private final boolean centered;

    /** Keras' defaults. */
    public RMSprop(Map<String, Tensor> params) { this(params, 1e-3f, 0.9f, 0f, 1e-7f, false); }

    /** Keras' defaults over a list of parameters, named "0", "1", ... in the state. */
    public RMSprop(List<Tensor> params) { this(byPosition(params)); }

    /**
     * @param rho discount of the squared-gradient average, in [0, 1)
     * @param momentum μ in [0, 1)
     * @param centered normalise by the variance estimate {@code v − a²} instead of v
     */
    public RMSprop(Map<String, Tensor> params, float learningRate, float rho, float momentum, float epsilon, boolean centered) {
        super(params, learningRate, slotNames(momentum, centered), new float[slotNames(momentum, centered).length]);
        if (!(rho >= 0 && rho < 1)) throw new IllegalArgumentException("RMSprop: rho must be in [0, 1), got " + rho);
        if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("RMSprop: momentum must be in [0, 1), got " + momentum);
        requirePositive("epsilon", epsilon);
        this.rho = rho;
        this.momentum = momentum;
        this.epsilon = epsilon;
        this.centered = centered;
    }

    // Keras creates the momentum and average-gradient slots only when they are used.
    private static String[] slotNames(float momentum, boolean centered) {
        java.util.List<String> names = new java.util.ArrayList<>(java.util.List.of("velocity"));
        if (momentum > 0) names.add("momentum");
        if (centered) names.add("average_gradient");
        return names.toArray(new String[0]);
    }

    @Override protected void update(int index, float[] w, int wOff, float[] g, int gOff, int from, int to, float lr, float scale, float clip) {
        float[] v = slot(0, index);
        float[] b = momentum > 0 ? slot(1, index) : null;
        float[] a = centered ? slot(momentum > 0 ? 2 : 1, index) : null;
        if (VectorSupport.ENABLED && to - from >= Adam.VECTOR_MIN)
            from = OptimizerVector.rmsprop(w, wOff, g, gOff, v, b, a, from, to, lr, rho, momentum, epsilon, scale, clip);
        updateScalar(w, wOff, g, gOff, v, b, a, from, to, lr, rho, momentum, epsilon, scale, clip);
    }

    /**
     * The scalar update of elements {@code [from, to)}: the reference for {@link OptimizerVector#rmsprop},
     * which must give the same bits, and the tail after its whole vectors.
     *
     * @param b the momentum slot, or null without momentum
     * @param a the average-gradient slot, or null when not centered
     */
    static void updateScalar(float[] w, int wOff, float[] g, int gOff, float[] v, float[] b, float[] a, int from, int to,
            float lr, float rho, float momentum, float epsilon, float scale, float clip) {
        float oneMinusRho = 1 - rho;
        for (int i = from; i < to; i++) {
            float gi = clipped(g[gOff + i], scale, clip);
            float vi = rho * v[i] + oneMinusRho * (gi * gi);
            v[i] = vi;
            float d;
            if (a != null) {
                float ai = rho * a[i] + oneMinusRho * gi;
                a[i] = ai;
                d = vi - ai * ai + epsilon;
            } else {
                d = vi + epsilon;
            }
            float inc = lr * gi / (float) Math.sqrt(d);
            if (b != null) {
                float bi = momentum * b[i] + inc;
                b[i] = bi;
                w[wOff + i] -= bi;
            } else {
                w[wOff + i] -= inc;
            }
        }
    }
}
