package dev.weft.engine.ops;

import dev.weft.engine.Shape;
import dev.weft.engine.Tensor;
import dev.weft.engine.kernels.Gemm;
import dev.weft.engine.kernels.LstmCell;
import dev.weft.engine.kernels.ReduceKernels;

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
        Conv.nonNull("lstm_cell", "x, h, c, kernel and recurrent kernel", x, h, c, kernel, recurrentKernel);
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
            Tensor gc = Conv.raw(grad); // [N, 2u]: per row [dh' | dc']
            float[] g = gc.storage(), dh = new float[n * u], dc = new float[n * u];
            int go = gc.offset();
            for (int r = 0; r < n; r++) {
                System.arraycopy(g, go + r * 2 * u, dh, r * u, u);
                System.arraycopy(g, go + r * 2 * u + u, dc, r * u, u);
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

    /**
     * Steps per block of the input products: about 2^17 gate values (512 KB), a size fixed by N and
     * u only, so the summation order of dW, dR and db does not depend on the thread count.
     */
    static int stepsPerBlock(int n, int u) { return Math.max(1, (1 << 17) / (n * 4 * u)); }

    /** A whole sequence's result: hidden states {@code [N, T, u]} and the final (h, c), each {@code [N, u]}. */
    public record Sequence(Tensor output, Tensor h, Tensor c) {}

    /**
     * A whole sequence as one recorded op (backpropagation through time inside its backward, so the
     * graph holds one node however long the sequence). Only the recurrent half runs step by step:
     * the input product {@code x·W} is one GEMM per block of steps ({@link #stepsPerBlock}), and so
     * are the backward's {@code dx}, {@code dW}, {@code dR} (and a column sum for {@code db}).
     * x {@code [N, T, d]}, initial h0 and c0
     * {@code [N, u]}, kernel {@code [d, 4u]}, recurrentKernel {@code [u, 4u]}, bias {@code [4u]} or null,
     * and an optional recurrent-dropout mask {@code [N, u]} (already scaled) that multiplies h where it
     * enters the recurrent product at every step, as Keras' recurrent_dropout does.
     */
    public static Sequence sequence(Tensor x, Tensor h0, Tensor c0, Tensor kernel, Tensor recurrentKernel, Tensor bias, Tensor recurrentMask) {
        Conv.nonNull("lstm_sequence", "x, kernel and recurrent kernel", x, kernel, recurrentKernel);
        int[] ks = kernel.shape(), rs = recurrentKernel.shape();
        if (ks.length != 2 || rs.length != 2 || ks[1] != rs[1] || rs[1] != 4 * rs[0])
            throw new IllegalArgumentException("lstm_sequence: kernel must be [d, 4u] and recurrent kernel [u, 4u], got "
                    + Shape.str(ks) + " and " + Shape.str(rs));
        int d = ks[0], u = rs[0];
        if (x.dim() != 3 || x.size(2) != d || x.size(1) == 0 || x.size(0) == 0)
            throw new IllegalArgumentException("lstm_sequence: input must be a non-empty [N, T, " + d + "], got " + Shape.str(x.shape()));
        int n = x.size(0), t = x.size(1);
        for (Tensor st : new Tensor[] {h0, c0, recurrentMask})
            if (st != null && (st.dim() != 2 || st.size(0) != n || st.size(1) != u))
                throw new IllegalArgumentException("lstm_sequence: h0, c0 and the recurrent mask must be [" + n + ", " + u + "], got "
                        + Shape.str(st.shape()));
        if (bias != null && (bias.dim() != 1 || bias.size(0) != 4 * u))
            throw new IllegalArgumentException("lstm_sequence: bias must be [" + 4 * u + "], got " + Shape.str(bias.shape()));
        int nd = n * d, nu = n * u, g4 = 4 * u;
        // x as time-major [T, N, d] so each step's rows are contiguous
        float[] xt = x.detach().permute(1, 0, 2).toFloatArray();
        Tensor wc = Conv.raw(kernel), rc = Conv.raw(recurrentKernel);
        float[] b = bias == null ? new float[g4] : bias.toFloatArray();
        float[] mask = recurrentMask == null ? null : recurrentMask.toFloatArray();
        float[] h0d = h0 == null ? new float[nu] : h0.toFloatArray(), c0d = c0 == null ? new float[nu] : c0.toFloatArray();
        // saved per step t: h entering the recurrence (masked), c before/after, gates, tanh(c)
        float[] hin = new float[t * nu], cs = new float[t * nu], gates = new float[t * n * g4], tanhC = new float[t * nu], hs = new float[t * nu];
        int block = stepsPerBlock(n, u);
        for (int s = 0; s < t; s++) {
            // The input product of a block of steps at once: gates [B·N, 4u] = x_t [B·N, d] · W [d, 4u]
            // (one GEMM instead of B small ones that each repack W, still small enough to stay in
            // cache for the steps that add h·R to it next).
            if (s % block == 0) {
                int rows = Math.min(block, t - s) * n;
                Gemm.sgemm(false, false, rows, g4, d, 1f, xt, s * nd, d, wc.storage(), wc.offset(), g4, 0f, gates, s * n * g4, g4);
            }
            float[] hPrev = s == 0 ? h0d : hs;
            int hOff = s == 0 ? 0 : (s - 1) * nu;
            for (int i = 0; i < nu; i++) hin[s * nu + i] = mask == null ? hPrev[hOff + i] : hPrev[hOff + i] * mask[i];
            float[] cPrev = s == 0 ? c0d : cs;
            int cOff = s == 0 ? 0 : (s - 1) * nu;
            LstmCell.forwardRecurrent(n, u, hin, s * nu, cPrev, cOff, rc.storage(), rc.offset(),
                    b, 0, gates, s * n * g4, cs, s * nu, tanhC, s * nu, hs, s * nu);
        }
        float[] out = new float[n * (t + 1) * u]; // [N, T + 1, u]: h_1..h_T, then the final c
        for (int s = 0; s < t; s++)
            for (int r = 0; r < n; r++) System.arraycopy(hs, s * nu + r * u, out, (r * (t + 1) + s) * u, u);
        for (int r = 0; r < n; r++) System.arraycopy(cs, (t - 1) * nu + r * u, out, (r * (t + 1) + t) * u, u);

        java.util.List<Tensor> in = new java.util.ArrayList<>(java.util.List.of(x));
        Tensor h0t = h0 == null ? Tensor.zeros(n, u) : h0, c0t = c0 == null ? Tensor.zeros(n, u) : c0;
        in.add(h0t); in.add(c0t); in.add(kernel); in.add(recurrentKernel);
        if (bias != null) in.add(bias);
        Tensor all = Tensor.of(out, n, t + 1, u).recordOp("lstm_sequence", grad -> {
            float[] g = grad.toFloatArray();
            float[] dh = new float[nu], dhNext = new float[nu], dcNext = new float[nu], dhPrev = new float[nu];
            float[] dz = new float[t * n * g4]; // pre-activation gradients of every step, time-major [T·N, 4u]
            float[] dxt = new float[t * nd], dw = new float[d * g4], dr = new float[u * g4], db = new float[g4], dbBlock = new float[g4];
            for (int r = 0; r < n; r++) System.arraycopy(g, (r * (t + 1) + t) * u, dcNext, r * u, u); // dL/dc_T
            float[] dcPrev = new float[nu];
            for (int s = t - 1; s >= 0; s--) {
                for (int r = 0; r < n; r++)
                    for (int j = 0; j < u; j++) dh[r * u + j] = g[(r * (t + 1) + s) * u + j] + dhNext[r * u + j];
                float[] cPrev = s == 0 ? c0d : cs;
                int cOff = s == 0 ? 0 : (s - 1) * nu;
                LstmCell.backwardRecurrent(n, u, cPrev, cOff, rc.storage(), rc.offset(), gates, s * n * g4, tanhC, s * nu,
                        dh, 0, dcNext, 0, dz, s * n * g4, dhPrev, 0, dcPrev, 0);
                // dhPrev is w.r.t. the masked h; the mask carries it back to h_{s-1}
                for (int i = 0; i < nu; i++) dhNext[i] = mask == null ? dhPrev[i] : dhPrev[i] * mask[i];
                System.arraycopy(dcPrev, 0, dcNext, 0, nu);
                if (s % block == 0) {
                    // What only needs dz, once per block of steps [s, s + B): dx_t [B·N, d] = dz · W^T,
                    // dW [d, 4u] += x_t^T · dz, dR [u, 4u] += h_in^T · dz, db += Σ over the B·N rows of dz
                    int rows = Math.min(block, t - s) * n;
                    float beta = s + block >= t ? 0f : 1f; // the last block in time is the first one done
                    Gemm.sgemm(false, true, rows, d, g4, 1f, dz, s * n * g4, g4, wc.storage(), wc.offset(), g4, 0f, dxt, s * nd, d);
                    Gemm.sgemm(true, false, d, g4, rows, 1f, xt, s * nd, d, dz, s * n * g4, g4, beta, dw, 0, g4);
                    Gemm.sgemm(true, false, u, g4, rows, 1f, hin, s * nu, u, dz, s * n * g4, g4, beta, dr, 0, g4);
                    ReduceKernels.columnSums(dz, s * n * g4, rows, g4, 1.0, dbBlock);
                    for (int j = 0; j < g4; j++) db[j] += dbBlock[j];
                }
            }
            float[] dx = new float[n * t * d]; // back to batch-major [N, T, d]
            for (int s = 0; s < t; s++)
                for (int r = 0; r < n; r++) System.arraycopy(dxt, s * nd + r * d, dx, (r * t + s) * d, d);
            Tensor[] grads = {Tensor.of(dx, n, t, d), Tensor.of(dhNext, n, u), Tensor.of(dcNext, n, u),
                    Tensor.of(dw, d, g4), Tensor.of(dr, u, g4), Tensor.of(db, g4)};
            return bias == null ? java.util.Arrays.copyOf(grads, 5) : grads;
        }, in.toArray(new Tensor[0]));
        return new Sequence(all.narrow(1, 0, t), all.select(1, t - 1), all.select(1, t));
    }
}
