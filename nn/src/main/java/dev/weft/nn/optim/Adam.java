package dev.weft.nn.optim;

import dev.weft.engine.Tensor;
import dev.weft.engine.kernels.VectorSupport;
import java.util.List;
import java.util.Map;

/**
 * Adam, with Keras 3's update and defaults (lr 1e-3, β1 0.9, β2 0.999, ε 1e-7, amsgrad off). At step
 * {@code t} (1-based):
 *
 * <pre>
 *   α ← lr·√(1 − β2^t) / (1 − β1^t)
 *   m ← m + (g − m)·(1 − β1)
 *   v ← v + (g² − v)·(1 − β2)
 *   v̂ ← max(v̂, v)                     (amsgrad only; then v̂ replaces v below)
 *   w ← w − α·m / (√v + ε)
 * </pre>
 *
 * <p><b>Difference from {@code torch.optim.Adam}</b>: torch divides by {@code √v̂ + ε} with the bias
 * correction applied to v first ({@code w ← w − lr·m̂ / (√(v/(1−β2^t)) + ε)}), so its ε is
 * effectively {@code ε·√(1−β2^t)} times smaller than Keras'; the two differ visibly when gradients
 * are tiny. torch's default ε is also 1e-8, and its {@code weight_decay} is an L2 term on the
 * gradient; here (as in Keras) {@link #weightDecay(float)} is decoupled, which makes
 * {@code Adam.weightDecay(wd)} the same as {@link AdamW}.
 */
public class Adam extends AbstractOptimizer<Adam> {
    // Shorter ranges stay scalar: too short to gain, and until the JIT compiles the vector loop each
    // call would box its vectors on the heap (a step should allocate nothing per element).
    static final int VECTOR_MIN = 64;

    private float beta1 = 0.9f, beta2 = 0.999f, epsilon = 1e-7f;
    private final boolean amsgrad;

    /** Keras' defaults. */
    public Adam(Map<String, Tensor> params) { this(params, 1e-3f); }

    /** Keras' defaults over a list of parameters, named "0", "1", ... in the state. */
    public Adam(List<Tensor> params) { this(byPosition(params)); }

    /** Keras' betas and ε with the given learning rate, amsgrad off. */
    public Adam(Map<String, Tensor> params, float learningRate) { this(params, learningRate, false); }

    /** @param amsgrad keep the running maximum of v (Reddi et al.) */
    public Adam(Map<String, Tensor> params, float learningRate, boolean amsgrad) {
        super(params, learningRate, amsgrad ? new String[] {"m", "v", "vhat"} : new String[] {"m", "v"},
                amsgrad ? new float[3] : new float[2]);
        this.amsgrad = amsgrad;
    }

    /** Parameters given as a list are named "0", "1", ... in the state. */
    public Adam(List<Tensor> params, float learningRate) { this(byPosition(params), learningRate); }

    /** Sets β1, β2 (each in [0, 1)) and ε (&gt; 0). */
    public Adam betas(float beta1, float beta2, float epsilon) {
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1))
            throw new IllegalArgumentException(kind() + ": betas must be in [0, 1), got " + beta1 + ", " + beta2);
        requirePositive("epsilon", epsilon);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        return this;
    }

    @Override protected void update(int index, float[] w, int wOff, float[] g, int gOff, int from, int to, float lr, float scale, float clip) {
        long t = iterations() + 1;
        // In float32 like Keras (β cast to the variable dtype, then power, sqrt and divide).
        float b1Power = (float) Math.pow(beta1, t), b2Power = (float) Math.pow(beta2, t);
        float alpha = lr * (float) Math.sqrt(1f - b2Power) / (1f - b1Power);
        float[] m = slot(0, index), v = slot(1, index);
        float[] vhat = amsgrad ? slot(2, index) : null;
        float oneMinusB1 = 1 - beta1, oneMinusB2 = 1 - beta2, eps = epsilon;
        if (VectorSupport.ENABLED && to - from >= VECTOR_MIN)
            from = AdamVector.update(w, wOff, g, gOff, m, v, vhat, from, to, alpha, oneMinusB1, oneMinusB2, eps, scale, clip);
        updateScalar(w, wOff, g, gOff, m, v, vhat, from, to, alpha, oneMinusB1, oneMinusB2, eps, scale, clip);
    }

    /**
     * The scalar update of elements {@code [from, to)}: the reference for {@link AdamVector}, which
     * must give the same bits, and the tail after its whole vectors.
     *
     * @param vhat amsgrad's running maximum, or null
     * @param alpha the bias-corrected step size α
     */
    static void updateScalar(float[] w, int wOff, float[] g, int gOff, float[] m, float[] v, float[] vhat, int from, int to,
            float alpha, float oneMinusB1, float oneMinusB2, float eps, float scale, float clip) {
        for (int i = from; i < to; i++) {
            float gi = clipped(g[gOff + i], scale, clip);
            float mi = m[i] + (gi - m[i]) * oneMinusB1;
            float vi = v[i] + (gi * gi - v[i]) * oneMinusB2;
            m[i] = mi;
            v[i] = vi;
            if (vhat != null) {
                vi = Math.max(vhat[i], vi);
                vhat[i] = vi;
            }
            w[wOff + i] -= (mi * alpha) / ((float) Math.sqrt(vi) + eps);
        }
    }
}
