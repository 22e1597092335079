package dev.weft.engine.kernels;

/**
 * One fused LSTM time step (Keras semantics: gate order i, f, c, o in the 4U axis, one bias,
 * sigmoid for i, f, o, tanh for the candidate and the output).
 *
 * <pre>
 * z   = x·W + hPrev·R + bias          // x [B, D], W [D, 4U], hPrev [B, U], R [U, 4U], z [B, 4U]
 * i = σ(z_i), f = σ(z_f), g = tanh(z_c), o = σ(z_o)
 * c   = f·cPrev + i·g                 // [B, U]
 * h   = o·tanh(c)                     // [B, U]
 * </pre>
 *
 * Forward stores what backward needs: the activated gates {@code [B, 4U]} (i, f, g, o) and
 * {@code tanh(c)}. The two matrix products run on {@link Gemm}; the activation and state loops are
 * vectorised when the Vector API is on. Deterministic for any thread count.
 */
public final class LstmCell {
    private LstmCell() {}

    /**
     * Forward step. Inputs x [B, D], hPrev [B, U], cPrev [B, U], w [D, 4U], r [U, 4U], bias [4U];
     * outputs (overwritten) gates [B, 4U], c [B, U], tanhC [B, U], h [B, U].
     */
    public static void forward(int b, int d, int u, float[] x, int xOff, float[] hPrev, int hOff, float[] cPrev, int cOff,
                               float[] w, int wOff, float[] r, int rOff, float[] bias, int bOff,
                               float[] gates, int gOff, float[] c, int cNewOff, float[] tanhC, int tcOff, float[] h, int hNewOff) {
        String k = "LstmCell.forward";
        checkSizes(k, b, d, u);
        int g4 = 4 * u;
        check(k, "x", x, xOff, (long) b * d, b, d, u); check(k, "hPrev", hPrev, hOff, (long) b * u, b, d, u);
        check(k, "cPrev", cPrev, cOff, (long) b * u, b, d, u); check(k, "w", w, wOff, (long) d * g4, b, d, u);
        check(k, "r", r, rOff, (long) u * g4, b, d, u); check(k, "bias", bias, bOff, g4, b, d, u);
        check(k, "gates", gates, gOff, (long) b * g4, b, d, u); check(k, "c", c, cNewOff, (long) b * u, b, d, u);
        check(k, "tanhC", tanhC, tcOff, (long) b * u, b, d, u); check(k, "h", h, hNewOff, (long) b * u, b, d, u);
        // z [B, 4U] = x [B, D] · W [D, 4U] + hPrev [B, U] · R [U, 4U]
        Gemm.sgemm(false, false, b, g4, d, 1f, x, xOff, d, w, wOff, g4, 0f, gates, gOff, g4);
        forwardRecurrent(b, u, hPrev, hOff, cPrev, cOff, r, rOff, bias, bOff, gates, gOff, c, cNewOff, tanhC, tcOff, h, hNewOff);
    }

    /**
     * The forward step after the input product: gates [B, 4U] holds {@code x·W} on entry (a whole
     * sequence can compute it for every step in one product) and the activated gates on exit;
     * adds {@code hPrev·R + bias}, then writes c, tanhC and h as {@link #forward}.
     */
    public static void forwardRecurrent(int b, int u, float[] hPrev, int hOff, float[] cPrev, int cOff, float[] r, int rOff,
                                        float[] bias, int bOff, float[] gates, int gOff, float[] c, int cNewOff,
                                        float[] tanhC, int tcOff, float[] h, int hNewOff) {
        String k = "LstmCell.forwardRecurrent";
        checkSizes(k, b, 1, u);
        int g4 = 4 * u;
        check(k, "hPrev", hPrev, hOff, (long) b * u, b, 0, u); check(k, "cPrev", cPrev, cOff, (long) b * u, b, 0, u);
        check(k, "r", r, rOff, (long) u * g4, b, 0, u); check(k, "bias", bias, bOff, g4, b, 0, u);
        check(k, "gates", gates, gOff, (long) b * g4, b, 0, u); check(k, "c", c, cNewOff, (long) b * u, b, 0, u);
        check(k, "tanhC", tanhC, tcOff, (long) b * u, b, 0, u); check(k, "h", h, hNewOff, (long) b * u, b, 0, u);
        Gemm.sgemm(false, false, b, g4, u, 1f, hPrev, hOff, u, r, rOff, g4, 1f, gates, gOff, g4);
        if (VectorSupport.ENABLED) {
            LstmCellVector.forwardPointwise(b, u, bias, bOff, cPrev, cOff, gates, gOff, c, cNewOff, tanhC, tcOff, h, hNewOff);
        } else {
            LstmCellReference.forwardPointwise(b, u, bias, bOff, cPrev, cOff, gates, gOff, c, cNewOff, tanhC, tcOff, h, hNewOff);
        }
    }

