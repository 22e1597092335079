package dev.weft.nn.optim;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API body of {@link Adam}'s update (and so {@link AdamW}'s). Each lane evaluates exactly the
 * float operations of the scalar loop {@link Adam#updateScalar}, in the same order (no fused
 * multiply-add; IEEE sqrt and division are correctly rounded), so results are bit-identical to it.
 * Covers whole vectors only; the caller runs the tail with the scalar loop. Loaded only when
 * {@link dev.weft.engine.kernels.VectorSupport#ENABLED} (it touches {@code jdk.incubator.vector}).
 */
final class AdamVector {
    private AdamVector() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    /**
     * Updates elements {@code [from, end)} for the largest {@code end <= to} that leaves a whole
     * number of vectors, and returns {@code end}; arguments as in {@link Adam#updateScalar}.
     */
    static int update(float[] w, int wOff, float[] g, int gOff, float[] m, float[] v, float[] vhat, int from, int to,
            float alpha, float oneMinusB1, float oneMinusB2, float eps, float scale, float clip) {
        int end = from + S.loopBound(to - from);
        FloatVector vScale = FloatVector.broadcast(S, scale), vClip = FloatVector.broadcast(S, clip), vNegClip = FloatVector.broadcast(S, -clip);
        FloatVector vAlpha = FloatVector.broadcast(S, alpha), vEps = FloatVector.broadcast(S, eps);
        FloatVector vB1 = FloatVector.broadcast(S, oneMinusB1), vB2 = FloatVector.broadcast(S, oneMinusB2);
        boolean clipping = clip != Float.POSITIVE_INFINITY;
        for (int i = from; i < end; i += L) {
            // clipped(): clamp(g·scale, −clip, clip); NaN passes through as in the scalar code
            FloatVector gi = FloatVector.fromArray(S, g, gOff + i).mul(vScale);
            if (clipping) gi = OptimizerVector.clamp(gi, vNegClip, vClip);
            FloatVector mOld = FloatVector.fromArray(S, m, i), vOld = FloatVector.fromArray(S, v, i);
            FloatVector mi = mOld.add(gi.sub(mOld).mul(vB1));           // m + (g − m)·(1 − β1)
            FloatVector vi = vOld.add(gi.mul(gi).sub(vOld).mul(vB2));   // v + (g² − v)·(1 − β2)
            mi.intoArray(m, i);
            vi.intoArray(v, i);
            if (vhat != null) {
                vi = FloatVector.fromArray(S, vhat, i).max(vi);
                vi.intoArray(vhat, i);
            }
            FloatVector wi = FloatVector.fromArray(S, w, wOff + i);
            // w − (m·α) / (√v + ε)
            wi.sub(mi.mul(vAlpha).div(vi.lanewise(VectorOperators.SQRT).add(vEps))).intoArray(w, wOff + i);
        }
        return end;
    }
}
