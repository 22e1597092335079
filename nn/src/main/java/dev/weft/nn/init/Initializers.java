package dev.weft.nn.init;

import dev.weft.engine.Rng;
import dev.weft.engine.Tensor;
import java.util.Arrays;

/**
 * The Keras initializers, with Keras' defaults and scales.
 *
 * <p>Variance-scaling family ({@code n} = fan per {@link Fans}):
 * <ul>
 *   <li>glorot: scale 1, n = (fanIn + fanOut)/2; he: scale 2, n = fanIn; lecun: scale 1, n = fanIn;</li>
 *   <li>uniform variants draw from ±sqrt(3·scale/n);</li>
 *   <li>normal variants draw from a normal truncated at two standard deviations with
 *       stddev = sqrt(scale/n) / 0.87962566103423978 (the stddev of a unit normal truncated at ±2),
 *       so the drawn values have variance scale/n — exactly as Keras does.</li>
 * </ul>
 *
 * <pre>{@code
 * Tensor w = Initializers.heNormal().init(new Rng(7), 3, 3, 16, 32);   // conv kernel, fanIn = 3·3·16
 * }</pre>
 */
public final class Initializers {
    private Initializers() {}

    /** Stddev of a standard normal truncated to [-2, 2]. */
    static final double TRUNCATED_STD = .87962566103423978;

    /** Keras variance-scaling modes. */
    public enum Mode { FAN_IN, FAN_OUT, FAN_AVG }

    /** Keras variance-scaling distributions. */
    public enum Distribution { TRUNCATED_NORMAL, UNTRUNCATED_NORMAL, UNIFORM }

    /** Keras {@code VarianceScaling(scale, mode, distribution)}. */
    public static Initializer varianceScaling(double scale, Mode mode, Distribution distribution) {
        if (!(scale > 0)) throw new IllegalArgumentException("VarianceScaling: scale must be > 0, got " + scale);
        return (rng, shape) -> {
            Fans f = Fans.of(shape);
            double n = Math.max(1.0, switch (mode) {
                case FAN_IN -> f.fanIn();
                case FAN_OUT -> f.fanOut();
                case FAN_AVG -> f.fanAvg();
            });
            double s = scale / n;
            return switch (distribution) {
                case TRUNCATED_NORMAL -> truncated(rng, 0, Math.sqrt(s) / TRUNCATED_STD, shape);
                case UNTRUNCATED_NORMAL -> Tensor.normal(rng, 0f, (float) Math.sqrt(s), shape);
                case UNIFORM -> {
                    float limit = (float) Math.sqrt(3 * s);
                    yield Tensor.uniform(rng, -limit, limit, shape);
                }
            };
        };
    }

    /** Keras default kernel initializer: U(±sqrt(6/(fanIn+fanOut))). */
    public static Initializer glorotUniform() { return varianceScaling(1, Mode.FAN_AVG, Distribution.UNIFORM); }
    /** Truncated normal with variance 2/(fanIn+fanOut). */
    public static Initializer glorotNormal() { return varianceScaling(1, Mode.FAN_AVG, Distribution.TRUNCATED_NORMAL); }
    /** U(±sqrt(6/fanIn)). */
    public static Initializer heUniform() { return varianceScaling(2, Mode.FAN_IN, Distribution.UNIFORM); }
    /** Truncated normal with variance 2/fanIn. */
    public static Initializer heNormal() { return varianceScaling(2, Mode.FAN_IN, Distribution.TRUNCATED_NORMAL); }
    /** U(±sqrt(3/fanIn)). */
    public static Initializer lecunUniform() { return varianceScaling(1, Mode.FAN_IN, Distribution.UNIFORM); }
    /** Truncated normal with variance 1/fanIn. */
    public static Initializer lecunNormal() { return varianceScaling(1, Mode.FAN_IN, Distribution.TRUNCATED_NORMAL); }

