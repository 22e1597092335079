package dev.weft.engine;

import java.util.Arrays;

/** Shape arithmetic shared by every op: validation, strides, broadcasting, dim normalisation. */
public final class Shape {
    private Shape() {}

    /** Largest element count a single tensor may hold (Java arrays are int-indexed). */
    public static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    /** Validates a shape (non-null, no negative sizes, element count fits an array); returns a copy. */
    public static int[] check(String op, int[] shape) {
        if (shape == null) throw new IllegalArgumentException(op + ": shape is null");
        long n = 1;
        for (int s : shape) {
            if (s < 0) throw new IllegalArgumentException(op + ": negative size in shape " + Arrays.toString(shape));
            n *= s;
            if (n > MAX_ELEMENTS) throw new IllegalArgumentException(op + ": shape " + Arrays.toString(shape) + " has too many elements");
        }
        return shape.clone();
    }

    /** Product of the sizes. */
    public static long numel(int[] shape) {
        long n = 1;
        for (int s : shape) n *= s;
        return n;
    }

    /** Row-major (C-order) strides in elements. */
    public static int[] contiguousStrides(int[] shape) {
        int[] st = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            st[i] = acc;
            acc *= Math.max(shape[i], 1);
        }
        return st;
    }

    /** Maps a possibly negative dim into [0, rank). */
    public static int normDim(String op, int dim, int rank) {
        int d = dim < 0 ? dim + rank : dim;
        if (d < 0 || d >= rank)
            throw new IllegalArgumentException(op + ": dim " + dim + " out of range for a tensor of rank " + rank);
        return d;
    }

    /** NumPy broadcasting of two shapes; the error names the op and both shapes. */
    public static int[] broadcast(String op, int[] a, int[] b) {
        int r = Math.max(a.length, b.length);
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int da = i - (r - a.length) >= 0 ? a[i - (r - a.length)] : 1;
            int db = i - (r - b.length) >= 0 ? b[i - (r - b.length)] : 1;
            if (da != db && da != 1 && db != 1)
                throw new IllegalArgumentException(op + ": shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
                        + " cannot be broadcast (dim " + i + ": " + da + " vs " + db + ")");
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** Resolves a reshape target with at most one -1. */
    public static int[] inferReshape(String op, int[] from, int[] to) {
        if (to == null) throw new IllegalArgumentException(op + ": shape is null");
        long n = numel(from);
        int infer = -1;
        long known = 1;
        for (int i = 0; i < to.length; i++) {
            if (to[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException(op + ": more than one -1 in " + Arrays.toString(to));
                infer = i;
            } else if (to[i] < 0) {
                throw new IllegalArgumentException(op + ": negative size in " + Arrays.toString(to));
            } else known *= to[i];
        }
        int[] out = to.clone();
        if (infer >= 0) {
            if (known == 0 || n % known != 0)
                throw new IllegalArgumentException(op + ": cannot reshape " + Arrays.toString(from) + " (" + n + " elements) to " + Arrays.toString(to));
            out[infer] = (int) (n / known);
        } else if (known != n) {
            throw new IllegalArgumentException(op + ": cannot reshape " + Arrays.toString(from) + " (" + n + " elements) to " + Arrays.toString(to));
        }
        return out;
    }

    /** Formats a shape like {@code [2, 3]}. */
    public static String str(int[] shape) { return Arrays.toString(shape); }
}
