package dev.weft.zoo.metrics;

import dev.weft.engine.Shape;
import dev.weft.engine.Tensor;
import java.util.Arrays;

/**
 * Keras' {@code BinaryAccuracy(threshold=0.5)}: a prediction counts as 1 when it is strictly above
 * the threshold, else 0, and is compared with the 0/1 target. Per sample, the mean over the last
 * dim ({@code [N, 1]} predictions: one value per sample); 1-D predictions {@code [N]} are one value
 * per sample. Targets have the predictions' shape, or differ from it only by a trailing 1.
 *
 * <p><b>From logits.</b> The default threshold 0.5 is for probabilities (after a sigmoid). For a
 * model that outputs logits use {@link #fromLogits()}: threshold 0, since
 * {@code sigmoid(z) > 0.5 ⇔ z > 0} (Keras users write {@code BinaryAccuracy(threshold=0.0)}).
 */
public final class BinaryAccuracy extends MeanMetric {
    private final float threshold;

    /** Threshold 0.5 on probabilities; logged as {@code binary_accuracy}. */
    public BinaryAccuracy() { this("binary_accuracy", 0.5f); }

    /** A custom threshold, logged under {@code name}. */
    public BinaryAccuracy(String name, float threshold) {
        super(name);
        if (!Float.isFinite(threshold)) throw new IllegalArgumentException(name + ": threshold must be finite, got " + threshold);
        this.threshold = threshold;
    }

    /** For logits: threshold 0 (equivalent to 0.5 after a sigmoid); logged as {@code binary_accuracy}. */
    public static BinaryAccuracy fromLogits() { return new BinaryAccuracy("binary_accuracy", 0f); }

    /** The decision threshold. */
    public float threshold() { return threshold; }

    @Override protected double[] perSample(Tensor yPred, Tensor yTrue) {
        if (yPred.numel() != yTrue.numel() || !compatible(yPred.shape(), yTrue.shape()))
            throw new IllegalArgumentException(name() + ": targets " + Shape.str(yTrue.shape()) + " do not fit predictions "
                    + Shape.str(yPred.shape()) + " (same shape, or differing by a trailing 1)");
        float[] p = yPred.toFloatArray(), t = yTrue.toFloatArray();
        int per = yPred.dim() <= 1 ? 1 : yPred.size(-1);
        if (per == 0) return new double[0];
        double[] out = new double[p.length / per];
        for (int s = 0; s < out.length; s++) {
            int hits = 0;
            for (int j = s * per; j < (s + 1) * per; j++) if ((p[j] > threshold ? 1f : 0f) == t[j]) hits++;
            out[s] = (double) hits / per;
        }
        return out;
    }

    private static boolean compatible(int[] a, int[] b) {
        return Arrays.equals(a, b) || Arrays.equals(dropTrailingOne(a), dropTrailingOne(b));
    }

    private static int[] dropTrailingOne(int[] s) {
        return s.length > 1 && s[s.length - 1] == 1 ? Arrays.copyOf(s, s.length - 1) : s;
    }
}
