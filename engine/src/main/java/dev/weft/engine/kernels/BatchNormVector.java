package dev.weft.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API per-chunk loops of {@link BatchNorm} over rows [r0, r1) of x [M, C], vectorised over
 * channels with a scalar channel tail; same arithmetic order as the scalar loops in
 * {@link BatchNormReference} except where fused multiply-adds are used.
 */
final class BatchNormVector {
    private BatchNormVector() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    static void sumRows(float[] x, int xOff, int r0, int r1, int c, float[] out, int o) {
        int cv = c - c % L;
        for (int j = 0; j < cv; j += L) {
            FloatVector acc = FloatVector.zero(S);
            for (int r = r0; r < r1; r++) acc = acc.add(FloatVector.fromArray(S, x, xOff + r * c + j));
            acc.intoArray(out, o + j);
        }
        for (int j = cv; j < c; j++) {
            float acc = 0f;
            for (int r = r0; r < r1; r++) acc += x[xOff + r * c + j];
            out[o + j] = acc;
        }
    }

    static void sumSquaredDeviations(float[] x, int xOff, int r0, int r1, int c, float[] mean, float[] out, int o) {
        int cv = c - c % L;
        for (int j = 0; j < cv; j += L) {
            FloatVector mu = FloatVector.fromArray(S, mean, j);
            FloatVector acc = FloatVector.zero(S);
            for (int r = r0; r < r1; r++) {
                FloatVector d = FloatVector.fromArray(S, x, xOff + r * c + j).sub(mu);
                acc = d.fma(d, acc);
            }
            acc.intoArray(out, o + j);
        }
        for (int j = cv; j < c; j++) {
            float acc = 0f;
            for (int r = r0; r < r1; r++) { float d = x[xOff + r * c + j] - mean[j]; acc += d * d; }
            out[o + j] = acc;
        }
    }

    static void affine(float[] x, int xOff, int r0, int r1, int c, float[] scale, float[] shift, float[] y, int yOff) {
        int cv = c - c % L;
        for (int j = 0; j < cv; j += L) {
            FloatVector sc = FloatVector.fromArray(S, scale, j), sh = FloatVector.fromArray(S, shift, j);
            for (int r = r0; r < r1; r++)
                FloatVector.fromArray(S, x, xOff + r * c + j).fma(sc, sh).intoArray(y, yOff + r * c + j);
        }
        for (int j = cv; j < c; j++)
            for (int r = r0; r < r1; r++) y[yOff + r * c + j] = x[xOff + r * c + j] * scale[j] + shift[j];
    }

    static void backwardSums(float[] x, int xOff, float[] dy, int dyOff, int r0, int r1, int c, float[] mean, float[] invStd,
                             float[] sdy, float[] sdyx, int o) {
        int cv = c - c % L;
        for (int j = 0; j < cv; j += L) {
            FloatVector mu = FloatVector.fromArray(S, mean, j), is = FloatVector.fromArray(S, invStd, j);
            FloatVector a = FloatVector.zero(S), b = FloatVector.zero(S);
            for (int r = r0; r < r1; r++) {
                FloatVector g = FloatVector.fromArray(S, dy, dyOff + r * c + j);
                FloatVector xhat = FloatVector.fromArray(S, x, xOff + r * c + j).sub(mu).mul(is);
                a = a.add(g);
                b = g.fma(xhat, b);
            }
            a.intoArray(sdy, o + j);
            b.intoArray(sdyx, o + j);
        }
        for (int j = cv; j < c; j++) {
            float a = 0f, b = 0f;
            for (int r = r0; r < r1; r++) {
                float g = dy[dyOff + r * c + j];
                a += g;
                b += g * ((x[xOff + r * c + j] - mean[j]) * invStd[j]);
            }
            sdy[o + j] = a;
            sdyx[o + j] = b;
        }
    }

    static void backwardDx(float[] x, int xOff, float[] dy, int dyOff, int r0, int r1, int c, float[] a, float[] k1, float[] k0,
                           float[] dx, int dxOff) {
        int cv = c - c % L;
        for (int j = 0; j < cv; j += L) {
            FloatVector av = FloatVector.fromArray(S, a, j), k1v = FloatVector.fromArray(S, k1, j), k0v = FloatVector.fromArray(S, k0, j);
            for (int r = r0; r < r1; r++) {
                FloatVector g = FloatVector.fromArray(S, dy, dyOff + r * c + j);
                FloatVector xv = FloatVector.fromArray(S, x, xOff + r * c + j);
                g.fma(av, xv.fma(k1v, k0v)).intoArray(dx, dxOff + r * c + j);
            }
        }
        for (int j = cv; j < c; j++)
            for (int r = r0; r < r1; r++)
                dx[dxOff + r * c + j] = a[j] * dy[dyOff + r * c + j] + k1[j] * x[xOff + r * c + j] + k0[j];
    }
}
