package dev.weft.engine.kernels;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * The SIMD exp, tanh and log1p: (1) every lane equals a scalar transcription of the same algorithm
 * written here with Math.fma and plain float arithmetic, bit for bit — so the kernels use only
 * exactly rounded operations and give the same bits in the interpreter, C1 and C2; (2) accuracy
 * against Math.exp, Math.tanh and Math.log1p over a sweep of the float range; (3) special values.
 */
class ElementwiseMathTest {
    // ---------------------------------------------------------------- the scalar transcriptions

    static float clamp(float x, float lo, float hi) { return x < lo ? lo : x > hi ? hi : x; }

    // e^r for r = x − n·ln 2, with n = t − ROUNDER
    static float expOfRemainder(float x, float t) {
        float n = t - ElementwiseMath.ROUNDER;
        float r = Math.fma(n, -ElementwiseMath.LN2_HI, x);
        r = Math.fma(n, -ElementwiseMath.LN2_LO, r);
        float p = ElementwiseMath.E0;
        p = Math.fma(p, r, ElementwiseMath.E1);
        p = Math.fma(p, r, ElementwiseMath.E2);
        p = Math.fma(p, r, ElementwiseMath.E3);
        p = Math.fma(p, r, ElementwiseMath.E4);
        p = Math.fma(p, r, ElementwiseMath.E5);
        return Math.fma(p, r * r, r) + 1f;
    }

    static float exp(float x) {
        x = clamp(x, ElementwiseMath.EXP_MIN, ElementwiseMath.EXP_MAX);
        float t = Math.fma(x, ElementwiseMath.LOG2E, ElementwiseMath.ROUNDER);
        int ni = Float.floatToRawIntBits(t) - ElementwiseMath.ROUNDER_BITS, h = ni >> 1;
        return expOfRemainder(x, t) * Float.intBitsToFloat((h + 127) << 23) * Float.intBitsToFloat((ni - h + 127) << 23);
    }

    static float expSaturating(float x) {
        x = clamp(x, ElementwiseMath.SAT_MIN, ElementwiseMath.SAT_MAX);
        float t = Math.fma(x, ElementwiseMath.LOG2E, ElementwiseMath.ROUNDER);
        return expOfRemainder(x, t) * Float.intBitsToFloat(Float.floatToRawIntBits(t) << 23);
    }

    static float tanh(float x) {
        float ax = Math.abs(x), z = ax * ax;
        float p = ElementwiseMath.T0;
        p = Math.fma(p, z, ElementwiseMath.T1);
        p = Math.fma(p, z, ElementwiseMath.T2);
        p = Math.fma(p, z, ElementwiseMath.T3);
        p = Math.fma(p, z, ElementwiseMath.T4);
        float mag = ax >= ElementwiseMath.TANH_SPLIT ? 1f - 2f / (expSaturating(ax + ax) + 1f) : Math.fma(p * z, ax, ax);
        return Float.intBitsToFloat(Float.floatToRawIntBits(mag) | (Float.floatToRawIntBits(x) & 0x80000000));
    }

    static float log1pUnit(float f) {
        float s = f / (f + 2f), z = s * s;
        float p = 2f / 15;
        for (float c : new float[] {2f / 13, 2f / 11, 2f / 9, 2f / 7, 2f / 5, 2f / 3}) p = Math.fma(p, z, c);
        float r = p * z, hfsq = f * f * 0.5f;
        return f - (hfsq - s * (hfsq + r));
    }

    // ---------------------------------------------------------------- helpers

    private static float[] lanes(UnaryOperator<FloatVector> f, float[] x) {
        int L = ElementwiseMath.S.length();
        float[] in = java.util.Arrays.copyOf(x, (x.length + L - 1) / L * L), out = new float[in.length];
        for (int k = 0; k < in.length; k += L) f.apply(FloatVector.fromArray(ElementwiseMath.S, in, k)).intoArray(out, k);
        return java.util.Arrays.copyOf(out, x.length);
    }

