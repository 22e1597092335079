package dev.weft.nn;

import dev.weft.engine.Rng;
import dev.weft.engine.Shape;
import dev.weft.engine.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link Module} with a forward pass and Keras-style shape inference: the base of every layer and
 * model.
 *
 * <p>Shapes are per sample (without the batch dim). A layer is built on its first call, like a
 * Keras layer: {@link #build} creates the weights from the input shapes, then {@link #compute}
 * runs. {@link #outputShape} validates the input shapes and infers the output shape without
 * running anything, which is what {@link Sequential}, the functional {@link Model} and
 * {@link Summary} use.
 *
 * <p>Subclassing (Keras' "model subclassing" style): register sublayers in the constructor with
 * {@link #registerModule} and write {@link #compute}:
 *
 * <pre>{@code
 * final class Vae extends Layer {
 *     final Dense enc = registerModule("encoder", new Dense(128));
 *     final Dense mean = registerModule("mean", new Dense(20));
 *     final Dense logVar = registerModule("log_var", new Dense(20));
 *     protected Tensor compute(List<Tensor> in) {
 *         Tensor h = enc.forward(in.get(0));
 *         return Tensor.concat(List.of(mean.forward(h), logVar.forward(h)), -1);
 *     }
 *     protected int[] computeOutputShape(int[][] in) { return new int[] {40}; }
 * }
 * Vae vae = new Vae();
 * Tensor out = vae.forward(Tensor.zeros(512, 784));   // sublayers build on first use
 * System.out.println(Summary.of(vae, 784));            // shapes traced with one sample
 * }</pre>
 */
public abstract class Layer extends Module {
    private String name;
    private Rng rng;
    private int[][] builtShapes;

    /** The layer name (Keras style, e.g. {@code "dense_1"}); null until set or assigned by a model. */
    public String name() { return name; }

    /** Sets the name; returns this. */
    public Layer named(String name) {
        if (name == null || name.isEmpty() || name.contains("."))
            throw new IllegalArgumentException(typeName() + ": invalid layer name '" + name + "' (non-empty, no dots)");
        this.name = name;
        return this;
    }

    /** The Keras class name shown by {@link Summary}, e.g. {@code "Dense"}. */
    public String typeName() { return getClass().getSimpleName(); }

    /** Keras' default name prefix: the type in snake case ({@code Conv2D} → {@code conv2d}). */
    public String defaultNamePrefix() {
        String t = typeName();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < t.length(); i++) {
            char ch = t.charAt(i);
            boolean boundary = Character.isUpperCase(ch) && i > 0
                    && (Character.isLowerCase(t.charAt(i - 1)) || (i + 1 < t.length() && Character.isLowerCase(t.charAt(i + 1))))
                    && !Character.isDigit(t.charAt(i - 1));
            if (boundary) sb.append('_');
            sb.append(Character.toLowerCase(ch));
        }
        return sb.toString();
    }

    /** The generator used to initialise weights and draw dropout masks; defaults to {@link Rng#global()}. */
    public Rng rng() { return rng != null ? rng : Rng.global(); }

    /**
     * Sets the generator of this layer and of every sublayer registered so far that has none of its
     * own (so {@code new Sequential(...).withRng(new Rng(7))} seeds a whole model); returns this.
     */
    public Layer withRng(Rng rng) {
        this.rng = rng;
        apply(m -> {
            if (m instanceof Layer l && l != this && l.rng == null) l.rng = rng;
        });
        return this;
    }

    /** True once the weights exist. */
    public boolean isBuilt() { return builtShapes != null; }

    /** The per-sample input shapes the layer was built with, or null. */
    public int[][] builtInputShapes() { return builtShapes == null ? null : deepCopy(builtShapes); }

    // ------------------------------------------------------------------ shapes and building

    /**
     * Validates per-sample input shapes and returns the per-sample output shape; throws
     * IllegalArgumentException naming the layer and the shapes when they do not fit.
     */
    public final int[] outputShape(int[]... inputShapes) {
        if (inputShapes == null || inputShapes.length == 0)
            throw new IllegalArgumentException(describe() + ": no input shape given");
        return computeOutputShape(deepCopy(inputShapes));
    }

    /** Builds the weights for per-sample input shapes (no-op when already built with compatible shapes). */
    public final void build(int[]... inputShapes) {
        outputShape(inputShapes); // validates
        if (builtShapes == null) {
            doBuild(deepCopy(inputShapes));
            builtShapes = deepCopy(inputShapes);
        }
    }

    /** Layer-specific shape rule; {@code in} holds per-sample shapes. Must validate and name the layer. */
    protected abstract int[] computeOutputShape(int[][] in);

    /** Creates weights for the given per-sample input shapes; the default creates none. */
    protected void doBuild(int[][] in) {}

    // ------------------------------------------------------------------ forward

    /** Runs the layer on a batch ({@code [N, ...]} per input); builds it on first use. */
    public final Tensor forward(Tensor... inputs) { return forward(Arrays.asList(inputs)); }

    /** Runs the layer on a batch; builds it on first use. */
    public final Tensor forward(List<Tensor> inputs) {
        buildFor(inputs);
        Tensor out = compute(inputs);
        recordTrace(out);
        return out;
    }

    /** Validates batched inputs (non-null, not scalars, shapes that fit) and builds the layer for them. */
    final void buildFor(List<Tensor> inputs) {
        if (inputs == null || inputs.isEmpty()) throw new IllegalArgumentException(describe() + ": no input given");
        int[][] shapes = new int[inputs.size()][];
        for (int i = 0; i < shapes.length; i++) {
            Tensor t = inputs.get(i);
            if (t == null) throw new IllegalArgumentException(describe() + ": input " + i + " is null");
            if (t.dim() == 0)
                throw new IllegalArgumentException(describe() + ": input " + i + " is a scalar; expected a batch [N, ...]");
            int[] s = t.shape();
            shapes[i] = Arrays.copyOfRange(s, 1, s.length);
        }
        build(shapes);
    }

    /** Records this layer's per-sample output shape while {@link #trace} runs. */
    final void recordTrace(Tensor out) {
        Map<Layer, int[]> trace = TRACE.get();
        if (trace != null) trace.putIfAbsent(this, Arrays.copyOfRange(out.shape(), 1, out.dim()));
    }

    /** The forward computation on batched inputs (already validated and built). */
    protected abstract Tensor compute(List<Tensor> inputs);

    /** The functional API: applies this layer to symbolic tensors, building it; see {@link Model}. */
    public final Symbolic call(Symbolic... inputs) {
        if (inputs == null || inputs.length == 0) throw new IllegalArgumentException(describe() + ": call needs at least one input");
        int[][] shapes = new int[inputs.length][];
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] == null) throw new IllegalArgumentException(describe() + ": call input " + i + " is null");
            shapes[i] = inputs[i].shape();
        }
        build(shapes);
        return new Symbolic(outputShape(shapes), this, List.of(inputs));
    }

    /** "Dense 'dense_1'" — for error messages. */
    protected final String describe() { return typeName() + (name == null ? "" : " '" + name + "'"); }

    /** Throws naming the layer unless there is exactly one input shape of one of the given ranks. */
    protected final int[] single(int[][] in, int... ranks) {
        if (in.length != 1)
            throw new IllegalArgumentException(describe() + ": expects 1 input, got " + in.length);
        if (ranks.length > 0) {
            boolean ok = false;
            for (int r : ranks) ok |= in[0].length + 1 == r;
            if (!ok) {
                StringBuilder want = new StringBuilder();
                for (int r : ranks) want.append(want.length() == 0 ? "" : " or ").append(r);
                throw new IllegalArgumentException(describe() + ": expects input of rank " + want + " (batch included), got shape "
                        + batchShapeString(in[0]));
            }
        }
        return in[0];
    }

    /** A per-sample shape shown with the batch dim, Keras style: {@code (None, 32, 32, 3)}. */
    public static String batchShapeString(int[] perSample) {
        StringBuilder sb = new StringBuilder("(None");
        for (int s : perSample) sb.append(", ").append(s < 0 ? "None" : Integer.toString(s));
        return sb.append(')').toString();
    }

    static int[][] deepCopy(int[][] a) {
        int[][] c = new int[a.length][];
        for (int i = 0; i < a.length; i++) {
            if (a[i] == null) throw new IllegalArgumentException("Layer: input shape " + i + " is null");
            c[i] = a[i].clone();
        }
        return c;
    }

    /** Product of a per-sample shape, for messages and reshapes. */
    protected static long numel(int[] s) { return Shape.numel(s); }

    // ------------------------------------------------------------------ tracing (for Summary of subclassed models)

    private static final ThreadLocal<Map<Layer, int[]>> TRACE = new ThreadLocal<>();

    /** Runs {@code body} while recording the first per-sample output shape of every layer called. */
    static Map<Layer, int[]> trace(Runnable body) {
        Map<Layer, int[]> m = new IdentityHashMap<>();
        Map<Layer, int[]> prev = TRACE.get();
        TRACE.set(m);
        try {
            body.run();
        } finally {
            TRACE.set(prev);
        }
        return m;
    }

    /** Direct child layers in registration order. */
    public List<Layer> childLayers() {
        List<Layer> out = new ArrayList<>();
        for (Module m : children().values()) if (m instanceof Layer l) out.add(l);
        return out;
    }
}
