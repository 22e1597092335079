package dev.weft.zoo.train;

import dev.weft.engine.Rng;
import dev.weft.engine.Tensor;
import dev.weft.nn.Sequential;
import dev.weft.nn.layers.Dense;
import dev.weft.nn.layers.Dropout;

/** Small seeded problems and models for the training-loop tests. */
public final class Toy {
    private Toy() {}

    /** Three Gaussian blobs in 2-D: x [n, 2], class indices y [n] (as floats). */
    public static Tensor[] blobs(int n, long seed) {
        Rng rng = new Rng(seed);
        float[][] centers = {{-2f, -2f}, {2f, -2f}, {0f, 2.5f}};
        float[] x = new float[n * 2], y = new float[n];
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            y[i] = c;
            x[2 * i] = centers[c][0] + (float) (0.6 * rng.nextGaussian());
            x[2 * i + 1] = centers[c][1] + (float) (0.6 * rng.nextGaussian());
        }
        return new Tensor[] {Tensor.of(x, n, 2), Tensor.of(y, n)};
    }

    /** Dense(16, relu) → Dense(3, softmax), weights from {@code seed}. */
    public static Sequential classifier(long seed) {
        Rng rng = new Rng(seed);
        Sequential m = new Sequential(new Dense(16).activation("relu").withRng(rng), new Dense(3).activation("softmax").withRng(rng));
        m.input(2);
        return m;
    }

    /** Dense(16, relu) → Dropout(0.5, seeded) → Dense(3, softmax). */
    public static Sequential classifierWithDropout(long seed) {
        Rng rng = new Rng(seed);
        Sequential m = new Sequential(new Dense(16).activation("relu").withRng(rng), new Dropout(0.5, seed + 1),
                new Dense(3).activation("softmax").withRng(rng));
        m.input(2);
        return m;
    }
}
