package dev.weft.nn.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.engine.Rng;
import dev.weft.engine.kernels.VectorSupport;
import org.junit.jupiter.api.Test;

/**
 * {@link AdamVector} + scalar tail must give exactly the bits of {@link Adam#updateScalar} on every
 * length (tails of every size), with and without amsgrad and clipping, at non-zero offsets.
 * NaNs are compared as NaN (their payload is not specified by either path).
 */
class AdamVectorTest {
    private static final float ALPHA = 1e-3f * (float) Math.sqrt(1f - 0.999f) / (1f - 0.9f);

    private static float[] values(Rng rng, int n) {
        return OptimizerVectorTest.values(rng, n, false);
    }

    private static float[] abs(float[] a) {
        float[] b = a.clone();
        for (int i = 0; i < b.length; i++) b[i] = Math.abs(b[i]);
        return b;
    }

    private static void check(Rng rng, int n, boolean amsgrad, float scale, float clip) {
        int wOff = rng.nextInt(5), gOff = rng.nextInt(5);
        float[] w = values(rng, n + wOff), g = values(rng, n + gOff), m = values(rng, n);
        float[] v = abs(values(rng, n)), vhat = amsgrad ? abs(values(rng, n)) : null;
        float[] w2 = w.clone(), m2 = m.clone(), v2 = v.clone(), vhat2 = amsgrad ? vhat.clone() : null;
        float b1 = 0.1f, b2 = 1 - 0.999f, eps = 1e-7f;

        Adam.updateScalar(w, wOff, g, gOff, m, v, vhat, 0, n, ALPHA, b1, b2, eps, scale, clip);
        int end = AdamVector.update(w2, wOff, g, gOff, m2, v2, vhat2, 0, n, ALPHA, b1, b2, eps, scale, clip);
        Adam.updateScalar(w2, wOff, g, gOff, m2, v2, vhat2, end, n, ALPHA, b1, b2, eps, scale, clip);

        String what = "n=" + n + " amsgrad=" + amsgrad + " scale=" + scale + " clip=" + clip;
        assertBits(w, w2, "w " + what);
        assertBits(m, m2, "m " + what);
        assertBits(v, v2, "v " + what);
        if (amsgrad) assertBits(vhat, vhat2, "vhat " + what);
    }

    private static void assertBits(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++)
            assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(actual[i]),
                    () -> what + ": element differs, scalar vs vector");
    }

    @Test void vectorMatchesScalarBitsOnAllShortLengths() {
        assumeTrue(VectorSupport.ENABLED, "jdk.incubator.vector not enabled");
        Rng rng = new Rng(7);
        for (int n = 0; n <= 67; n++) {
            check(rng, n, false, 1f, Float.POSITIVE_INFINITY);
            check(rng, n, true, 1f, Float.POSITIVE_INFINITY);
            check(rng, n, false, 0.37f, 1e-3f);
            check(rng, n, true, 0.37f, 1e-3f);
        }
    }

    @Test void vectorMatchesScalarBitsOnLargeArray() {
        assumeTrue(VectorSupport.ENABLED, "jdk.incubator.vector not enabled");
        Rng rng = new Rng(11);
        check(rng, 100_003, false, 1f, Float.POSITIVE_INFINITY);
        check(rng, 100_003, true, 0.5f, 0.01f);
    }

    @Test void vectorCoversOnlyWholeVectorsFromTheStart() {
        assumeTrue(VectorSupport.ENABLED, "jdk.incubator.vector not enabled");
        float[] a = new float[100];
        int end = AdamVector.update(a, 0, new float[100], 0, new float[100], new float[100], null, 3, 100, ALPHA, 0.1f, 0.001f, 1e-7f, 1f, 1f);
        int covered = end - 3;
        assertEquals(0, covered % jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length());
        assertEquals(true, 100 - end < jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length());
    }
}
