package dev.weft.zoo.callbacks;

import static org.junit.jupiter.api.Assertions.*;
import static dev.weft.zoo.callbacks.CallbackTestSupport.*;

import dev.weft.engine.Tensor;
import dev.weft.zoo.train.Batches;
import dev.weft.zoo.train.FitOptions;
import dev.weft.zoo.train.History;
import dev.weft.zoo.train.Toy;
import dev.weft.zoo.train.Trainer;
import org.junit.jupiter.api.Test;

class EarlyStoppingTest {
    /** Runs scripted values through the callback; returns the epoch at which it asked to stop, or -1. */
    static int drive(Trainer t, EarlyStopping es, String key, double... values) {
        t.setStopTraining(false);
        es.setTrainer(t);
        es.onTrainBegin(logs());
        for (int e = 0; e < values.length; e++) {
            fill(t, e);
            es.onEpochEnd(e, logs(key, values[e]));
            if (t.isStopTraining()) return e;
        }
        return -1;
    }

    @Test
    void stopsAfterPatienceEpochsWithoutImprovement() {
        Trainer t = trainer(1);
        // best at epoch 1; epochs 2 and 3 do not improve -> wait reaches 2 at epoch 3
        assertEquals(3, drive(t, new EarlyStopping("val_loss", 2), "val_loss", 1.0, 0.5, 0.6, 0.7, 0.1));
        // patience 0 stops at the first non-improving epoch
        assertEquals(2, drive(t, new EarlyStopping("val_loss", 0), "val_loss", 1.0, 0.5, 0.6));
        // never stops while improving
        assertEquals(-1, drive(t, new EarlyStopping("val_loss", 1), "val_loss", 3, 2, 1, 0.5));
    }

    @Test
    void minDeltaAndMaxMode() {
        Trainer t = trainer(2);
        // 0.95 and 0.9 are not below best - 0.1 -> stop at epoch 2
        assertEquals(2, drive(t, new EarlyStopping("val_loss", 2).minDelta(0.1), "val_loss", 1.0, 0.95, 0.9, 0.5));
        // accuracy: AUTO means MAX; a falling accuracy does not improve
        assertEquals(1, drive(t, new EarlyStopping("val_accuracy", 1), "val_accuracy", 0.9, 0.8));
        assertEquals(-1, drive(t, new EarlyStopping("val_accuracy", 1), "val_accuracy", 0.8, 0.9));
    }

    @Test
    void restoresTheBestEpochsWeightsWhenStopping() {
        Trainer t = trainer(3);
        EarlyStopping es = new EarlyStopping("val_loss", 2).restoreBestWeights(true);
        assertEquals(3, drive(t, es, "val_loss", 1.0, 0.5, 0.6, 0.7));
        assertEquals(1, es.bestEpoch());
        assertEquals(3, es.stoppedEpoch());
        assertTrue(allEqual(t.module().stateDict(), 1f), "weights of epoch 1 (filled with 1)");
        // without restoring, the last weights stay
        EarlyStopping keep = new EarlyStopping("val_loss", 2);
        drive(t, keep, "val_loss", 1.0, 0.5, 0.6, 0.7);
        assertTrue(allEqual(t.module().stateDict(), 3f));
    }

    @Test
    void baselineMustBeBeatenToResetTheWait() {
        Trainer t = trainer(4);
        // Keras: an improvement that does not beat the baseline leaves the wait growing, so the first
        // non-improving epoch (2) already exhausts patience 2; without a baseline the wait was reset
        assertEquals(2, drive(t, new EarlyStopping("val_loss", 2).baseline(0.1), "val_loss", 1.0, 0.9, 0.95, 0.97));
        assertEquals(3, drive(t, new EarlyStopping("val_loss", 2), "val_loss", 1.0, 0.9, 0.95, 0.97));
    }

    @Test
    void stopsFitEarly() {
        Tensor[] d = Toy.blobs(12, 5);
        Trainer t = trainer(6);
        // training loss falls each epoch, so in MAX mode it never improves after epoch 0
        EarlyStopping es = new EarlyStopping("loss", 1).mode(Monitor.MAX);
        History h = t.fit(Batches.of(d[0], d[1], 4), FitOptions.epochs(10).verbose(0).callbacks(es));
        assertEquals(2, h.get("loss").size());
        assertEquals(1, es.stoppedEpoch());
    }
}
