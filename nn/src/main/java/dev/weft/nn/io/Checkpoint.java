package dev.weft.nn.io;

import dev.weft.engine.Rng;
import dev.weft.engine.Tensor;
import dev.weft.engine.io.SafetensorsDtype;
import dev.weft.engine.io.SafetensorsException;
import dev.weft.engine.io.SafetensorsFile;
import dev.weft.nn.Module;
import dev.weft.nn.optim.Optimizer;
import dev.weft.nn.optim.OptimizerState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A full training checkpoint in one safetensors file: the model's weights, the optimizer's state,
 * the epoch and step counters, the states of named random generators and free-form string extras.
 * Loading it into freshly built objects and continuing gives bit-for-bit the same run as never
 * having stopped (given the same data order, which the saved generators reproduce).
 *
 * <p>Layout: tensors {@code model/<name>} (F32, the state dict), {@code optimizer/<param>/<slot>}
 * (F32), {@code rng/<name>} (I64 [4]); {@code __metadata__} holds {@code weft.checkpoint} (format
 * version), {@code epoch}, {@code step}, {@code optimizer.kind}, {@code optimizer.iterations},
 * {@code optimizer.learning_rate} (exact decimal float) and {@code extra.<key>} entries.
 *
 * <p>Writes are atomic. Loading validates everything — the file format, every weight, every
 * optimizer slot, every generator, every counter — before changing anything, and reports all
 * mismatches in one {@link StateMismatchException}; a malformed file throws
 * {@link SafetensorsException}.
 *
 * <pre>{@code
 * Checkpoint.save(path, model, optimizer, epoch, step, Map.of("global", Rng.global()), Map.of());
 * // later, in a new process:
 * Checkpoint.Info info = Checkpoint.load(path, model, optimizer, Map.of("global", Rng.global()));
 * }</pre>
 */
public final class Checkpoint {
    private Checkpoint() {}

    /** Format version written in the {@code weft.checkpoint} metadata entry. */
    public static final String VERSION = "1";

    private static final String MODEL = "model/", OPTIMIZER = "optimizer/", RNG = "rng/", EXTRA = "extra.";

    /**
     * Where training stood when a checkpoint was written.
     *
     * @param epoch the caller's epoch counter
     * @param step the caller's global step counter
     * @param extra the free-form entries passed to {@link #save}
     */
    public record Info(long epoch, long step, Map<String, String> extra) {}

