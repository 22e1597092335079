package dev.weft.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * exp, tanh and log(1 + t) on float lanes, written with IEEE-exact lane operations only (add, sub,
 * mul, div, fma, compare/blend and integer bit operations).
 *
 * <p>Why not {@code lanewise(VectorOperators.EXP)}: the JIT compiles those to a native math library
 * (SVML) while the interpreter and C1 fall back to {@code Math.exp} per lane, and the two differ in
 * the last bit for about 1 % of inputs. The same kernel then gave different bits before and after
 * its C2 compilation, so a run's numbers depended on when the JIT got to it (a resumed run, or
 * another thread count, moves that moment). Every operation used here is correctly rounded in every
 * tier, so these functions give the same bits wherever they run. Errors (measured over the float
 * range in ElementwiseMathTest): {@link #exp} within 1 ulp of {@code (float) Math.exp}, {@link #tanh}
 * within 1 ulp of {@code (float) Math.tanh}, {@link #log1pUnit} within 1.2 ulps of the exact value.
 *
 * <p>Speed notes: clamps are compare + blend, because {@code FloatVector.min/max} implement Java's
 * NaN and signed-zero rules in several instructions each (they made a sigmoid 1.5x slower);
 * constants are broadcast at the point of use, which C2 hoists out of loops (static final vectors
 * are reloaded from their box). Loaded only when {@link VectorSupport#ENABLED}.
 */
final class ElementwiseMath {
    private ElementwiseMath() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    // exp: e^x = 2^n · e^r, n = round(x / ln 2), r = x − n·ln 2 in two steps (Cody–Waite; LN2_HI has
    // few bits, so n·LN2_HI is exact), e^r by the Cephes expf polynomial on |r| <= ln 2 / 2.
    static final float LOG2E = 1.44269504088896341f, LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    /**
     * 1.5·2^23 + 127: adding it rounds x·log2 e (|x·log2 e| &lt; 2^22) to an integer n and leaves
     * n + 127, the biased exponent of 2^n, in the low mantissa bits.
     */
    static final float ROUNDER = 12582912f + 127f;
    static final int ROUNDER_BITS = Float.floatToRawIntBits(ROUNDER);
    /** {@link #exp} clamps its input here: e^-104 is below the smallest subnormal, e^89 above Float.MAX_VALUE. */
    static final float EXP_MIN = -104f, EXP_MAX = 89f;
    static final float E0 = 1.9875691500e-4f, E1 = 1.3981999507e-3f, E2 = 8.3334519073e-3f, E3 = 4.1665795894e-2f,
            E4 = 1.6666665459e-1f, E5 = 5.0000001201e-1f;

    /** Clamps to [lo, hi]; NaN stays NaN. */
    private static FloatVector clamp(FloatVector x, float lo, float hi) {
        FloatVector l = FloatVector.broadcast(S, lo), h = FloatVector.broadcast(S, hi);
        return x.blend(l, x.compare(VectorOperators.LT, l)).blend(h, x.compare(VectorOperators.GT, h));
    }

    /** t = x·log2 e + ROUNDER for a clamped x; returns e^r, r = x − n·ln 2, n = t − ROUNDER. */
    private static FloatVector expOfRemainder(FloatVector x, FloatVector t) {
        FloatVector n = t.sub(ROUNDER);                                   // exact
        FloatVector r = n.fma(FloatVector.broadcast(S, -LN2_HI), x);
        r = n.fma(FloatVector.broadcast(S, -LN2_LO), r);                  // x − n·ln 2, |r| <= 0.35
        FloatVector p = FloatVector.broadcast(S, E0)
                .fma(r, FloatVector.broadcast(S, E1))
                .fma(r, FloatVector.broadcast(S, E2))
                .fma(r, FloatVector.broadcast(S, E3))
                .fma(r, FloatVector.broadcast(S, E4))
                .fma(r, FloatVector.broadcast(S, E5));
        return p.fma(r.mul(r), r).add(1f);                                // e^r = 1 + r + r²·P(r)
    }

    /** e^x; 0 below about -103.97, +inf above about 88.72, NaN for NaN. */
    static FloatVector exp(FloatVector x) {
        x = clamp(x, EXP_MIN, EXP_MAX);
        FloatVector t = x.fma(FloatVector.broadcast(S, LOG2E), FloatVector.broadcast(S, ROUNDER));
        FloatVector er = expOfRemainder(x, t);
        // Scale by 2^n as 2^h · 2^(n−h), h = n/2: both factors are normal floats for n in [-150, 129],
        // so the result may be subnormal (one rounding, in the last multiply) or overflow to inf.
        IntVector ni = t.reinterpretAsInts().sub(ROUNDER_BITS);          // n
        IntVector h = ni.lanewise(VectorOperators.ASHR, 1);
        FloatVector s1 = h.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = ni.sub(h).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return er.mul(s1).mul(s2);
    }

    /** {@link #expSaturating} clamps its input here: n stays in [-126, 128], one exponent-field scale. */
    static final float SAT_MIN = -87f, SAT_MAX = 88.8f;

    /**
     * e^x for the activations, whose results saturate before e^x leaves the normal floats: the same
     * bits as {@link #exp} for x in [-87, 88.37], +inf above (also where e^x is still just below
     * Float.MAX_VALUE), e^-87 below -87 (instead of smaller values). One scaling step instead of
     * two. σ(x) = 1/(1 + e^-x) built on it is exact to float where σ is 1 (x &gt; 17) and below
     * 3e-39 (instead of a subnormal) where this gives +inf.
     */
    static FloatVector expSaturating(FloatVector x) {
        x = clamp(x, SAT_MIN, SAT_MAX);
        FloatVector t = x.fma(FloatVector.broadcast(S, LOG2E), FloatVector.broadcast(S, ROUNDER));
        // 2^n from its biased exponent n + 127 in [1, 255] (255: +inf, for n = 128), which sits in
        // t's low bits: shifting them into the exponent field drops everything above.
        FloatVector scale = t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return expOfRemainder(x, t).mul(scale);
    }

    // tanh: below |x| = 0.625 the Cephes tanhf odd polynomial x + x³·P(x²); above, 1 − 2/(e^2|x| + 1).
    static final float T0 = -5.70498872745e-3f, T1 = 2.06390887954e-2f, T2 = -5.37397155531e-2f, T3 = 1.33314422036e-1f,
            T4 = -3.33332819422e-1f, TANH_SPLIT = 0.625f;

    /** tanh x (±1 beyond |x| ~ 9, the sign of zero kept, NaN for NaN). */
    static FloatVector tanh(FloatVector x) {
        FloatVector ax = x.abs(), z = ax.mul(ax);
        FloatVector p = FloatVector.broadcast(S, T0)
                .fma(z, FloatVector.broadcast(S, T1))
                .fma(z, FloatVector.broadcast(S, T2))
                .fma(z, FloatVector.broadcast(S, T3))
                .fma(z, FloatVector.broadcast(S, T4));
        FloatVector small = p.mul(z).fma(ax, ax);                         // |x| + |x|³·P(x²)
        FloatVector big = FloatVector.broadcast(S, 1f).sub(FloatVector.broadcast(S, 2f).div(expSaturating(ax.add(ax)).add(1f)));
        FloatVector mag = small.blend(big, ax.compare(VectorOperators.GE, TANH_SPLIT));
        return mag.reinterpretAsInts().or(x.reinterpretAsInts().and(0x80000000)).reinterpretAsFloats(); // tanh is odd
    }

    /**
     * log(1 + f) for f in [0, 1], as fdlibm's log: with s = f/(2 + f), log(1 + f) = 2·atanh s
     * = f − (f²/2 − s·(f²/2 + R)), R = Σ_{k>=1} 2·s^2k/(2k + 1) (s <= 1/3, so seven terms reach
     * float precision); f itself is exact, and the correction it carries is small.
     */
    static FloatVector log1pUnit(FloatVector f) {
        FloatVector s = f.div(f.add(2f)), z = s.mul(s);
        FloatVector p = FloatVector.broadcast(S, 2f / 15)
                .fma(z, FloatVector.broadcast(S, 2f / 13))
                .fma(z, FloatVector.broadcast(S, 2f / 11))
                .fma(z, FloatVector.broadcast(S, 2f / 9))
                .fma(z, FloatVector.broadcast(S, 2f / 7))
                .fma(z, FloatVector.broadcast(S, 2f / 5))
                .fma(z, FloatVector.broadcast(S, 2f / 3));
        FloatVector r = p.mul(z), hfsq = f.mul(f).mul(0.5f);
        return f.sub(hfsq.sub(s.mul(hfsq.add(r))));
    }
}
