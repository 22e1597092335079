package dev.weft.nn.layers;

import dev.weft.engine.Tensor;
import dev.weft.engine.ops.BatchNormOp;
import dev.weft.nn.Layer;
import java.util.List;

/**
 * Keras {@code BatchNormalization(momentum=0.99, epsilon=1e-3)} over the last axis (after Conv2D:
 * the channels; after Dense: the features).
 *
 * <p>Weights: {@code gamma} (ones) and {@code beta} (zeros) are trained; {@code moving_mean} (zeros)
 * and {@code moving_variance} (ones) are buffers, counted as non-trainable parameters (4·C in all).
 * Training mode normalises with the batch mean and the biased batch variance and then updates
 * {@code moving = momentum·moving + (1 - momentum)·batch} with that same biased variance, as Keras 3
 * does; inference mode ({@link #eval()}) normalises with the moving statistics.
 */
public class BatchNormalization extends Layer {
    private float momentum = 0.99f, epsilon = 1e-3f;
    private Tensor gamma, beta;

    /** Momentum of the moving averages (default 0.99); returns this. */
    public BatchNormalization momentum(double m) {
        if (!(m >= 0 && m <= 1)) throw new IllegalArgumentException("BatchNormalization: momentum must be in [0, 1], got " + m);
        this.momentum = (float) m;
        return this;
    }

    /** Added to the variance (default 1e-3); returns this. */
    public BatchNormalization epsilon(double e) {
        if (!(e > 0)) throw new IllegalArgumentException("BatchNormalization: epsilon must be > 0, got " + e);
        this.epsilon = (float) e;
        return this;
    }

    /** Scale {@code [C]}. */
    public Tensor gamma() { return gamma; }
    /** Offset {@code [C]}. */
    public Tensor beta() { return beta; }
    /** Moving mean {@code [C]} (buffer). */
    public Tensor movingMean() { return namedBuffers().get("moving_mean"); }
    /** Moving (biased) variance {@code [C]} (buffer). */
    public Tensor movingVariance() { return namedBuffers().get("moving_variance"); }

    @Override protected int[] computeOutputShape(int[][] in) {
        int[] s = single(in);
        if (s.length == 0)
            throw new IllegalArgumentException(describe() + ": expects input [N, ..., C], got shape " + batchShapeString(s));
        if (gamma != null && s[s.length - 1] != gamma.size(0))
            throw new IllegalArgumentException(describe() + ": input " + batchShapeString(s) + " has " + s[s.length - 1]
                    + " channels on the last axis, but the layer was built for " + gamma.size(0));
        return s.clone();
    }

    @Override protected void doBuild(int[][] in) {
        int c = in[0][in[0].length - 1];
        gamma = registerParameter("gamma", Tensor.ones(c));
        beta = registerParameter("beta", Tensor.zeros(c));
        registerBuffer("moving_mean", Tensor.zeros(c));
        registerBuffer("moving_variance", Tensor.ones(c));
    }

    @Override protected Tensor compute(List<Tensor> inputs) {
        Tensor x = inputs.get(0);
        if (!isTraining()) return BatchNormOp.inference(x, gamma, beta, movingMean(), movingVariance(), epsilon);
        BatchNormOp.Result r = BatchNormOp.training(x, gamma, beta, epsilon);
        try (var ignored = Tensor.noGrad()) {
            // in place, so references taken from stateDict() stay live
            Tensor mm = movingMean(), mv = movingVariance();
            mm.copyFrom(mm.mul(momentum).add(r.mean().mul(1 - momentum)));
            mv.copyFrom(mv.mul(momentum).add(r.variance().mul(1 - momentum)));
        }
        return r.output();
    }
}
