package dev.weft.engine;

/**
 * A small, seeded pseudo-random generator (xoshiro256**, seeded through SplitMix64).
 *
 * <p>The same seed gives the same numbers on every run, JVM and machine: the algorithm is fixed
 * here, not delegated to the JDK. The state can be saved and restored for bit-exact resumption.
 * Not thread-safe: give each thread its own generator (see {@link #split()}).
 */
public final class Rng {
    private long s0, s1, s2, s3;

    private static Rng global = new Rng(42);

    /** A generator seeded with {@code seed}. */
    public Rng(long seed) { setSeed(seed); }

    /** The process-wide default generator (seed 42 until {@link #manualSeed} is called). */
    public static synchronized Rng global() { return global; }

    /** Re-seeds the default generator, like {@code torch.manual_seed}. */
    public static synchronized void manualSeed(long seed) { global = new Rng(seed); }

    /** Resets the state from a seed. */
    public void setSeed(long seed) {
        long x = seed;
        s0 = splitMix(x += 0x9E3779B97F4A7C15L);
        s1 = splitMix(x += 0x9E3779B97F4A7C15L);
        s2 = splitMix(x += 0x9E3779B97F4A7C15L);
        s3 = splitMix(x + 0x9E3779B97F4A7C15L);
    }

    private static long splitMix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The next 64 random bits. */
    public long nextLong() {
        long result = Long.rotateLeft(s1 * 5, 7) * 9;
        long t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }

    /** Uniform in [0, 1) with 24 random bits (every float in the grid is reachable). */
    public float nextFloat() { return (nextLong() >>> 40) * 0x1.0p-24f; }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() { return (nextLong() >>> 11) * 0x1.0p-53; }

    /** Uniform integer in [0, bound), unbiased (rejection sampling). */
    public int nextInt(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("Rng.nextInt: bound must be positive, got " + bound);
        long limit = (1L << 32) - ((1L << 32) % bound);
        long r;
        do { r = nextLong() >>> 32; } while (r >= limit);
        return (int) (r % bound);
    }

    /** Standard normal sample (Box–Muller; one value per pair of uniforms, so the state stays simple). */
    public double nextGaussian() {
        double u1 = 1.0 - nextDouble(); // (0, 1], keeps log finite
        double u2 = nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** A new generator seeded from this one (for a worker thread or a sub-component). */
    public Rng split() { return new Rng(nextLong()); }

    /** The state as four longs, for checkpoints. */
    public long[] state() { return new long[] {s0, s1, s2, s3}; }

    /** Restores a state saved by {@link #state()}. */
    public void setState(long[] state) {
        if (state == null || state.length != 4)
            throw new IllegalArgumentException("Rng.setState: expected 4 longs");
        if ((state[0] | state[1] | state[2] | state[3]) == 0)
            throw new IllegalArgumentException("Rng.setState: the all-zero state is invalid");
        s0 = state[0]; s1 = state[1]; s2 = state[2]; s3 = state[3];
    }
}
