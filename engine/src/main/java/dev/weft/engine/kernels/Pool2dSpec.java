package dev.weft.engine.kernels;

import dev.weft.engine.kernels.Conv2dSpec.Padding;

/**
 * The geometry of a 2-D pooling in channels-last layout: input {@code [N, H, W, C]}, output
 * {@code [N, OH, OW, C]}, pool window {@code PH x PW}, stride, Keras padding ({@code SAME}: output
 * {@code ceil(H / SH)}, total pad {@code max((OH - 1)·SH + PH - H, 0)}, top gets {@code total / 2},
 * bottom the rest). Padded cells are never read: max pooling ignores them and average pooling divides
 * by the number of real cells in the window, as Keras does.
 */
public final class Pool2dSpec {
    /** Batch, input height, input width, channels. */
    public final int n, h, w, c;
    /** Pool window height and width. */
    public final int ph, pw;
    /** Strides. */
    public final int sh, sw;
    /** Output height and width. */
    public final int oh, ow;
    /** Pad above and left of the input (the pad below/right is implied by the output size). */
    public final int padTop, padLeft;

    private Pool2dSpec(int n, int h, int w, int c, int ph, int pw, int sh, int sw, int oh, int ow, int padTop, int padLeft) {
        this.n = n; this.h = h; this.w = w; this.c = c; this.ph = ph; this.pw = pw; this.sh = sh; this.sw = sw;
        this.oh = oh; this.ow = ow; this.padTop = padTop; this.padLeft = padLeft;
    }

    /**
     * A pooling with Keras padding.
     *
     * @throws IllegalArgumentException on non-positive sizes or strides, or (VALID) a window larger than the input
     */
    public static Pool2dSpec of(int n, int h, int w, int c, int ph, int pw, int sh, int sw, Padding padding) {
        if (n <= 0 || h <= 0 || w <= 0 || c <= 0 || ph <= 0 || pw <= 0 || sh <= 0 || sw <= 0 || padding == null) {
            throw new IllegalArgumentException("Pool2d: sizes and strides must be positive, got input [" + n + ", " + h + ", "
                    + w + ", " + c + "], pool " + ph + "x" + pw + ", stride " + sh + "x" + sw + ", padding " + padding);
        }
        if (padding == Padding.VALID) {
            if (h < ph || w < pw) {
                throw new IllegalArgumentException("Pool2d: pool " + ph + "x" + pw + " is larger than the input "
                        + h + "x" + w + " with VALID padding (input [" + n + ", " + h + ", " + w + ", " + c + "])");
            }
            return new Pool2dSpec(n, h, w, c, ph, pw, sh, sw, (h - ph) / sh + 1, (w - pw) / sw + 1, 0, 0);
        }
        int oh = (h + sh - 1) / sh, ow = (w + sw - 1) / sw;
        int padH = Math.max((oh - 1) * sh + ph - h, 0), padW = Math.max((ow - 1) * sw + pw - w, 0);
        return new Pool2dSpec(n, h, w, c, ph, pw, sh, sw, oh, ow, padH / 2, padW / 2);
    }

    /** Shorthand: square window and stride. */
    public static Pool2dSpec of(int n, int h, int w, int c, int pool, int stride, Padding padding) {
        return of(n, h, w, c, pool, pool, stride, stride, padding);
    }

    /** Input elements. */
    public long inputSize() { return (long) n * h * w * c; }
    /** Output elements. */
    public long outputSize() { return (long) n * oh * ow * c; }

    /** First input row of output row oy's window (clipped to the input). */
    int rowStart(int oy) { return Math.max(0, oy * sh - padTop); }
    /** One past the last input row of output row oy's window (clipped). */
    int rowEnd(int oy) { return Math.min(h, oy * sh - padTop + ph); }
    /** First input column of output column ox's window (clipped). */
    int colStart(int ox) { return Math.max(0, ox * sw - padLeft); }
    /** One past the last input column of output column ox's window (clipped). */
    int colEnd(int ox) { return Math.min(w, ox * sw - padLeft + pw); }

    void check(String kernel, String name, float[] a, int off, long size) {
        if (a == null) throw new IllegalArgumentException(kernel + ": " + name + " is null (" + this + ")");
        if (off < 0 || off + size > a.length) {
            throw new IllegalArgumentException(kernel + ": " + name + " needs " + size + " elements from offset " + off
                    + " but has length " + a.length + " (" + this + ")");
        }
    }

    @Override
    public String toString() {
        return "input [" + n + ", " + h + ", " + w + ", " + c + "], pool " + ph + "x" + pw + ", stride " + sh + "x" + sw
                + ", output [" + n + ", " + oh + ", " + ow + ", " + c + "], pad top/left " + padTop + "/" + padLeft;
    }
}
