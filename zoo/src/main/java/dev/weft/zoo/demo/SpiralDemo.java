package dev.weft.zoo.demo;

import dev.weft.engine.IntTensor;
import dev.weft.engine.Rng;
import dev.weft.engine.Tensor;
import dev.weft.engine.autograd.GradMode;
import java.io.PrintStream;
import java.util.Locale;

/**
 * The smallest end-to-end example: a two-layer network learns to separate three interleaved
 * spirals, using nothing but engine tensors and autograd (no layers, no optimizer classes), so
 * every step of training is visible in one screen of code.
 */
public final class SpiralDemo {
    private SpiralDemo() {}

    /** Final numbers of a run, for tests and the caller. */
    public record Result(float firstLoss, float lastLoss, float accuracy) {}

    /** Trains for {@code steps} full-batch SGD steps, printing the loss as it falls. */
    public static Result run(long seed, int steps, PrintStream out) {
        Rng rng = new Rng(seed);
        int perClass = 100, classes = 3, hidden = 64;
        Tensor x = spirals(rng, perClass, classes);                  // x: [300, 2]
        IntTensor labels = spiralLabels(perClass, classes);          // labels: [300]

        // Parameters: Glorot-uniform weights, zero biases.
        Tensor w1 = glorot(rng, 2, hidden), b1 = Tensor.zeros(hidden).requiresGrad(true);
        Tensor w2 = glorot(rng, hidden, classes), b2 = Tensor.zeros(classes).requiresGrad(true);
        Tensor[] params = {w1, b1, w2, b2};
        float lr = 1.0f, first = Float.NaN, loss = Float.NaN;

        out.printf(Locale.ROOT, "Two-layer network (2 -> %d ReLU -> %d) on %d spiral points, full-batch SGD, lr %.1f%n",
                hidden, classes, perClass * classes, lr);
        for (int step = 0; step <= steps; step++) {
            Tensor logits = x.matmul(w1).add(b1).relu().matmul(w2).add(b2);   // [300, 3]
            // Cross-entropy: mean over samples of -log softmax(logits)[label].
            Tensor nll = logits.logSoftmax(1).gather(1, labels.reshape(-1, 1)).neg().mean();
            loss = nll.item();
            if (step == 0) first = loss;
            if (step % (steps / 10) == 0 || step == steps)
                out.printf(Locale.ROOT, "step %4d  loss %.4f%n", step, loss);
            if (step == steps) break;
            for (Tensor p : params) p.zeroGrad();
            nll.backward();
            try (GradMode.Scope ignored = GradMode.noGrad()) {
                for (Tensor p : params) p.copyFrom(p.sub(p.grad().mul(lr)));   // p -= lr * dL/dp
            }
        }
        float accuracy = accuracy(x.matmul(w1).add(b1).relu().matmul(w2).add(b2), labels);
        out.printf(Locale.ROOT, "training accuracy %.1f%%%n", 100 * accuracy);
        return new Result(first, loss, accuracy);
    }

    private static Tensor glorot(Rng rng, int fanIn, int fanOut) {
        float limit = (float) Math.sqrt(6.0 / (fanIn + fanOut));
        return Tensor.uniform(rng, -limit, limit, fanIn, fanOut).requiresGrad(true);
    }

    // Class k's points lie on an arm turning through 4 radians, offset by k·2π/3, with noise.
    private static Tensor spirals(Rng rng, int perClass, int classes) {
        float[] d = new float[perClass * classes * 2];
        for (int k = 0; k < classes; k++) {
            for (int i = 0; i < perClass; i++) {
                double r = (double) i / perClass;
                double t = k * 2 * Math.PI / classes + 4 * r + 0.2 * rng.nextGaussian();
                int row = k * perClass + i;
                d[2 * row] = (float) (r * Math.sin(t));
                d[2 * row + 1] = (float) (r * Math.cos(t));
            }
        }
        return Tensor.of(d, perClass * classes, 2);
    }

    private static IntTensor spiralLabels(int perClass, int classes) {
        int[] l = new int[perClass * classes];
        for (int i = 0; i < l.length; i++) l[i] = i / perClass;
        return IntTensor.of(l, l.length);
    }

    private static float accuracy(Tensor logits, IntTensor labels) {
        int[] pred = logits.argmax(1).data(), truth = labels.data();
        int hit = 0;
        for (int i = 0; i < pred.length; i++) if (pred[i] == truth[i]) hit++;
        return (float) hit / pred.length;
    }
}
