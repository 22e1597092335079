package dev.weft.zoo.train;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.engine.Tensor;
import dev.weft.nn.Sequential;
import dev.weft.nn.losses.SparseCategoricalCrossentropy;
import dev.weft.nn.optim.Adam;
import dev.weft.zoo.callbacks.Callback;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Null arguments to the training API are the caller's mistake: an IllegalArgumentException naming
 * the method and the parameter, never a NullPointerException from inside.
 */
class NullArgumentsTest {
    private static void refused(Executable call, String where, String parameter) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertEquals(where + ": " + parameter + " is null", e.getMessage());
    }

    @Test
    void fitOptions() {
        refused(() -> FitOptions.epochs(1).callbacks((Callback[]) null), "FitOptions.callbacks", "callbacks");
        refused(() -> FitOptions.epochs(1).callbacks((List<Callback>) null), "FitOptions.callbacks", "callbacks");
        refused(() -> FitOptions.epochs(1).callbacks(new Callback() {}, null), "FitOptions.callbacks", "callbacks[1]");
        refused(() -> FitOptions.epochs(1).callbacks(java.util.Arrays.asList((Callback) null)), "FitOptions.callbacks", "callbacks[0]");
        refused(() -> FitOptions.epochs(1).validationEpochs((int[]) null), "FitOptions.validationEpochs", "oneBased");
        refused(() -> FitOptions.epochs(1).out(null), "FitOptions.out", "out");
        refused(() -> FitOptions.epochs(1).progressClock(null, 0.1), "FitOptions.progressClock", "nanoClock");
        // validationData(null) is Keras' validation_data=None: no validation
        assertFalse(FitOptions.epochs(1).validationData(null).validateAt(0));
    }

    @Test
    void trainer() {
        Sequential model = Toy.classifier(1);
        Tensor[] d = Toy.blobs(6, 1);
        Adam adam = new Adam(model.namedParameters());
        SparseCategoricalCrossentropy loss = new SparseCategoricalCrossentropy();
        refused(() -> new Trainer(null), "Trainer", "model");
        refused(() -> new Trainer(null, x -> x), "Trainer", "module");
        refused(() -> new Trainer(model, null), "Trainer", "forward");
        Trainer t = new Trainer(model);
        refused(() -> t.compile(null, loss), "Trainer.compile", "optimizer");
        refused(() -> t.compile(adam, (dev.weft.nn.losses.Loss) null), "Trainer.compile", "loss");
        refused(() -> t.compile(adam, loss, (dev.weft.zoo.metrics.Metric[]) null), "Trainer.compile", "metrics");
        refused(() -> t.compile(adam, loss, dev.weft.zoo.metrics.Metrics.accuracy(), null), "Trainer.compile", "metrics[1]");
        refused(() -> t.compile(adam, (TrainStep) null), "Trainer.compile", "train");
        t.compile(adam, loss);
        refused(() -> t.fit(null, 1), "Trainer.fit", "train");
        refused(() -> t.fit(Batches.of(d[0], d[1], 3), null), "Trainer.fit", "options");
        refused(() -> t.fit(d[0], d[1], 3, null), "Trainer.fit", "options");
        refused(() -> t.evaluate(null), "Trainer.evaluate", "data");
        refused(() -> t.evaluate(Batches.of(d[0], d[1], 3), 1, null), "Trainer.evaluate", "out");
        refused(() -> t.predict(null), "Trainer.predict", "data");
        refused(() -> t.trainOnBatch(null, d[1]), "Trainer.trainOnBatch", "x");
        refused(() -> RawLoop.step(null, adam, () -> null), "RawLoop.step", "model");
        refused(() -> RawLoop.step(model, null, () -> null), "RawLoop.step", "optimizer");
        refused(() -> RawLoop.step(model, adam, null), "RawLoop.step", "computeLoss");
    }

    @Test
    void batchesAndDatasetBatches() {
        refused(() -> Batches.of(null, null, 2), "Batches.of", "x");
        refused(() -> Batches.shuffled(null, null, 2, 0), "Batches.shuffled", "x");
        refused(() -> Batches.of((List<LabeledBatch>) null), "Batches.of", "batches");
        refused(() -> Batches.of((Iterable<LabeledBatch>) null), "Batches.of", "iterable");
        refused(() -> Batches.of(null, 3), "Batches.of", "passes");
        refused(() -> DatasetBatches.images(null, Targets.classIndices()), "DatasetBatches.images", "data");
        refused(() -> DatasetBatches.sequences(null, Targets.classIndices()), "DatasetBatches.sequences", "data");
        dev.weft.datasets.pipeline.Dataset<dev.weft.datasets.pipeline.Batch<Tensor>> empty = null;
        refused(() -> DatasetBatches.of(empty, x -> x, Targets.classIndices()), "DatasetBatches.of", "data");
        refused(() -> DatasetBatches.of((dev.weft.datasets.pipeline.DataLoader<dev.weft.datasets.pipeline.Batch<Tensor>>) null,
                x -> x, Targets.classIndices()), "DatasetBatches.of", "loader");
    }
}
