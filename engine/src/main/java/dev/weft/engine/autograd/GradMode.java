package dev.weft.engine.autograd;

/**
 * Whether ops record the autograd graph on the current thread.
 *
 * <pre>{@code
 * try (var scope = GradMode.noGrad()) {
 *     Tensor y = model.forward(x);   // no graph, no saved activations
 * }
 * }</pre>
 */
public final class GradMode {
    private GradMode() {}

    // A depth counter per thread, so scopes nest.
    private static final ThreadLocal<int[]> DISABLED = ThreadLocal.withInitial(() -> new int[1]);

    /** True when ops on this thread record gradients. */
    public static boolean isEnabled() { return DISABLED.get()[0] == 0; }

    /** Disables recording until the returned scope is closed. */
    public static Scope noGrad() {
        int[] depth = DISABLED.get();
        depth[0]++;
        return new Scope(depth);
    }

    /** A no-grad scope; close it (try-with-resources) to restore the previous mode. */
    public static final class Scope implements AutoCloseable {
        private final int[] depth;
        private boolean closed;

        private Scope(int[] depth) { this.depth = depth; }

        @Override public void close() {
            if (!closed) {
                closed = true;
                depth[0]--;
            }
        }
    }
}
