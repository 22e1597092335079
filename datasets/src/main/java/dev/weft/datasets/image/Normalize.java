package dev.weft.datasets.image;

import dev.weft.engine.Tensor;

/**
 * Value normalisations on float data holding raw pixel values 0..255 (for byte data use
 * {@link dev.weft.datasets.PixelScale} directly; for per-channel standardisation {@link ChannelStats}).
 */
public final class Normalize {
    private Normalize() {}

    /** {@code x / 255}: [0, 1]. Returns a new tensor. */
    public static Tensor toUnit(Tensor x) { return affine(x, 255f, 0f); }

    /** {@code x / 127.5 - 1}: [-1, 1]. Returns a new tensor. */
    public static Tensor toSymmetric(Tensor x) { return affine(x, 127.5f, -1f); }

    /** Per-channel standardisation with given statistics (channels last). */
    public static Tensor perChannel(Tensor x, float[] mean, float[] std) { return new ChannelStats(mean, std).apply(x); }

    /** {@code x / div + add}, computed as PixelScale does (same rounding). */
    private static Tensor affine(Tensor x, float div, float add) {
        float[] v = x.toFloatArray();
        for (int i = 0; i < v.length; i++) v[i] = v[i] / div + add;
        return Tensor.of(v, x.shape());
    }
}
