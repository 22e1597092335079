package dev.weft.nn.layers;

import dev.weft.engine.Tensor;
import dev.weft.nn.Layer;
import dev.weft.nn.init.Initializer;
import dev.weft.nn.init.Initializers;
import java.util.List;

/**
 * Keras {@code Dense(units, activation=None, use_bias=True)}: {@code y = activation(x · kernel + bias)}
 * on the last axis, with kernel {@code [in, units]} (glorot uniform) and bias {@code [units]} (zeros).
 * Inputs of rank &gt; 2 ({@code [N, ..., in]}) are transformed on the last axis. Parameters:
 * {@code in·units + units}.
 */
public class Dense extends Layer {
    private final int units;
    private Activations activation = Activations.LINEAR;
    private boolean useBias = true;
    private Initializer kernelInit = Initializers.glorotUniform(), biasInit = Initializers.zeros();
    private Tensor kernel, bias;

    /** A layer with {@code units} outputs. */
    public Dense(int units) {
        if (units <= 0) throw new IllegalArgumentException("Dense: units must be positive, got " + units);
        this.units = units;
    }

    /** Sets the activation by Keras name; returns this. */
    public Dense activation(String name) { this.activation = Activations.of(name); return this; }
    /** Sets the activation; returns this. */
    public Dense activation(Activations a) { this.activation = a; return this; }
    /** Keras {@code use_bias}; returns this. */
    public Dense useBias(boolean on) { checkUnbuilt(); this.useBias = on; return this; }
    /** Kernel initializer (default glorot uniform); returns this. */
    public Dense kernelInitializer(Initializer init) { checkUnbuilt(); this.kernelInit = init; return this; }
    /** Bias initializer (default zeros); returns this. */
    public Dense biasInitializer(Initializer init) { checkUnbuilt(); this.biasInit = init; return this; }

    private void checkUnbuilt() {
        if (isBuilt()) throw new IllegalStateException(describe() + ": already built; set options before the first call");
    }

    /** Output size. */
    public int units() { return units; }
    /** The kernel {@code [in, units]} (null before build). */
    public Tensor kernel() { return kernel; }
    /** The bias {@code [units]} (null before build or without bias). */
    public Tensor bias() { return bias; }

    @Override protected int[] computeOutputShape(int[][] in) {
        int[] s = single(in);
        if (s.length == 0)
            throw new IllegalArgumentException(describe() + ": expects input of rank >= 2 [N, ..., features], got shape " + batchShapeString(s));
        int features = s[s.length - 1];
        if (kernel != null && features != kernel.size(0))
            throw new IllegalArgumentException(describe() + ": input " + batchShapeString(s) + " has " + features
                    + " features on the last axis, but the layer was built for " + kernel.size(0));
        int[] out = s.clone();
        out[out.length - 1] = units;
        return out;
    }

    @Override protected void doBuild(int[][] in) {
        int features = in[0][in[0].length - 1];
        kernel = registerParameter("kernel", kernelInit.init(rng(), features, units));
        if (useBias) bias = registerParameter("bias", biasInit.init(rng(), units));
    }

    @Override protected Tensor compute(List<Tensor> inputs) {
        Tensor x = inputs.get(0);
        // A ReLU is applied by the GEMM as it writes the output (one array written once, same bits).
        boolean fusedRelu = activation == Activations.RELU;
        Tensor x2 = x.dim() == 2 ? x : x.reshape(-1, x.size(-1));   // [N·..., in]
        Tensor y = fusedRelu ? x2.linearRelu(kernel, bias) : x2.linear(kernel, bias); // [N·..., units]
        if (x.dim() != 2) {
            int[] out = x.shape();                                     // back to [N, ..., units]
            out[out.length - 1] = units;
            y = y.reshape(out);
        }
        return fusedRelu ? y : activation.apply(y);
    }
}
