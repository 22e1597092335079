package dev.weft.engine.kernels;

/**
 * 2-D convolution kernels on raw channels-last arrays: forward, input gradient, weight and bias
 * gradient. Shapes come from a {@link Conv2dSpec}: x {@code [N, H, W, Cin]}, w
 * {@code [KH, KW, Cin, Cout]}, bias/db {@code [Cout]}, y/dy {@code [N, OH, OW, Cout]}.
 *
 * <p>Paths, chosen per shape and per product by its reduction length K (see bench/CONV.md for the
 * measurements behind the choice; {@code -Dweft.conv.path=winograd|direct|gemm} forces one):
 * <ul>
 *   <li>1x1, stride 1, no pad: the convolution is a GEMM on the input as it lies
 *       ({@code [N·H·W, Cin] · [Cin, Cout]}), done by {@link Gemm#sgemm};</li>
 *   <li>with the Vector API, 3x3 stride-1 forward (and stride-1 input gradient) with at least 64
 *       channels in and out and 128 output tiles, and the weight gradient with at least 128 channels and
 *       32 tiles: {@link Conv2dWinograd}, Winograd F(2x2, 3x3), 2.25x fewer multiply-adds;</li>
 *   <li>with the Vector API, forward of every other shape: {@link Conv2dVector}, a direct "implicit
 *       GEMM" on a zero-padded copy of the input (register tiles of 4 or 8 output pixels x 2 vectors
 *       of output channels, blocked over K like a GEMM, no im2col); the stride-1 input gradient is a
 *       forward convolution too (see below). Its weight gradient when K is short (below
 *       {@link #DIRECT_MAX_K}, e.g. 3x3 with ≤ 64 channels);</li>
 *   <li>with the Vector API and a long K, the weight gradient: {@link Conv2dImplicit} runs the packed GEMM
 *       on dw^T = dy^T · col(x), packing the slivers of col(x) straight from x;</li>
 *   <li>without the Vector API, and for the input gradient of strided convolutions ({@link Conv2dGemm}):
 *       im2col into a bounded tile buffer (≤ 4 MB) + GEMM, and col2im.</li>
 * </ul>
 * The input gradient of a stride-1 convolution is the forward convolution of dy with the kernel
 * flipped and transposed ({@link #backwardInputAsForward}), on whichever forward path suits its K =
 * KH·KW·Cout.
 *
 * <p>All paths are deterministic: for the same inputs, the result is bit-identical for any
 * {@link Parallel} thread count (weight gradients sum over the batch in a fixed order).
 * Bad sizes throw {@link IllegalArgumentException} naming the kernel and the shapes.
 */
public final class Conv2d {
    private Conv2d() {}

    /** {@code -Dweft.conv.path=auto|winograd|direct|gemm}: force a path (for benchmarks); auto picks per shape. */
    static final String PATH = System.getProperty("weft.conv.path", "auto");
    private static final boolean DIRECT_ALLOWED = VectorSupport.ENABLED && !PATH.equals("gemm");

    /** Forward: y = conv(x, w) + bias. x [N, H, W, Cin], w [KH, KW, Cin, Cout], bias [Cout] or null, y [N, OH, OW, Cout] (overwritten). */
    public static void forward(Conv2dSpec s, float[] x, int xOff, float[] w, int wOff, float[] bias, int bOff,
                               float[] y, int yOff) {
        forward(s, x, xOff, w, wOff, bias, bOff, y, yOff, false);
    }

    /**
     * Forward followed by ReLU when {@code relu}: y = max(conv(x, w) + bias, 0), NaN kept, applied to
     * each output block as soon as it is written (no second [N, OH, OW, Cout] array); the same bits
     * as the ReLU op on the plain forward.
     */
    public static void forward(Conv2dSpec s, float[] x, int xOff, float[] w, int wOff, float[] bias, int bOff,
                               float[] y, int yOff, boolean relu) {
        checkForward("Conv2d.forward", s, x, xOff, w, wOff, bias, bOff, y, yOff);
        if (useWinograd(s)) {
            Conv2dWinograd.forward(s, x, xOff, w, wOff, bias, bOff, y, yOff, relu);
        } else if (useDirectForward(s)) {
            Conv2dVector.forward(s, x, xOff, w, wOff, bias, bOff, y, yOff, relu);
        } else {
            Conv2dGemm.forward(s, x, xOff, w, wOff, bias, bOff, y, yOff, relu);
        }
    }

