package dev.weft.engine.autograd;

import dev.weft.engine.Shape;
import dev.weft.engine.Tensor;
import dev.weft.engine.ops.Reduce;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The reverse-mode graph walk.
 *
 * <p>1. Topologically sort the nodes reachable from the root, iteratively (an LSTM unrolled over
 * hundreds of steps makes graphs far deeper than the Java stack). 2. Visit them in reverse order,
 * calling each node's backward rule once with the sum of the gradients that reached it. 3. Sum each
 * input gradient back to the input's shape (un-broadcasting, done here once for every op) and
 * accumulate it; leaves add it into {@code .grad()}.
 *
 * <p>A leaf's first gradient becomes its {@code .grad()} without a copy when the walk can tell that
 * nothing else holds its storage: the gradient is a whole, contiguous array that is not the storage
 * of the root gradient, of any upstream gradient handed to a backward rule, of any tensor of the
 * graph (node outputs and inputs) or of a gradient already given to another leaf. Otherwise it is
 * copied. (PyTorch steals such buffers the same way; with weights of 39 M floats, as in the VGG,
 * the copy was a 157 MB allocation per step.)
 */
public final class Graph {
    private Graph() {}

    /** Backpropagates {@code gradient} from {@code root}. */
    public static void backward(Tensor root, Tensor gradient, boolean retainGraph) {
        List<Tensor> order = topologicalOrder(root);
        Map<Tensor, Tensor> pending = new IdentityHashMap<>();
        pending.put(root, gradient.detach());
        // Storages a leaf's .grad() must not take over without a copy (see the class comment).
        Set<float[]> shared = Collections.newSetFromMap(new IdentityHashMap<>());
        shared.add(gradient.storage());
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            for (int i = order.size() - 1; i >= 0; i--) {
                Tensor t = order.get(i);
                Tensor g = pending.remove(t);
                if (g == null) continue; // no gradient reached this node (e.g. only through integer paths)
                Node node = t.gradFn();
                if (node == null) {
                    accumulateLeaf(t, g, shared);
                    continue;
                }
                Tensor[] inputs = node.inputs();
                shared.add(t.storage());
                shared.add(g.storage());
                for (Tensor in : inputs) shared.add(in.storage());
                Tensor[] grads = node.backward(g);
                if (grads.length != inputs.length)
                    throw new IllegalStateException("backward of '" + node.op() + "' returned " + grads.length + " gradients for " + inputs.length + " inputs");
                for (int k = 0; k < inputs.length; k++) {
                    Tensor in = inputs[k];
                    if (!in.requiresGrad() || grads[k] == null) continue;
                    Tensor gk = sumToShape(grads[k], in.shape(), node.op());
                    Tensor prev = pending.get(in);
                    pending.put(in, prev == null ? gk : prev.add(gk));
                }
                if (!retainGraph) node.release();
            }
        }
    }

    private static void accumulateLeaf(Tensor leaf, Tensor g, Set<float[]> shared) {
        if (!leaf.requiresGrad()) return;
        Tensor old = leaf.grad();
        if (old != null) leaf.setGrad(old.add(g));
        else if (ownsWholeStorage(g) && shared.add(g.storage())) leaf.setGrad(g); // taken over, now shared
        else leaf.setGrad(copyOf(g));
    }

    // The stored gradient owns its storage: backward rules may hand the same tensor to several
    // inputs, and users may edit .grad() in place (clipping), so a gradient that may be seen
    // elsewhere is copied.
    private static Tensor copyOf(Tensor g) { return Tensor.of(g.toFloatArray(), g.shape()); }

    // Row-major over the whole array from index 0: a tensor that is its storage, not a view into one.
    private static boolean ownsWholeStorage(Tensor g) {
        return g.offset() == 0 && g.isContiguous() && g.storage().length == g.numel();
    }

    /** Sums a broadcast gradient back to {@code shape}. */
    public static Tensor sumToShape(Tensor g, int[] shape, String op) {
        int[] gs = g.shape();
        if (Arrays.equals(gs, shape)) return g;
        int lead = gs.length - shape.length;
        if (lead < 0)
            throw new IllegalStateException("backward of '" + op + "': gradient shape " + Shape.str(gs) + " has fewer dims than input " + Shape.str(shape));
        List<Integer> dims = new ArrayList<>();
        for (int i = 0; i < gs.length; i++) {
            if (i < lead) dims.add(i);
            else if (shape[i - lead] == 1 && gs[i] != 1) dims.add(i);
            else if (shape[i - lead] != gs[i])
                throw new IllegalStateException("backward of '" + op + "': gradient shape " + Shape.str(gs) + " does not broadcast to input " + Shape.str(shape));
        }
        Tensor r = dims.isEmpty() ? g : Reduce.sum(g, dims.stream().mapToInt(Integer::intValue).toArray(), true);
        return r.reshape(shape);
    }

    /** Nodes reachable from {@code root}, each after all of its inputs (iterative DFS). */
    static List<Tensor> topologicalOrder(Tensor root) {
        List<Tensor> order = new ArrayList<>();
        Map<Tensor, Boolean> visited = new IdentityHashMap<>();
        ArrayDeque<Object[]> stack = new ArrayDeque<>(); // {tensor, next input index}
        stack.push(new Object[] {root, 0});
        visited.put(root, Boolean.TRUE);
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Tensor t = (Tensor) frame[0];
            Node node = t.gradFn();
            Tensor[] inputs = node == null ? new Tensor[0] : node.inputs();
            int next = (Integer) frame[1];
            if (node != null && node.isReleased()) node.backward(null); // throws the "released" error
            if (next < inputs.length) {
                frame[1] = next + 1;
                Tensor in = inputs[next];
                if (in.requiresGrad() && visited.put(in, Boolean.TRUE) == null) stack.push(new Object[] {in, 0});
            } else {
                stack.pop();
                order.add(t);
            }
        }
        return order;
    }
}
