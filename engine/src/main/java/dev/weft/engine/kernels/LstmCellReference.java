package dev.weft.engine.kernels;

/**
 * The scalar twin of {@link LstmCell}: the whole step in plain loops (test oracle), and the scalar
 * pointwise loops {@link LstmCell} uses without the Vector API.
 */
public final class LstmCellReference {
    private LstmCellReference() {}

    /** Same contract as {@link LstmCell#forward}. */
    public static void forward(int b, int d, int u, float[] x, int xOff, float[] hPrev, int hOff, float[] cPrev, int cOff,
                               float[] w, int wOff, float[] r, int rOff, float[] bias, int bOff,
                               float[] gates, int gOff, float[] c, int cNewOff, float[] tanhC, int tcOff, float[] h, int hNewOff) {
        LstmCell.checkSizes("LstmCellReference.forward", b, d, u);
        int g4 = 4 * u;
        for (int row = 0; row < b; row++)
            for (int j = 0; j < g4; j++) {
                float acc = 0f;
                for (int p = 0; p < d; p++) acc += x[xOff + row * d + p] * w[wOff + p * g4 + j];
                for (int p = 0; p < u; p++) acc += hPrev[hOff + row * u + p] * r[rOff + p * g4 + j];
                gates[gOff + row * g4 + j] = acc;
            }
        forwardPointwise(b, u, bias, bOff, cPrev, cOff, gates, gOff, c, cNewOff, tanhC, tcOff, h, hNewOff);
    }

    /** Same contract as {@link LstmCell#backward}. */
    public static void backward(int b, int d, int u, float[] x, int xOff, float[] hPrev, int hOff, float[] cPrev, int cOff,
                                float[] w, int wOff, float[] r, int rOff, float[] gates, int gOff, float[] tanhC, int tcOff,
                                float[] dh, int dhOff, float[] dc, int dcOff,
                                float[] dx, int dxOff, float[] dhPrev, int dhpOff, float[] dcPrev, int dcpOff,
                                float[] dw, int dwOff, float[] dr, int drOff, float[] db, int dbOff) {
        LstmCell.checkSizes("LstmCellReference.backward", b, d, u);
        int g4 = 4 * u;
        float[] dz = new float[b * g4];
        backwardPointwise(b, u, cPrev, cOff, gates, gOff, tanhC, tcOff, dh, dhOff, dc, dcOff, dz, 0, dcPrev, dcpOff);
        for (int row = 0; row < b; row++) {
            for (int p = 0; p < d; p++) {
                float acc = 0f;
                for (int j = 0; j < g4; j++) acc += dz[row * g4 + j] * w[wOff + p * g4 + j];
                dx[dxOff + row * d + p] = acc;
            }
            for (int p = 0; p < u; p++) {
                float acc = 0f;
                for (int j = 0; j < g4; j++) acc += dz[row * g4 + j] * r[rOff + p * g4 + j];
                dhPrev[dhpOff + row * u + p] = acc;
            }
        }
        for (int j = 0; j < g4; j++) {
            for (int p = 0; p < d; p++) {
                float acc = 0f;
                for (int row = 0; row < b; row++) acc += x[xOff + row * d + p] * dz[row * g4 + j];
                dw[dwOff + p * g4 + j] += acc;
            }
            for (int p = 0; p < u; p++) {
                float acc = 0f;
                for (int row = 0; row < b; row++) acc += hPrev[hOff + row * u + p] * dz[row * g4 + j];
                dr[drOff + p * g4 + j] += acc;
            }
            float acc = 0f;
            for (int row = 0; row < b; row++) acc += dz[row * g4 + j];
            db[dbOff + j] += acc;
        }
    }

    static float sigmoid(float z) { return (float) (1.0 / (1.0 + Math.exp(-z))); }

    /** gates [B, 4U] holds z on entry (bias not yet added) and the activated i, f, g, o on exit. */
    static void forwardPointwise(int b, int u, float[] bias, int bOff, float[] cPrev, int cOff, float[] gates, int gOff,
                                 float[] c, int cNewOff, float[] tanhC, int tcOff, float[] h, int hNewOff) {
        int g4 = 4 * u;
        for (int row = 0; row < b; row++) {
            int go = gOff + row * g4;
            for (int j = 0; j < u; j++) {
                float i = sigmoid(gates[go + j] + bias[bOff + j]);
                float f = sigmoid(gates[go + u + j] + bias[bOff + u + j]);
                float g = (float) Math.tanh(gates[go + 2 * u + j] + bias[bOff + 2 * u + j]);
                float o = sigmoid(gates[go + 3 * u + j] + bias[bOff + 3 * u + j]);
                gates[go + j] = i; gates[go + u + j] = f; gates[go + 2 * u + j] = g; gates[go + 3 * u + j] = o;
                float cn = f * cPrev[cOff + row * u + j] + i * g;
                float tc = (float) Math.tanh(cn);
                c[cNewOff + row * u + j] = cn;
                tanhC[tcOff + row * u + j] = tc;
                h[hNewOff + row * u + j] = o * tc;
            }
        }
    }

    /** dz [B, 4U] (pre-activation gradients) and dcPrev [B, U] from the saved gates and dh, dc. */
    static void backwardPointwise(int b, int u, float[] cPrev, int cOff, float[] gates, int gOff, float[] tanhC, int tcOff,
                                  float[] dh, int dhOff, float[] dc, int dcOff, float[] dz, int dzOff, float[] dcPrev, int dcpOff) {
        int g4 = 4 * u;
        for (int row = 0; row < b; row++) {
            int go = gOff + row * g4, zo = dzOff + row * g4;
            for (int j = 0; j < u; j++) {
                float i = gates[go + j], f = gates[go + u + j], g = gates[go + 2 * u + j], o = gates[go + 3 * u + j];
                float tc = tanhC[tcOff + row * u + j];
                float dhv = dh[dhOff + row * u + j];
                float dcv = (dc == null ? 0f : dc[dcOff + row * u + j]) + dhv * o * (1f - tc * tc);
                dz[zo + j] = dcv * g * i * (1f - i);
                dz[zo + u + j] = dcv * cPrev[cOff + row * u + j] * f * (1f - f);
                dz[zo + 2 * u + j] = dcv * i * (1f - g * g);
                dz[zo + 3 * u + j] = dhv * tc * o * (1f - o);
                dcPrev[dcpOff + row * u + j] = dcv * f;
            }
        }
    }
}
