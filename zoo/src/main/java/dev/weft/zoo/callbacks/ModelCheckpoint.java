package dev.weft.zoo.callbacks;

import dev.weft.nn.io.Weights;
import dev.weft.zoo.progress.PyFormat;
import dev.weft.zoo.train.Trainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keras' {@code ModelCheckpoint(save_weights_only=True)}: saves the model's weights (parameters and
 * buffers, by their dotted names) as safetensors with nn's {@link Weights#save} at the end of
 * epochs, replacing the file atomically (written beside it, then renamed), so a crash never leaves a
 * half-written checkpoint; {@link Weights#load} reads it back.
 *
 * <ul>
 *   <li>{@link #last(Path)}: every epoch, overwriting — the latest weights;</li>
 *   <li>{@link #best(Path, String, Monitor)}: only when the monitored metric improves on the best
 *       so far (Keras' {@code save_best_only=True}); an epoch without that metric (no validation
 *       that epoch) is skipped with a warning.</li>
 * </ul>
 *
 * The path may contain Keras-style fields filled from the epoch (1-based, as Keras) and the logs:
 * {@code {epoch}}, {@code {epoch:02d}}, {@code {val_loss:.4f}}, {@code {accuracy:.2e}}, e.g.
 * {@code weights.{epoch:02d}-{val_loss:.2f}.safetensors}. The file's {@code __metadata__} records
 * {@code epoch} (1-based) and every logged value.
 *
 * <pre>{@code
 * trainer.fit(train, FitOptions.epochs(20).validationData(val).callbacks(
 *         ModelCheckpoint.best(out.resolve("best.safetensors"), "val_accuracy", Monitor.AUTO),
 *         ModelCheckpoint.last(out.resolve("last.safetensors"))));
 * }</pre>
 */
public final class ModelCheckpoint implements Callback {
    private static final Pattern FIELD = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?}");

    private final String pathTemplate;
    private final String monitor;
    private final boolean bestOnly;
    private final Monitor mode;
    private Double initialThreshold;
    private boolean verbose;
    private Trainer trainer;
    private double best;
    private int saves;
    private Path lastSaved;

    private ModelCheckpoint(Path path, String monitor, boolean bestOnly, Monitor mode) {
        if (path == null) throw new IllegalArgumentException("ModelCheckpoint: path is null");
        if (monitor == null || monitor.isEmpty()) throw new IllegalArgumentException("ModelCheckpoint: monitor must be a metric name");
        this.pathTemplate = path.toString();
        this.monitor = monitor;
        this.bestOnly = bestOnly;
        this.mode = (mode == null ? Monitor.AUTO : mode).resolve(monitor);
        this.best = this.mode.worst();
    }

    /** Saves at the end of every epoch (the latest weights). */
    public static ModelCheckpoint last(Path path) { return new ModelCheckpoint(path, "val_loss", false, Monitor.AUTO); }

    /** Saves when {@code monitor} improves; {@code mode} MIN for losses, MAX for accuracies, AUTO to guess. */
    public static ModelCheckpoint best(Path path, String monitor, Monitor mode) { return new ModelCheckpoint(path, monitor, true, mode); }

    /** Best-only saving starts only below (MIN) / above (MAX) this value (Keras' {@code initial_value_threshold}). */
    public ModelCheckpoint initialValueThreshold(double value) {
        this.initialThreshold = value;
        this.best = value;
        return this;
    }

    /** Prints a line for each save or non-improvement, as Keras' {@code verbose=1}. */
    public ModelCheckpoint verbose(boolean on) {
        this.verbose = on;
        return this;
    }

    /** The best monitored value so far (infinite before the first). */
    public double best() { return best; }

    /** How many files were written during this fit. */
    public int saves() { return saves; }

    /** The last file written, or null. */
    public Path lastSaved() { return lastSaved; }

    @Override public void setTrainer(Trainer trainer) { this.trainer = trainer; }

    @Override public void onTrainBegin(Map<String, Double> logs) {
        saves = 0;
        best = initialThreshold != null ? initialThreshold : mode.worst();
    }

    @Override public void onEpochEnd(int epoch, Map<String, Double> logs) {
        Path path = Path.of(format(pathTemplate, epoch + 1, logs));
        if (!bestOnly) {
            save(path, epoch, logs);
            if (verbose) trainer.message("Epoch " + (epoch + 1) + ": saving model to " + path);
            return;
        }
        Double current = logs.get(monitor);
        if (current == null) {
            trainer.message("ModelCheckpoint: can save the best model only with " + monitor + " available, skipping (epoch " + (epoch + 1) + ")");
            return;
        }
        if (mode.improves(current, best, 0)) {
            if (verbose)
                trainer.message("Epoch " + (epoch + 1) + ": " + monitor + " improved from " + PyFormat.fixed(best, 5) + " to "
                        + PyFormat.fixed(current, 5) + ", saving model to " + path);
            best = current;
            save(path, epoch, logs);
        } else if (verbose) {
            trainer.message("Epoch " + (epoch + 1) + ": " + monitor + " did not improve from " + PyFormat.fixed(best, 5));
        }
    }

    private void save(Path path, int epoch, Map<String, Double> logs) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("epoch", Integer.toString(epoch + 1));
        for (Map.Entry<String, Double> e : logs.entrySet()) meta.put(e.getKey(), Double.toString(e.getValue()));
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            Weights.save(trainer.module(), path, meta);
        } catch (IOException e) {
            throw new UncheckedIOException("ModelCheckpoint: cannot write " + path + ": " + e.getMessage(), e);
        }
        saves++;
        lastSaved = path;
    }

    /**
     * Fills {@code {name}} / {@code {name:spec}} fields: {@code epoch} (1-based) and logged values;
     * specs {@code d}, {@code 0Nd}, {@code Nd}, {@code .Nf}, {@code .Ne}. Unknown names fail.
     */
    static String format(String template, int epoch, Map<String, Double> logs) {
        Matcher m = FIELD.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String name = m.group(1), spec = m.group(2);
            double value;
            if (name.equals("epoch")) value = epoch;
            else if (logs.containsKey(name)) value = logs.get(name);
            else throw new IllegalArgumentException("ModelCheckpoint: path field '{" + name + "}' is neither 'epoch' nor a logged metric " + logs.keySet());
            m.appendReplacement(sb, Matcher.quoteReplacement(formatValue(value, spec, name)));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static String formatValue(double v, String spec, String name) {
        if (spec == null || spec.isEmpty()) return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
        Matcher d = Pattern.compile("(0?)(\\d*)d").matcher(spec);
        if (d.matches()) {
            String digits = Long.toString((long) v);
            int width = d.group(2).isEmpty() ? 0 : Integer.parseInt(d.group(2));
            char pad = d.group(1).isEmpty() ? ' ' : '0';
            StringBuilder s = new StringBuilder();
            for (int i = digits.length(); i < width; i++) s.append(pad);
            return s.append(digits).toString();
        }
        Matcher f = Pattern.compile("\\.(\\d+)([fe])").matcher(spec);
        if (f.matches()) {
            int p = Integer.parseInt(f.group(1));
            return f.group(2).equals("f") ? PyFormat.fixed(v, p) : PyFormat.scientific(v, p);
        }
        throw new IllegalArgumentException("ModelCheckpoint: unsupported format '" + spec + "' for {" + name + "} (use d, 02d, .4f or .2e)");
    }
}