    /** Input gradient: dy [N, OH, OW, Cout], w [KH, KW, Cin, Cout] → dx [N, H, W, Cin] (overwritten). */
    public static void backwardInput(Conv2dSpec s, float[] dy, int dyOff, float[] w, int wOff, float[] dx, int dxOff) {
        checkBackwardInput("Conv2d.backwardInput", s, dy, dyOff, w, wOff, dx, dxOff);
        if (inputGradientIsConvolution(s)) {
            backwardInputAsForward(s, dy, dyOff, w, wOff, dx, dxOff, useDirectForward(s));
        } else {
            Conv2dGemm.backwardInput(s, dy, dyOff, w, wOff, dx, dxOff);
        }
    }

    /**
     * Stride 1 with pads no larger than the dilated kernel extent minus one: then the input gradient
     * is itself a convolution (of dy with the kernel flipped in space and transposed in channels),
     * which runs on the forward kernels instead of GEMM + col2im.
     */
    static boolean inputGradientIsConvolution(Conv2dSpec s) {
        int ey = (s.kh - 1) * s.dh, ex = (s.kw - 1) * s.dw;
        return s.sh == 1 && s.sw == 1 && s.padTop <= ey && s.padBottom <= ey && s.padLeft <= ex && s.padRight <= ex;
    }

    /** dx = conv(dy, flip(w)^T) with pads (K-1)·D - pad, on the direct or the im2col+GEMM forward path. */
    static void backwardInputAsForward(Conv2dSpec s, float[] dy, int dyOff, float[] w, int wOff, float[] dx, int dxOff,
                                       boolean direct) {
        int ey = (s.kh - 1) * s.dh, ex = (s.kw - 1) * s.dw;
        // t: dy [N, OH, OW, Cout] → dx [N, H, W, Cin]; with stride 1, OH + padTop' + padBottom' - ey = H
        Conv2dSpec t = Conv2dSpec.explicit(s.n, s.oh, s.ow, s.cout, s.kh, s.kw, s.cin, 1, 1, s.dh, s.dw,
                ey - s.padTop, ey - s.padBottom, ex - s.padLeft, ex - s.padRight);
        if (direct && useWinograd(t)) Conv2dWinograd.backwardInputAsForward(t, dy, dyOff, w, wOff, dx, dxOff);
        else if (direct) Conv2dVector.backwardInputAsForward(t, dy, dyOff, w, wOff, dx, dxOff);
        else Conv2dGemm.forward(t, dy, dyOff, flipTranspose(s, w, wOff), 0, null, 0, dx, dxOff);
    }

    /** wt [KH, KW, Cout, Cin] = w [KH-1-ky, KW-1-kx, Cin, Cout]: per tap a [Cin, Cout] → [Cout, Cin] transpose. */
    static float[] flipTranspose(Conv2dSpec s, float[] w, int wOff) {
        float[] wt = new float[(int) s.kernelSize()];
        int taps = s.kh * s.kw, tapSize = s.cin * s.cout;
        // flipping both spatial axes reverses the tap order
        Parallel.forEach(taps, tap -> Conv2dGemm.transposeInto(w, wOff + (taps - 1 - tap) * tapSize, s.cin, s.cout, wt, tap * tapSize));
        return wt;
    }

    /**
     * Weight and bias gradients summed over the batch: x [N, H, W, Cin], dy [N, OH, OW, Cout] →
     * dw [KH, KW, Cin, Cout] and db [Cout] (both overwritten; pass db = null to skip it).
     */
    public static void backwardWeight(Conv2dSpec s, float[] x, int xOff, float[] dy, int dyOff,
                                      float[] dw, int dwOff, float[] db, int dbOff) {
        checkBackwardWeight("Conv2d.backwardWeight", s, x, xOff, dy, dyOff, dw, dwOff, db, dbOff);
        if (useWinogradWeightGradient(s)) {
            Conv2dWinograd.backwardWeight(s, x, xOff, dy, dyOff, dw, dwOff);
        } else if (useDirectWeightGradient(s)) {
            Conv2dVector.backwardWeight(s, x, xOff, dy, dyOff, dw, dwOff);
        } else if (VectorSupport.ENABLED && !isPointwise(s)) {
            Conv2dImplicit.backwardWeight(s, x, xOff, dy, dyOff, dw, dwOff);
        } else {
            Conv2dGemm.backwardWeight(s, x, xOff, dy, dyOff, dw, dwOff);
        }
        if (db != null) {
            if (VectorSupport.ENABLED) Conv2dVector.columnSums(s.n * s.oh * s.ow, s.cout, dy, dyOff, db, dbOff);
            else Conv2dGemm.columnSums(s.n * s.oh * s.ow, s.cout, dy, dyOff, db, dbOff);
        }
    }

