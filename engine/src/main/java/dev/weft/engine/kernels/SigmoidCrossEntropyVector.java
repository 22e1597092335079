package dev.weft.engine.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API rows of {@link SigmoidCrossEntropy}. The loss is evaluated in double lanes (floats
 * widened, lanewise {@code EXP} and {@code LOG1P}, one rounding back to float) so it stays within
 * one float ulp of the correctly rounded value; the gradient {@code g·(σ(x) − z)} is in float lanes
 * on {@link ElementwiseVector#sigmoid}, in L1-sized chunks so the sigmoid pass and the combining pass
 * do not stream the whole row twice. Tails run through the same vector code (masked or padded), so
 * every element takes one path. Loaded only when {@link VectorSupport#ENABLED}.
 */
final class SigmoidCrossEntropyVector {
    private SigmoidCrossEntropyVector() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Gradient elements per chunk: 8 KB per array. */
    private static final int CHUNK = 2048;

    // Forward runs in double lanes: float lanes (float exp, then float LOG1P, then the add) came
    // out up to ~2 float ulps from the correctly rounded loss, and the loss must stay within 1 ulp.
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** Floats with as many lanes as {@link #D}: loads widen to D, results narrow back. */
    private static final VectorSpecies<Float> FD = VectorSpecies.of(float.class, VectorShape.forBitSize(D.vectorBitSize() / 2));
    private static final int DL = D.length();

    static void forward(float[] x, int xo, float[] z, int zo, float[] loss, int lo, int n) {
        int k = 0;
        for (int end = FD.loopBound(n); k < end; k += DL)
            forward(FloatVector.fromArray(FD, x, xo + k), FloatVector.fromArray(FD, z, zo + k)).intoArray(loss, lo + k);
        if (k == n) return;
        // Tail (fewer than DL elements) through zero-padded one-vector buffers, same lanes as the body.
        float[] xb = new float[DL], zb = new float[DL];
        int m = n - k;
        System.arraycopy(x, xo + k, xb, 0, m);
        System.arraycopy(z, zo + k, zb, 0, m);
        forward(FloatVector.fromArray(FD, xb, 0), FloatVector.fromArray(FD, zb, 0)).intoArray(xb, 0);
        System.arraycopy(xb, 0, loss, lo + k, m);
    }

    // max(x, 0) − x·z + log1p(e^−|x|) in double, rounded once to float.
    private static FloatVector forward(FloatVector xf, FloatVector zf) {
        DoubleVector x = (DoubleVector) xf.convertShape(VectorOperators.F2D, D, 0);
        DoubleVector z = (DoubleVector) zf.convertShape(VectorOperators.F2D, D, 0);
        DoubleVector t = x.abs().neg().lanewise(VectorOperators.EXP); // e^−|x| in (0, 1]
        DoubleVector loss = x.max(0.0).sub(x.mul(z)).add(t.lanewise(VectorOperators.LOG1P));
        return (FloatVector) loss.convertShape(VectorOperators.D2F, FD, 0);
    }

    static void gradLogits(float[] g, int go, int gs, float[] x, int xo, float[] z, int zo, float[] gx, int o, int n) {
        FloatVector g0 = gs == 0 ? FloatVector.broadcast(S, g[go]) : null;
        for (int c = 0; c < n; c += CHUNK) {
            int m = Math.min(CHUNK, n - c);
            ElementwiseVector.sigmoid(x, xo + c, 1, gx, o + c, m); // gx = σ(x), then g·(σ − z) in place
            for (int k = 0; k < m; k += L) {
                VectorMask<Float> in = S.indexInRange(k, m);
                FloatVector gv = g0 != null ? g0 : FloatVector.fromArray(S, g, go + c + k, in);
                FloatVector sig = FloatVector.fromArray(S, gx, o + c + k, in);
                gv.mul(sig.sub(FloatVector.fromArray(S, z, zo + c + k, in))).intoArray(gx, o + c + k, in);
            }
        }
    }
}
