package dev.weft.engine.autograd;

import dev.weft.engine.Shape;
import dev.weft.engine.Tensor;
import dev.weft.engine.ops.Reduce;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reverse-mode graph walk.
 *
 * <p>1. Topologically sort the nodes reachable from the root, iteratively (an LSTM unrolled over
 * hundreds of steps makes graphs far deeper than the Java stack). 2. Visit them in reverse order,
 * calling each node's backward rule once with the sum of the gradients that reached it. 3. Sum each
 * input gradient back to the input's shape (un-broadcasting, done here once for every op) and
 * accumulate it; leaves add it into {@code .grad()}.
 */
public final class Graph {
    private Graph() {}

    /** Backpropagates {@code gradient} from {@code root}. */
    public static void backward(Tensor root, Tensor gradient, boolean retainGraph) {
        List<Tensor> order = topologicalOrder(root);
        Map<Tensor, Tensor> pending = new IdentityHashMap<>();
        pending.put(root, gradient.detach());
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            for (int i = order.size() - 1; i >= 0; i--) {
                Tensor t = order.get(i);
                Tensor g = pending.remove(t);
                if (g == null) continue; // no gradient reached this node (e.g. only through integer paths)
                Node node = t.gradFn();
                if (node == null) {
                    accumulateLeaf(t, g);
                    continue;
                }
                Tensor[] inputs = node.inputs();
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

    private static void accumulateLeaf(Tensor leaf, Tensor g) {
        if (!leaf.requiresGrad()) return;
        Tensor old = leaf.grad();
        // The stored gradient owns its storage: never alias a view of another tensor.
        leaf.setGrad(old == null ? copyOf(g) : old.add(g));
    }

    // The stored gradient owns its storage: backward rules may hand the same tensor to several
    // inputs, and users may edit .grad() in place (clipping), so never alias.
    private static Tensor copyOf(Tensor g) { return Tensor.of(g.toFloatArray(), g.shape()); }

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