    /** U(min, max). Keras' RandomUniform default is (-0.05, 0.05). */
    public static Initializer uniform(float min, float max) {
        if (!(min < max)) throw new IllegalArgumentException("RandomUniform: need min < max, got " + min + ", " + max);
        return (rng, shape) -> Tensor.uniform(rng, min, max, shape);
    }

    /** N(mean, stddev²). Keras' RandomNormal default is (0, 0.05). */
    public static Initializer normal(float mean, float stddev) {
        if (!(stddev >= 0)) throw new IllegalArgumentException("RandomNormal: stddev must be >= 0, got " + stddev);
        return (rng, shape) -> Tensor.normal(rng, mean, stddev, shape);
    }

    /** N(mean, stddev²) with values farther than 2·stddev from the mean redrawn (Keras TruncatedNormal). */
    public static Initializer truncatedNormal(float mean, float stddev) {
        if (!(stddev >= 0)) throw new IllegalArgumentException("TruncatedNormal: stddev must be >= 0, got " + stddev);
        return (rng, shape) -> truncated(rng, mean, stddev, shape);
    }

    /** All zeros. */
    public static Initializer zeros() { return (rng, shape) -> Tensor.zeros(shape); }
    /** All ones. */
    public static Initializer ones() { return (rng, shape) -> Tensor.ones(shape); }
    /** All {@code value}. */
    public static Initializer constant(float value) { return (rng, shape) -> Tensor.full(value, shape); }

    /**
     * Keras Orthogonal(gain): the weight viewed as a matrix {@code [prod(shape[:-1]), shape[-1]]} has
     * orthonormal columns (or rows, when it is wider than tall), times {@code gain}. Made by a QR
     * decomposition of a Gaussian matrix with the signs fixed so that diag(R) &gt; 0.
     */
    public static Initializer orthogonal(float gain) {
        return (rng, shape) -> {
            if (shape.length < 2)
                throw new IllegalArgumentException("Orthogonal: needs a weight of rank >= 2, got shape " + Arrays.toString(shape));
            int cols = shape[shape.length - 1];
            int rows = 1;
            for (int i = 0; i < shape.length - 1; i++) rows *= shape[i];
            int tall = Math.max(rows, cols), narrow = Math.min(rows, cols);
            // a: [tall, narrow] Gaussian; orthonormalise its columns (modified Gram-Schmidt in double).
            double[][] q = new double[narrow][tall]; // column-major: q[j] is column j
            for (int i = 0; i < tall; i++)
                for (int j = 0; j < narrow; j++) q[j][i] = rng.nextGaussian();
            for (int j = 0; j < narrow; j++) {
                for (int k = 0; k < j; k++) {
                    double dot = 0;
                    for (int i = 0; i < tall; i++) dot += q[k][i] * q[j][i];
                    for (int i = 0; i < tall; i++) q[j][i] -= dot * q[k][i];
                }
                double norm = 0;
                for (int i = 0; i < tall; i++) norm += q[j][i] * q[j][i];
                norm = Math.sqrt(norm);
                // Gram-Schmidt yields R with a positive diagonal: the sign-corrected Q Keras uses.
                for (int i = 0; i < tall; i++) q[j][i] /= norm;
            }
            float[] out = new float[rows * cols];
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < cols; c++)
                    out[r * cols + c] = (float) (gain * (rows >= cols ? q[c][r] : q[r][c]));
            return Tensor.of(out, shape);
        };
    }

    /** Orthogonal with gain 1. */
    public static Initializer orthogonal() { return orthogonal(1f); }

    private static Tensor truncated(Rng rng, double mean, double std, int... shape) {
        Tensor t = Tensor.zeros(shape);
        float[] d = t.storage();
        for (int i = 0; i < d.length; i++) {
            double z;
            do { z = rng.nextGaussian(); } while (Math.abs(z) > 2);
            d[i] = (float) (mean + std * z);
        }
        return t;
    }
}
