package dev.weft.nn.io;

import dev.weft.engine.Rng;
import dev.weft.engine.Tensor;
import dev.weft.nn.Module;

/**
 * Test-only model (independent of the layers package): two dense layers with Keras' [in, out]
 * kernels, a ReLU, an output scale buffer, optional dropout and a moving-mean buffer that each
 * training forward updates (so checkpoints must carry buffers too).
 */
final class TinyMlp extends Module {
    static final class Dense extends Module {
        final Tensor kernel, bias;

        Dense(Rng rng, int in, int out) {
            kernel = registerParameter("kernel", Tensor.uniform(rng, -0.5f, 0.5f, in, out));
            bias = registerParameter("bias", Tensor.uniform(rng, -0.1f, 0.1f, out));
        }

        Tensor forward(Tensor x) { return x.matmul(kernel).add(bias); }
    }

    final Dense dense1, dense2;
    final Tensor scale;
    private final float dropout;
    private Tensor movingMean;

    TinyMlp(Rng rng, int in, int hidden, int out, float dropout, boolean withMovingMean) {
        dense1 = registerModule("dense1", new Dense(rng, in, hidden));
        dense2 = registerModule("dense2", new Dense(rng, hidden, out));
        scale = registerBuffer("scale", Tensor.uniform(rng, 0.5f, 2f, out));
        this.dropout = dropout;
        if (withMovingMean) movingMean = registerBuffer("moving_mean", Tensor.zeros(out));
    }

    /** The seed-test shape: 4 → 3 → 2 with a scale buffer, no dropout. */
    static TinyMlp small(long seed) { return new TinyMlp(new Rng(seed), 4, 3, 2, 0f, false); }

    Tensor forward(Tensor x, Rng rng) {
        Tensor h = dense1.forward(x).relu();
        if (dropout > 0) h = h.dropout(dropout, isTraining(), rng);
        Tensor y = dense2.forward(h).mul(scale);
        if (movingMean != null && isTraining()) {
            try (var s = Tensor.noGrad()) {
                // moving = 0.9·moving + 0.1·batch mean, in place like BatchNormalization's statistics.
                Tensor next = movingMean.mul(0.9f).add(y.detach().mean(0, false).mul(0.1f));
                movingMean.copyFrom(next);
            }
        }
        return y;
    }
}
