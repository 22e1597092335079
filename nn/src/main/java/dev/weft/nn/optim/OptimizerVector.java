package dev.weft.nn.optim;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API bodies of the {@link SGD}, {@link RMSprop} and {@link Adagrad} updates ({@link Adam}'s is
 * {@link AdamVector}) and of the decoupled weight decay. Each lane evaluates exactly the float operations of the optimizer's scalar
 * loop ({@code updateScalar}), in the same order (no fused multiply-add; IEEE sqrt and division are
 * correctly rounded), so results are bit-identical to it. Each method covers whole vectors from
 * {@code from} and returns where it stopped; the caller runs the tail with the scalar loop. Loaded
 * only when {@link dev.weft.engine.kernels.VectorSupport#ENABLED} (it touches {@code jdk.incubator.vector}).
 */
final class OptimizerVector {
    private OptimizerVector() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    // AbstractOptimizer.clipped lanewise: clamp(g·scale, −clip, clip), NaN passing through; no clamp for clip = +∞.
    private static FloatVector clipped(float[] g, int at, FloatVector scale, FloatVector negClip, FloatVector clip, boolean clipping) {
        FloatVector v = FloatVector.fromArray(S, g, at).mul(scale);
        return clipping ? clamp(v, negClip, clip) : v;
    }

    /**
     * {@code v > clip ? clip : (v < −clip ? −clip : v)} lanewise, as {@link AbstractOptimizer#clipped}
     * (NaN passes through); compare + blend, which is cheaper than {@code max/min} (Java's NaN and
     * signed-zero rules cost several instructions each). Callers skip it when {@code clip} is +∞.
     */
    static FloatVector clamp(FloatVector v, FloatVector negClip, FloatVector clip) {
        return v.blend(negClip, v.compare(VectorOperators.LT, negClip)).blend(clip, v.compare(VectorOperators.GT, clip));
    }

    private static FloatVector bc(float x) { return FloatVector.broadcast(S, x); }

    /** {@link SGD#updateScalar}: momentum 0 when {@code m} is null. */
    static int sgd(float[] w, int wOff, float[] g, int gOff, float[] m, int from, int to,
            float lr, float mu, boolean nesterov, float scale, float clip) {
        int end = from + S.loopBound(to - from);
        boolean clipping = clip != Float.POSITIVE_INFINITY;
        FloatVector vScale = bc(scale), vClip = bc(clip), vNegClip = bc(-clip), vLr = bc(lr), vMu = bc(mu);
        if (m == null) {
            for (int i = from; i < end; i += L) {
                FloatVector gi = clipped(g, gOff + i, vScale, vNegClip, vClip, clipping);
                FloatVector.fromArray(S, w, wOff + i).sub(vLr.mul(gi)).intoArray(w, wOff + i); // w − lr·g
            }
            return end;
        }
        for (int i = from; i < end; i += L) {
            FloatVector gi = clipped(g, gOff + i, vScale, vNegClip, vClip, clipping);
            FloatVector step = gi.neg().mul(vLr);                                   // −g·lr
            FloatVector mi = step.add(FloatVector.fromArray(S, m, i).mul(vMu));      // −g·lr + m·μ
            mi.intoArray(m, i);
            FloatVector inc = nesterov ? step.add(mi.mul(vMu)) : mi;
            FloatVector.fromArray(S, w, wOff + i).add(inc).intoArray(w, wOff + i);
        }
        return end;
    }

    /** {@link RMSprop#updateScalar}: {@code b} (momentum) and {@code a} (centered) may be null. */
    static int rmsprop(float[] w, int wOff, float[] g, int gOff, float[] v, float[] b, float[] a, int from, int to,
            float lr, float rho, float momentum, float epsilon, float scale, float clip) {
        int end = from + S.loopBound(to - from);
        boolean clipping = clip != Float.POSITIVE_INFINITY;
        FloatVector vScale = bc(scale), vClip = bc(clip), vNegClip = bc(-clip), vLr = bc(lr);
        FloatVector vRho = bc(rho), vOneMinusRho = bc(1 - rho), vMomentum = bc(momentum), vEps = bc(epsilon);
        for (int i = from; i < end; i += L) {
            FloatVector gi = clipped(g, gOff + i, vScale, vNegClip, vClip, clipping);
            FloatVector vi = vRho.mul(FloatVector.fromArray(S, v, i)).add(vOneMinusRho.mul(gi.mul(gi))); // ρ·v + (1−ρ)·g²
            vi.intoArray(v, i);
            FloatVector d;
            if (a != null) {
                FloatVector ai = vRho.mul(FloatVector.fromArray(S, a, i)).add(vOneMinusRho.mul(gi)); // ρ·a + (1−ρ)·g
                ai.intoArray(a, i);
                d = vi.sub(ai.mul(ai)).add(vEps);
            } else {
                d = vi.add(vEps);
            }
            FloatVector inc = vLr.mul(gi).div(d.lanewise(VectorOperators.SQRT)); // lr·g / √d
            if (b != null) {
                FloatVector bi = vMomentum.mul(FloatVector.fromArray(S, b, i)).add(inc);
                bi.intoArray(b, i);
                inc = bi;
            }
            FloatVector.fromArray(S, w, wOff + i).sub(inc).intoArray(w, wOff + i);
        }
        return end;
    }

    /** {@link AbstractOptimizer#decayScalar}: {@code w − (w·wd)·lr}. */
    static int decay(float[] w, int wOff, int from, int to, float wd, float lr) {
        int end = from + S.loopBound(to - from);
        FloatVector vWd = bc(wd), vLr = bc(lr);
        for (int i = wOff + from, e = wOff + end; i < e; i += L) {
            FloatVector wi = FloatVector.fromArray(S, w, i);
            wi.sub(wi.mul(vWd).mul(vLr)).intoArray(w, i);
        }
        return end;
    }

    /** {@link Adagrad#updateScalar}. */
    static int adagrad(float[] w, int wOff, float[] g, int gOff, float[] acc, int from, int to,
            float lr, float epsilon, float scale, float clip) {
        int end = from + S.loopBound(to - from);
        boolean clipping = clip != Float.POSITIVE_INFINITY;
        FloatVector vScale = bc(scale), vClip = bc(clip), vNegClip = bc(-clip), vLr = bc(lr), vEps = bc(epsilon);
        for (int i = from; i < end; i += L) {
            FloatVector gi = clipped(g, gOff + i, vScale, vNegClip, vClip, clipping);
            FloatVector ai = FloatVector.fromArray(S, acc, i).add(gi.mul(gi));
            ai.intoArray(acc, i);
            // w − lr·g / √(acc + ε)
            FloatVector.fromArray(S, w, wOff + i).sub(vLr.mul(gi).div(ai.add(vEps).lanewise(VectorOperators.SQRT))).intoArray(w, wOff + i);
        }
        return end;
    }
}