    /**
     * Weight gradients run direct when the reduction K = KH·KW·Cin is short, on the implicit-im2col GEMM
     * when it is long. At 64ch@30x30 (K = 576) direct runs ~128 / ~250 GFLOP/s at 1 / 2 threads, the
     * GEMM ~137 / ~170-190, see bench/CONV.md.
     */
    static final int DIRECT_MAX_K = Integer.getInteger("weft.conv.directMaxK", 1024);

    /**
     * Forward (and the stride-1 input gradient, a forward convolution) runs direct for every
     * non-pointwise shape: with its K blocks outermost it matches im2col+GEMM on one thread and beats
     * it by 20-30 % on two (one parallel loop per call instead of one per im2col tile), see bench/CONV.md.
     */
    static boolean useDirectForward(Conv2dSpec s) {
        if (!DIRECT_ALLOWED) return false;
        return PATH.equals("direct") || !isPointwise(s);
    }

    /**
     * 3x3 stride-1 convolutions with at least {@link Conv2dWinograd#MIN_CHANNELS} channels in and out
     * and enough output tiles run on Winograd F(2x2, 3x3): 2.25x fewer multiply-adds (bench/CONV.md).
     * {@code -Dweft.conv.path=winograd} forces it wherever it applies; {@code direct} or {@code gemm} turn it off.
     */
    static boolean useWinograd(Conv2dSpec s) {
        if (!DIRECT_ALLOWED || PATH.equals("direct")) return false;
        return PATH.equals("winograd") ? Conv2dWinograd.applies(s) : Conv2dWinograd.suits(s);
    }

    /** The weight gradient on Winograd: 3x3 stride 1 with at least 128 channels in and out and 32 tiles (bench/CONV.md). */
    static boolean useWinogradWeightGradient(Conv2dSpec s) {
        if (!DIRECT_ALLOWED || PATH.equals("direct")) return false;
        return PATH.equals("winograd") ? Conv2dWinograd.applies(s) : Conv2dWinograd.suitsWeightGradient(s);
    }

    /** Whether the weight gradient runs on the direct kernel (short K) rather than a GEMM. */
    static boolean useDirectWeightGradient(Conv2dSpec s) {
        if (!DIRECT_ALLOWED) return false;
        if (PATH.equals("direct")) return true;
        return !isPointwise(s) && s.kh * s.kw * s.cin < DIRECT_MAX_K;
    }

    /** 1x1 kernel, stride 1, no pad: the input is already the im2col matrix. */
    static boolean isPointwise(Conv2dSpec s) {
        return s.kh == 1 && s.kw == 1 && s.sh == 1 && s.sw == 1 && s.unpadded();
    }

    static void checkForward(String kernel, Conv2dSpec s, float[] x, int xOff, float[] w, int wOff,
                             float[] bias, int bOff, float[] y, int yOff) {
        if (s == null) throw new IllegalArgumentException(kernel + ": spec is null");
        s.checkArray(kernel, "x", x, xOff, s.inputSize());
        s.checkArray(kernel, "w", w, wOff, s.kernelSize());
        if (bias != null) s.checkArray(kernel, "bias", bias, bOff, s.cout);
        s.checkArray(kernel, "y", y, yOff, s.outputSize());
    }

    static void checkBackwardInput(String kernel, Conv2dSpec s, float[] dy, int dyOff, float[] w, int wOff,
                                   float[] dx, int dxOff) {
        if (s == null) throw new IllegalArgumentException(kernel + ": spec is null");
        s.checkArray(kernel, "dy", dy, dyOff, s.outputSize());
        s.checkArray(kernel, "w", w, wOff, s.kernelSize());
        s.checkArray(kernel, "dx", dx, dxOff, s.inputSize());
    }

    static void checkBackwardWeight(String kernel, Conv2dSpec s, float[] x, int xOff, float[] dy, int dyOff,
                                    float[] dw, int dwOff, float[] db, int dbOff) {
        if (s == null) throw new IllegalArgumentException(kernel + ": spec is null");
        s.checkArray(kernel, "x", x, xOff, s.inputSize());
        s.checkArray(kernel, "dy", dy, dyOff, s.outputSize());
        s.checkArray(kernel, "dw", dw, dwOff, s.kernelSize());
        if (db != null) s.checkArray(kernel, "db", db, dbOff, s.cout);
    }
}
