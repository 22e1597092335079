package dev.weft.engine.ops;

import dev.weft.engine.Shape;
import dev.weft.engine.Tensor;
import dev.weft.engine.kernels.Conv2d;
import dev.weft.engine.kernels.Conv2dSpec;

/**
 * Differentiable 2-D convolution, channels-last, over the {@link Conv2d} kernels.
 *
 * <p>Forward {@code y = conv(x, kernel) + bias}; backward: dx by {@link Conv2d#backwardInput},
 * dkernel and dbias by {@link Conv2d#backwardWeight}. Padding is Keras' (asymmetric 'same').
 */
public final class Conv {
    private Conv() {}

    /**
     * @param x      input {@code [N, H, W, Cin]}
     * @param kernel {@code [KH, KW, Cin, Cout]}
     * @param bias   {@code [Cout]} or null
     * @return {@code [N, OH, OW, Cout]}
     */
    public static Tensor conv2d(Tensor x, Tensor kernel, Tensor bias, int strideH, int strideW,
                                Conv2dSpec.Padding padding, int dilationH, int dilationW) {
        return conv2d(x, kernel, bias, strideH, strideW, padding, dilationH, dilationW, false);
    }

    /**
     * {@code relu(conv2d(...))} with the ReLU applied by the kernel to each output block as it is
     * written: one output array instead of two, and only it is kept for the backward pass. Equals
     * the composition bit for bit, forward and backward (the gradient is masked where out &gt; 0,
     * exactly where the convolution was &gt; 0). Arguments as in the other form.
     */
    public static Tensor conv2dRelu(Tensor x, Tensor kernel, Tensor bias, int strideH, int strideW,
                                    Conv2dSpec.Padding padding, int dilationH, int dilationW) {
        return conv2d(x, kernel, bias, strideH, strideW, padding, dilationH, dilationW, true);
    }

    private static Tensor conv2d(Tensor x, Tensor kernel, Tensor bias, int strideH, int strideW,
                                 Conv2dSpec.Padding padding, int dilationH, int dilationW, boolean relu) {
        String op = relu ? "conv2dRelu" : "conv2d";
        nonNull(op, "input and kernel", x, kernel);
        int[] xs = x.shape(), ks = kernel.shape();
        if (xs.length != 4)
            throw new IllegalArgumentException(op + ": input must be [N, H, W, Cin], got " + Shape.str(xs));
        if (ks.length != 4)
            throw new IllegalArgumentException(op + ": kernel must be [KH, KW, Cin, Cout], got " + Shape.str(ks));
        if (ks[2] != xs[3])
            throw new IllegalArgumentException(op + ": input " + Shape.str(xs) + " has " + xs[3] + " channels but kernel "
                    + Shape.str(ks) + " expects " + ks[2]);
        if (bias != null && (bias.dim() != 1 || bias.size(0) != ks[3]))
            throw new IllegalArgumentException(op + ": bias must be [" + ks[3] + "], got " + Shape.str(bias.shape()));
        Conv2dSpec s = Conv2dSpec.of(xs[0], xs[1], xs[2], xs[3], ks[0], ks[1], ks[3], strideH, strideW, dilationH, dilationW, padding);
        Tensor xc = raw(x), kc = raw(kernel), bc = bias == null ? null : raw(bias);
        float[] y = new float[(int) s.outputSize()];
        Conv2d.forward(s, xc.storage(), xc.offset(), kc.storage(), kc.offset(),
                bc == null ? null : bc.storage(), bc == null ? 0 : bc.offset(), y, 0, relu);
        Tensor out = Tensor.of(y, s.n, s.oh, s.ow, s.cout);
        Tensor[] inputs = bias == null ? new Tensor[] {x, kernel} : new Tensor[] {x, kernel, bias};
        return out.recordOp(op, gOut -> {
            // through the ReLU first: dy = g where out > 0
            Tensor g = relu ? Elementwise.binary(Elementwise.Binary.MUL_STEP, gOut, out) : gOut;
            Tensor gc = raw(g); // dy: [N, OH, OW, Cout]
            Tensor dx = null, dk = null, db = null;
            if (x.requiresGrad()) {
                float[] d = new float[(int) s.inputSize()];
                Conv2d.backwardInput(s, gc.storage(), gc.offset(), kc.storage(), kc.offset(), d, 0);
                dx = Tensor.of(d, xs);
            }
            boolean wantB = bias != null && bias.requiresGrad();
            if (kernel.requiresGrad() || wantB) {
                float[] dkd = new float[(int) s.kernelSize()];
                float[] dbd = wantB ? new float[s.cout] : null;
                Conv2d.backwardWeight(s, xc.storage(), xc.offset(), gc.storage(), gc.offset(), dkd, 0, dbd, 0);
                if (kernel.requiresGrad()) dk = Tensor.of(dkd, ks);
                if (wantB) db = Tensor.of(dbd, s.cout);
            }
            return bias == null ? new Tensor[] {dx, dk} : new Tensor[] {dx, dk, db};
        }, inputs);
    }

    /** Throws IllegalArgumentException naming {@code op} when any of {@code ts} is null (the kernels would NPE). */
    static void nonNull(String op, String what, Tensor... ts) {
        for (Tensor t : ts) if (t == null) throw new IllegalArgumentException(op + ": " + what + " must not be null");
    }

    /** Contiguous without recording an op (the kernels read storage from the offset). */
    static Tensor raw(Tensor t) { return t.isContiguous() ? t : Views.copyRaw(t); }
}
