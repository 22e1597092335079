package dev.weft.zoo.util;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.zoo.callbacks.CSVLogger;
import dev.weft.zoo.callbacks.EarlyStopping;
import dev.weft.zoo.callbacks.Monitor;
import dev.weft.zoo.callbacks.TensorBoard;
import dev.weft.zoo.logging.CsvWriter;
import dev.weft.zoo.logging.PngWriter;
import dev.weft.zoo.logging.TensorBoardWriter;
import dev.weft.zoo.metrics.Accuracy;
import dev.weft.zoo.progress.ProgressBar;
import dev.weft.zoo.progress.ProgressLogger;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The zoo's public API outside {@code train} (callbacks, logging, metrics, progress): a null
 * argument gives an IllegalArgumentException naming the method and the parameter.
 */
class NullArgumentsOutsideTrainTest {
    @TempDir Path dir;

    private static void refused(Executable call, String where, String parameter) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertEquals(where + ": " + parameter + " is null", e.getMessage());
    }

    @Test
    void requireNamesWhereAndWhat() {
        refused(() -> Require.nonNull(null, "Thing.method", "arg"), "Thing.method", "arg");
        assertEquals("x", Require.nonNull("x", "Thing.method", "arg"));
        refused(() -> Require.noNulls(new String[] {"a", null}, "Thing.method", "args"), "Thing.method", "args[1]");
        refused(() -> Require.noNulls((String[]) null, "Thing.method", "args"), "Thing.method", "args");
    }

    @Test
    void callbacksLoggingMetricsProgress() throws Exception {
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
        refused(() -> new CSVLogger(null), "CSVLogger", "file");
        refused(() -> new CsvWriter(null), "CsvWriter", "file");
        try (CsvWriter csv = new CsvWriter(dir.resolve("a.csv"))) {
            refused(() -> csv.log(0, null), "CsvWriter.log", "metrics");
        }
        refused(() -> new EarlyStopping("loss", 1).mode(null), "EarlyStopping.mode", "m");
        refused(() -> Monitor.AUTO.resolve(null), "Monitor.resolve", "metric");
        TensorBoard tb = new TensorBoard(dir.resolve("tb"));
        refused(() -> tb.logEpoch(0, null), "TensorBoard.logEpoch", "logs");
        refused(() -> tb.scalar(null, 1, 0), "TensorBoard.scalar", "tag");
        refused(() -> tb.image("t", null, 0), "TensorBoard.image", "image");
        tb.close();
        refused(() -> new TensorBoardWriter(null), "TensorBoardWriter", "logDir");
        try (TensorBoardWriter w = new TensorBoardWriter(dir.resolve("tbw"))) {
            refused(() -> w.addScalar(null, 1f, 0), "TensorBoardWriter.addScalar", "tag");
            refused(() -> w.addScalars(null, 0), "TensorBoardWriter.addScalars", "values");
            refused(() -> w.addImage("t", (byte[]) null, 1, 1, 1, 0), "TensorBoardWriter.addImage", "png");
            refused(() -> w.addImage("t", (PngWriter.Image) null, 0), "TensorBoardWriter.addImage", "image");
        }
        refused(() -> PngWriter.encode(null), "PngWriter.encode", "image");
        refused(() -> PngWriter.write(null, null), "PngWriter.write", "path");
        refused(() -> new Accuracy(null), "Accuracy", "name");
        refused(() -> new ProgressBar(3, 1, null, false), "ProgressBar", "out");
        refused(() -> new ProgressBar(3, 1, sink, false, null, 0.1), "ProgressBar", "nanoClock");
        refused(() -> new ProgressLogger(1, 1, null, sink, false, System::nanoTime, 0.1), "ProgressLogger", "stepsPerEpoch");
        refused(() -> new ProgressLogger(1, 1, () -> 3, null, false, System::nanoTime, 0.1), "ProgressLogger", "out");
        refused(() -> new ProgressLogger(1, 1, () -> 3, sink, false, null, 0.1), "ProgressLogger", "nanoClock");
    }
}
