package dev.weft.engine.ops;

import dev.weft.engine.Shape;
import dev.weft.engine.Tensor;
import dev.weft.engine.autograd.GradMode;
import dev.weft.engine.kernels.Gemm;
import dev.weft.engine.kernels.LstmCell;
import dev.weft.engine.kernels.Parallel;
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
     * Batch rows never interact, so with several threads each runs the steps of a block for its own
     * rows ({@link #rowChunks}); every value is computed by the same arithmetic whatever the split.
     * Without autograd (no-grad mode, or no input requiring grad) only a block of gates and the last
     * step's state are kept instead of the whole sequence's.
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

        java.util.List<Tensor> in = new java.util.ArrayList<>(java.util.List.of(x));
        Tensor h0t = h0 == null ? Tensor.zeros(n, u) : h0, c0t = c0 == null ? Tensor.zeros(n, u) : c0;
        in.add(h0t); in.add(c0t); in.add(kernel); in.add(recurrentKernel);
        if (bias != null) in.add(bias);
        boolean save = GradMode.isEnabled() && in.stream().anyMatch(Tensor::requiresGrad);

        Recurrence rec = new Recurrence(n, t, d, u, save, timeMajor(x), Conv.raw(kernel), Conv.raw(recurrentKernel),
                bias == null ? new float[4 * u] : bias.toFloatArray(), recurrentMask == null ? null : recurrentMask.toFloatArray(),
                h0t.toFloatArray(), c0t.toFloatArray());
        rec.forward();
        int nu = n * u;
        float[] out = new float[n * (t + 1) * u]; // [N, T + 1, u]: h_1..h_T, then the final c
        for (int s = 0; s < t; s++)
            for (int r = 0; r < n; r++) System.arraycopy(rec.hs, s * nu + r * u, out, (r * (t + 1) + s) * u, u);
        for (int r = 0; r < n; r++) System.arraycopy(rec.cs, rec.cAt(t - 1) + r * u, out, (r * (t + 1) + t) * u, u);

        Tensor all = Tensor.of(out, n, t + 1, u);
        if (save) all.recordOp("lstm_sequence", grad -> {
            Tensor[] grads = rec.backward(grad.toFloatArray());
            return bias == null ? java.util.Arrays.copyOf(grads, 5) : grads;
        }, in.toArray(new Tensor[0]));
        return new Sequence(all.narrow(1, 0, t), all.select(1, t - 1), all.select(1, t));
    }

    /** x {@code [N, T, d]} copied time-major, {@code [T, N, d]}, so each step's rows are contiguous. */
    private static float[] timeMajor(Tensor x) {
        int n = x.size(0), t = x.size(1), d = x.size(2);
        int[] st = x.strides();
        if (st[2] != 1) return x.detach().permute(1, 0, 2).toFloatArray();
        float[] src = x.storage(), xt = new float[n * t * d];
        for (int s = 0; s < t; s++)
            for (int r = 0; r < n; r++) System.arraycopy(src, x.offset() + r * st[0] + s * st[1], xt, (s * n + r) * d, d);
        return xt;
    }

    /**
     * How many row chunks the recurrence runs in parallel: one per thread, each at least one
     * 8-row GEMM tile. The result does not depend on it (see {@link #sequence}).
     */
    static int rowChunks(int n) { return Math.max(1, Math.min(Parallel.threads(), n / 8)); }

    /**
     * The state of one sequence: the inputs in time-major layout ([T, N, ...], step s's rows at
     * {@code s·N·width}) and what the forward saves for the backward. When {@code save} is false
     * the gates hold one block of steps and c, tanh(c) and the masked h rotate over one or two steps.
     */
    private static final class Recurrence {
        final int n, t, d, u, g4, nu, block, chunks, rowsPerChunk;
        final boolean save;
        final float[] xt, b, mask, h0, c0;
        final Tensor w, r;
        // saved per step s: h entering the recurrence (masked; null without a mask when nothing is
        // saved), c, gates, tanh(c), and h (always whole: it is the output)
        final float[] hin, cs, gates, tanhC, hs;

        Recurrence(int n, int t, int d, int u, boolean save, float[] xt, Tensor w, Tensor r, float[] b, float[] mask,
                   float[] h0, float[] c0) {
            this.n = n; this.t = t; this.d = d; this.u = u; this.save = save;
            this.xt = xt; this.w = w; this.r = r; this.b = b; this.mask = mask; this.h0 = h0; this.c0 = c0;
            g4 = 4 * u;
            nu = n * u;
            block = stepsPerBlock(n, u);
            chunks = rowChunks(n);
            rowsPerChunk = (ceilDiv(n, chunks) + 7) / 8 * 8;
            gates = new float[(save ? t : Math.min(block, t)) * n * g4];
            hin = save || mask != null ? new float[(save ? t : 1) * nu] : null;
            cs = new float[(save ? t : 2) * nu];
            tanhC = new float[(save ? t : 1) * nu];
            hs = new float[t * nu];
        }

        int gatesAt(int s) { return (save ? s : s % block) * n * g4; }
        int cAt(int s) { return (save ? s : s & 1) * nu; }
        int tanhAt(int s) { return save ? s * nu : 0; }
        int hinAt(int s) { return save ? s * nu : 0; }

        /** Runs body(r0, rows) for each row chunk, in parallel when there are several. */
        void forEachChunk(RowRange body) {
            if (chunks == 1) body.run(0, n);
            else Parallel.forEach(chunks, c -> {
                int r0 = Math.min(n, c * rowsPerChunk);
                int rows = Math.min(n, r0 + rowsPerChunk) - r0;
                if (rows > 0) body.run(r0, rows);
            });
        }

        void forward() {
            for (int s0 = 0; s0 < t; s0 += block) {
                int steps = Math.min(block, t - s0), first = s0;
                // The input product of a block of steps at once: gates [B·N, 4u] = x_t [B·N, d] · W [d, 4u]
                // (one GEMM instead of B small ones that each repack W, still small enough to stay in
                // cache for the steps that add h·R to it next).
                Gemm.sgemm(false, false, steps * n, g4, d, 1f, xt, s0 * n * d, d, w.storage(), w.offset(), g4, 0f, gates, gatesAt(s0), g4);
                forEachChunk((r0, rows) -> {
                    for (int s = first; s < first + steps; s++) step(s, r0, rows);
                });
            }
        }

        /** Step s for rows [r0, r0 + rows): the recurrent product, activations and state update. */
        private void step(int s, int r0, int rows) {
            float[] hPrev = s == 0 ? h0 : hs;
            int hOff = (s == 0 ? 0 : (s - 1) * nu) + r0 * u;
            if (hin != null) {
                int o = hinAt(s) + r0 * u;
                for (int i = 0; i < rows * u; i++) hin[o + i] = mask == null ? hPrev[hOff + i] : hPrev[hOff + i] * mask[r0 * u + i];
                hPrev = hin;
                hOff = o;
            }
            float[] cPrev = s == 0 ? c0 : cs;
            int cOff = (s == 0 ? 0 : cAt(s - 1)) + r0 * u;
            LstmCell.forwardRecurrent(rows, u, hPrev, hOff, cPrev, cOff, r.storage(), r.offset(), b, 0,
                    gates, gatesAt(s) + r0 * g4, cs, cAt(s) + r0 * u, tanhC, tanhAt(s) + r0 * u, hs, s * nu + r0 * u);
        }

        /** Backpropagation through time from g = dL/d[h_1..h_T | c_T] ({@code [N, T + 1, u]}); needs {@code save}. */
        Tensor[] backward(float[] g) {
            int nd = n * d;
            float[] dh = new float[nu], dhNext = new float[nu], dcNext = new float[nu], dhPrev = new float[nu], dcPrev = new float[nu];
            float[] dz = new float[t * n * g4]; // pre-activation gradients of every step, time-major [T·N, 4u]
            float[] dxt = new float[t * nd], dw = new float[d * g4], dr = new float[u * g4], db = new float[g4], dbBlock = new float[g4];
            for (int row = 0; row < n; row++) System.arraycopy(g, (row * (t + 1) + t) * u, dcNext, row * u, u); // dL/dc_T
            for (int s0 = (t - 1) / block * block; s0 >= 0; s0 -= block) {
                int steps = Math.min(block, t - s0), first = s0;
                forEachChunk((r0, rows) -> {
                    for (int s = first + steps - 1; s >= first; s--) {
                        for (int row = r0; row < r0 + rows; row++)
                            for (int j = 0; j < u; j++) dh[row * u + j] = g[(row * (t + 1) + s) * u + j] + dhNext[row * u + j];
                        float[] cPrev = s == 0 ? c0 : cs;
                        int cOff = (s == 0 ? 0 : (s - 1) * nu) + r0 * u, o = r0 * u;
                        LstmCell.backwardRecurrent(rows, u, cPrev, cOff, r.storage(), r.offset(), gates, s * n * g4 + r0 * g4,
                                tanhC, s * nu + o, dh, o, dcNext, o, dz, s * n * g4 + r0 * g4, dhPrev, o, dcPrev, o);
                        // dhPrev is w.r.t. the masked h; the mask carries it back to h_{s-1}
                        for (int i = o; i < o + rows * u; i++) dhNext[i] = mask == null ? dhPrev[i] : dhPrev[i] * mask[i];
                        System.arraycopy(dcPrev, o, dcNext, o, rows * u);
                    }
                });
                // What only needs dz, once per block of steps [s0, s0 + B): dx_t [B·N, d] = dz · W^T,
                // dW [d, 4u] += x_t^T · dz, dR [u, 4u] += h_in^T · dz, db += Σ over the B·N rows of dz
                int rows = steps * n;
                float beta = s0 + block >= t ? 0f : 1f; // the last block in time is the first one done
                Gemm.sgemm(false, true, rows, d, g4, 1f, dz, s0 * n * g4, g4, w.storage(), w.offset(), g4, 0f, dxt, s0 * nd, d);
                Gemm.sgemm(true, false, d, g4, rows, 1f, xt, s0 * nd, d, dz, s0 * n * g4, g4, beta, dw, 0, g4);
                Gemm.sgemm(true, false, u, g4, rows, 1f, hin, s0 * nu, u, dz, s0 * n * g4, g4, beta, dr, 0, g4);
                ReduceKernels.columnSums(dz, s0 * n * g4, rows, g4, 1.0, dbBlock);
                for (int j = 0; j < g4; j++) db[j] += dbBlock[j];
            }
            float[] dx = new float[n * t * d]; // back to batch-major [N, T, d]
            for (int s = 0; s < t; s++)
                for (int row = 0; row < n; row++) System.arraycopy(dxt, s * nd + row * d, dx, (row * t + s) * d, d);
            return new Tensor[] {Tensor.of(dx, n, t, d), Tensor.of(dhNext, n, u), Tensor.of(dcNext, n, u),
                    Tensor.of(dw, d, g4), Tensor.of(dr, u, g4), Tensor.of(db, g4)};
        }

        private static int ceilDiv(int a, int b) { return (a + b - 1) / b; }
    }

    /** Work on the batch rows [r0, r0 + rows). */
    @FunctionalInterface
    private interface RowRange { void run(int r0, int rows); }
}
