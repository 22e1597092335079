package dev.weft.engine.ops;

import dev.weft.engine.Shape;
import dev.weft.engine.Tensor;
import dev.weft.engine.kernels.Conv2dSpec;

/**
 * Differentiable 2-D pooling, channels-last ({@code [N, H, W, C]}), with Keras padding.
 *
 * <p>Window geometry is a {@link Conv2dSpec} (so 'same' pads exactly as convolution does: the extra
 * row/column at the bottom/right). Padded positions never take part: max pooling ignores them and
 * average pooling divides by the number of real elements in the window, as TensorFlow does.
 */
public final class Pooling {
    private Pooling() {}

    private static Conv2dSpec geometry(String op, Tensor x, int ph, int pw, int sh, int sw, Conv2dSpec.Padding padding) {
        int[] xs = x.shape();
        if (xs.length != 4) throw new IllegalArgumentException(op + ": input must be [N, H, W, C], got " + Shape.str(xs));
        if (ph <= 0 || pw <= 0 || sh <= 0 || sw <= 0)
            throw new IllegalArgumentException(op + ": pool size and strides must be positive, got pool " + ph + "x" + pw + ", strides " + sh + "x" + sw);
        try {
            return Conv2dSpec.of(xs[0], xs[1], xs[2], xs[3], ph, pw, xs[3], sh, sw, 1, 1, padding);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + ": pool " + ph + "x" + pw + " does not fit input " + Shape.str(xs) + " (" + e.getMessage() + ")", e);
        }
    }

    /** Max over each window; backward routes the gradient to the (first) maximum. x: [N, H, W, C] → [N, OH, OW, C]. */
    public static Tensor maxPool2d(Tensor x, int poolH, int poolW, int strideH, int strideW, Conv2dSpec.Padding padding) {
        Conv2dSpec s = geometry("max_pool2d", x, poolH, poolW, strideH, strideW, padding);
        Tensor xc = Conv.raw(x);
        float[] in = xc.storage();
        int base = xc.offset(), c = s.cin;
        float[] out = new float[(int) s.outputSize()];
        int[] arg = new int[out.length]; // flat index into x of each output's maximum
        int o = 0;
        for (int n = 0; n < s.n; n++)
            for (int oy = 0; oy < s.oh; oy++) {
                int y0 = oy * s.sh - s.padTop, y1 = Math.min(y0 + s.kh, s.h);
                y0 = Math.max(y0, 0);
                for (int ox = 0; ox < s.ow; ox++) {
                    int x0 = ox * s.sw - s.padLeft, x1 = Math.min(x0 + s.kw, s.w);
                    x0 = Math.max(x0, 0);
                    for (int ch = 0; ch < c; ch++, o++) {
                        float best = Float.NEGATIVE_INFINITY;
                        int at = -1;
                        for (int yy = y0; yy < y1; yy++)
                            for (int xx = x0; xx < x1; xx++) {
                                int idx = ((n * s.h + yy) * s.w + xx) * c + ch;
                                float v = in[base + idx];
                                if (v > best || at < 0) { best = v; at = idx; }
                            }
                        out[o] = best;
                        arg[o] = at;
                    }
                }
            }
        int[] xs = x.shape();
        return Tensor.of(out, s.n, s.oh, s.ow, c).recordOp("max_pool2d", g -> {
            float[] gd = Conv.raw(g).toFloatArray(), dx = new float[(int) s.inputSize()];
            for (int i = 0; i < gd.length; i++) dx[arg[i]] += gd[i];
            return new Tensor[] {Tensor.of(dx, xs)};
        }, x);
    }

    /** Mean over the real elements of each window. x: [N, H, W, C] → [N, OH, OW, C]. */
    public static Tensor avgPool2d(Tensor x, int poolH, int poolW, int strideH, int strideW, Conv2dSpec.Padding padding) {
        Conv2dSpec s = geometry("avg_pool2d", x, poolH, poolW, strideH, strideW, padding);
        Tensor xc = Conv.raw(x);
        float[] in = xc.storage();
        int base = xc.offset(), c = s.cin;
        float[] out = new float[(int) s.outputSize()];
        for (int n = 0; n < s.n; n++)
            for (int oy = 0; oy < s.oh; oy++)
                for (int ox = 0; ox < s.ow; ox++) {
                    int y0 = Math.max(oy * s.sh - s.padTop, 0), y1 = Math.min(oy * s.sh - s.padTop + s.kh, s.h);
                    int x0 = Math.max(ox * s.sw - s.padLeft, 0), x1 = Math.min(ox * s.sw - s.padLeft + s.kw, s.w);
                    float inv = 1f / ((y1 - y0) * (x1 - x0));
                    int o = ((n * s.oh + oy) * s.ow + ox) * c;
                    for (int yy = y0; yy < y1; yy++)
                        for (int xx = x0; xx < x1; xx++) {
                            int i = base + ((n * s.h + yy) * s.w + xx) * c;
                            for (int ch = 0; ch < c; ch++) out[o + ch] += in[i + ch];
                        }
                    for (int ch = 0; ch < c; ch++) out[o + ch] *= inv;
                }
        int[] xs = x.shape();
        return Tensor.of(out, s.n, s.oh, s.ow, c).recordOp("avg_pool2d", g -> {
            float[] gd = Conv.raw(g).toFloatArray(), dx = new float[(int) s.inputSize()];
            for (int n = 0; n < s.n; n++)
                for (int oy = 0; oy < s.oh; oy++)
                    for (int ox = 0; ox < s.ow; ox++) {
                        int y0 = Math.max(oy * s.sh - s.padTop, 0), y1 = Math.min(oy * s.sh - s.padTop + s.kh, s.h);
                        int x0 = Math.max(ox * s.sw - s.padLeft, 0), x1 = Math.min(ox * s.sw - s.padLeft + s.kw, s.w);
                        float inv = 1f / ((y1 - y0) * (x1 - x0));
                        int o = ((n * s.oh + oy) * s.ow + ox) * c;
                        for (int yy = y0; yy < y1; yy++)
                            for (int xx = x0; xx < x1; xx++) {
                                int i = ((n * s.h + yy) * s.w + xx) * c;
                                for (int ch = 0; ch < c; ch++) dx[i + ch] += gd[o + ch] * inv;
                            }
                    }
            return new Tensor[] {Tensor.of(dx, xs)};
        }, x);
    }

    /** Mean over H and W: [N, H, W, C] → [N, C]; backward spreads g/(H·W) over the plane. */
    public static Tensor globalAvgPool2d(Tensor x) {
        int[] xs = x.shape();
        if (xs.length != 4) throw new IllegalArgumentException("global_avg_pool2d: input must be [N, H, W, C], got " + Shape.str(xs));
        int n = xs[0], hw = xs[1] * xs[2], c = xs[3];
        if (hw == 0) throw new IllegalArgumentException("global_avg_pool2d: empty plane in input " + Shape.str(xs));
        Tensor xc = Conv.raw(x);
        float[] in = xc.storage();
        int base = xc.offset();
        float[] out = new float[n * c];
        double[] acc = new double[c];
        for (int b = 0; b < n; b++) {
            java.util.Arrays.fill(acc, 0);
            for (int p = 0; p < hw; p++) {
                int i = base + (b * hw + p) * c;
                for (int ch = 0; ch < c; ch++) acc[ch] += in[i + ch];
            }
            for (int ch = 0; ch < c; ch++) out[b * c + ch] = (float) (acc[ch] / hw);
        }
        return Tensor.of(out, n, c).recordOp("global_avg_pool2d", g -> {
            float[] gd = Conv.raw(g).toFloatArray(), dx = new float[n * hw * c];
            float inv = 1f / hw;
            for (int b = 0; b < n; b++)
                for (int p = 0; p < hw; p++)
                    for (int ch = 0; ch < c; ch++) dx[(b * hw + p) * c + ch] = gd[b * c + ch] * inv;
            return new Tensor[] {Tensor.of(dx, xs)};
        }, x);
    }
}
