package dev.weft.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API pointwise loops of {@link LstmCell} (same formulas as {@link LstmCellReference}).
 *
 * <p>The forward pass runs one loop per activation over the whole [B, 4U] gate block (i and f,
 * then g, then o), then the cell loop: each sigmoid or tanh inlines a whole
 * {@link ElementwiseMath#exp}, and more than one of them in a compiled loop (five in the fused
 * loop this replaced) exceeds C2's inlining budget (NodeCountInliningCutoff), which then leaves
 * some as calls that box every vector. Called once per time step, these loops are compiled on their
 * own and not inlined into their caller. Row tails (U not a multiple of the lane count) go through
 * the same lanes, masked, so a unit's result does not depend on its index.
 */
final class LstmCellVector {
    private LstmCellVector() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    static void forwardPointwise(int b, int u, float[] bias, int bOff, float[] cPrev, int cOff, float[] gates, int gOff,
                                 float[] c, int cNewOff, float[] tanhC, int tcOff, float[] h, int hNewOff) {
        int g4 = 4 * u;
        sigmoidWithBias(b, 2 * u, gates, gOff, g4, bias, bOff);               // i, f: columns [0, 2U) of every row
        tanhWithBias(b, u, gates, gOff + 2 * u, g4, bias, bOff + 2 * u);      // g
        sigmoidWithBias(b, u, gates, gOff + 3 * u, g4, bias, bOff + 3 * u);   // o
        for (int row = 0; row < b; row++)
            cell(u, gates, gOff + row * g4, cPrev, cOff + row * u, c, cNewOff + row * u, tanhC, tcOff + row * u, h, hNewOff + row * u);
    }

    // a[o + r·stride + k] = σ(a[..] + bias[bo + k]) for r < rows, k < n
    private static void sigmoidWithBias(int rows, int n, float[] a, int off, int stride, float[] bias, int bo) {
        for (int r = 0; r < rows; r++) {
            int o = off + r * stride;
            for (int k = 0; k < n; k += L) {
                boolean whole = k + L <= n;
                VectorMask<Float> m = whole ? null : S.indexInRange(k, n);
                FloatVector z = whole ? FloatVector.fromArray(S, a, o + k).add(FloatVector.fromArray(S, bias, bo + k))
                        : FloatVector.fromArray(S, a, o + k, m).add(FloatVector.fromArray(S, bias, bo + k, m));
                FloatVector y = FloatVector.broadcast(S, 1f).div(ElementwiseMath.expSaturating(z.neg()).add(1f));
                if (whole) y.intoArray(a, o + k);
                else y.intoArray(a, o + k, m);
            }
        }
    }

    // a[o + r·stride + k] = tanh(a[..] + bias[bo + k]) for r < rows, k < n. The same loop as
    // sigmoidWithBias on purpose: one exp per compiled loop (see above); sharing the load/store
    // through helpers taking a null-or-mask argument made the step 1.5x slower.
    private static void tanhWithBias(int rows, int n, float[] a, int off, int stride, float[] bias, int bo) {
        for (int r = 0; r < rows; r++) {
            int o = off + r * stride;
            for (int k = 0; k < n; k += L) {
                boolean whole = k + L <= n;
                VectorMask<Float> m = whole ? null : S.indexInRange(k, n);
                FloatVector z = whole ? FloatVector.fromArray(S, a, o + k).add(FloatVector.fromArray(S, bias, bo + k))
                        : FloatVector.fromArray(S, a, o + k, m).add(FloatVector.fromArray(S, bias, bo + k, m));
                FloatVector y = ElementwiseMath.tanh(z);
                if (whole) y.intoArray(a, o + k);
                else y.intoArray(a, o + k, m);
            }
        }
    }

    // One row: c = f·cPrev + i·g, tanhC = tanh c, h = o·tanhC, with i, f, g, o activated in gates[go ..].
    private static void cell(int u, float[] gates, int go, float[] cPrev, int cp, float[] c, int co, float[] tanhC, int to,
                             float[] h, int ho) {
        for (int j = 0; j < u; j += L) {
            boolean whole = j + L <= u;
            VectorMask<Float> m = whole ? S.maskAll(true) : S.indexInRange(j, u);
            FloatVector i = FloatVector.fromArray(S, gates, go + j, m), f = FloatVector.fromArray(S, gates, go + u + j, m);
            FloatVector g = FloatVector.fromArray(S, gates, go + 2 * u + j, m), o = FloatVector.fromArray(S, gates, go + 3 * u + j, m);
            FloatVector cn = f.mul(FloatVector.fromArray(S, cPrev, cp + j, m)).add(i.mul(g));
            FloatVector tc = ElementwiseMath.tanh(cn);
            cn.intoArray(c, co + j, m);
            tc.intoArray(tanhC, to + j, m);
            o.mul(tc).intoArray(h, ho + j, m);
        }
    }

    static void backwardPointwise(int b, int u, float[] cPrev, int cOff, float[] gates, int gOff, float[] tanhC, int tcOff,
                                  float[] dh, int dhOff, float[] dc, int dcOff, float[] dz, int dzOff, float[] dcPrev, int dcpOff) {
        int g4 = 4 * u, uv = u - u % L;
        for (int row = 0; row < b; row++) {
            int go = gOff + row * g4, zo = dzOff + row * g4, so = row * u;
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
