package dev.weft.engine.kernels;

/**
 * Fused batch normalisation for channels-last inputs of any rank, seen as {@code x [M, C]} with
 * M the product of all axes but the last (e.g. N·H·W for images). Keras semantics: training
 * normalises with the batch mean and the biased batch variance, {@code y = gamma·(x - mean)·invStd +
 * beta} with {@code invStd = 1 / sqrt(var + eps)} (Keras eps 1e-3).
 *
 * <p>Reductions over M are split into fixed chunks of rows (chunk size depends on C only); per-chunk
 * float partials are combined in chunk order in double, so the result is bit-identical for any
 * {@link Parallel} thread count. Loops are vectorised over channels when the Vector API is on.
 */
public final class BatchNorm {
    private BatchNorm() {}

    /** Rows per reduction chunk for C channels (about 8K elements). */
    static int chunkRows(int c) { return Math.max(1, 8192 / c); }

    /**
     * Training forward. x [M, C], gamma/beta [C] → y [M, C], and the batch statistics mean [C], var [C]
     * (biased) and invStd [C] (kept for {@link #backward} and the moving averages).
     */
    public static void forwardTraining(int m, int c, float[] x, int xOff, float[] gamma, int gOff, float[] beta, int bOff,
                                       float eps, float[] y, int yOff, float[] mean, int meanOff, float[] var, int varOff,
                                       float[] invStd, int isOff) {
        String k = "BatchNorm.forwardTraining";
        checkSizes(k, m, c);
        check(k, "x", x, xOff, (long) m * c, m, c); check(k, "y", y, yOff, (long) m * c, m, c);
        check(k, "gamma", gamma, gOff, c, m, c); check(k, "beta", beta, bOff, c, m, c);
        check(k, "mean", mean, meanOff, c, m, c); check(k, "var", var, varOff, c, m, c); check(k, "invStd", invStd, isOff, c, m, c);
        int rows = chunkRows(c), chunks = (m + rows - 1) / rows;
        float[] part = new float[chunks * c];
        // mean[c] = sum_r x[r, c] / M
        Parallel.forEach(chunks, t -> {
            int r0 = t * rows, r1 = Math.min(m, r0 + rows);
            if (VectorSupport.ENABLED) BatchNormVector.sumRows(x, xOff, r0, r1, c, part, t * c);
            else BatchNormReference.sumRows(x, xOff, r0, r1, c, part, t * c);
        });
        float[] mu = new float[c];
        combine(part, chunks, c, 1.0 / m, mu);
        // var[c] = sum_r (x[r, c] - mean[c])^2 / M   (biased, two-pass)
        Parallel.forEach(chunks, t -> {
            int r0 = t * rows, r1 = Math.min(m, r0 + rows);
            if (VectorSupport.ENABLED) BatchNormVector.sumSquaredDeviations(x, xOff, r0, r1, c, mu, part, t * c);
            else BatchNormReference.sumSquaredDeviations(x, xOff, r0, r1, c, mu, part, t * c);
        });
        float[] v = new float[c];
        combine(part, chunks, c, 1.0 / m, v);
        float[] scale = new float[c], shift = new float[c];
        for (int j = 0; j < c; j++) {
            float is = (float) (1.0 / Math.sqrt((double) v[j] + eps));
            mean[meanOff + j] = mu[j];
            var[varOff + j] = v[j];
            invStd[isOff + j] = is;
            scale[j] = gamma[gOff + j] * is;
            shift[j] = beta[bOff + j] - mu[j] * scale[j];
        }
        affine(m, c, x, xOff, scale, shift, y, yOff);
    }

    /** Inference forward with the moving statistics: y = gamma·(x - movingMean)/sqrt(movingVar + eps) + beta. x, y [M, C]. */
    public static void forwardInference(int m, int c, float[] x, int xOff, float[] gamma, int gOff, float[] beta, int bOff,
                                        float[] movingMean, int mmOff, float[] movingVar, int mvOff, float eps,
                                        float[] y, int yOff) {
        String k = "BatchNorm.forwardInference";
        checkSizes(k, m, c);
        check(k, "x", x, xOff, (long) m * c, m, c); check(k, "y", y, yOff, (long) m * c, m, c);
        check(k, "gamma", gamma, gOff, c, m, c); check(k, "beta", beta, bOff, c, m, c);
        check(k, "movingMean", movingMean, mmOff, c, m, c); check(k, "movingVar", movingVar, mvOff, c, m, c);
        float[] scale = new float[c], shift = new float[c];
        for (int j = 0; j < c; j++) {
            float is = (float) (1.0 / Math.sqrt((double) movingVar[mvOff + j] + eps));
            scale[j] = gamma[gOff + j] * is;
            shift[j] = beta[bOff + j] - movingMean[mmOff + j] * scale[j];
        }
        affine(m, c, x, xOff, scale, shift, y, yOff);
    }