    /**
     * Writes a checkpoint to {@code path}, atomically.
     *
     * @param optimizer may be null (weights and counters only)
     * @param rngs generators whose state to save, by name (e.g. {@code "global"}, {@code "shuffle"})
     * @param extra free-form strings (e.g. a {@code ReduceLROnPlateau} state, a run id)
     */
    public static void save(Path path, Module model, Optimizer optimizer, long epoch, long step,
                            Map<String, Rng> rngs, Map<String, String> extra) throws IOException {
        if (path == null || model == null) throw new IllegalArgumentException("Checkpoint.save: path and model must not be null");
        SafetensorsFile file = new SafetensorsFile();
        file.putMetadata("weft.checkpoint", VERSION);
        file.putMetadata("epoch", Long.toString(epoch));
        file.putMetadata("step", Long.toString(step));
        for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) file.put(MODEL + e.getKey(), e.getValue());
        if (optimizer != null) {
            OptimizerState s = optimizer.state();
            file.putMetadata("optimizer.kind", s.optimizer());
            file.putMetadata("optimizer.iterations", Long.toString(s.iterations()));
            file.putMetadata("optimizer.learning_rate", Float.toString(s.learningRate()));
            for (Map.Entry<String, Tensor> e : s.slots().entrySet()) file.put(OPTIMIZER + e.getKey(), e.getValue());
        }
        for (Map.Entry<String, Rng> e : orEmpty(rngs).entrySet())
            if (e.getValue() == null) throw new IllegalArgumentException("Checkpoint.save: generator '" + e.getKey() + "' is null");
        for (Map.Entry<String, Rng> e : new TreeMap<>(orEmpty(rngs)).entrySet()) file.putLongs(RNG + e.getKey(), e.getValue().state(), 4);
        for (Map.Entry<String, String> e : orEmpty(extra).entrySet()) file.putMetadata(EXTRA + e.getKey(), e.getValue());
        file.write(path);
    }

    /**
     * Restores a checkpoint into {@code model}, {@code optimizer} (may be null: its saved state is
     * then ignored) and the given generators (each must be in the file).
     *
     * @return the saved counters and extras
     * @throws SafetensorsException if the file is not a valid safetensors file
     * @throws StateMismatchException if it is not a checkpoint or does not fit the objects
     * @throws IOException if it cannot be read
     */
    public static Info load(Path path, Module model, Optimizer optimizer, Map<String, Rng> rngs) throws IOException {
        if (path == null || model == null) throw new IllegalArgumentException("Checkpoint.load: path and model must not be null");
        SafetensorsFile file = SafetensorsFile.read(path);
        Map<String, String> meta = file.metadata();
        List<String> problems = new ArrayList<>();

        if (!VERSION.equals(meta.get("weft.checkpoint")))
            problems.add("not a Weft checkpoint of version " + VERSION + " (metadata 'weft.checkpoint' is " + meta.get("weft.checkpoint") + ")");
        long epoch = parseLong(meta, "epoch", problems), step = parseLong(meta, "step", problems);

        problems.addAll(Weights.check(model, file, MODEL));
        for (String n : file.names())
            if (!n.startsWith(MODEL) && !n.startsWith(OPTIMIZER) && !n.startsWith(RNG)) problems.add("unexpected tensor '" + n + "'");

        OptimizerState optState = null;
        if (optimizer != null) {
            optState = readOptimizerState(file, meta, problems);
            if (optState != null) problems.addAll(optimizer.stateProblems(optState));
        }

        Map<Rng, long[]> rngStates = new LinkedHashMap<>();
        for (Map.Entry<String, Rng> e : orEmpty(rngs).entrySet()) {
            String key = RNG + e.getKey();
            if (e.getValue() == null) {
                problems.add("generator '" + e.getKey() + "' to restore into is null");
            } else if (!file.contains(key)) {
                problems.add("missing generator state '" + e.getKey() + "'");
            } else if (file.dtype(key) != SafetensorsDtype.I64 || !Arrays.equals(file.shape(key), new int[] {4})) {
                problems.add("generator state '" + e.getKey() + "' must be I64 [4], is " + file.dtype(key) + " " + Arrays.toString(file.shape(key)));
            } else {
                long[] s = file.longs(key);
                if ((s[0] | s[1] | s[2] | s[3]) == 0) problems.add("generator state '" + e.getKey() + "' is all zeros");
                else rngStates.put(e.getValue(), s);
            }
        }
        if (!problems.isEmpty()) throw new StateMismatchException(path.toString(), problems);

        // Everything checked: apply. None of these can fail now.
        if (optimizer != null) optimizer.loadState(optState);
        Weights.copyInto(model, file, MODEL);
        for (Map.Entry<Rng, long[]> e : rngStates.entrySet()) e.getKey().setState(e.getValue());
        Map<String, String> extra = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : meta.entrySet())
            if (e.getKey().startsWith(EXTRA)) extra.put(e.getKey().substring(EXTRA.length()), e.getValue());
        return new Info(epoch, step, extra);
    }

    private static OptimizerState readOptimizerState(SafetensorsFile file, Map<String, String> meta, List<String> problems) {
        String kind = meta.get("optimizer.kind");
        if (kind == null || kind.isEmpty()) {
            problems.add("the checkpoint holds no optimizer state (metadata 'optimizer.kind' missing)");
            return null;
        }
        int before = problems.size();
        long iterations = parseLong(meta, "optimizer.iterations", problems);
        float lr = 0;
        String lrText = meta.get("optimizer.learning_rate");
        try {
            lr = Float.parseFloat(lrText == null ? "" : lrText);
        } catch (NumberFormatException e) {
            problems.add("metadata 'optimizer.learning_rate' is not a number: " + lrText);
        }
        Map<String, Tensor> slots = new LinkedHashMap<>();
        for (String n : file.names()) {
            if (!n.startsWith(OPTIMIZER)) continue;
            if (file.dtype(n) != SafetensorsDtype.F32) problems.add("optimizer slot '" + n + "' has dtype " + file.dtype(n) + ", expected F32");
            else slots.put(n.substring(OPTIMIZER.length()), file.tensor(n));
        }
        return problems.size() > before ? null : new OptimizerState(kind, iterations, lr, slots);
    }

    private static long parseLong(Map<String, String> meta, String key, List<String> problems) {
        String v = meta.get(key);
        if (v == null) {
            problems.add("metadata '" + key + "' is missing");
            return 0;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            problems.add("metadata '" + key + "' is not an integer: " + v);
            return 0;
        }
    }

    private static <K, V> Map<K, V> orEmpty(Map<K, V> m) { return m == null ? Map.of() : m; }
}