    /**
     * Backward step. Takes the forward's inputs and saved gates [B, 4U] and tanhC [B, U], the gradient
     * dh [B, U] reaching h (from the layer above and the next step) and dc [B, U] reaching c from the
     * next step (null = zeros). Writes (overwrites) dx [B, D], dhPrev [B, U], dcPrev [B, U] and
     * accumulates (adds to) dw [D, 4U], dr [U, 4U], db [4U].
     */
    public static void backward(int b, int d, int u, float[] x, int xOff, float[] hPrev, int hOff, float[] cPrev, int cOff,
                                float[] w, int wOff, float[] r, int rOff, float[] gates, int gOff, float[] tanhC, int tcOff,
                                float[] dh, int dhOff, float[] dc, int dcOff,
                                float[] dx, int dxOff, float[] dhPrev, int dhpOff, float[] dcPrev, int dcpOff,
                                float[] dw, int dwOff, float[] dr, int drOff, float[] db, int dbOff) {
        String k = "LstmCell.backward";
        checkSizes(k, b, d, u);
        int g4 = 4 * u;
        check(k, "x", x, xOff, (long) b * d, b, d, u); check(k, "hPrev", hPrev, hOff, (long) b * u, b, d, u);
        check(k, "cPrev", cPrev, cOff, (long) b * u, b, d, u); check(k, "w", w, wOff, (long) d * g4, b, d, u);
        check(k, "r", r, rOff, (long) u * g4, b, d, u); check(k, "gates", gates, gOff, (long) b * g4, b, d, u);
        check(k, "tanhC", tanhC, tcOff, (long) b * u, b, d, u); check(k, "dh", dh, dhOff, (long) b * u, b, d, u);
        if (dc != null) check(k, "dc", dc, dcOff, (long) b * u, b, d, u);
        check(k, "dx", dx, dxOff, (long) b * d, b, d, u); check(k, "dhPrev", dhPrev, dhpOff, (long) b * u, b, d, u);
        check(k, "dcPrev", dcPrev, dcpOff, (long) b * u, b, d, u); check(k, "dw", dw, dwOff, (long) d * g4, b, d, u);
        check(k, "dr", dr, drOff, (long) u * g4, b, d, u); check(k, "db", db, dbOff, g4, b, d, u);
        float[] dz = new float[b * g4]; // [B, 4U] gradient of the pre-activations
        backwardRecurrent(b, u, cPrev, cOff, r, rOff, gates, gOff, tanhC, tcOff, dh, dhOff, dc, dcOff, dz, 0, dhPrev, dhpOff, dcPrev, dcpOff);
        // dx [B, D] = dz · W^T
        Gemm.sgemm(false, true, b, d, g4, 1f, dz, 0, g4, w, wOff, g4, 0f, dx, dxOff, d);
        // dW [D, 4U] += x^T · dz;  dR [U, 4U] += hPrev^T · dz;  db += sum over the batch of dz
        Gemm.sgemm(true, false, d, g4, b, 1f, x, xOff, d, dz, 0, g4, 1f, dw, dwOff, g4);
        Gemm.sgemm(true, false, u, g4, b, 1f, hPrev, hOff, u, dz, 0, g4, 1f, dr, drOff, g4);
        for (int row = 0; row < b; row++)
            for (int j = 0; j < g4; j++) db[dbOff + j] += dz[row * g4 + j];
    }

    /**
     * The part of the backward step a sequence must run step by step: from dh and dc (null =
     * zeros) and the saved gates and tanhC, writes (overwrites) the pre-activation gradient
     * dz [B, 4U], dcPrev [B, U] and dhPrev [B, U] = dz · R^T. The products with x and W and the
     * bias gradient only need dz, so a sequence can run them once over all its steps.
     */
    public static void backwardRecurrent(int b, int u, float[] cPrev, int cOff, float[] r, int rOff, float[] gates, int gOff,
                                         float[] tanhC, int tcOff, float[] dh, int dhOff, float[] dc, int dcOff,
                                         float[] dz, int dzOff, float[] dhPrev, int dhpOff, float[] dcPrev, int dcpOff) {
        String k = "LstmCell.backwardRecurrent";
        checkSizes(k, b, 1, u);
        int g4 = 4 * u;
        check(k, "cPrev", cPrev, cOff, (long) b * u, b, 0, u); check(k, "r", r, rOff, (long) u * g4, b, 0, u);
        check(k, "gates", gates, gOff, (long) b * g4, b, 0, u); check(k, "tanhC", tanhC, tcOff, (long) b * u, b, 0, u);
        check(k, "dh", dh, dhOff, (long) b * u, b, 0, u); if (dc != null) check(k, "dc", dc, dcOff, (long) b * u, b, 0, u);
        check(k, "dz", dz, dzOff, (long) b * g4, b, 0, u); check(k, "dhPrev", dhPrev, dhpOff, (long) b * u, b, 0, u);
        check(k, "dcPrev", dcPrev, dcpOff, (long) b * u, b, 0, u);
        if (VectorSupport.ENABLED) {
            LstmCellVector.backwardPointwise(b, u, cPrev, cOff, gates, gOff, tanhC, tcOff, dh, dhOff, dc, dcOff, dz, dzOff, dcPrev, dcpOff);
        } else {
            LstmCellReference.backwardPointwise(b, u, cPrev, cOff, gates, gOff, tanhC, tcOff, dh, dhOff, dc, dcOff, dz, dzOff, dcPrev, dcpOff);
        }
        Gemm.sgemm(false, true, b, u, g4, 1f, dz, dzOff, g4, r, rOff, g4, 0f, dhPrev, dhpOff, u); // dhPrev = dz · R^T
    }

    static void checkSizes(String kernel, int b, int d, int u) {
        if (b <= 0 || d <= 0 || u <= 0) {
            throw new IllegalArgumentException(kernel + ": sizes must be positive, got batch " + b + ", input " + d + ", units " + u);
        }
    }

    static void check(String kernel, String name, float[] a, int off, long size, int b, int d, int u) {
        if (a == null || off < 0 || off + size > a.length) {
            throw new IllegalArgumentException(kernel + ": " + name + " needs " + size + " elements from offset " + off
                    + " but has length " + (a == null ? "null" : String.valueOf(a.length))
                    + " (batch " + b + (d > 0 ? ", input " + d : "") + ", units " + u + ")");
        }
    }
}
