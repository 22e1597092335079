package dev.weft.engine.ops;

import dev.weft.engine.Shape;
import dev.weft.engine.Tensor;
import dev.weft.engine.kernels.LstmCell;

/**
 * One differentiable LSTM step with Keras' gate layout, on the fused {@link LstmCell} kernel:
 * {@code z = x·W + h·R + b} is {@code [N, 4u]} holding the pre-activations of gates i, f, c, o (in
 * that order), then
 * <pre>
 *   i = σ(z_i), f = σ(z_f), g = tanh(z_c), o = σ(z_o)
 *   c' = f·c + i·g,   h' = o·tanh(c')
 * </pre>
 * The op records one node whose output is {@code [h' | c']} ({@code [N, 2u]}); {@link State} holds
 * views of its two halves, so gradients reaching either flow through the one backward
 * ({@link LstmCell#backward}: dx, dh, dc, dW, dR, db).
 */
public final class LstmOp {
    private LstmOp() {}

    /** The new hidden and cell state, each {@code [N, u]}. */
    public record State(Tensor h, Tensor c) {}

    /**
     * A step: x {@code [N, d]}, h and c {@code [N, u]}, kernel {@code [d, 4u]},
     * recurrentKernel {@code [u, 4u]}, bias {@code [4u]} (or null for none).
     */
    public static State cell(Tensor x, Tensor h, Tensor c, Tensor kernel, Tensor recurrentKernel, Tensor bias) {
        int[] ks = kernel.shape(), rs = recurrentKernel.shape();
        if (ks.length != 2 || rs.length != 2 || ks[1] != rs[1] || rs[1] != 4 * rs[0])
            throw new IllegalArgumentException("lstm_cell: kernel must be [d, 4u] and recurrent kernel [u, 4u], got "
                    + Shape.str(ks) + " and " + Shape.str(rs));
        int d = ks[0], u = rs[0];
        if (x.dim() != 2 || x.size(1) != d)
            throw new IllegalArgumentException("lstm_cell: input must be [N, " + d + "], got " + Shape.str(x.shape()));
        int n = x.size(0);
        for (Tensor s : new Tensor[] {h, c})
            if (s.dim() != 2 || s.size(0) != n || s.size(1) != u)
                throw new IllegalArgumentException("lstm_cell: h and c must be [" + n + ", " + u + "], got "
                        + Shape.str(h.shape()) + " and " + Shape.str(c.shape()));
        if (bias != null && (bias.dim() != 1 || bias.size(0) != 4 * u))
            throw new IllegalArgumentException("lstm_cell: bias must be [" + 4 * u + "], got " + Shape.str(bias.shape()));
        Tensor xc = Conv.raw(x), hc = Conv.raw(h), cc = Conv.raw(c), wc = Conv.raw(kernel), rc = Conv.raw(recurrentKernel);
        Tensor bc = bias == null ? Tensor.zeros(4 * u) : Conv.raw(bias);
        // saved for backward: activated gates [N, 4u] and tanh(c') [N, u]
        float[] gates = new float[n * 4 * u], cNew = new float[n * u], tanhC = new float[n * u], hNew = new float[n * u];
        LstmCell.forward(n, d, u, xc.storage(), xc.offset(), hc.storage(), hc.offset(), cc.storage(), cc.offset(),
                wc.storage(), wc.offset(), rc.storage(), rc.offset(), bc.storage(), bc.offset(),
                gates, 0, cNew, 0, tanhC, 0, hNew, 0);
        float[] both = new float[n * 2 * u]; // per row: [h' | c']
        for (int r = 0; r < n; r++) {
            System.arraycopy(hNew, r * u, both, r * 2 * u, u);
            System.arraycopy(cNew, r * u, both, r * 2 * u + u, u);
        }
        Tensor[] inputs = bias == null ? new Tensor[] {x, h, c, kernel, recurrentKernel} : new Tensor[] {x, h, c, kernel, recurrentKernel, bias};
        Tensor out = Tensor.of(both, n, 2 * u).recordOp("lstm_cell", grad -> {
            float[] g = Conv.raw(grad).toFloatArray(), dh = new float[n * u], dc = new float[n * u];
            for (int r = 0; r < n; r++) {
                System.arraycopy(g, r * 2 * u, dh, r * u, u);
                System.arraycopy(g, r * 2 * u + u, dc, r * u, u);
            }
            float[] dx = new float[n * d], dhPrev = new float[n * u], dcPrev = new float[n * u];
            float[] dw = new float[d * 4 * u], dr = new float[u * 4 * u], db = new float[4 * u]; // accumulated into: start at 0
            LstmCell.backward(n, d, u, xc.storage(), xc.offset(), hc.storage(), hc.offset(), cc.storage(), cc.offset(),
                    wc.storage(), wc.offset(), rc.storage(), rc.offset(), gates, 0, tanhC, 0, dh, 0, dc, 0,
                    dx, 0, dhPrev, 0, dcPrev, 0, dw, 0, dr, 0, db, 0);
            Tensor[] grads = {Tensor.of(dx, n, d), Tensor.of(dhPrev, n, u), Tensor.of(dcPrev, n, u),
                    Tensor.of(dw, d, 4 * u), Tensor.of(dr, u, 4 * u), Tensor.of(db, 4 * u)};
            return bias == null ? java.util.Arrays.copyOf(grads, 5) : grads;
        }, inputs);
        return new State(out.narrow(1, 0, u), out.narrow(1, u, u));
    }
}
