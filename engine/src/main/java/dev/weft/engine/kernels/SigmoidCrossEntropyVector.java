package dev.weft.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API rows of {@link SigmoidCrossEntropy}, in float lanes. The loss is
 * {@code fma(−x, z, max(x, 0)) + log1p(e^−|x|)} with {@link ElementwiseMath#exp} and
 * {@link ElementwiseMath#log1pUnit}: the fused multiply-add rounds {@code max(x, 0) − x·z} once, so
 * for labels in [0, 1] (where both terms are &gt;= 0 and nothing cancels) the result is within 2
 * float ulps of the exact loss (1.3 measured) — the softplus term carries the float exp's error
 * through log1p. The double-lane version this replaced was within 1 ulp at 2.5x the cost; the loss
 * is summed in double afterwards, where 1 or 2 ulps per element make no difference. The gradient {@code g·(σ(x) − z)} is in float lanes on
 * {@link ElementwiseVector#sigmoid}, in L1-sized chunks so the sigmoid pass and the combining pass do
 * not stream the whole row twice. Tails run through the same vector code (masked or padded), so every
 * element takes one path. Loaded only when {@link VectorSupport#ENABLED}.
 */
final class SigmoidCrossEntropyVector {
    private SigmoidCrossEntropyVector() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Gradient elements per chunk: 8 KB per array. */
    private static final int CHUNK = 2048;

    static void forward(float[] x, int xo, float[] z, int zo, float[] loss, int lo, int n) {
        int k = 0;
        for (int end = S.loopBound(n); k < end; k += L)
            forward(FloatVector.fromArray(S, x, xo + k), FloatVector.fromArray(S, z, zo + k)).intoArray(loss, lo + k);
        if (k == n) return;
        // Tail (fewer than L elements) through zero-padded one-vector buffers, same lanes as the body.
        float[] xb = new float[L], zb = new float[L];
        int m = n - k;
        System.arraycopy(x, xo + k, xb, 0, m);
        System.arraycopy(z, zo + k, zb, 0, m);
        forward(FloatVector.fromArray(S, xb, 0), FloatVector.fromArray(S, zb, 0)).intoArray(xb, 0);
        System.arraycopy(xb, 0, loss, lo + k, m);
    }

    // fma(−x, z, max(x, 0)) + log1p(e^−|x|)
    private static FloatVector forward(FloatVector x, FloatVector z) {
        FloatVector t = ElementwiseMath.exp(x.abs().neg()); // e^−|x| in (0, 1]
        return x.neg().fma(z, x.max(0f)).add(ElementwiseMath.log1pUnit(t));
    }

    static void gradLogits(float[] g, int go, int gs, float[] x, int xo, float[] z, int zo, float[] gx, int o, int n) {
        FloatVector g0 = gs == 0 ? FloatVector.broadcast(S, g[go]) : null;
        for (int c = 0; c < n; c += CHUNK) {
            int m = Math.min(CHUNK, n - c);
            ElementwiseVector.sigmoid(x, xo + c, 1, gx, o + c, m); // gx = σ(x), then g·(σ − z) in place
            int k = 0;
            for (int end = S.loopBound(m); k < end; k += L) {
                FloatVector gv = g0 != null ? g0 : FloatVector.fromArray(S, g, go + c + k);
                FloatVector sig = FloatVector.fromArray(S, gx, o + c + k);
                gv.mul(sig.sub(FloatVector.fromArray(S, z, zo + c + k))).intoArray(gx, o + c + k);
            }
            if (k < m) { // the tail: the same lanes, masked
                VectorMask<Float> in = S.indexInRange(k, m);
                FloatVector gv = g0 != null ? g0 : FloatVector.fromArray(S, g, go + c + k, in);
                FloatVector sig = FloatVector.fromArray(S, gx, o + c + k, in);
                gv.mul(sig.sub(FloatVector.fromArray(S, z, zo + c + k, in))).intoArray(gx, o + c + k, in);
            }
        }
    }
}