    /**
     * Training backward. x, dy [M, C]; gamma, mean, invStd [C] from {@link #forwardTraining} →
     * dx [M, C], dgamma [C], dbeta [C] (all overwritten):
     * {@code dbeta = sum dy}, {@code dgamma = sum dy·xhat},
     * {@code dx = gamma·invStd·(dy - dbeta/M - xhat·dgamma/M)} with {@code xhat = (x - mean)·invStd}.
     */
    public static void backward(int m, int c, float[] x, int xOff, float[] dy, int dyOff, float[] gamma, int gOff,
                                float[] mean, int meanOff, float[] invStd, int isOff,
                                float[] dx, int dxOff, float[] dgamma, int dgOff, float[] dbeta, int dbOff) {
        String k = "BatchNorm.backward";
        checkSizes(k, m, c);
        check(k, "x", x, xOff, (long) m * c, m, c); check(k, "dy", dy, dyOff, (long) m * c, m, c);
        check(k, "dx", dx, dxOff, (long) m * c, m, c); check(k, "gamma", gamma, gOff, c, m, c);
        check(k, "mean", mean, meanOff, c, m, c); check(k, "invStd", invStd, isOff, c, m, c);
        check(k, "dgamma", dgamma, dgOff, c, m, c); check(k, "dbeta", dbeta, dbOff, c, m, c);
        int rows = chunkRows(c), chunks = (m + rows - 1) / rows;
        float[] mu = new float[c], is = new float[c];
        System.arraycopy(mean, meanOff, mu, 0, c);
        System.arraycopy(invStd, isOff, is, 0, c);
        float[] pdy = new float[chunks * c], pdyx = new float[chunks * c];
        Parallel.forEach(chunks, t -> {
            int r0 = t * rows, r1 = Math.min(m, r0 + rows);
            if (VectorSupport.ENABLED) BatchNormVector.backwardSums(x, xOff, dy, dyOff, r0, r1, c, mu, is, pdy, pdyx, t * c);
            else BatchNormReference.backwardSums(x, xOff, dy, dyOff, r0, r1, c, mu, is, pdy, pdyx, t * c);
        });
        float[] sdy = new float[c], sdyx = new float[c];
        combine(pdy, chunks, c, 1.0, sdy);
        combine(pdyx, chunks, c, 1.0, sdyx);
        // dx = a·dy + k1·x + k0 with a = gamma·invStd, k1 = -a·invStd·dgamma/M, k0 = -a·dbeta/M - k1·mean
        float[] a = new float[c], k1 = new float[c], k0 = new float[c];
        for (int j = 0; j < c; j++) {
            dbeta[dbOff + j] = sdy[j];
            dgamma[dgOff + j] = sdyx[j];
            double aj = (double) gamma[gOff + j] * is[j];
            double k1j = -aj * is[j] * sdyx[j] / m;
            a[j] = (float) aj;
            k1[j] = (float) k1j;
            k0[j] = (float) (-aj * sdy[j] / m - k1j * mu[j]);
        }
        Parallel.forEach(chunks, t -> {
            int r0 = t * rows, r1 = Math.min(m, r0 + rows);
            if (VectorSupport.ENABLED) BatchNormVector.backwardDx(x, xOff, dy, dyOff, r0, r1, c, a, k1, k0, dx, dxOff);
            else BatchNormReference.backwardDx(x, xOff, dy, dyOff, r0, r1, c, a, k1, k0, dx, dxOff);
        });
    }

    /**
     * Keras moving-average update: {@code moving = moving·momentum + batch·(1 - momentum)} for mean and
     * (biased) variance; Keras' default momentum is 0.99. All arrays [C].
     */
    public static void updateMoving(int c, float momentum, float[] movingMean, int mmOff, float[] movingVar, int mvOff,
                                    float[] mean, int meanOff, float[] var, int varOff) {
        for (int j = 0; j < c; j++) {
            movingMean[mmOff + j] = movingMean[mmOff + j] * momentum + mean[meanOff + j] * (1 - momentum);
            movingVar[mvOff + j] = movingVar[mvOff + j] * momentum + var[varOff + j] * (1 - momentum);
        }
    }

    private static void affine(int m, int c, float[] x, int xOff, float[] scale, float[] shift, float[] y, int yOff) {
        int rows = chunkRows(c), chunks = (m + rows - 1) / rows;
        Parallel.forEach(chunks, t -> {
            int r0 = t * rows, r1 = Math.min(m, r0 + rows);
            if (VectorSupport.ENABLED) BatchNormVector.affine(x, xOff, r0, r1, c, scale, shift, y, yOff);
            else BatchNormReference.affine(x, xOff, r0, r1, c, scale, shift, y, yOff);
        });
    }

    /** out[j] = factor · sum over chunks (in order, in double) of part[t, j]. */
    private static void combine(float[] part, int chunks, int c, double factor, float[] out) {
        for (int j = 0; j < c; j++) {
            double acc = 0;
            for (int t = 0; t < chunks; t++) acc += part[t * c + j];
            out[j] = (float) (acc * factor);
        }
    }

    static void checkSizes(String kernel, int m, int c) {
        if (m <= 0 || c <= 0) throw new IllegalArgumentException(kernel + ": sizes must be positive, got x [" + m + ", " + c + "]");
    }

    static void check(String kernel, String name, float[] a, int off, long size, int m, int c) {
        if (a == null || off < 0 || off + size > a.length) {
            throw new IllegalArgumentException(kernel + ": " + name + " needs " + size + " elements from offset " + off
                    + " but has length " + (a == null ? "null" : String.valueOf(a.length)) + " (x [" + m + ", " + c + "])");
        }
    }
}
