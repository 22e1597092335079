package dev.weft.engine.kernels;

/**
 * Elementwise sigmoid cross-entropy with logits on flat float rows:
 * {@code loss = max(x, 0) − x·z + log(1 + e^−|x|)} and its logits gradient {@code g·(σ(x) − z)}.
 * Dispatches to {@code SigmoidCrossEntropyVector} when {@link VectorSupport#ENABLED}; the scalar
 * twin here evaluates the same formulas in double and is the reference the SIMD path is tested
 * against. Rows of {@link #PARALLEL_MIN} or more elements are cut into fixed chunks of
 * {@link #CHUNK} run on {@link Parallel}; every element is computed alone (the SIMD tails go
 * through the same lanes as the body), so results do not depend on thread count or chunking.
 */
public final class SigmoidCrossEntropy {
    private SigmoidCrossEntropy() {}

    /** Rows at least this long are split over threads. */
    static final int PARALLEL_MIN = 1 << 15;
    /** Elements per parallel chunk (a 512 x 784 VAE batch: 25 chunks). */
    static final int CHUNK = 1 << 14;

    /**
     * {@code loss[lo + k] = max(x, 0) − x·z + log(1 + e^−|x|)} with {@code x = x[xo + k]},
     * {@code z = z[zo + k]}, for {@code k < n}. Contiguous rows.
     */
    public static void forward(float[] x, int xo, float[] z, int zo, float[] loss, int lo, int n) {
        if (n < PARALLEL_MIN) {
            forwardRow(x, xo, z, zo, loss, lo, n);
            return;
        }
        Parallel.forEach(chunks(n), t -> {
            int k = t * CHUNK;
            forwardRow(x, xo + k, z, zo + k, loss, lo + k, Math.min(CHUNK, n - k));
        });
    }

    /** Per-thread chunk buffer of {@link #forwardSum}. */
    private static final ThreadScratch SUM_SCRATCH = new ThreadScratch();

    /**
     * The sum, in double, of the losses {@link #forward} would write for the same arguments, without
     * an array of n losses: each chunk of {@link ReduceKernels#sum}'s chunking is computed into a
     * per-thread buffer (L2-sized) and summed there in that kernel's order, so the result equals
     * {@code ReduceKernels.sum} of {@code forward}'s output bit for bit, for any thread count.
     */
    public static double forwardSum(float[] x, int xo, float[] z, int zo, int n) {
        if (n < ReduceKernels.PARALLEL_MIN) return chunkSum(x, xo, z, zo, n);
        int chunk = ReduceKernels.SUM_CHUNK;
        double[] part = new double[(n + chunk - 1) / chunk];
        Parallel.forEach(part.length, t -> {
            int k = t * chunk;
            part[t] = chunkSum(x, xo + k, z, zo + k, Math.min(chunk, n - k));
        });
        double s = 0;
        for (double p : part) s += p;
        return s;
    }

    private static double chunkSum(float[] x, int xo, float[] z, int zo, int n) {
        float[] loss = SUM_SCRATCH.get(n);
        forwardRow(x, xo, z, zo, loss, 0, n);
        return ReduceKernels.sumSerial(loss, 0, n);
    }

    /**
     * {@code gx[o + k] = g·(σ(x[xo + k]) − z[zo + k])} for {@code k < n}, where {@code g} is
     * {@code g[go + k·gs]}: {@code gs} is 1 (a contiguous upstream gradient) or 0 (one value
     * broadcast, as after {@code sum()}).
     */
    public static void gradLogits(float[] g, int go, int gs, float[] x, int xo, float[] z, int zo, float[] gx, int o, int n) {
        if (gs != 0 && gs != 1) throw new IllegalArgumentException("sigmoid_cross_entropy_with_logits: gradient stride must be 0 or 1, got " + gs);
        if (n < PARALLEL_MIN) {
            gradLogitsRow(g, go, gs, x, xo, z, zo, gx, o, n);
            return;
        }
        Parallel.forEach(chunks(n), t -> {
            int k = t * CHUNK;
            gradLogitsRow(g, go + k * gs, gs, x, xo + k, z, zo + k, gx, o + k, Math.min(CHUNK, n - k));
        });
    }

    private static int chunks(int n) { return (n + CHUNK - 1) / CHUNK; }

    private static void forwardRow(float[] x, int xo, float[] z, int zo, float[] loss, int lo, int n) {
        if (VectorSupport.ENABLED) SigmoidCrossEntropyVector.forward(x, xo, z, zo, loss, lo, n);
        else forwardScalar(x, xo, z, zo, loss, lo, n);
    }

    private static void gradLogitsRow(float[] g, int go, int gs, float[] x, int xo, float[] z, int zo, float[] gx, int o, int n) {
        if (VectorSupport.ENABLED) SigmoidCrossEntropyVector.gradLogits(g, go, gs, x, xo, z, zo, gx, o, n);
        else gradLogitsScalar(g, go, gs, x, xo, z, zo, gx, o, n);
    }

    /** Scalar double twin of {@link #forward}. */
    static void forwardScalar(float[] x, int xo, float[] z, int zo, float[] loss, int lo, int n) {
        for (int k = 0; k < n; k++) {
            double xi = x[xo + k];
            double e = Math.exp(-Math.abs(xi));
            // log(1 + e): a three-term series when e < 1e-4, as Math.log1p is not a JIT intrinsic.
            double softplus = e < 1e-4 ? e * (1 - e * (0.5 - e / 3)) : Math.log(1 + e);
            loss[lo + k] = (float) (Math.max(xi, 0) - xi * z[zo + k] + softplus);
        }
    }

    /** Scalar double twin of {@link #gradLogits}. */
    static void gradLogitsScalar(float[] g, int go, int gs, float[] x, int xo, float[] z, int zo, float[] gx, int o, int n) {
        for (int k = 0; k < n; k++) {
            double xi = x[xo + k];
            double e = Math.exp(-Math.abs(xi));
            double sig = xi >= 0 ? 1 / (1 + e) : e / (1 + e); // no overflow for either sign
            gx[o + k] = g[go + k * gs] * ((float) sig - z[zo + k]);
        }
    }
}
