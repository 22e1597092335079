package dev.weft.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector path of {@link Gaussian}: the same float operations as {@link Gaussian#pair}, lane by
 * lane, so both give the same bits. Loaded only when {@link VectorSupport#ENABLED}.
 */
final class GaussianVector {
    private GaussianVector() {}

    static final VectorSpecies<Float> S = ElementwiseMath.S;
    static final int L = S.length();

    /** Per-thread uniforms of one block: u1 in [0, BLOCK/2), u2 after it. */
    private static final ThreadLocal<float[]> UNIFORMS = ThreadLocal.withInitial(() -> new float[Gaussian.BLOCK]);

    /**
     * Writes the pairs j in [0, done) of a block, done = the largest multiple of L not above
     * {@code pairs}: out[o + j] (cosine half) and out[o + cosCount + j] (sine half) for pair p0 + j.
     * Returns done; the caller finishes the rest with the scalar code.
     */
    static int block(long[] bits, int p0, int pairs, float mean, float std, float[] out, int o, int cosCount) {
        int done = pairs / L * L, half = Gaussian.BLOCK / 2;
        float[] u = UNIFORMS.get();
        for (int j = 0; j < done; j++) {
            long b = bits[p0 + j];
            u[j] = 1f - (b >>> 40) * 0x1.0p-24f;
            u[half + j] = ((b >>> 16) & 0xFFFFFF) * 0x1.0p-24f;
        }
        for (int j = 0; j < done; j += L) {
            FloatVector u1 = FloatVector.fromArray(S, u, j), u2 = FloatVector.fromArray(S, u, half + j);
            FloatVector r = lnUnit(u1).mul(-2f).lanewise(VectorOperators.SQRT);
            IntVector q = (IntVector) u2.mul(4f).add(0.5f).convert(VectorOperators.F2I, 0);
            FloatVector qf = (FloatVector) q.convert(VectorOperators.I2F, 0);
            FloatVector x = u2.sub(qf.mul(0.25f)).mul(Gaussian.TWO_PI), z = x.mul(x);
            FloatVector s = FloatVector.broadcast(S, Gaussian.S3)
                    .fma(z, FloatVector.broadcast(S, Gaussian.S2))
                    .fma(z, FloatVector.broadcast(S, Gaussian.S1))
                    .fma(z.mul(x), x);
            FloatVector c = FloatVector.broadcast(S, Gaussian.C3)
                    .fma(z, FloatVector.broadcast(S, Gaussian.C2))
                    .fma(z, FloatVector.broadcast(S, Gaussian.C1))
                    .fma(z.mul(z), z.fma(FloatVector.broadcast(S, -0.5f), FloatVector.broadcast(S, 1f)));
            VectorMask<Float> odd = q.and(1).compare(VectorOperators.NE, 0).cast(S);
            FloatVector cos = c.blend(s, odd), sin = s.blend(c, odd);
            cos = cos.blend(cos.neg(), q.add(1).and(2).compare(VectorOperators.NE, 0).cast(S));
            sin = sin.blend(sin.neg(), q.and(2).compare(VectorOperators.NE, 0).cast(S));
            FloatVector sd = FloatVector.broadcast(S, std), mn = FloatVector.broadcast(S, mean);
            sd.fma(r.mul(cos), mn).intoArray(out, o + j);
            sd.fma(r.mul(sin), mn).intoArray(out, o + cosCount + j);
        }
        return done;
    }

    /** ln u for u in (0, 1]: as {@link Gaussian#lnUnit}. */
    private static FloatVector lnUnit(FloatVector u) {
        IntVector ix = u.reinterpretAsInts().add(Gaussian.SHIFT);
        FloatVector e = (FloatVector) ix.lanewise(VectorOperators.ASHR, 23).sub(127).convert(VectorOperators.I2F, 0);
        FloatVector f = ix.and(0x7FFFFF).add(Gaussian.SQRT_HALF_BITS).reinterpretAsFloats().sub(1f);
        return e.fma(FloatVector.broadcast(S, Gaussian.LN2), ElementwiseMath.log1pUnit(f));
    }
}
