package dev.weft.datasets;

import dev.weft.datasets.pipeline.Seeds;

import java.util.SplittableRandom;

/**
 * A partition of {@code n} example positions into training and validation parts.
 *
 * @param train      positions used for training, in order
 * @param validation positions held out
 */
public record TrainValSplit(int[] train, int[] validation) {

    /**
     * Keras' {@code validation_split}: the LAST {@code fraction} of the examples (in their current
     * order, no shuffle) are held out; {@code splitAt = (int) (n * (1.0 - fraction))} as Keras computes it.
     */
    public static TrainValSplit last(int n, double fraction) {
        check(n, fraction);
        int splitAt = (int) Math.floor(n * (1.0 - fraction));
        return new TrainValSplit(range(0, splitAt), range(splitAt, n));
    }

    /**
     * A seeded random split: the positions are permuted by a Fisher-Yates shuffle driven by
     * {@code java.util.SplittableRandom(seed)} and the last {@code fraction} of the permutation is
     * held out (same seed, same split; both parts are then sorted back into original order).
     */
    public static TrainValSplit shuffled(int n, double fraction, long seed) {
        check(n, fraction);
        int[] perm = Seeds.permutation(n, new SplittableRandom(seed));
        int splitAt = (int) Math.floor(n * (1.0 - fraction));
        int[] tr = java.util.Arrays.copyOfRange(perm, 0, splitAt);
        int[] va = java.util.Arrays.copyOfRange(perm, splitAt, n);
        java.util.Arrays.sort(tr);
        java.util.Arrays.sort(va);
        return new TrainValSplit(tr, va);
    }

    private static void check(int n, double fraction) {
        if (n < 0) throw new IllegalArgumentException("n < 0");
        if (!(fraction >= 0 && fraction < 1)) throw new IllegalArgumentException("fraction must be in [0, 1): " + fraction);
    }

    private static int[] range(int a, int b) {
        int[] r = new int[b - a];
        for (int i = 0; i < r.length; i++) r[i] = a + i;
        return r;
    }
}
