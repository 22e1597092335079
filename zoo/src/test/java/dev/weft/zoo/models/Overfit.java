package dev.weft.zoo.models;

import dev.weft.engine.Tensor;
import dev.weft.zoo.train.Trainer;
import java.util.ArrayList;
import java.util.List;

/** Repeats training steps on one fixed batch, the classic "can it memorise?" check. */
final class Overfit {
    private Overfit() {}

    /** Runs up to {@code maxSteps} steps on {@code (x, y)}; stops early once the training loss is below {@code stopBelow}; returns the losses. */
    static List<Double> run(Trainer trainer, Tensor x, Tensor y, int maxSteps, double stopBelow) {
        List<Double> losses = new ArrayList<>();
        for (int i = 0; i < maxSteps; i++) {
            double loss = trainer.trainOnBatch(x, y).get("loss");
            losses.add(loss);
            if (loss < stopBelow) break;
        }
        return losses;
    }

    /** The first, then every tenth value, for failure messages. */
    static String trace(List<Double> losses) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < losses.size(); i++)
            if (i % 10 == 0 || i == losses.size() - 1) sb.append(String.format(" [%d] %.4f", i, losses.get(i)));
        return sb.toString();
    }
}
