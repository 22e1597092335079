package dev.weft.engine.ops;

import dev.weft.engine.kernels.Parallel;

/**
 * Walks the elements of several operands that share an iteration shape but have their own strides.
 *
 * <p>Dims are first coalesced (adjacent dims merge when every operand's layout allows it, size-1
 * dims vanish), so a contiguous or simply broadcast walk becomes a few long rows. The body then
 * gets one call per innermost row with each operand's starting offset; it knows each operand's
 * inner stride from {@link #innerStride(int)} (0 for a broadcast operand, 1 for contiguous).
 *
 * <p>{@link #forEachRowParallel} splits a large walk into fixed element ranges (their boundaries
 * depend on the size only) run on {@link Parallel}; it is for bodies whose rows write disjoint
 * outputs, so the result does not depend on the thread count.
 */
public final class Strided {
    private final int[] shape;      // coalesced iteration shape, at least one dim
    private final int[][] strides;  // per operand, per coalesced dim

    /** A row callback: {@code offsets[k]} is operand k's offset at the row start; the row has n elements. */
    @FunctionalInterface
    public interface Row {
        void run(int[] offsets, int n);
    }

    private Strided(int[] shape, int[][] strides) {
        this.shape = shape;
        this.strides = strides;
    }

    /** Plans a walk over {@code shape}; {@code strides[k]} is operand k's strides (same rank). */
    public static Strided plan(int[] shape, int[]... strides) {
        int ops = strides.length;
        for (int d : shape) {
            if (d == 0) return new Strided(new int[] {0}, new int[ops][1]);
        }
        int[] s = new int[shape.length];
        int[][] st = new int[ops][shape.length];
        int r = 0;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1) continue;
            boolean merge = r > 0;
            for (int k = 0; k < ops && merge; k++) merge = st[k][r - 1] == strides[k][d] * shape[d];
            if (merge) {
                // stepping once in the outer coalesced dim == stepping shape[d] times in dim d
                s[r - 1] *= shape[d];
                for (int k = 0; k < ops; k++) st[k][r - 1] = strides[k][d];
            } else {
                s[r] = shape[d];
                for (int k = 0; k < ops; k++) st[k][r] = strides[k][d];
                r++;
            }
        }
        if (r == 0) { // a scalar, or every dim of size 1: one row of one element
            int[][] one = new int[ops][1];
            for (int k = 0; k < ops; k++) one[k][0] = 1;
            return new Strided(new int[] {1}, one);
        }
        int[][] fst = new int[ops][];
        for (int k = 0; k < ops; k++) fst[k] = java.util.Arrays.copyOf(st[k], r);
        return new Strided(java.util.Arrays.copyOf(s, r), fst);
    }

    /** Operand k's stride along the innermost (row) dim. */
    public int innerStride(int k) { return strides[k][shape.length - 1]; }

    /** Total number of elements walked. */
    public long size() {
        long n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    /** Calls {@code body} for every innermost row; {@code offsets[k]} starts at {@code base[k]}. */
    public void forEachRow(int[] base, Row body) {
        int rank = shape.length;
        int inner = shape[rank - 1];
        if (size() == 0) return;
        int ops = strides.length;
        int[] offs = base.clone();
        int[] idx = new int[rank];
        int[] call = new int[ops];
        while (true) {
            System.arraycopy(offs, 0, call, 0, ops);
            body.run(call, inner);
            // advance the outer index (dims 0..rank-2), odometer style
            int d = rank - 2;
            while (d >= 0) {
                idx[d]++;
                for (int k = 0; k < ops; k++) offs[k] += strides[k][d];
                if (idx[d] < shape[d]) break;
                for (int k = 0; k < ops; k++) offs[k] -= strides[k][d] * shape[d];
                idx[d] = 0;
                d--;
            }
            if (d < 0) return;
        }
    }

    /** Walks of at least this many elements are split over threads. */
    static final int PARALLEL_MIN = 1 << 16;
    /** Elements per parallel task. */
    static final int CHUNK = 1 << 15;

    /**
     * Like {@link #forEachRow}, but a walk of {@link #PARALLEL_MIN} or more elements is cut into
     * ranges of {@link #CHUNK} elements (a row may be cut too) run in parallel. Only for bodies whose
     * calls write disjoint outputs and read nothing another call writes.
     */
    public void forEachRowParallel(int[] base, Row body) {
        long total = size();
        if (total < PARALLEL_MIN || Parallel.threads() == 1) {
            forEachRow(base, body);
            return;
        }
        int tasks = (int) ((total + CHUNK - 1) / CHUNK);
        Parallel.forEach(tasks, t -> walkRange(base, (long) t * CHUNK, Math.min(total, (long) (t + 1) * CHUNK), body));
    }

    /** Calls {@code body} for the (pieces of) rows covering elements [from, to) of the walk, in order. */
    void walkRange(int[] base, long from, long to, Row body) {
        int rank = shape.length, ops = strides.length;
        int inner = shape[rank - 1];
        int[] offs = base.clone();
        int[] idx = new int[rank];
        long row = from / inner;
        for (int d = rank - 2; d >= 0; d--) { // row number -> outer index, odometer digits
            idx[d] = (int) (row % shape[d]);
            row /= shape[d];
            for (int k = 0; k < ops; k++) offs[k] += idx[d] * strides[k][d];
        }
        int col = (int) (from % inner);
        int[] call = new int[ops];
        for (long e = from; e < to; ) {
            int n = (int) Math.min(inner - col, to - e);
            for (int k = 0; k < ops; k++) call[k] = offs[k] + col * strides[k][rank - 1];
            body.run(call, n);
            e += n;
            col = 0;
            for (int d = rank - 2; d >= 0; d--) {
                idx[d]++;
                for (int k = 0; k < ops; k++) offs[k] += strides[k][d];
                if (idx[d] < shape[d]) break;
                for (int k = 0; k < ops; k++) offs[k] -= strides[k][d] * shape[d];
                idx[d] = 0;
            }
        }
    }
}
