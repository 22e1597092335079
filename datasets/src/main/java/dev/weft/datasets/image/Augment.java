package dev.weft.datasets.image;

import dev.weft.datasets.pipeline.Example;

import java.util.SplittableRandom;
import java.util.function.BiFunction;

/**
 * Seeded random image augmentation on channels-last float images {@code [h, w, c]}; use through
 * {@code Dataset.mapRandom(seed, ...)} so each epoch's augmentations are fixed by the seed.
 */
public final class Augment {
    private Augment() {}

    /** Mirrors left-right with probability 1/2 (draws one {@code nextBoolean()}); returns a new array or {@code img} itself. */
    public static float[] randomFlipLeftRight(float[] img, int h, int w, int c, SplittableRandom rng) {
        return rng.nextBoolean() ? flipLeftRight(img, h, w, c) : img;
    }

    /** Mirrors top-bottom with probability 1/2. */
    public static float[] randomFlipUpDown(float[] img, int h, int w, int c, SplittableRandom rng) {
        return rng.nextBoolean() ? flipUpDown(img, h, w, c) : img;
    }

    /** The left-right mirror image. */
    public static float[] flipLeftRight(float[] img, int h, int w, int c) {
        check("flipLeftRight", img, h, w, c);
        float[] out = new float[img.length];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                System.arraycopy(img, (y * w + x) * c, out, (y * w + (w - 1 - x)) * c, c);
        return out;
    }

    /** The top-bottom mirror image. */
    public static float[] flipUpDown(float[] img, int h, int w, int c) {
        check("flipUpDown", img, h, w, c);
        float[] out = new float[img.length];
        for (int y = 0; y < h; y++) System.arraycopy(img, y * w * c, out, (h - 1 - y) * w * c, w * c);
        return out;
    }

    /**
     * A random {@code ch x cw} window (offsets uniform, drawn as {@code nextInt(h-ch+1)} then
     * {@code nextInt(w-cw+1)}), like Keras' {@code RandomCrop}.
     */
    public static float[] randomCrop(float[] img, int h, int w, int c, int ch, int cw, SplittableRandom rng) {
        check("randomCrop", img, h, w, c);
        if (ch < 1 || cw < 1 || ch > h || cw > w)
            throw new IllegalArgumentException("Augment.randomCrop: crop " + ch + "x" + cw + " does not fit a " + h + "x" + w + " image");
        int oy = rng.nextInt(h - ch + 1), ox = rng.nextInt(w - cw + 1);
        float[] out = new float[ch * cw * c];
        for (int y = 0; y < ch; y++) System.arraycopy(img, ((oy + y) * w + ox) * c, out, y * cw * c, cw * c);
        return out;
    }

    /**
     * The usual CIFAR augmentation: pad by {@code pad} pixels of {@code fill} on every side, then take
     * a random {@code h x w} window (the result has the input's size).
     */
    public static float[] padAndCrop(float[] img, int h, int w, int c, int pad, float fill, SplittableRandom rng) {
        check("padAndCrop", img, h, w, c);
        if (pad < 0) throw new IllegalArgumentException("Augment.padAndCrop: pad must be >= 0, got " + pad);
        int oy = rng.nextInt(2 * pad + 1) - pad, ox = rng.nextInt(2 * pad + 1) - pad;
        float[] out = new float[img.length];
        for (int y = 0; y < h; y++) {
            int sy = y + oy;
            for (int x = 0; x < w; x++) {
                int sx = x + ox;
                int d = (y * w + x) * c;
                if (sy < 0 || sy >= h || sx < 0 || sx >= w) for (int k = 0; k < c; k++) out[d + k] = fill;
                else System.arraycopy(img, (sy * w + sx) * c, out, d, c);
            }
        }
        return out;
    }

    /** For {@code mapRandom}: random left-right flip, then pad-and-crop by {@code pad} with zeros. */
    public static BiFunction<Example, SplittableRandom, Example> flipAndCrop(int h, int w, int c, int pad) {
        return (e, rng) -> {
            float[] x = randomFlipLeftRight(e.x(), h, w, c, rng);
            if (pad > 0) x = padAndCrop(x, h, w, c, pad, 0f, rng);
            return new Example(x, e.label());
        };
    }

    private static void check(String op, float[] img, int h, int w, int c) {
        if (img == null) throw new IllegalArgumentException("Augment." + op + ": image is null");
        if (h < 1 || w < 1 || c < 1 || (long) h * w * c != img.length)
            throw new IllegalArgumentException("Augment." + op + ": " + img.length + " values do not make a " + h + "x" + w + "x" + c + " image");
    }
}
