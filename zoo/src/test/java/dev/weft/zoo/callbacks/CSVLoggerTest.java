package dev.weft.zoo.callbacks;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.engine.Tensor;
import dev.weft.zoo.train.Batches;
import dev.weft.zoo.train.FitOptions;
import dev.weft.zoo.train.History;
import dev.weft.zoo.train.Toy;
import dev.weft.zoo.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CSVLoggerTest {
    @TempDir Path dir;

    @Test
    void writesOneRowPerEpochWithKerasColumns() throws Exception {
        Tensor[] d = Toy.blobs(12, 1);
        Trainer t = CallbackTestSupport.trainer(2);
        Path csv = dir.resolve("logs/training.csv");
        History h = t.fit(Batches.of(d[0], d[1], 4), FitOptions.epochs(3).verbose(0)
                .validationData(Batches.of(d[0], d[1], 6)).callbacks(new CSVLogger(csv)));
        List<String> lines = Files.readAllLines(csv);
        assertEquals(4, lines.size());
        assertEquals("epoch,accuracy,loss,val_accuracy,val_loss", lines.get(0));   // sorted keys, as Keras
        for (int e = 0; e < 3; e++) {
            String expected = e + "," + h.get("accuracy").get(e) + "," + h.get("loss").get(e) + ","
                    + h.get("val_accuracy").get(e) + "," + h.get("val_loss").get(e);
            assertEquals(expected, lines.get(e + 1));
        }
    }

    @Test
    void aFailingFitStillClosesTheFile() throws Exception {
        Tensor[] d = Toy.blobs(12, 5);
        Trainer t = CallbackTestSupport.trainer(6);
        Path csv = dir.resolve("failing.csv");
        Callback boom = new Callback() {
            @Override public void onEpochEnd(int epoch, java.util.Map<String, Double> logs) { if (epoch == 1) throw new IllegalStateException("boom"); }
        };
        CSVLogger logger = new CSVLogger(csv);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> t.fit(Batches.of(d[0], d[1], 4), FitOptions.epochs(3).verbose(0).callbacks(logger, boom)));
        assertEquals("boom", e.getMessage());
        assertEquals(3, Files.readAllLines(csv).size());   // header + epochs 0 and 1, flushed
        // closed: a second close is a no-op and the file can be deleted and re-created
        logger.close();
        Files.delete(csv);
    }

    @Test
    void declaredColumnsKeepLaterValidationAndAppendKeepsRows() throws Exception {
        Tensor[] d = Toy.blobs(12, 3);
        Trainer t = CallbackTestSupport.trainer(4);
        Path csv = dir.resolve("training.csv");
        CSVLogger logger = new CSVLogger(csv, false, List.of("loss", "val_loss"));
        History h = t.fit(Batches.of(d[0], d[1], 4), FitOptions.epochs(2).verbose(0)
                .validationData(Batches.of(d[0], d[1], 6)).validationFreq(2).callbacks(logger));
        List<String> lines = Files.readAllLines(csv);
        assertEquals("epoch,loss,val_loss", lines.get(0));
        assertEquals("0," + h.get("loss").get(0) + ",NA", lines.get(1));
        assertEquals("1," + h.get("loss").get(1) + "," + h.get("val_loss").get(0), lines.get(2));
        t.fit(Batches.of(d[0], d[1], 4), FitOptions.epochs(1).verbose(0).callbacks(new CSVLogger(csv, true, null)));
        assertEquals(4, Files.readAllLines(csv).size());
    }
}
