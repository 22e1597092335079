package dev.weft.zoo.callbacks;

import static org.junit.jupiter.api.Assertions.*;
import static dev.weft.zoo.callbacks.CallbackTestSupport.*;

import dev.weft.engine.Tensor;
import dev.weft.nn.optim.schedule.ReduceLROnPlateau;
import dev.weft.nn.optim.schedule.StepDecay;
import dev.weft.zoo.train.Batches;
import dev.weft.zoo.train.FitOptions;
import dev.weft.zoo.train.History;
import dev.weft.zoo.train.Toy;
import dev.weft.zoo.train.Trainer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LearningRateCallbacksTest {
    @Test
    void schedulerSetsTheRateEachEpochAndLogsIt() {
        Tensor[] d = Toy.blobs(12, 1);
        Trainer t = trainer(2);
        List<Float> seenInBatches = new java.util.ArrayList<>();
        Callback probe = new Callback() {
            @Override public void onBatchEnd(int step, Map<String, Double> logs) { if (step == 0) seenInBatches.add(t.optimizer().learningRate()); }
        };
        History h = t.fit(Batches.of(d[0], d[1], 4), FitOptions.epochs(3).verbose(0)
                .callbacks(new LearningRateScheduler((epoch, lr) -> 0.1f * (epoch + 1)), probe));
        assertEquals(List.of(0.1f, 0.2f, 0.3f), seenInBatches);
        assertEquals(List.of((double) 0.1f, (double) 0.2f, (double) 0.3f), h.get("learning_rate"));
        // the schedule receives the current rate (Keras' schedule(epoch, lr)): halving from epoch 1 on
        Trainer t2 = trainer(3);
        LearningRateScheduler halve = new LearningRateScheduler((epoch, lr) -> epoch == 0 ? lr : lr / 2);
        History h2 = t2.fit(Batches.of(d[0], d[1], 4), FitOptions.epochs(3).verbose(0).callbacks(halve));
        assertEquals(List.of((double) 0.1f, (double) 0.05f, (double) 0.025f), h2.get("learning_rate"));
    }

    @Test
    void perEpochDrivesAnNnSchedule() {
        Tensor[] d = Toy.blobs(12, 4);
        Trainer t = trainer(5);
        // StepDecay(1.0, 2, 0.5): 1, 1, 0.5, 0.5 by epoch
        History h = t.fit(Batches.of(d[0], d[1], 6), FitOptions.epochs(4).verbose(0)
                .callbacks(LearningRateScheduler.perEpoch(new StepDecay(1f, 2, 0.5f))));
        assertEquals(List.of(1.0, 1.0, 0.5, 0.5), h.get("learning_rate"));
    }

    @Test
    void reduceOnPlateauHalvesTheRateAfterPatience() {
        Trainer t = trainer(6);
        ReduceLROnPlateauCallback cb = new ReduceLROnPlateauCallback("val_loss",
                new ReduceLROnPlateau(t.optimizer(), ReduceLROnPlateau.Mode.MIN, 0.5f, 1, 0f, 0, 0f));
        cb.setTrainer(t);
        double[] val = {1.0, 1.0, 0.5, 0.6};
        // epoch 0 improves (0.1); epoch 1 does not -> 0.05; epoch 2 improves; epoch 3 does not -> 0.025
        float[] expected = {0.1f, 0.05f, 0.05f, 0.025f};
        for (int e = 0; e < val.length; e++) {
            Map<String, Double> logs = logs("val_loss", val[e]);
            cb.onEpochEnd(e, logs);
            assertEquals(expected[e], t.optimizer().learningRate(), "epoch " + e);
            assertEquals((double) expected[e], logs.get("learning_rate"));
        }
    }
}
