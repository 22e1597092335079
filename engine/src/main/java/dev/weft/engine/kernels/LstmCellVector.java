package dev.weft.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Vector API pointwise loops of {@link LstmCell} (same formulas as {@link LstmCellReference}), scalar unit tail. */
final class LstmCellVector {
    private LstmCellVector() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    private static FloatVector sigmoid(FloatVector z) {
        return FloatVector.broadcast(S, 1f).div(z.neg().lanewise(VectorOperators.EXP).add(1f));
    }

    static void forwardPointwise(int b, int u, float[] bias, int bOff, float[] cPrev, int cOff, float[] gates, int gOff,
                                 float[] c, int cNewOff, float[] tanhC, int tcOff, float[] h, int hNewOff) {
        int g4 = 4 * u, uv = u - u % L;
        for (int row = 0; row < b; row++) {
            int go = gOff + row * g4, so = row * u;
            for (int j = 0; j < uv; j += L) {
                FloatVector i = sigmoid(FloatVector.fromArray(S, gates, go + j).add(FloatVector.fromArray(S, bias, bOff + j)));
                FloatVector f = sigmoid(FloatVector.fromArray(S, gates, go + u + j).add(FloatVector.fromArray(S, bias, bOff + u + j)));
                FloatVector g = FloatVector.fromArray(S, gates, go + 2 * u + j).add(FloatVector.fromArray(S, bias, bOff + 2 * u + j))
                        .lanewise(VectorOperators.TANH);
                FloatVector o = sigmoid(FloatVector.fromArray(S, gates, go + 3 * u + j).add(FloatVector.fromArray(S, bias, bOff + 3 * u + j)));
                i.intoArray(gates, go + j);
                f.intoArray(gates, go + u + j);
                g.intoArray(gates, go + 2 * u + j);
                o.intoArray(gates, go + 3 * u + j);
                FloatVector cn = f.mul(FloatVector.fromArray(S, cPrev, cOff + so + j)).add(i.mul(g));
                FloatVector tc = cn.lanewise(VectorOperators.TANH);
                cn.intoArray(c, cNewOff + so + j);
                tc.intoArray(tanhC, tcOff + so + j);
                o.mul(tc).intoArray(h, hNewOff + so + j);
            }
            for (int j = uv; j < u; j++) {
                float i = LstmCellReference.sigmoid(gates[go + j] + bias[bOff + j]);
                float f = LstmCellReference.sigmoid(gates[go + u + j] + bias[bOff + u + j]);
                float g = (float) Math.tanh(gates[go + 2 * u + j] + bias[bOff + 2 * u + j]);
                float o = LstmCellReference.sigmoid(gates[go + 3 * u + j] + bias[bOff + 3 * u + j]);
                gates[go + j] = i; gates[go + u + j] = f; gates[go + 2 * u + j] = g; gates[go + 3 * u + j] = o;
                float cn = f * cPrev[cOff + so + j] + i * g;
                float tc = (float) Math.tanh(cn);
                c[cNewOff + so + j] = cn;
                tanhC[tcOff + so + j] = tc;
                h[hNewOff + so + j] = o * tc;
            }
        }
    }

    static void backwardPointwise(int b, int u, float[] cPrev, int cOff, float[] gates, int gOff, float[] tanhC, int tcOff,
                                  float[] dh, int dhOff, float[] dc, int dcOff, float[] dz, float[] dcPrev, int dcpOff) {
        int g4 = 4 * u, uv = u - u % L;
        for (int row = 0; row < b; row++) {
            int go = gOff + row * g4, zo = row * g4, so = row * u;
            for (int j = 0; j < uv; j += L) {
                FloatVector i = FloatVector.fromArray(S, gates, go + j), f = FloatVector.fromArray(S, gates, go + u + j);
                FloatVector g = FloatVector.fromArray(S, gates, go + 2 * u + j), o = FloatVector.fromArray(S, gates, go + 3 * u + j);
                FloatVector tc = FloatVector.fromArray(S, tanhC, tcOff + so + j);
                FloatVector dhv = FloatVector.fromArray(S, dh, dhOff + so + j);
                FloatVector dcIn = dc == null ? FloatVector.zero(S) : FloatVector.fromArray(S, dc, dcOff + so + j);
                FloatVector dcv = dcIn.add(dhv.mul(o).mul(tc.mul(tc).neg().add(1f)));
                dcv.mul(g).mul(i).mul(i.neg().add(1f)).intoArray(dz, zo + j);
                dcv.mul(FloatVector.fromArray(S, cPrev, cOff + so + j)).mul(f).mul(f.neg().add(1f)).intoArray(dz, zo + u + j);
                dcv.mul(i).mul(g.mul(g).neg().add(1f)).intoArray(dz, zo + 2 * u + j);
                dhv.mul(tc).mul(o).mul(o.neg().add(1f)).intoArray(dz, zo + 3 * u + j);
                dcv.mul(f).intoArray(dcPrev, dcpOff + so + j);
            }
            for (int j = uv; j < u; j++) {
                float i = gates[go + j], f = gates[go + u + j], g = gates[go + 2 * u + j], o = gates[go + 3 * u + j];
                float tc = tanhC[tcOff + so + j];
                float dhv = dh[dhOff + so + j];
                float dcv = (dc == null ? 0f : dc[dcOff + so + j]) + dhv * o * (1f - tc * tc);
                dz[zo + j] = dcv * g * i * (1f - i);
                dz[zo + u + j] = dcv * cPrev[cOff + so + j] * f * (1f - f);
                dz[zo + 2 * u + j] = dcv * i * (1f - g * g);
                dz[zo + 3 * u + j] = dhv * tc * o * (1f - o);
                dcPrev[dcpOff + so + j] = dcv * f;
            }
        }
    }
}
