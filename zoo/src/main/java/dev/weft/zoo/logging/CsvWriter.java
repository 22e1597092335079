package dev.weft.zoo.logging;

import dev.weft.zoo.util.Require;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Writes per-epoch metrics to a CSV file in Keras' {@code CSVLogger} format: a header
 * {@code epoch,<metric>,...} then one row per epoch, flushed after each row; lines end with
 * {@code \n}. This is the file writer only; the training callback that calls it once per epoch
 * keeps Keras' name, {@link dev.weft.zoo.callbacks.CSVLogger}.
 *
 * <p>The columns are fixed when the header is written: either given to the constructor (in that
 * order) or, as Keras does, the sorted keys of the first logged row. Later rows write
 * {@code NA} for a missing metric and, like Keras, ignore metrics that have no column. In append
 * mode an existing non-empty file keeps its header and its columns are read from it; otherwise
 * the file is replaced. Values are written with {@link Float#toString}/{@link Double#toString}
 * ({@code NaN}, {@code Infinity} as Java spells them) or {@code toString()} for integers; fields
 * containing a comma, quote or line break are quoted. Not thread-safe.
 *
 * <pre>{@code
 * try (CsvWriter csv = new CsvWriter(out.resolve("training.csv"))) {
 *     csv.log(0, Map.of("loss", 0.52, "accuracy", 0.81));   // epoch,accuracy,loss
 * }
 * }</pre>
 */
public final class CsvWriter implements Closeable {
    private final Path file;
    private final BufferedWriter writer;
    private List<String> columns;

    /** Writes a new file (replacing any existing one), columns from the first row. */
    public CsvWriter(Path file) throws IOException {
        this(file, false, null);
    }

    /**
     * @param append keep an existing file and add rows to it (its header gives the columns)
     * @param columns the metric columns in order, or null to use the sorted keys of the first row
     */
    public CsvWriter(Path file, boolean append, List<String> columns) throws IOException {
        this.file = Require.nonNull(file, "CsvWriter", "file");
        this.columns = columns == null ? null : List.copyOf(columns);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        boolean hasHeader = false;
        if (append && Files.isRegularFile(file) && Files.size(file) > 0) {
            try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String header = r.readLine();
                if (header != null && !header.isEmpty()) {
                    List<String> fromFile = parseHeader(header);
                    if (this.columns != null && !this.columns.equals(fromFile)) {
                        throw new IOException(file + ": existing columns " + fromFile + " differ from " + this.columns);
                    }
                    this.columns = fromFile;
                    hasHeader = true;
                }
            }
        }
        this.writer = append
                ? Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)
                : Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        if (!hasHeader && this.columns != null) writeHeader();
    }

    /** The file being written. */
    public Path file() { return file; }

    /** The metric columns (after {@code epoch}), or an empty list before the first row fixes them. */
    public List<String> columns() { return columns == null ? List.of() : columns; }

    /** Appends the row for {@code epoch} (0-based, as Keras logs it) and flushes. */
    public void log(int epoch, Map<String, ? extends Number> metrics) throws IOException {
        Require.nonNull(metrics, "CsvWriter.log", "metrics");
        if (columns == null) {
            columns = List.copyOf(new TreeSet<>(metrics.keySet()));
            writeHeader();
        }
        StringBuilder row = new StringBuilder().append(epoch);
        for (String c : columns) {
            Number v = metrics.get(c);
            row.append(',').append(v == null ? "NA" : format(v));
        }
        writer.write(row.toString());
        writer.write('\n');
        writer.flush();
    }

    /** Flushes and closes the file. */
    @Override
    public void close() throws IOException { writer.close(); }

    private void writeHeader() throws IOException {
        StringBuilder h = new StringBuilder("epoch");
        for (String c : columns) h.append(',').append(quote(c));
        writer.write(h.toString());
        writer.write('\n');
        writer.flush();
    }

    private static String format(Number v) {
        if (v instanceof Float) return Float.toString(v.floatValue());
        if (v instanceof Double) return Double.toString(v.doubleValue());
        return v.toString();
    }

    private static String quote(String field) {
        if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0 && field.indexOf('\r') < 0) {
            return field;
        }
        return '"' + field.replace("\"", "\"\"") + '"';
    }

    /** The metric columns of a header line (quoted fields allowed), without the leading epoch. */
    static List<String> parseHeader(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') { cur.append('"'); i++; }
                else if (c == '"') quoted = false;
                else cur.append(c);
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        fields.add(cur.toString());
        if (fields.isEmpty() || !fields.get(0).equals("epoch")) return Collections.unmodifiableList(fields);
        return List.copyOf(fields.subList(1, fields.size()));
    }
}
