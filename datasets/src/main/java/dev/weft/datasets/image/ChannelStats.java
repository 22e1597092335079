package dev.weft.datasets.image;

import dev.weft.datasets.ImageSet;
import dev.weft.datasets.PixelScale;
import dev.weft.engine.Tensor;

/**
 * Per-channel mean and standard deviation, for "standardise each channel" normalisation
 * {@code (x - mean[c]) / std[c]} over channels-last data.
 *
 * @param mean per-channel mean
 * @param std  per-channel population standard deviation (as numpy's {@code std()})
 */
public record ChannelStats(float[] mean, float[] std) {

    /** Computes the statistics of a set's pixels after {@code scale} (in double precision). */
    public static ChannelStats of(ImageSet set, PixelScale scale) {
        int c = set.channels();
        double[] sum = new double[c], sq = new double[c];
        float[] table = scale.table();
        long[] hist = new long[c * 256];
        for (int i = 0; i < set.size(); i++) {
            byte[] img = set.imageBytes(i);
            for (int k = 0; k < img.length; k++) hist[(k % c) * 256 + (img[k] & 0xFF)]++;
        }
        long count = (long) set.size() * set.height() * set.width();
        float[] mean = new float[c], std = new float[c];
        for (int ch = 0; ch < c; ch++) {
            for (int v = 0; v < 256; v++) {
                double x = table[v];
                long h = hist[ch * 256 + v];
                sum[ch] += h * x;
                sq[ch] += h * x * x;
            }
            double m = count == 0 ? 0 : sum[ch] / count;
            double var = count == 0 ? 0 : Math.max(0, sq[ch] / count - m * m);
            mean[ch] = (float) m;
            std[ch] = (float) Math.sqrt(var);
        }
        return new ChannelStats(mean, std);
    }

    /** Standardises channels-last values in place: {@code x[k] = (x[k] - mean[c]) / std[c]} with {@code c = k % channels}. */
    public float[] applyInPlace(float[] x) {
        int c = mean.length;
        for (int k = 0; k < x.length; k++) {
            int ch = k % c;
            x[k] = (x[k] - mean[ch]) / (std[ch] == 0 ? 1f : std[ch]);
        }
        return x;
    }

    /** A standardised copy of a channels-last tensor (last dimension = channels). */
    public Tensor apply(Tensor x) {
        int[] s = x.shape();
        if (s.length == 0 || s[s.length - 1] != mean.length)
            throw new IllegalArgumentException("last dimension must be the " + mean.length + " channels");
        return Tensor.of(applyInPlace(x.toFloatArray()), s);
    }
}
