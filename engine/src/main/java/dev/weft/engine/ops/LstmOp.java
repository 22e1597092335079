package dev.weft.engine.ops;

import dev.weft.engine.Shape;
import dev.weft.engine.Tensor;

/**
 * One LSTM step with Keras' gate layout: {@code z = x·W + h·U + b} is {@code [N, 4u]} holding the
 * pre-activations of gates i, f, c, o (in that order), then
 * <pre>
 *   i = σ(z_i), f = σ(z_f), g = tanh(z_c), o = σ(z_o)
 *   c' = f·c + i·g,   h' = o·tanh(c')
 * </pre>
 * The matrix products go through GEMM ({@link LinAlg#matmul}); the gate nonlinearities and the cell
 * update are one fused op ({@link #gates}) with a hand-written backward.
 */
public final class LstmOp {
    private LstmOp() {}

    /** The new hidden and cell state, each {@code [N, u]}. */
    public record State(Tensor h, Tensor c) {}

    /**
     * A full step: x {@code [N, d]}, h and c {@code [N, u]}, kernel {@code [d, 4u]},
     * recurrentKernel {@code [u, 4u]}, bias {@code [4u]} (or null).
     */
    public static State cell(Tensor x, Tensor h, Tensor c, Tensor kernel, Tensor recurrentKernel, Tensor bias) {
        if (kernel.dim() != 2 || recurrentKernel.dim() != 2 || kernel.size(1) != recurrentKernel.size(1)
                || recurrentKernel.size(1) != 4 * recurrentKernel.size(0))
            throw new IllegalArgumentException("lstm_cell: kernel must be [d, 4u] and recurrent kernel [u, 4u], got "
                    + Shape.str(kernel.shape()) + " and " + Shape.str(recurrentKernel.shape()));
        if (x.dim() != 2 || x.size(1) != kernel.size(0))
            throw new IllegalArgumentException("lstm_cell: input must be [N, " + kernel.size(0) + "], got " + Shape.str(x.shape()));
        Tensor z = x.matmul(kernel).add(h.matmul(recurrentKernel)); // [N, 4u]
        if (bias != null) z = z.add(bias);
        return gates(z, c);
    }

    /** The fused pointwise part: z {@code [N, 4u]} and c {@code [N, u]} → (h', c'). */
    public static State gates(Tensor z, Tensor c) {
        int[] zs = z.shape(), cs = c.shape();
        if (zs.length != 2 || cs.length != 2 || zs[0] != cs[0] || zs[1] != 4 * cs[1])
            throw new IllegalArgumentException("lstm_gates: expects z [N, 4u] and c [N, u], got " + Shape.str(zs) + " and " + Shape.str(cs));
        int n = cs[0], u = cs[1];
        float[] zd = Conv.raw(z).toFloatArray(), cd = Conv.raw(c).toFloatArray();
        // saved for backward: activated gates [N, 4u] and tanh(c') [N, u]
        float[] act = new float[n * 4 * u], tc = new float[n * u];
        float[] out = new float[n * 2 * u]; // [h' | c'] per row
        for (int r = 0; r < n; r++) {
            int zr = r * 4 * u;
            for (int j = 0; j < u; j++) {
                float i = sigmoid(zd[zr + j]), f = sigmoid(zd[zr + u + j]);
                float g = (float) Math.tanh(zd[zr + 2 * u + j]), o = sigmoid(zd[zr + 3 * u + j]);
                act[zr + j] = i; act[zr + u + j] = f; act[zr + 2 * u + j] = g; act[zr + 3 * u + j] = o;
                float cn = f * cd[r * u + j] + i * g;
                float t = (float) Math.tanh(cn);
                tc[r * u + j] = t;
                out[r * 2 * u + j] = o * t;
                out[r * 2 * u + u + j] = cn;
            }
        }
        Tensor both = Tensor.of(out, n, 2 * u).recordOp("lstm_gates", grad -> {
            float[] gd = Conv.raw(grad).toFloatArray();
            float[] dz = new float[n * 4 * u], dc = new float[n * u];
            for (int r = 0; r < n; r++) {
                int zr = r * 4 * u;
                for (int j = 0; j < u; j++) {
                    float i = act[zr + j], f = act[zr + u + j], g = act[zr + 2 * u + j], o = act[zr + 3 * u + j];
                    float t = tc[r * u + j];
                    float gh = gd[r * 2 * u + j], gc = gd[r * 2 * u + u + j];
                    float dcn = gc + gh * o * (1 - t * t);
                    dz[zr + j] = dcn * g * i * (1 - i);
                    dz[zr + u + j] = dcn * cd[r * u + j] * f * (1 - f);
                    dz[zr + 2 * u + j] = dcn * i * (1 - g * g);
                    dz[zr + 3 * u + j] = gh * t * o * (1 - o);
                    dc[r * u + j] = dcn * f;
                }
            }
            return new Tensor[] {Tensor.of(dz, zs), Tensor.of(dc, cs)};
        }, z, c);
        return new State(both.narrow(1, 0, u), both.narrow(1, u, u));
    }

    private static float sigmoid(float v) { return (float) (1.0 / (1.0 + Math.exp(-v))); }
}
