package dev.weft.zoo.train;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.engine.Rng;
import dev.weft.engine.Tensor;
import dev.weft.nn.Sequential;
import dev.weft.nn.layers.BatchNormalization;
import dev.weft.nn.layers.Dense;
import dev.weft.nn.losses.SparseCategoricalCrossentropy;
import dev.weft.nn.optim.Adam;
import dev.weft.zoo.metrics.Metrics;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * fit, evaluate, predict, trainOnBatch and RawLoop switch the model between training and inference
 * mode, but a sublayer the user put in a mode of its own (a frozen BatchNormalization) keeps it.
 */
class TrainingModesTest {
    /** Dense(4, relu) → BatchNormalization → Dense(3, softmax) on 2 inputs. */
    private static Sequential withBatchNorm(BatchNormalization bn) {
        Rng rng = new Rng(3);
        Sequential m = new Sequential(new Dense(4).activation("relu").withRng(rng), bn, new Dense(3).activation("softmax").withRng(rng));
        m.input(2);
        return m;
    }

    private static Trainer trainer(Sequential m) {
        return new Trainer(m).compile(new Adam(m.namedParameters(), 0.05f), new SparseCategoricalCrossentropy(), Metrics.accuracy());
    }

    @Test
    void fitKeepsAFrozenBatchNormInInferenceMode() {
        Tensor[] d = Toy.blobs(30, 1);
        BatchNormalization bn = new BatchNormalization();
        Sequential model = withBatchNorm(bn);
        bn.eval();                                          // frozen: moving statistics must not move
        float[] mean = bn.movingMean().toFloatArray(), var = bn.movingVariance().toFloatArray();
        float[] gamma = bn.gamma().toFloatArray();
        AtomicInteger stepsInInference = new AtomicInteger();
        dev.weft.zoo.callbacks.Callback probe = new dev.weft.zoo.callbacks.Callback() {
            @Override public void onBatchEnd(int step, java.util.Map<String, Double> logs) {
                if (!bn.isTraining() && model.isTraining()) stepsInInference.incrementAndGet();
            }
        };
        Trainer t = trainer(model);
        t.fit(Batches.of(d[0], d[1], 10), FitOptions.epochs(2).verbose(0).validationData(Batches.of(d[0], d[1], 15)).callbacks(probe));

        assertEquals(6, stepsInInference.get(), "every step ran with the model training and the BN frozen");
        assertArrayEquals(mean, bn.movingMean().toFloatArray(), "moving mean of a frozen BN");
        assertArrayEquals(var, bn.movingVariance().toFloatArray(), "moving variance of a frozen BN");
        assertFalse(java.util.Arrays.equals(gamma, bn.gamma().toFloatArray()), "its gamma still trains (as in PyTorch)");
        assertTrue(model.isTraining());
        assertFalse(bn.isTraining(), "still frozen after fit");

        t.evaluate(d[0], d[1], 15);
        t.predict(d[0], 15);
        t.trainOnBatch(d[0], d[1]);
        RawLoop.step(model, t.optimizer(), () -> new SparseCategoricalCrossentropy().apply(model.forward(d[0]), d[1]));
        assertTrue(model.isTraining());
        assertFalse(bn.isTraining(), "still frozen after evaluate, predict, trainOnBatch and RawLoop.step");
        assertArrayEquals(mean, bn.movingMean().toFloatArray());
    }

    @Test
    void aModelWhollyInInferenceModeTrainsWholeAndIsPutBack() {
        Tensor[] d = Toy.blobs(30, 2);
        BatchNormalization bn = new BatchNormalization();
        Sequential model = withBatchNorm(bn);
        model.eval();                                       // e.g. after the user's own predictions: no sublayer was singled out
        float[] mean = bn.movingMean().toFloatArray();
        trainer(model).fit(Batches.of(d[0], d[1], 10), FitOptions.epochs(1).verbose(0));
        assertFalse(java.util.Arrays.equals(mean, bn.movingMean().toFloatArray()), "the BN trained: moving mean updated");
        assertFalse(model.isTraining(), "the model's mode is restored");
        assertFalse(bn.isTraining());
    }

    @Test
    void recordAndRestoreNestedModesExactly() {
        BatchNormalization inner = new BatchNormalization();
        Sequential block = new Sequential(new Dense(3), inner);
        Sequential model = new Sequential(new Dense(3), block, new Dense(2));
        model.input(2);
        block.eval();
        inner.train();                                      // training inside an inference-mode block
        TrainingModes saved = TrainingModes.record(model);
        model.eval();
        saved.restore();
        assertTrue(model.isTraining());
        assertFalse(block.isTraining());
        assertTrue(inner.isTraining());
        assertFalse(block.children().values().iterator().next().isTraining(), "the block's Dense follows the block");

        model.eval();
        TrainingModes.enterTraining(model);                 // everything in inference: nothing singled out, all train
        assertTrue(model.isTraining());
        assertTrue(block.isTraining());
        assertTrue(inner.isTraining());

        block.eval();                                       // singled out under a training model: kept
        TrainingModes.enterTraining(model);
        assertTrue(model.isTraining());
        assertFalse(block.isTraining());
        assertFalse(inner.isTraining(), "follows its block");
    }

    @Test
    void nullModuleIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingModes.record(null));
        assertTrue(e.getMessage().contains("module"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrainingModes.enterTraining(null));
        assertTrue(e.getMessage().contains("module"), e.getMessage());
    }
}
