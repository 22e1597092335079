package dev.weft.engine.kernels;

/**
 * The scalar twin of {@link BatchNorm}: the whole kernels written plainly with double accumulators
 * (the test oracle), and the per-chunk scalar loops {@link BatchNorm} runs without the Vector API.
 */
public final class BatchNormReference {
    private BatchNormReference() {}

    /** Same contract as {@link BatchNorm#forwardTraining}. */
    public static void forwardTraining(int m, int c, float[] x, int xOff, float[] gamma, int gOff, float[] beta, int bOff,
                                       float eps, float[] y, int yOff, float[] mean, int meanOff, float[] var, int varOff,
                                       float[] invStd, int isOff) {
        BatchNorm.checkSizes("BatchNormReference.forwardTraining", m, c);
        BatchNorm.check("BatchNormReference.forwardTraining", "x", x, xOff, (long) m * c, m, c);
        for (int j = 0; j < c; j++) {
            double s = 0;
            for (int r = 0; r < m; r++) s += x[xOff + r * c + j];
            double mu = s / m, ss = 0;
            for (int r = 0; r < m; r++) { double d = x[xOff + r * c + j] - mu; ss += d * d; }
            double v = ss / m, is = 1 / Math.sqrt(v + eps);
            mean[meanOff + j] = (float) mu;
            var[varOff + j] = (float) v;
            invStd[isOff + j] = (float) is;
            for (int r = 0; r < m; r++) y[yOff + r * c + j] = (float) (gamma[gOff + j] * (x[xOff + r * c + j] - mu) * is + beta[bOff + j]);
        }
    }

    /** Same contract as {@link BatchNorm#forwardInference}. */
    public static void forwardInference(int m, int c, float[] x, int xOff, float[] gamma, int gOff, float[] beta, int bOff,
                                        float[] movingMean, int mmOff, float[] movingVar, int mvOff, float eps,
                                        float[] y, int yOff) {
        BatchNorm.checkSizes("BatchNormReference.forwardInference", m, c);
        BatchNorm.check("BatchNormReference.forwardInference", "x", x, xOff, (long) m * c, m, c);
        for (int j = 0; j < c; j++) {
            double is = 1 / Math.sqrt((double) movingVar[mvOff + j] + eps);
            for (int r = 0; r < m; r++)
                y[yOff + r * c + j] = (float) (gamma[gOff + j] * (x[xOff + r * c + j] - movingMean[mmOff + j]) * is + beta[bOff + j]);
        }
    }

    /** Same contract as {@link BatchNorm#backward}. */
    public static void backward(int m, int c, float[] x, int xOff, float[] dy, int dyOff, float[] gamma, int gOff,
                                float[] mean, int meanOff, float[] invStd, int isOff,
                                float[] dx, int dxOff, float[] dgamma, int dgOff, float[] dbeta, int dbOff) {
        BatchNorm.checkSizes("BatchNormReference.backward", m, c);
        BatchNorm.check("BatchNormReference.backward", "x", x, xOff, (long) m * c, m, c);
        for (int j = 0; j < c; j++) {
            double mu = mean[meanOff + j], is = invStd[isOff + j], sdy = 0, sdyx = 0;
            for (int r = 0; r < m; r++) {
                double g = dy[dyOff + r * c + j];
                sdy += g;
                sdyx += g * (x[xOff + r * c + j] - mu) * is;
            }
            dbeta[dbOff + j] = (float) sdy;
            dgamma[dgOff + j] = (float) sdyx;
            double a = gamma[gOff + j] * is;
            for (int r = 0; r < m; r++) {
                double xhat = (x[xOff + r * c + j] - mu) * is;
                dx[dxOff + r * c + j] = (float) (a * (dy[dyOff + r * c + j] - sdy / m - xhat * sdyx / m));
            }
        }
    }

    // ---- per-chunk scalar loops used by BatchNorm without the Vector API (rows [r0, r1) of x [M, C])

    static void sumRows(float[] x, int xOff, int r0, int r1, int c, float[] out, int o) {
        for (int j = 0; j < c; j++) out[o + j] = 0f;
        for (int r = r0; r < r1; r++)
            for (int j = 0; j < c; j++) out[o + j] += x[xOff + r * c + j];
    }

    static void sumSquaredDeviations(float[] x, int xOff, int r0, int r1, int c, float[] mean, float[] out, int o) {
        for (int j = 0; j < c; j++) out[o + j] = 0f;
        for (int r = r0; r < r1; r++)
            for (int j = 0; j < c; j++) { float d = x[xOff + r * c + j] - mean[j]; out[o + j] += d * d; }
    }

    static void affine(float[] x, int xOff, int r0, int r1, int c, float[] scale, float[] shift, float[] y, int yOff) {
        for (int r = r0; r < r1; r++)
            for (int j = 0; j < c; j++) y[yOff + r * c + j] = x[xOff + r * c + j] * scale[j] + shift[j];
    }

    static void backwardSums(float[] x, int xOff, float[] dy, int dyOff, int r0, int r1, int c, float[] mean, float[] invStd,
                             float[] sdy, float[] sdyx, int o) {
        for (int j = 0; j < c; j++) { sdy[o + j] = 0f; sdyx[o + j] = 0f; }
        for (int r = r0; r < r1; r++)
            for (int j = 0; j < c; j++) {
                float g = dy[dyOff + r * c + j];
                sdy[o + j] += g;
                sdyx[o + j] += g * ((x[xOff + r * c + j] - mean[j]) * invStd[j]);
            }
    }

    static void backwardDx(float[] x, int xOff, float[] dy, int dyOff, int r0, int r1, int c, float[] a, float[] k1, float[] k0,
                           float[] dx, int dxOff) {
        for (int r = r0; r < r1; r++)
            for (int j = 0; j < c; j++)
                dx[dxOff + r * c + j] = a[j] * dy[dyOff + r * c + j] + k1[j] * x[xOff + r * c + j] + k0[j];
    }
}
