package dev.weft.nn.layers;

import dev.weft.engine.Tensor;
import dev.weft.engine.kernels.Conv2dSpec;
import dev.weft.engine.ops.Conv;
import dev.weft.nn.Layer;
import dev.weft.nn.init.Initializer;
import dev.weft.nn.init.Initializers;
import java.util.List;

/**
 * Keras {@code Conv2D(filters, kernel_size, strides=1, padding="valid", dilation_rate=1,
 * activation=None, use_bias=True)}, channels-last: {@code [N, H, W, Cin] → [N, OH, OW, filters]}.
 * Kernel {@code [kh, kw, Cin, filters]} (glorot uniform, fans = receptive field × channels), bias
 * {@code [filters]} (zeros). 'same' pads like Keras (the odd extra row/column at the bottom/right).
 * Runs on the fused {@link dev.weft.engine.kernels.Conv2d} kernels through {@link Conv#conv2d}.
 *
 * <pre>{@code
 * Conv2D c = new Conv2D(64, 3).strides(2).padding("same").activation("relu");
 * }</pre>
 */
public class Conv2D extends Layer {
    private final int filters, kh, kw;
    private int sh = 1, sw = 1, dh = 1, dw = 1;
    private Conv2dSpec.Padding padding = Conv2dSpec.Padding.VALID;
    private Activations activation = Activations.LINEAR;
    private boolean useBias = true;
    private Initializer kernelInit = Initializers.glorotUniform(), biasInit = Initializers.zeros();
    private Tensor kernel, bias;

    /** Square kernel. */
    public Conv2D(int filters, int kernelSize) { this(filters, kernelSize, kernelSize); }

    /** A {@code kh x kw} kernel with {@code filters} output channels. */
    public Conv2D(int filters, int kh, int kw) {
        if (filters <= 0 || kh <= 0 || kw <= 0)
            throw new IllegalArgumentException("Conv2D: filters and kernel size must be positive, got " + filters + ", " + kh + "x" + kw);
        this.filters = filters;
        this.kh = kh;
        this.kw = kw;
    }

    /** Same stride on both axes; returns this. */
    public Conv2D strides(int s) { return strides(s, s); }
    /** Strides; returns this. */
    public Conv2D strides(int sh, int sw) {
        if (sh <= 0 || sw <= 0) throw new IllegalArgumentException("Conv2D: strides must be positive, got " + sh + "x" + sw);
        this.sh = sh; this.sw = sw; return this;
    }
    /** "valid" (default) or "same"; returns this. */
    public Conv2D padding(String p) { this.padding = Padding.of("Conv2D", p); return this; }
    /** Same dilation on both axes; returns this. */
    public Conv2D dilationRate(int d) { return dilationRate(d, d); }
    /** Dilation rates; returns this. */
    public Conv2D dilationRate(int dh, int dw) {
        if (dh <= 0 || dw <= 0) throw new IllegalArgumentException("Conv2D: dilation must be positive, got " + dh + "x" + dw);
        this.dh = dh; this.dw = dw; return this;
    }
    /** Activation by Keras name; returns this. */
    public Conv2D activation(String name) { this.activation = Activations.of(name); return this; }
    /** Keras {@code use_bias}; returns this. */
    public Conv2D useBias(boolean on) { unbuilt(); this.useBias = on; return this; }
    /** Kernel initializer (default glorot uniform); returns this. */
    public Conv2D kernelInitializer(Initializer i) { unbuilt(); this.kernelInit = i; return this; }
    /** Bias initializer (default zeros); returns this. */
    public Conv2D biasInitializer(Initializer i) { unbuilt(); this.biasInit = i; return this; }

    private void unbuilt() { if (isBuilt()) throw new IllegalStateException(describe() + ": already built"); }

    /** Kernel {@code [kh, kw, Cin, filters]} (null before build). */
    public Tensor kernel() { return kernel; }
    /** Bias {@code [filters]} or null. */
    public Tensor bias() { return bias; }

    @Override protected int[] computeOutputShape(int[][] in) {
        int[] s = single(in, 4);
        if (kernel != null && s[2] != kernel.size(2))
            throw new IllegalArgumentException(describe() + ": input " + batchShapeString(s) + " has " + s[2]
                    + " channels, but the layer was built for " + kernel.size(2));
        int[] hw = Padding.outputHW(describe(), s, kh, kw, sh, sw, dh, dw, padding);
        return new int[] {hw[0], hw[1], filters};
    }

    @Override protected void doBuild(int[][] in) {
        kernel = registerParameter("kernel", kernelInit.init(rng(), kh, kw, in[0][2], filters));
        if (useBias) bias = registerParameter("bias", biasInit.init(rng(), filters));
    }

    @Override protected Tensor compute(List<Tensor> inputs) {
        // A ReLU is applied by the convolution kernel as it writes each output block (same bits, one array).
        if (activation == Activations.RELU) return Conv.conv2dRelu(inputs.get(0), kernel, bias, sh, sw, padding, dh, dw);
        return activation.apply(Conv.conv2d(inputs.get(0), kernel, bias, sh, sw, padding, dh, dw));
    }
}
