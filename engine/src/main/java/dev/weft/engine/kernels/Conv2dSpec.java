package dev.weft.engine.kernels;

/**
 * The geometry of one 2-D convolution in channels-last layout: input {@code [N, H, W, Cin]}, kernel
 * {@code [KH, KW, Cin, Cout]}, output {@code [N, OH, OW, Cout]}, with stride, dilation and Keras
 * padding.
 *
 * <p>Keras padding: {@code VALID} has no pad and {@code OH = floor((H - KHeff) / SH) + 1} with
 * {@code KHeff = (KH - 1) * DH + 1}; {@code SAME} has {@code OH = ceil(H / SH)} and a total pad
 * {@code max((OH - 1) * SH + KHeff - H, 0)}, of which {@code total / 2} goes on top and the rest
 * (one more when the total is odd) at the bottom; the same for columns.
 *
 * <p>Instances are immutable and validated: every size and stride is positive and the (dilated)
 * kernel fits the padded input, else the factory throws {@link IllegalArgumentException}.
 */
public final class Conv2dSpec {
    /** Keras padding modes, shared by convolution and pooling. */
    public enum Padding { VALID, SAME }

    /** Batch size. */
    public final int n;
    /** Input height and width. */
    public final int h, w;
    /** Input and output channels. */
    public final int cin, cout;
    /** Kernel height and width. */
    public final int kh, kw;
    /** Strides. */
    public final int sh, sw;
    /** Dilations. */
    public final int dh, dw;
    /** Output height and width. */
    public final int oh, ow;
    /** Zero padding on each side, in input pixels. */
    public final int padTop, padBottom, padLeft, padRight;

    private Conv2dSpec(int n, int h, int w, int cin, int kh, int kw, int cout, int sh, int sw, int dh, int dw,
                       int padTop, int padBottom, int padLeft, int padRight) {
        this.n = n; this.h = h; this.w = w; this.cin = cin; this.kh = kh; this.kw = kw; this.cout = cout;
        this.sh = sh; this.sw = sw; this.dh = dh; this.dw = dw;
        this.padTop = padTop; this.padBottom = padBottom; this.padLeft = padLeft; this.padRight = padRight;
        this.oh = (h + padTop + padBottom - ((kh - 1) * dh + 1)) / sh + 1;
        this.ow = (w + padLeft + padRight - ((kw - 1) * dw + 1)) / sw + 1;
    }

    /**
     * A convolution with Keras padding.
     *
     * @param n batch, @param h input height, @param w input width, @param cin input channels
     * @param kh kernel height, @param kw kernel width, @param cout output channels
     * @param sh vertical stride, @param sw horizontal stride, @param dh vertical dilation, @param dw horizontal dilation
     * @throws IllegalArgumentException on a non-positive size/stride/dilation or a kernel larger than the padded input
     */
    public static Conv2dSpec of(int n, int h, int w, int cin, int kh, int kw, int cout,
                                int sh, int sw, int dh, int dw, Padding padding) {
        checkPositive(n, h, w, cin, kh, kw, cout, sh, sw, dh, dw);
        if (padding == null) throw new IllegalArgumentException("Conv2d: padding must be VALID or SAME, got null");
        int pv = 0, ph = 0;
        if (padding == Padding.SAME) {
            ph = samePadTotal(h, kh, sh, dh);
            pv = samePadTotal(w, kw, sw, dw);
        }
        return explicit(n, h, w, cin, kh, kw, cout, sh, sw, dh, dw, ph / 2, ph - ph / 2, pv / 2, pv - pv / 2);
    }

    /** Shorthand: no dilation. */
    public static Conv2dSpec of(int n, int h, int w, int cin, int kh, int kw, int cout, int stride, Padding padding) {
        return of(n, h, w, cin, kh, kw, cout, stride, stride, 1, 1, padding);
    }

