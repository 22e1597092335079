package dev.weft.engine.kernels;

/**
 * Normal samples from random bits by the Box–Muller transform in float, two samples per 64 random
 * bits, on the Vector API when it is enabled (same bits either way).
 *
 * <p>Pair i uses {@code bits[i]}: u1 = 1 − (its high 24 bits)·2^-24 in (0, 1], u2 = (its next 24
 * bits)·2^-24 in [0, 1); with r = sqrt(−2 ln u1) and θ = 2π·u2 the pair is (r·cos θ, r·sin θ), then
 * scaled to mean + std·z. Samples are written in blocks of {@link #BLOCK} values: in a block of b
 * values starting at pair p, the first ⌈b/2⌉ are the cosine halves of pairs p, p+1, … and the rest
 * their sine halves (so vectors stay contiguous). The layout depends only on n, never on the thread
 * count. 24-bit uniforms bound |z| by sqrt(−2 ln 2^-24) ≈ 5.77.
 *
 * <p>Every step is a correctly rounded float operation (add, mul, fma, sqrt, float↔int conversion
 * and bit operations) in both the vector and the scalar code, so they agree bit for bit, in every
 * JIT tier. ln u1 = e·ln 2 + log(1 + f) (u1 = (1 + f)·2^e, 1 + f in [√½, √2)), by the series of
 * {@link ElementwiseMath#log1pUnit} (valid for these negative f too); cos and sin by the Cephes sinf/cosf polynomials on [−π/4, π/4] after reducing u2 by
 * quarter turns, which is exact. Measured error: within 4e-7 relative of the double-precision
 * transform of the same uniforms (GaussianTest).
 */
public final class Gaussian {
    private Gaussian() {}

    /** Values per layout block (an even number). */
    public static final int BLOCK = 2048;

    static final float TWO_PI = 6.28318530717958648f, LN2 = 0.693147180559945309f;
    // Cephes sinf / cosf minimax coefficients on [-pi/4, pi/4]
    static final float S1 = -1.6666654611e-1f, S2 = 8.3321608736e-3f, S3 = -1.9515295891e-4f;
    static final float C1 = 4.166664568298827e-2f, C2 = -1.388731625493765e-3f, C3 = 2.443315711809948e-5f;

    /**
     * Fills {@code out[0, n)} with mean + std·z, z standard normal from {@code bits} (at least
     * ⌈n/2⌉ longs), block by block on {@link Parallel}.
     */
    public static void fill(long[] bits, float mean, float std, float[] out, int n) {
        if (n < 0 || out == null || bits == null || out.length < n || bits.length < (n + 1) / 2)
            throw new IllegalArgumentException("Gaussian.fill: need n >= 0, out.length >= n and bits.length >= ceil(n/2), got n="
                    + n + ", out " + (out == null ? "null" : out.length) + ", bits " + (bits == null ? "null" : bits.length));
        int blocks = (n + BLOCK - 1) / BLOCK;
        Parallel.forEach(blocks, blk -> {
            int o = blk * BLOCK, b = Math.min(BLOCK, n - o);
            int cosCount = (b + 1) / 2, sinCount = b - cosCount, p0 = o / 2;
            int done = VectorSupport.ENABLED ? GaussianVector.block(bits, p0, sinCount, mean, std, out, o, cosCount) : 0;
            for (int j = done; j < cosCount; j++) pair(bits[p0 + j], mean, std, out, o + j, j < sinCount ? o + cosCount + j : -1);
        });
    }

    /** One pair, scalar: out[cosAt] = mean + std·r·cos θ and, when sinAt >= 0, out[sinAt] = mean + std·r·sin θ. */
    static void pair(long bits, float mean, float std, float[] out, int cosAt, int sinAt) {
        float u1 = 1f - (bits >>> 40) * 0x1.0p-24f;                       // (0, 1]
        float u2 = ((bits >>> 16) & 0xFFFFFF) * 0x1.0p-24f;               // [0, 1)
        float r = (float) Math.sqrt(-2f * lnUnit(u1));
        // quarter turns: u2 = q/4 + t with q = round(4·u2) in 0..4 and |t| <= 1/8, both exact
        int q = (int) (4f * u2 + 0.5f);
        float x = TWO_PI * (u2 - q * 0.25f);                              // [-pi/4, pi/4]
        float z = x * x;
        float s = Math.fma(Math.fma(Math.fma(S3, z, S2), z, S1), z * x, x);
        float c = Math.fma(Math.fma(Math.fma(C3, z, C2), z, C1), z * z, Math.fma(-0.5f, z, 1f));
        // rotate by q quarter turns: (cos, sin)(q·pi/2 + x)
        float cos = (q & 1) == 0 ? c : s, sin = (q & 1) == 0 ? s : c;
        if (((q + 1) & 2) != 0) cos = -cos;
        if ((q & 2) != 0) sin = -sin;
        out[cosAt] = Math.fma(std, r * cos, mean);
        if (sinAt >= 0) out[sinAt] = Math.fma(std, r * sin, mean);
    }

    /** Added to a float's bits, carries into the exponent exactly when its mantissa m (in [1, 2)) is above √2. */
    static final int SQRT_HALF_BITS = 0x3F3504F3, SHIFT = 0x3F800000 - SQRT_HALF_BITS;

    /**
     * ln u for u in (0, 1] a normal float: e·ln 2 + log(1 + f) with u = (1 + f)·2^e and 1 + f in
     * [√½, √2), so f is exact and small: just below 1, e = 0 and f = u − 1 (no cancellation
     * between e·ln 2 and a log near ln 2).
     */
    static float lnUnit(float u) {
        int ix = Float.floatToRawIntBits(u) + SHIFT;
        int e = (ix >> 23) - 127;
        float f = Float.intBitsToFloat((ix & 0x7FFFFF) + SQRT_HALF_BITS) - 1f;   // [√½ − 1, √2 − 1), exact
        return Math.fma(e, LN2, log1pUnit(f));
    }

    /** Scalar twin of {@link ElementwiseMath#log1pUnit}: the same operations in the same order. */
    static float log1pUnit(float f) {
        float s = f / (f + 2f), z = s * s;
        float p = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(2f / 15, z, 2f / 13), z, 2f / 11), z, 2f / 9), z, 2f / 7), z, 2f / 5), z, 2f / 3);
        float r = p * z, hfsq = f * f * 0.5f;
        return f - (hfsq - s * (hfsq + r));
    }
}
