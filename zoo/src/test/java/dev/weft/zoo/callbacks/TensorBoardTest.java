package dev.weft.zoo.callbacks;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.engine.Tensor;
import dev.weft.zoo.logging.PngWriter;
import dev.weft.zoo.train.Batches;
import dev.weft.zoo.train.FitOptions;
import dev.weft.zoo.train.History;
import dev.weft.zoo.train.Toy;
import dev.weft.zoo.train.Trainer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorBoardTest {
    @TempDir Path dir;

    @Test
    void epochScalarsGoToTrainAndValidationRunsLikeKeras() throws Exception {
        Tensor[] d = Toy.blobs(12, 1);
        Trainer t = CallbackTestSupport.trainer(2);
        TensorBoard tb = new TensorBoard(dir.resolve("logs"));
        History h = t.fit(Batches.of(d[0], d[1], 4), FitOptions.epochs(3).verbose(0)
                .validationData(Batches.of(d[0], d[1], 6)).callbacks(tb));

        List<EventFiles.Value> train = EventFiles.read(EventFiles.only(dir.resolve("logs/train")));
        assertEquals(9, train.size());   // loss, accuracy, learning_rate per epoch
        for (int e = 0; e < 3; e++) {
            assertScalar(train.get(3 * e), e, "epoch_loss", h.get("loss").get(e));
            assertScalar(train.get(3 * e + 1), e, "epoch_accuracy", h.get("accuracy").get(e));
            assertScalar(train.get(3 * e + 2), e, "epoch_learning_rate", 0.1f);
        }
        List<EventFiles.Value> val = EventFiles.read(EventFiles.only(dir.resolve("logs/validation")));
        assertEquals(6, val.size());
        for (int e = 0; e < 3; e++) {
            assertScalar(val.get(2 * e), e, "epoch_loss", h.get("val_loss").get(e));
            assertScalar(val.get(2 * e + 1), e, "epoch_accuracy", h.get("val_accuracy").get(e));
        }
    }

    static void assertScalar(EventFiles.Value v, long step, String tag, double value) {
        assertEquals(step, v.step());
        assertEquals(tag, v.tag());
        assertEquals((float) value, v.scalar(), 0f, tag);
        assertNull(v.image());
    }

    @Test
    void batchValuesEveryNBatchesAtTheGlobalStep() throws Exception {
        Tensor[] d = Toy.blobs(12, 3);
        Trainer t = CallbackTestSupport.trainer(4);
        t.fit(Batches.of(d[0], d[1], 4), FitOptions.epochs(2).verbose(0).callbacks(new TensorBoard(dir).updateFreq(2)));
        List<EventFiles.Value> train = EventFiles.read(EventFiles.only(dir.resolve("train")));
        // 6 batches in all -> batch values at global steps 2, 4, 6; epoch values at 0, 1
        long[] batchSteps = train.stream().filter(v -> v.tag().equals("batch_loss")).mapToLong(EventFiles.Value::step).toArray();
        assertArrayEquals(new long[] {2, 4, 6}, batchSteps);
        assertEquals(2, train.stream().filter(v -> v.tag().equals("epoch_loss")).count());
    }

    @Test
    void rawLoopUseWithImages() throws Exception {
        TensorBoard tb = new TensorBoard(dir);
        float[] pixels = new float[4 * 2 * 2];
        for (int i = 0; i < pixels.length; i++) pixels[i] = i / (float) pixels.length;
        PngWriter.Image grid = PngWriter.tile(pixels, 4, 2, 2, 1, 2, 0);   // 2x2 grid of 2x2 tiles -> 4x4
        tb.logEpoch(0, Map.of("loss", 150.5));
        tb.image("samples", grid, 0);
        tb.logEpoch(1, Map.of("loss", 120.25, "val_loss", 125.0));
        tb.close();
        List<EventFiles.Value> train = EventFiles.read(EventFiles.only(dir.resolve("train")));
        assertEquals(3, train.size());
        assertScalar(train.get(0), 0, "epoch_loss", 150.5);
        EventFiles.Image img = train.get(1).image();
        assertEquals("samples", train.get(1).tag());
        assertEquals(4, img.height());
        assertEquals(4, img.width());
        assertEquals(1, img.colorspace());
        assertArrayEquals(PngWriter.encode(grid), img.png());
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(img.png(), 4));
        assertScalar(train.get(2), 1, "epoch_loss", 120.25);
        List<EventFiles.Value> val = EventFiles.read(EventFiles.only(dir.resolve("validation")));
        assertEquals(1, val.size());
        assertScalar(val.get(0), 1, "epoch_loss", 125.0);
    }
}
