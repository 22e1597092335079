package dev.weft.engine.autograd;

import dev.weft.engine.Tensor;

/**
 * A recorded op in the autograd graph: its name, its inputs and its backward rule.
 *
 * <p>After a backward pass without {@code retainGraph}, the node is released: the rule (and the
 * tensors its closure saved) is dropped, and a second backward through it fails with a clear message.
 */
public final class Node {
    private final String op;
    private Tensor[] inputs;
    private BackwardFn fn;

    public Node(String op, Tensor[] inputs, BackwardFn fn) {
        this.op = op;
        this.inputs = inputs;
        this.fn = fn;
    }

    /** The op's name, e.g. {@code "mul"}. */
    public String op() { return op; }

    /** The op's inputs (empty once released). */
    public Tensor[] inputs() { return inputs; }

    /** True once a backward pass freed this node. */
    public boolean isReleased() { return fn == null; }

    /** Runs the backward rule. */
    public Tensor[] backward(Tensor gradOut) {
        if (fn == null)
            throw new IllegalStateException("backward: the graph through '" + op + "' was already released by an earlier backward(); "
                    + "call backward(gradient, true) the first time to keep it (retainGraph)");
        return fn.apply(gradOut);
    }

    /** Drops the backward rule and the inputs so their memory can be reclaimed. */
    public void release() {
        fn = null;
        inputs = new Tensor[0];
    }

    @Override public String toString() { return "<" + op + "Backward>"; }
}
