package dev.weft.zoo.callbacks;

import static org.junit.jupiter.api.Assertions.*;
import static dev.weft.zoo.callbacks.CallbackTestSupport.*;

import dev.weft.engine.Tensor;
import dev.weft.engine.io.Safetensors;
import dev.weft.engine.io.SafetensorsFile;
import dev.weft.zoo.train.Batches;
import dev.weft.zoo.train.FitOptions;
import dev.weft.zoo.train.Toy;
import dev.weft.zoo.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCheckpointTest {
    @TempDir Path dir;

    /** Drives the callback by hand: weights are filled with the epoch number, val_loss scripted. */
    @Test
    void bestOnlyWritesOnlyWhenTheMonitoredValueImproves() throws Exception {
        Trainer t = trainer(1);
        Path file = dir.resolve("best.safetensors");
        ModelCheckpoint cp = ModelCheckpoint.best(file, "val_loss", Monitor.AUTO);
        cp.setTrainer(t);
        cp.onTrainBegin(logs());
        double[] valLoss = {1.0, 0.8, 0.9, 0.7, 0.7};
        int[] expectedSavedEpoch = {0, 1, 1, 3, 3};   // ties do not improve
        for (int e = 0; e < valLoss.length; e++) {
            fill(t, e);
            cp.onEpochEnd(e, logs("loss", 2.0, "val_loss", valLoss[e]));
            Map<String, Tensor> saved = Safetensors.read(file);
            assertEquals(t.module().stateDict().keySet(), saved.keySet());
            assertTrue(allEqual(saved, expectedSavedEpoch[e]), "after epoch " + e);
        }
        assertEquals(3, cp.saves());
        assertEquals(0.7, cp.best(), 0);
        SafetensorsFile f = SafetensorsFile.read(file);
        assertEquals("4", f.metadata().get("epoch"));
        assertEquals("0.7", f.metadata().get("val_loss"));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(file), s.toList(), "atomic writes leave no temporary files");
        }
    }

    @Test
    void maxModeForAccuracyAndSkipsEpochsWithoutTheMetric() throws Exception {
        Trainer t = trainer(2);
        Path file = dir.resolve("acc.safetensors");
        ModelCheckpoint cp = ModelCheckpoint.best(file, "val_accuracy", Monitor.AUTO);
        cp.setTrainer(t);
        cp.onTrainBegin(logs());
        fill(t, 0);
        cp.onEpochEnd(0, logs("loss", 1.0));               // no validation this epoch
        assertFalse(Files.exists(file));
        cp.onEpochEnd(1, logs("val_accuracy", 0.5));
        fill(t, 2);
        cp.onEpochEnd(2, logs("val_accuracy", 0.4));
        assertTrue(allEqual(Safetensors.read(file), 0));
        cp.onEpochEnd(3, logs("val_accuracy", 0.6));
        assertTrue(allEqual(Safetensors.read(file), 2));
    }

    @Test
    void lastSavesEveryEpochAndFillsThePathTemplate() throws Exception {
        Tensor[] d = Toy.blobs(12, 3);
        Trainer t = trainer(4);
        ModelCheckpoint cp = ModelCheckpoint.last(dir.resolve("ckpt/w.{epoch:02d}-{loss:.2f}.safetensors"));
        t.fit(Batches.of(d[0], d[1], 4), FitOptions.epochs(3).verbose(0).callbacks(cp));
        assertEquals(3, cp.saves());
        try (Stream<Path> s = Files.list(dir.resolve("ckpt"))) {
            List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(3, names.size());
            assertTrue(names.get(0).matches("w\\.01-\\d\\.\\d\\d\\.safetensors"), names.toString());
            assertTrue(names.get(2).startsWith("w.03-"), names.toString());
        }
        Map<String, Tensor> saved = Safetensors.read(cp.lastSaved());
        for (Map.Entry<String, Tensor> e : t.module().stateDict().entrySet())
            assertArrayEquals(e.getValue().toFloatArray(), saved.get(e.getKey()).toFloatArray(), e.getKey());
        // nn's loader takes it back into a fresh model of the same architecture
        dev.weft.nn.Sequential fresh = Toy.classifier(99);
        dev.weft.nn.io.Weights.load(fresh, cp.lastSaved());
        assertArrayEquals(t.predict(d[0], 12).toFloatArray(), new Trainer(fresh).predict(d[0], 12).toFloatArray());
    }

    @Test
    void pathTemplates() {
        Map<String, Double> l = logs("val_loss", 0.12345, "accuracy", 0.000123);
        assertEquals("w.07-0.12.st", ModelCheckpoint.format("w.{epoch:02d}-{val_loss:.2f}.st", 7, l));
        assertEquals("e7 1.23e-04", ModelCheckpoint.format("e{epoch} {accuracy:.2e}", 7, l));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelCheckpoint.format("{val_acc}", 1, l));
        assertTrue(e.getMessage().contains("val_acc"));
    }
}
