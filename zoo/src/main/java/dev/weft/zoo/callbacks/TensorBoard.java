package dev.weft.zoo.callbacks;

import dev.weft.zoo.logging.PngWriter;
import dev.weft.zoo.logging.TensorBoardWriter;
import dev.weft.zoo.train.Trainer;
import dev.weft.zoo.util.Require;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keras' {@code TensorBoard} callback: event files readable by {@code tensorboard --logdir <logDir>}.
 *
 * <p>At the end of every epoch each logged metric is written as a scalar named {@code epoch_<name>}
 * at step = epoch (0-based), training metrics (and {@code learning_rate}, read from the optimizer
 * when not already logged) under {@code <logDir>/train}, {@code val_*} metrics with the prefix
 * removed under {@code <logDir>/validation}, so TensorBoard draws {@code epoch_loss} for both runs
 * in one chart — Keras' layout. With {@link #updateFreq(int) updateFreq(n)} the running batch
 * values are also written every {@code n} batches as {@code batch_<name>} at the global batch
 * number.
 *
 * <p>Images (the VAE's 10x10 grids) go through {@link #image}; the callback also works outside
 * {@code fit}, for a raw loop: call {@link #logEpoch} and {@link #image}, then {@link #close}.
 * Writers open lazily and close at the end of {@code fit}; logging afterwards opens new event files
 * in the same folders, which TensorBoard merges.
 *
 * <pre>{@code
 * TensorBoard tb = new TensorBoard(out.resolve("logs"));
 * trainer.fit(train, FitOptions.epochs(5).validationData(val).callbacks(tb));
 * // raw loop:
 * tb.logEpoch(epoch, Map.of("loss", meanLoss));
 * tb.image("samples", PngWriter.tile(pixels, 100, 28, 28, 1, 10, 0), epoch);
 * tb.close();
 * }</pre>
 */
public final class TensorBoard implements Callback, Closeable {
    private final Path logDir;
    private int updateFreq;
    private Trainer trainer;
    private TensorBoardWriter train, validation;
    private long globalBatch;

    /** Logs to {@code logDir/train} and {@code logDir/validation}. */
    public TensorBoard(Path logDir) {
        if (logDir == null) throw new IllegalArgumentException("TensorBoard: logDir is null");
        this.logDir = logDir;
    }

    /** Also writes batch-level values every {@code n} batches (0, the default, for epochs only). */
    public TensorBoard updateFreq(int n) {
        if (n < 0) throw new IllegalArgumentException("TensorBoard: updateFreq must be >= 0, got " + n);
        this.updateFreq = n;
        return this;
    }

    /** The log folder. */
    public Path logDir() { return logDir; }

    @Override public void setTrainer(Trainer trainer) { this.trainer = trainer; }

    @Override public void onTrainBegin(Map<String, Double> logs) { globalBatch = 0; }

    @Override public void onBatchEnd(int step, Map<String, Double> logs) {
        globalBatch++;
        if (updateFreq > 0 && globalBatch % updateFreq == 0) {
            Map<String, Double> batch = new LinkedHashMap<>();
            for (Map.Entry<String, Double> e : logs.entrySet()) batch.put("batch_" + e.getKey(), e.getValue());
            io(() -> trainWriter().addScalars(batch, globalBatch));
        }
    }

    @Override public void onEpochEnd(int epoch, Map<String, Double> logs) {
        Map<String, Double> withLr = new LinkedHashMap<>(logs);
        if (!withLr.containsKey("learning_rate") && trainer != null && trainer.optimizer() != null)
            withLr.put("learning_rate", (double) trainer.optimizer().learningRate());
        logEpoch(epoch, withLr);
    }

    @Override public void onTrainEnd(Map<String, Double> logs) { close(); }

    /**
     * Writes one epoch's values: {@code val_<name>} as {@code epoch_<name>} under
     * {@code validation}, everything else as {@code epoch_<name>} under {@code train}.
     */
    public void logEpoch(long epoch, Map<String, ? extends Number> logs) {
        Require.nonNull(logs, "TensorBoard.logEpoch", "logs");
        Map<String, Number> tr = new LinkedHashMap<>(), val = new LinkedHashMap<>();
        for (Map.Entry<String, ? extends Number> e : logs.entrySet()) {
            String k = e.getKey();
            if (k.startsWith("val_")) val.put("epoch_" + k.substring(4), e.getValue());
            else tr.put("epoch_" + k, e.getValue());
        }
        if (!tr.isEmpty()) io(() -> trainWriter().addScalars(tr, epoch));
        if (!val.isEmpty()) io(() -> validationWriter().addScalars(val, epoch));
    }

    /** Writes an image (PNG) under {@code train} at {@code step}. */
    public void image(String tag, PngWriter.Image image, long step) {
        Require.nonNull(tag, "TensorBoard.image", "tag");
        Require.nonNull(image, "TensorBoard.image", "image");
        io(() -> trainWriter().addImage(tag, image, step));
    }

    /** Writes one scalar under {@code train}. */
    public void scalar(String tag, double value, long step) {
        Require.nonNull(tag, "TensorBoard.scalar", "tag");
        io(() -> trainWriter().addScalar(tag, value, step));
    }

    /** The event file of the {@code train} run (opened if needed). */
    public Path trainFile() { return trainWriter().file(); }

    /** The event file of the {@code validation} run (opened if needed). */
    public Path validationFile() { return validationWriter().file(); }

    /** Flushes and closes the event files (idempotent). */
    @Override public void close() {
        IOException failure = null;
        for (TensorBoardWriter w : new TensorBoardWriter[] {train, validation}) {
            if (w == null) continue;
            try { w.close(); } catch (IOException e) { if (failure == null) failure = e; }
        }
        train = null;
        validation = null;
        if (failure != null) throw new UncheckedIOException("TensorBoard: closing event files in " + logDir + " failed: " + failure.getMessage(), failure);
    }

    private TensorBoardWriter trainWriter() {
        if (train == null) train = open("train");
        return train;
    }

    private TensorBoardWriter validationWriter() {
        if (validation == null) validation = open("validation");
        return validation;
    }

    private TensorBoardWriter open(String run) {
        try {
            return new TensorBoardWriter(logDir.resolve(run));
        } catch (IOException e) {
            throw new UncheckedIOException("TensorBoard: cannot create an event file in " + logDir.resolve(run) + ": " + e.getMessage(), e);
        }
    }

    private interface IoAction { void run() throws IOException; }

    private void io(IoAction a) {
        try {
            a.run();
        } catch (IOException e) {
            throw new UncheckedIOException("TensorBoard: writing to " + logDir + " failed: " + e.getMessage(), e);
        }
    }
}
