package dev.weft.nn;

import dev.weft.engine.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model wired with the functional API, like Keras' {@code Model(inputs, outputs)}: any directed
 * acyclic graph of layer calls, with branches and merges (e.g. ResNet shortcuts).
 *
 * <pre>{@code
 * Symbolic in = Symbolic.input(32, 32, 64);
 * Symbolic y = new Conv2D(64, 3).padding("same").call(in);
 * y = new BatchNormalization().call(y);
 * Symbolic out = new Activation("relu").call(new Add().call(y, in));   // shortcut
 * Model block = new Model(in, out);
 * Tensor t = block.forward(x);                                          // x: [N, 32, 32, 64]
 * }</pre>
 *
 * <p>Layers are registered as children under their (Keras default) names in call order, so weights
 * are named {@code conv2d.kernel}, {@code batch_normalization.gamma}, ... A layer called twice shares
 * its weights.
 */
public class Model extends Layer {
    private final List<Symbolic> inputs;
    private final List<Symbolic> outputs;
    private final List<Symbolic> nodes = new ArrayList<>(); // layer calls in topological order
    private final Map<String, Integer> nameCounts = new HashMap<>();

    /** A single-input, single-output model. */
    public Model(Symbolic input, Symbolic output) { this(List.of(input), List.of(output)); }

    /** A model from its inputs to its outputs. */
    public Model(List<Symbolic> inputs, List<Symbolic> outputs) {
        if (inputs == null || inputs.isEmpty() || outputs == null || outputs.isEmpty())
            throw new IllegalArgumentException("Model: needs at least one input and one output");
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        for (Symbolic s : inputs)
            if (!s.isInput()) throw new IllegalArgumentException("Model: inputs must come from Symbolic.input(...), got " + s);
        topoSort();
        Set<Layer> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        // names already given (e.g. by another model sharing these layers) are not handed out again
        for (Symbolic n : nodes) if (n.layer().name() != null) taken.add(n.layer().name());
        for (Symbolic n : nodes) {
            Layer l = n.layer();
            if (!seen.add(l)) continue;
            if (l.name() == null) l.named(uniqueName(l.defaultNamePrefix()));
            if (children().containsKey(l.name()))
                throw new IllegalArgumentException("Model: two layers are named '" + l.name() + "'");
            registerModule(l.name(), l);
        }
        int[][] shapes = new int[inputs.size()][];
        for (int i = 0; i < shapes.length; i++) shapes[i] = inputs.get(i).shape();
        build(shapes);
    }

    private final Set<String> taken = new java.util.HashSet<>();

    private String uniqueName(String prefix) {
        String candidate;
        do {
            int n = nameCounts.getOrDefault(prefix, 0);
            nameCounts.put(prefix, n + 1);
            candidate = n == 0 ? prefix : prefix + "_" + n;
        } while (!taken.add(candidate));
        return candidate;
    }

    // Iterative post-order DFS from the outputs: every call appears after the calls it depends on.
    private void topoSort() {
        Set<Symbolic> done = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<Symbolic> onPath = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Symbolic out : outputs) {
            Deque<Symbolic> stack = new ArrayDeque<>();
            Deque<Integer> next = new ArrayDeque<>();
            stack.push(out);
            next.push(0);
            onPath.add(out);
            while (!stack.isEmpty()) {
                Symbolic s = stack.peek();
                int i = next.pop();
                if (done.contains(s)) { stack.pop(); onPath.remove(s); continue; }
                if (i < s.inputs().size()) {
                    next.push(i + 1);
                    Symbolic child = s.inputs().get(i);
                    if (!done.contains(child)) {
                        stack.push(child);
                        next.push(0);
                        onPath.add(child);
                    }
                } else {
                    stack.pop();
                    onPath.remove(s);
                    done.add(s);
                    if (s.isInput()) {
                        if (!containsIdentity(inputs, s))
                            throw new IllegalArgumentException("Model: the outputs depend on an input " + s + " that is not among the model's inputs");
                    } else {
                        nodes.add(s);
                    }
                }
            }
        }
    }

    private static boolean containsIdentity(List<Symbolic> list, Symbolic s) {
        for (Symbolic x : list) if (x == s) return true;
        return false;
    }

    /** Keras 3 names functional models "functional". */
    @Override public String defaultNamePrefix() { return "functional"; }

    /** The symbolic inputs. */
    public List<Symbolic> inputs() { return inputs; }

    /** The symbolic outputs. */
    public List<Symbolic> outputs() { return outputs; }

    /** Layer calls in execution order. */
    public List<Symbolic> nodes() { return Collections.unmodifiableList(nodes); }

    @Override protected int[] computeOutputShape(int[][] in) {
        if (in.length != inputs.size())
            throw new IllegalArgumentException(describe() + ": expects " + inputs.size() + " inputs, got " + in.length);
        for (int i = 0; i < in.length; i++)
            if (!java.util.Arrays.equals(in[i], inputs.get(i).shape()))
                throw new IllegalArgumentException(describe() + ": input " + i + " has per-sample shape "
                        + batchShapeString(in[i]) + ", expected " + batchShapeString(inputs.get(i).shape()));
        return outputs.get(0).shape();
    }

    @Override protected Tensor compute(List<Tensor> in) { return run(in).get(0); }

    /** Runs the graph and returns every output, in the order given to the constructor. */
    public List<Tensor> forwardAll(Tensor... in) {
        List<Tensor> args = in == null ? null : Arrays.asList(in);
        buildFor(args); // validates and builds, like forward
        List<Tensor> out = run(args);
        recordTrace(out.get(0));
        return out;
    }

    private List<Tensor> run(List<Tensor> in) {
        Map<Symbolic, Tensor> values = new IdentityHashMap<>();
        for (int i = 0; i < inputs.size(); i++) values.put(inputs.get(i), in.get(i));
        for (Symbolic n : nodes) {
            List<Tensor> args = new ArrayList<>(n.inputs().size());
            for (Symbolic s : n.inputs()) args.add(values.get(s));
            values.put(n, n.layer().forward(args));
        }
        List<Tensor> out = new ArrayList<>();
        for (Symbolic o : outputs) out.add(values.get(o));
        return out;
    }

    /** The Keras-style summary. */
    public Summary summary() { return Summary.of(this); }
}
