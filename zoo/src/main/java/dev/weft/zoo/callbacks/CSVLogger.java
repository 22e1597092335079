package dev.weft.zoo.callbacks;

import dev.weft.zoo.logging.CsvWriter;
import dev.weft.zoo.util.Require;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Keras' {@code CSVLogger} callback (same name, same file): one CSV row per epoch
 * ({@code epoch,<metric>,...}, epoch 0-based). It opens a {@link CsvWriter} (the low-level file
 * writer, usable without a Trainer) when training begins, hands it each epoch's logs, and closes it
 * at the end; rows are flushed after every row, so the file is usable while
 * training runs. Columns are the sorted keys of the first epoch's logs (as Keras), so metrics that
 * first appear later — e.g. {@code val_*} with {@code validationFreq(2)} — have no column unless
 * {@code columns} are given; missing values are written {@code NA}.
 *
 * <pre>{@code
 * trainer.fit(train, FitOptions.epochs(10).callbacks(new CSVLogger(out.resolve("training.csv"))));
 * }</pre>
 */
public final class CSVLogger implements Callback, AutoCloseable {
    private final Path file;
    private final boolean append;
    private final java.util.List<String> columns;
    private CsvWriter csv;

    /** Replaces {@code file} at the start of training. */
    public CSVLogger(Path file) { this(file, false, null); }

    /**
     * @param append  keep an existing file and add rows (Keras' {@code append=True})
     * @param columns metric columns in order, or null for the sorted keys of the first epoch
     */
    public CSVLogger(Path file, boolean append, java.util.List<String> columns) {
        this.file = Require.nonNull(file, "CSVLogger", "file");
        this.append = append;
        this.columns = columns;
    }

    /** The CSV file. */
    public Path file() { return file; }

    @Override public void onTrainBegin(Map<String, Double> logs) {
        try {
            csv = new CsvWriter(file, append, columns);
        } catch (IOException e) {
            throw new UncheckedIOException("CSVLogger: cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    @Override public void onEpochEnd(int epoch, Map<String, Double> logs) {
        if (csv == null) return;
        try {
            csv.log(epoch, logs);
        } catch (IOException e) {
            throw new UncheckedIOException("CSVLogger: cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    @Override public void onTrainEnd(Map<String, Double> logs) { close(); }

    /** Closes the file if open (idempotent). */
    @Override public void close() {
        if (csv == null) return;
        try {
            csv.close();
        } catch (IOException e) {
            throw new UncheckedIOException("CSVLogger: cannot close " + file + ": " + e.getMessage(), e);
        } finally {
            csv = null;
        }
    }
}
