package dev.weft.nn.layers;

import dev.weft.engine.Tensor;
import dev.weft.engine.ops.LstmOp;
import dev.weft.nn.Layer;
import dev.weft.nn.init.Initializer;
import dev.weft.nn.init.Initializers;
import java.util.List;

/**
 * Keras {@code LSTMCell(units)}: one step with explicit state, {@code (x [N, d], h [N, u], c [N, u])
 * → (h', c')}. Weights in Keras' layout and gate order i, f, c, o: {@code kernel [d, 4u]} (glorot
 * uniform), {@code recurrent_kernel [u, 4u]} (orthogonal), one {@code bias [4u]} (zeros, with the
 * forget-gate quarter set to 1: Keras' {@code unit_forget_bias=True}). Parameters:
 * {@code 4·u·(d + u + 1)}. A step is the fused {@link LstmOp#cell} op (one kernel call forward and backward).
 *
 * <pre>{@code
 * LSTMCell cell = new LSTMCell(64);
 * LSTMCell.State s = cell.initialState(batch);
 * for (Tensor xt : steps) s = cell.step(xt, s);   // xt: [N, d]
 * }</pre>
 *
 * <p>As a plain layer ({@link #forward}) it takes {@code (x, h, c)} and returns {@code h'}.
 */
public class LSTMCell extends Layer {
    /** The recurrent state: hidden h and cell c, each {@code [N, units]}. */
    public record State(Tensor h, Tensor c) {
        public State {
            if (h == null || c == null)
                throw new IllegalArgumentException("LSTMCell.State: h and c must not be null, got h " + (h == null ? "null" : "set")
                        + ", c " + (c == null ? "null" : "set"));
        }
    }

    private final int units;
    private Initializer kernelInit = Initializers.glorotUniform(), recurrentInit = Initializers.orthogonal();
    private boolean unitForgetBias = true;
    private Tensor kernel, recurrentKernel, bias;

    /** A cell with {@code units} hidden units. */
    public LSTMCell(int units) {
        if (units <= 0) throw new IllegalArgumentException("LSTMCell: units must be positive, got " + units);
        this.units = units;
    }

    /** Kernel initializer (default glorot uniform); returns this. */
    public LSTMCell kernelInitializer(Initializer i) { unbuilt(); kernelInit = i; return this; }
    /** Recurrent kernel initializer (default orthogonal); returns this. */
    public LSTMCell recurrentInitializer(Initializer i) { unbuilt(); recurrentInit = i; return this; }
    /** Keras {@code unit_forget_bias} (default true); returns this. */
    public LSTMCell unitForgetBias(boolean on) { unbuilt(); unitForgetBias = on; return this; }

    private void unbuilt() { if (isBuilt()) throw new IllegalStateException(describe() + ": already built"); }

    /** Hidden size. */
    public int units() { return units; }
    /** {@code [d, 4u]}. */
    public Tensor kernel() { return kernel; }
    /** {@code [u, 4u]}. */
    public Tensor recurrentKernel() { return recurrentKernel; }
    /** {@code [4u]}. */
    public Tensor bias() { return bias; }

    /** Zero state for a batch of {@code n}. */
    public State initialState(int n) { return new State(Tensor.zeros(n, units), Tensor.zeros(n, units)); }

    /** Builds the weights for input feature size {@code d} (no-op when built). */
    public void buildFor(int d) { build(new int[] {d}, new int[] {units}, new int[] {units}); }

    /** One step: x {@code [N, d]} → new state. */
    public State step(Tensor x, State s) {
        if (x == null || x.dim() != 2)
            throw new IllegalArgumentException(describe() + ": step input must be [N, d], got " + (x == null ? "null" : java.util.Arrays.toString(x.shape())));
        if (s == null) throw new IllegalArgumentException(describe() + ": step state s is null (use initialState(n) for zeros)");
        buildFor(x.size(1));
        outputShape(new int[] {x.size(1)}, tail(s.h()), tail(s.c())); // validates
        if (s.h().size(0) != x.size(0) || s.c().size(0) != x.size(0))
            throw new IllegalArgumentException(describe() + ": batch of input " + java.util.Arrays.toString(x.shape()) + " and state h "
                    + java.util.Arrays.toString(s.h().shape()) + ", c " + java.util.Arrays.toString(s.c().shape()) + " differ");
        LstmOp.State r = LstmOp.cell(x, s.h(), s.c(), kernel, recurrentKernel, bias);
        return new State(r.h(), r.c());
    }

    private static int[] tail(Tensor t) { return java.util.Arrays.copyOfRange(t.shape(), 1, t.dim()); }

    @Override protected int[] computeOutputShape(int[][] in) {
        if (in.length != 3)
            throw new IllegalArgumentException(describe() + ": expects inputs (x, h, c), got " + in.length + " inputs");
        if (in[0].length != 1)
            throw new IllegalArgumentException(describe() + ": x must be [N, d], got " + batchShapeString(in[0]));
        if (kernel != null && in[0][0] != kernel.size(0))
            throw new IllegalArgumentException(describe() + ": x " + batchShapeString(in[0]) + " has " + in[0][0]
                    + " features, but the cell was built for " + kernel.size(0));
        for (int i = 1; i < 3; i++)
            if (in[i].length != 1 || in[i][0] != units)
                throw new IllegalArgumentException(describe() + ": state " + (i == 1 ? "h" : "c") + " must be (None, " + units + "), got " + batchShapeString(in[i]));
        return new int[] {units};
    }

    @Override protected void doBuild(int[][] in) {
        int d = in[0][0];
        kernel = registerParameter("kernel", kernelInit.init(rng(), d, 4 * units));
        recurrentKernel = registerParameter("recurrent_kernel", recurrentInit.init(rng(), units, 4 * units));
        Tensor b = Tensor.zeros(4 * units);
        if (unitForgetBias) b.narrow(0, units, units).fill(1f); // forget gate (second quarter) starts open
        bias = registerParameter("bias", b);
    }

    @Override protected Tensor compute(List<Tensor> inputs) {
        return step(inputs.get(0), new State(inputs.get(1), inputs.get(2))).h();
    }
}
