package dev.weft.datasets.pipeline;

import java.util.SplittableRandom;

/**
 * Seed handling for the datasets module. All randomness here (shuffles, splits, augmentation) comes
 * from {@link java.util.SplittableRandom}, whose sequence for a given seed is fixed by its
 * specification (SplitMix64), so a seed gives the same order on every JVM and run. Weft's datasets do
 * not share the engine's RNG: the data order does not change when a model draws more or fewer numbers.
 *
 * <p>A stage that reshuffles every epoch uses {@code new SplittableRandom(derive(seed, epoch))}.
 */
public final class Seeds {
    private Seeds() {}

    /** Mixes a seed with a stream number (e.g. the epoch) through the SplitMix64 finaliser. */
    public static long derive(long seed, long stream) {
        long z = seed + 0x9E3779B97F4A7C15L * (stream + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The generator for {@code (seed, stream)}. */
    public static SplittableRandom random(long seed, long stream) {
        return new SplittableRandom(derive(seed, stream));
    }

    /** A uniformly random permutation of {@code 0..n-1} (Fisher-Yates, from the last position down). */
    public static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i]; p[i] = p[j]; p[j] = t;
        }
        return p;
    }
}
