package dev.weft.nn.io;

import dev.weft.engine.Shape;
import dev.weft.engine.Tensor;
import dev.weft.engine.autograd.GradMode;
import dev.weft.engine.io.SafetensorsDtype;
import dev.weft.engine.io.SafetensorsException;
import dev.weft.engine.io.SafetensorsFile;
import dev.weft.nn.Module;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Saves and loads a {@link Module}'s weights — every parameter and buffer of its
 * {@link Module#stateDict()}, by dotted name — as a safetensors file (F32, row-major), like Keras'
 * {@code save_weights}/{@code load_weights} and PyTorch's {@code save_file(model.state_dict())}.
 *
 * <p><b>Saving</b> is atomic: the file is written to a temporary file beside the target and renamed,
 * so a crash leaves the old file or the new one, never a partial file.
 *
 * <p><b>Loading</b> is all-or-nothing. The file is read and validated completely first: a
 * truncated, oversized or corrupted file throws {@link SafetensorsException}; a well-formed file
 * whose names, shapes or dtypes (F32 only) do not match the model throws
 * {@link StateMismatchException} listing every mismatch at once. Only when everything fits are the
 * values copied into the model's existing tensors (in place, so optimizers holding them stay valid).
 * Those two exception types and plain {@link IOException} for file-system failures are the only
 * exceptions {@code load} throws.
 *
 * <pre>{@code
 * Weights.save(model, Path.of("vgg.safetensors"));
 * Weights.load(freshModel, Path.of("vgg.safetensors"));
 * }</pre>
 */
public final class Weights {
    private Weights() {}

    /** Metadata key naming the writer. */
    public static final String FORMAT_KEY = "format";

    /** Writes the model's state dict to {@code path}, atomically. */
    public static void save(Module model, Path path) throws IOException {
        save(model, path, Map.of());
    }

    /** Writes the model's state dict with extra {@code __metadata__} entries, atomically. */
    public static void save(Module model, Path path, Map<String, String> metadata) throws IOException {
        if (model == null || path == null) throw new IllegalArgumentException("Weights.save: model and path must not be null");
        if (metadata == null) throw new IllegalArgumentException("Weights.save: metadata is null (pass Map.of() for none)");
        SafetensorsFile file = new SafetensorsFile();
        file.putMetadata(FORMAT_KEY, "pt"); // what PyTorch's safetensors writer puts; readers there expect it
        for (Map.Entry<String, String> e : metadata.entrySet()) file.putMetadata(e.getKey(), e.getValue());
        for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) file.put(e.getKey(), e.getValue());
        file.write(path);
    }

    /**
     * Loads weights saved by {@link #save} (or any safetensors file with the same names) into
     * {@code model}; see the class comment for the all-or-nothing rules.
     *
     * @throws SafetensorsException if the file is not a valid safetensors file
     * @throws StateMismatchException if it does not fit the model
     * @throws IOException if it cannot be read
     */
    public static void load(Module model, Path path) throws IOException {
        if (model == null || path == null) throw new IllegalArgumentException("Weights.load: model and path must not be null");
        SafetensorsFile file = SafetensorsFile.read(path);
        load(model, file, "", path.toString());
    }

    /**
     * Loads the tensors whose names the model and the file share, like Keras'
     * {@code load_weights(skip_mismatch=True)} by name or torch's {@code strict=False}: names only in
     * the model keep their values, names only in the file are ignored. Shared names must still match
     * in shape and dtype (every mismatch is reported, nothing is loaded otherwise).
     *
     * @return the model names that were not in the file (left unchanged)
     * @throws SafetensorsException if the file is not a valid safetensors file
     * @throws StateMismatchException if a shared name differs in shape or dtype
     */
    public static List<String> loadMatching(Module model, Path path) throws IOException {
        if (model == null || path == null) throw new IllegalArgumentException("Weights.loadMatching: model and path must not be null");
        SafetensorsFile file = SafetensorsFile.read(path);
        List<String> problems = new ArrayList<>(), skipped = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) {
            String name = e.getKey();
            if (!file.contains(name)) {
                skipped.add(name);
                continue;
            }
            checkOne(name, e.getValue(), file.dtype(name), file.shape(name), problems);
        }
        if (!problems.isEmpty()) throw new StateMismatchException(path.toString(), problems);
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            for (Map.Entry<String, Tensor> e : model.stateDict().entrySet())
                if (file.contains(e.getKey())) e.getValue().copyFrom(file.tensor(e.getKey()));
        }
        return skipped;
    }

    private static void checkOne(String name, Tensor target, SafetensorsDtype dtype, int[] shape, List<String> problems) {
        if (dtype != SafetensorsDtype.F32) problems.add("'" + name + "' has dtype " + dtype + ", expected F32");
        if (!Arrays.equals(shape, target.shape()))
            problems.add("'" + name + "' has shape " + Shape.str(shape) + ", model expects " + Shape.str(target.shape()));
    }

    /** Loads from an in-memory safetensors document (same rules). */
    public static void load(Module model, SafetensorsFile file) throws StateMismatchException {
        if (model == null || file == null) throw new IllegalArgumentException("Weights.load: model and file must not be null");
        load(model, file, "", "<safetensors>");
    }

    /**
     * Loads the tensors named {@code prefix + name} of {@code file} into {@code model}; tensors
     * without the prefix are ignored (checkpoints keep other state beside the weights).
     */
    static void load(Module model, SafetensorsFile file, String prefix, String source) throws StateMismatchException {
        List<String> problems = check(model, file, prefix);
        if (!problems.isEmpty()) throw new StateMismatchException(source, problems);
        copyInto(model, file, prefix);
    }

    /** Every mismatch between {@code model}'s state dict and the {@code prefix}ed tensors of {@code file}. */
    static List<String> check(Module model, SafetensorsFile file, String prefix) {
        List<String> problems = new ArrayList<>();
        Map<String, Tensor> state = model.stateDict();
        Set<String> inFile = new LinkedHashSet<>();
        for (String n : file.names()) if (n.startsWith(prefix)) inFile.add(n.substring(prefix.length()));
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            String name = e.getKey();
            if (!inFile.remove(name)) {
                problems.add("missing '" + name + "' (shape " + Shape.str(e.getValue().shape()) + ")");
                continue;
            }
            checkOne(name, e.getValue(), file.dtype(prefix + name), file.shape(prefix + name), problems);
        }
        for (String extra : inFile) problems.add("unexpected '" + extra + "' (shape " + Shape.str(file.shape(prefix + extra)) + ", not in the model)");
        if (state.isEmpty() && !problems.isEmpty())
            problems.add("the model has no parameters or buffers yet: build it before loading (e.g. Sequential.input(...) or one forward pass)");
        return problems;
    }

    /** Copies checked tensors into the model's own tensors, in place. */
    static void copyInto(Module model, SafetensorsFile file, String prefix) {
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            for (Map.Entry<String, Tensor> e : model.stateDict().entrySet())
                e.getValue().copyFrom(file.tensor(prefix + e.getKey()));
        }
    }

    /** The tensors of a weight file by name (no model needed), e.g. to inspect or convert it. */
    public static Map<String, Tensor> read(Path path) throws IOException {
        return new LinkedHashMap<>(SafetensorsFile.read(path).tensors());
    }
}