    /** Every float bit pattern stepping by {@code stride} (both signs, subnormals, inf, NaN). */
    private static float[] sweep(int stride) {
        int n = (int) ((1L << 32) / stride);
        float[] x = new float[n];
        long bits = Integer.MIN_VALUE;
        for (int i = 0; i < n; i++, bits += stride) x[i] = Float.intBitsToFloat((int) bits);
        return x;
    }

    private static void assertLanesEqualTranscription(String name, UnaryOperator<FloatVector> simd, UnaryOperator<Float> scalar, float[] x) {
        float[] got = lanes(simd, x);
        for (int i = 0; i < x.length; i++) {
            float want = scalar.apply(x[i]);
            assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(got[i]), name + "(" + x[i] + "): lane " + got[i] + ", transcription " + want);
        }
    }

    /** Largest distance in ulps of the correctly rounded value, over results that are normal floats. */
    private static double worstUlps(float[] x, float[] got, DoubleUnaryOperator exact) {
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            double e = exact.applyAsDouble(x[i]);
            float rounded = (float) e;
            if (Float.isNaN(rounded) || Float.isInfinite(rounded) || Math.abs(rounded) < Float.MIN_NORMAL) continue;
            worst = Math.max(worst, Math.abs(got[i] - e) / Math.ulp(rounded));
        }
        return worst;
    }

    // ---------------------------------------------------------------- tests

    @Test
    void lanesEqualTheScalarTranscriptionBitForBit() {
        assumeTrue(VectorSupport.ENABLED, "SIMD kernels disabled");
        float[] all = sweep(16411);   // ~260 k values over every exponent
        assertLanesEqualTranscription("exp", ElementwiseMath::exp, ElementwiseMathTest::exp, all);
        assertLanesEqualTranscription("expSaturating", ElementwiseMath::expSaturating, ElementwiseMathTest::expSaturating, all);
        assertLanesEqualTranscription("tanh", ElementwiseMath::tanh, ElementwiseMathTest::tanh, all);
        float[] unit = new float[1 << 16];
        for (int i = 0; i < unit.length; i++) unit[i] = i % 2 == 0 ? i / (float) unit.length : (float) Math.exp(-i * 1e-3);
        assertLanesEqualTranscription("log1pUnit", ElementwiseMath::log1pUnit, ElementwiseMathTest::log1pUnit, unit);
    }

    @Test
    void expIsWithinOneUlpOfMathExp() {
        assumeTrue(VectorSupport.ENABLED, "SIMD kernels disabled");
        float[] x = sweep(4099);     // ~1 M values over every exponent
        float[] got = lanes(ElementwiseMath::exp, x);
        for (int i = 0; i < x.length; i++) {
            float want = (float) Math.exp(x[i]);
            if (Float.isNaN(want)) assertTrue(Float.isNaN(got[i]), "exp(NaN)");
            else if (want == 0f || Float.isInfinite(want) || want < Float.MIN_NORMAL)
                assertEquals(want, got[i], Float.MIN_NORMAL, "exp(" + x[i] + ") under/overflow");   // subnormal results: absolute
            else assertTrue(Math.abs(Float.floatToIntBits(want) - Float.floatToIntBits(got[i])) <= 1,
                    "exp(" + x[i] + ") = " + got[i] + ", Math.exp gives " + want);
        }
    }

    @Test
    void expSaturatingEqualsExpInItsRangeAndSaturatesOutside() {
        assumeTrue(VectorSupport.ENABLED, "SIMD kernels disabled");
        float[] x = sweep(4099);
        float[] sat = lanes(ElementwiseMath::expSaturating, x), full = lanes(ElementwiseMath::exp, x);
        float floor = (float) Math.exp(ElementwiseMath.SAT_MIN);
        for (int i = 0; i < x.length; i++) {
            float v = x[i];
            if (Float.isNaN(v)) assertTrue(Float.isNaN(sat[i]), "NaN");
            else if (v >= ElementwiseMath.SAT_MIN && v <= 88.37f) assertEquals(full[i], sat[i], "e^" + v);
            else if (v > 88.37f) assertEquals(Float.POSITIVE_INFINITY, sat[i], "e^" + v);
            else assertEquals(floor, sat[i], Math.ulp(floor), "e^" + v + " saturates at e^-87");
        }
    }

    @Test
    void tanhIsWithinOneUlpOfMathTanh() {
        assumeTrue(VectorSupport.ENABLED, "SIMD kernels disabled");
        Random r = new Random(5);
        float[] x = new float[1 << 18];
        for (int i = 0; i < x.length; i++) x[i] = i % 3 == 0 ? (float) r.nextGaussian() * 4 : i % 3 == 1 ? (r.nextFloat() - 0.5f) * 1.4f : (float) (r.nextGaussian() * 1e-3);
        float[] got = lanes(ElementwiseMath::tanh, x);
        for (int i = 0; i < x.length; i++) {
            float want = (float) Math.tanh(x[i]);
            assertTrue(Math.abs(Float.floatToIntBits(want) - Float.floatToIntBits(got[i])) <= 1, "tanh(" + x[i] + ") = " + got[i] + ", Math.tanh gives " + want);
        }
    }

    @Test
    void log1pUnitIsWithinOnePointTwoUlpsOfTheExactValue() {
        assumeTrue(VectorSupport.ENABLED, "SIMD kernels disabled");
        Random r = new Random(6);
        float[] f = new float[1 << 18];
        for (int i = 0; i < f.length; i++) f[i] = i % 2 == 0 ? r.nextFloat() : (float) Math.exp(-r.nextFloat() * 100);
        f[0] = 0f;
        f[1] = 1f;
        float[] got = lanes(ElementwiseMath::log1pUnit, f);
        double worst = worstUlps(f, got, v -> Math.log1p(v));
        assertTrue(worst <= 1.2, "log1pUnit worst error " + worst + " ulps");
        assertEquals(0f, got[0]);
        assertEquals((float) Math.log(2), got[1], Math.ulp((float) Math.log(2)));
    }

    @Test
    void specialValues() {
        assumeTrue(VectorSupport.ENABLED, "SIMD kernels disabled");
        float inf = Float.POSITIVE_INFINITY;
        float[] x = {0f, -0f, Float.NaN, inf, -inf, 88.7f, 89.5f, -87f, -104f, -200f, 1e-30f, -1e-30f, 9.5f, -20f, 0.625f, -0.6249999f};
        float[] e = lanes(ElementwiseMath::exp, x), t = lanes(ElementwiseMath::tanh, x);
        assertEquals(1f, e[0]);
        assertEquals(1f, e[1]);
        assertTrue(Float.isNaN(e[2]) && Float.isNaN(t[2]), "NaN stays NaN");
        assertEquals(inf, e[3]);
        assertEquals(0f, e[4]);
        assertEquals((float) Math.exp(88.7f), e[5], Math.ulp((float) Math.exp(88.7f)));
        assertEquals(inf, e[6]);                                  // above Float.MAX_VALUE
        assertEquals(0f, e[8], Float.MIN_VALUE);                  // e^-104 rounds to 0 or the smallest subnormal
        assertEquals(0f, e[9]);
        assertEquals(1f, e[10]);
        assertEquals(Float.floatToIntBits(0f), Float.floatToIntBits(t[0]), "tanh(+0) = +0");
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(t[1]), "tanh(-0) = -0");
        assertEquals(1f, t[3]);
        assertEquals(-1f, t[4]);
        assertEquals(1e-30f, t[10]);
        assertEquals(-1e-30f, t[11]);
        assertEquals(1f, t[12]);
        assertEquals(-1f, t[13]);
        assertEquals((float) Math.tanh(0.625), t[14], Math.ulp(0.55f));
        assertEquals((float) Math.tanh(-0.6249999f), t[15], Math.ulp(0.55f));
    }
}
