package dev.weft.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The vector and scalar Box–Muller give the same bits; the float transform stays close to double precision. */
class GaussianTest {
    @Test
    void vectorPathEqualsScalarTwinBitForBit() {
        SplittableRandom rnd = new SplittableRandom(4);
        int n = 3 * Gaussian.BLOCK + 77;
        long[] bits = new long[(n + 1) / 2];
        for (int i = 0; i < bits.length; i++) bits[i] = rnd.nextLong();
        bits[0] = 0L;                  // u1 = 1, u2 = 0: r = 0
        bits[1] = -1L;                 // u1 = 2^-24 (the largest radius), u2 just below 1
        bits[2] = 0x8000_0080_0000_0000L; // u1 = u2 = 1/2: theta = pi, a quadrant boundary
        float[] got = new float[n];
        Gaussian.fill(bits, 0.25f, 1.5f, got, n);
        float[] want = new float[n];
        for (int o = 0; o < n; o += Gaussian.BLOCK) {
            int b = Math.min(Gaussian.BLOCK, n - o), cos = (b + 1) / 2;
            for (int j = 0; j < cos; j++) Gaussian.pair(bits[o / 2 + j], 0.25f, 1.5f, want, o + j, j < b - cos ? o + cos + j : -1);
        }
        for (int i = 0; i < n; i++) assertEquals(Float.floatToIntBits(want[i]), Float.floatToIntBits(got[i]), "element " + i);
    }

    @Test
    void floatTransformIsCloseToDouble() {
        SplittableRandom rnd = new SplittableRandom(9);
        float[] out = new float[2];
        double worst = 0;
        for (int i = 0; i < 200_000; i++) {
            long x = rnd.nextLong();
            Gaussian.pair(x, 0f, 1f, out, 0, 1);
            double u1 = 1.0 - (x >>> 40) / 16777216.0, u2 = ((x >>> 16) & 0xFFFFFF) / 16777216.0;
            double r = Math.sqrt(-2 * Math.log(u1)), th = 2 * Math.PI * u2;
            worst = Math.max(worst, Math.abs(out[0] - r * Math.cos(th)) / Math.max(r, 1e-3));
            worst = Math.max(worst, Math.abs(out[1] - r * Math.sin(th)) / Math.max(r, 1e-3));
        }
        assertEquals(0, worst, 4e-7, "largest error relative to the radius");
        float[] one = new float[1];
        for (float u : new float[] {1f, 0.5f, 0x1.0p-24f, 0.75f, 0.999999f}) {
            assertEquals(Math.log(u), Gaussian.lnUnit(u), 1e-7 * Math.max(1, Math.abs(Math.log(u))), "ln " + u);
        }
        assertThrows(IllegalArgumentException.class, () -> Gaussian.fill(new long[1], 0f, 1f, one, 3));
    }
}
