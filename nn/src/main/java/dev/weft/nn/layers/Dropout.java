package dev.weft.nn.layers;

import dev.weft.engine.Rng;
import dev.weft.engine.Tensor;
import dev.weft.nn.Layer;
import java.util.List;

/**
 * Keras {@code Dropout(rate, seed)}: in training, zeroes each element with probability {@code rate}
 * and scales the others by {@code 1/(1-rate)}; the identity in inference mode ({@link #eval()}).
 * With a seed the masks are a reproducible sequence; without one they come from the layer's
 * generator ({@link #rng()}, by default {@link Rng#global()}).
 */
public class Dropout extends Layer {
    private final float rate;
    private Rng maskRng;

    /** Dropout with {@code rate} in [0, 1). */
    public Dropout(double rate) {
        if (!(rate >= 0 && rate < 1)) throw new IllegalArgumentException("Dropout: rate must be in [0, 1), got " + rate);
        this.rate = (float) rate;
    }

    /** Dropout with a seeded mask generator. */
    public Dropout(double rate, long seed) {
        this(rate);
        this.maskRng = new Rng(seed);
    }

    /** The drop probability. */
    public float rate() { return rate; }

    @Override protected int[] computeOutputShape(int[][] in) { return single(in).clone(); }

    @Override protected Tensor compute(List<Tensor> inputs) {
        return inputs.get(0).dropout(rate, isTraining(), maskRng != null ? maskRng : rng());
    }
}