    /**
     * A convolution with explicit (possibly asymmetric) zero padding.
     *
     * @throws IllegalArgumentException on a non-positive size/stride/dilation, a negative pad or a
     *     kernel larger than the padded input
     */
    public static Conv2dSpec explicit(int n, int h, int w, int cin, int kh, int kw, int cout, int sh, int sw,
                                      int dh, int dw, int padTop, int padBottom, int padLeft, int padRight) {
        checkPositive(n, h, w, cin, kh, kw, cout, sh, sw, dh, dw);
        if (padTop < 0 || padBottom < 0 || padLeft < 0 || padRight < 0) {
            throw new IllegalArgumentException("Conv2d: pads must be >= 0, got top/bottom/left/right "
                    + padTop + "/" + padBottom + "/" + padLeft + "/" + padRight);
        }
        int khEff = (kh - 1) * dh + 1, kwEff = (kw - 1) * dw + 1;
        if (h + padTop + padBottom < khEff || w + padLeft + padRight < kwEff) {
            throw new IllegalArgumentException("Conv2d: dilated kernel " + khEff + "x" + kwEff
                    + " is larger than the padded input " + (h + padTop + padBottom) + "x" + (w + padLeft + padRight)
                    + " (input " + h + "x" + w + ", kernel " + kh + "x" + kw + ", dilation " + dh + "x" + dw + ")");
        }
        return new Conv2dSpec(n, h, w, cin, kh, kw, cout, sh, sw, dh, dw, padTop, padBottom, padLeft, padRight);
    }

    /** Keras 'same' total pad along one axis. */
    static int samePadTotal(int in, int k, int stride, int dilation) {
        int out = (in + stride - 1) / stride;
        return Math.max((out - 1) * stride + (k - 1) * dilation + 1 - in, 0);
    }

    private static void checkPositive(int n, int h, int w, int cin, int kh, int kw, int cout, int sh, int sw, int dh, int dw) {
        if (n <= 0 || h <= 0 || w <= 0 || cin <= 0 || kh <= 0 || kw <= 0 || cout <= 0 || sh <= 0 || sw <= 0 || dh <= 0 || dw <= 0) {
            throw new IllegalArgumentException("Conv2d: sizes, strides and dilations must be positive, got input ["
                    + n + ", " + h + ", " + w + ", " + cin + "], kernel [" + kh + ", " + kw + ", " + cin + ", " + cout
                    + "], stride " + sh + "x" + sw + ", dilation " + dh + "x" + dw);
        }
    }

    /** Input elements {@code N·H·W·Cin}. */
    public long inputSize() { return (long) n * h * w * cin; }
    /** Kernel elements {@code KH·KW·Cin·Cout}. */
    public long kernelSize() { return (long) kh * kw * cin * cout; }
    /** Output elements {@code N·OH·OW·Cout}. */
    public long outputSize() { return (long) n * oh * ow * cout; }
    /** Forward multiply-adds times two: {@code 2·N·OH·OW·Cout·KH·KW·Cin}. */
    public double flops() { return 2.0 * n * oh * ow * cout * (double) kh * kw * cin; }

    /** True when every pad is zero. */
    public boolean unpadded() { return (padTop | padBottom | padLeft | padRight) == 0; }

    /** Throws IllegalArgumentException naming {@code kernel} if {@code a} holds fewer than {@code size} elements after {@code off}. */
    void checkArray(String kernel, String name, float[] a, int off, long size) {
        if (a == null) throw new IllegalArgumentException(kernel + ": " + name + " is null (" + this + ")");
        if (off < 0 || off + size > a.length) {
            throw new IllegalArgumentException(kernel + ": " + name + " needs " + size + " elements from offset " + off
                    + " but has length " + a.length + " (" + this + ")");
        }
    }

    @Override
    public String toString() {
        return "input [" + n + ", " + h + ", " + w + ", " + cin + "], kernel [" + kh + ", " + kw + ", " + cin + ", " + cout
                + "], output [" + n + ", " + oh + ", " + ow + ", " + cout + "], stride " + sh + "x" + sw
                + ", dilation " + dh + "x" + dw + ", pad t/b/l/r " + padTop + "/" + padBottom + "/" + padLeft + "/" + padRight;
    }
}
