package dev.weft.engine.ops;

import dev.weft.engine.Shape;
import dev.weft.engine.Tensor;
import java.util.Arrays;

/**
 * Layout ops. Views share storage with their input; each backward rule maps the view's gradient
 * back onto the input's shape.
 */
public final class Views {
    private Views() {}

    // ---------------------------------------------------------------- copies (not views)

    /** A contiguous copy that records autograd (the backward of a copy is the identity). */
    public static Tensor copy(Tensor x) {
        return copyRaw(x).recordOp("contiguous", g -> new Tensor[] {g}, x);
    }

    /** A contiguous copy, no autograd. */
    public static Tensor copyRaw(Tensor x) {
        Tensor out = Tensor.zeros(x.shape());
        copyInto(x, out);
        return out;
    }

    /** Writes {@code src}, broadcast to {@code dst}'s shape, into {@code dst} (which may be a view). */
    public static void copyInto(Tensor src, Tensor dst) {
        int[] ds = dst.shape();
        Tensor s = src.dim() == dst.dim() && Arrays.equals(src.shape(), ds) ? src : expandRaw("copyFrom", src, ds);
        float[] a = s.storage(), b = dst.storage();
        Strided p = Strided.plan(ds, s.strides(), dst.strides());
        int sa = p.innerStride(0), sb = p.innerStride(1);
        Strided.Row row = (o, n) -> {
            int ia = o[0], ib = o[1];
            if (sa == 1 && sb == 1) System.arraycopy(a, ia, b, ib, n);
            else for (int i = 0; i < n; i++, ia += sa, ib += sb) b[ib] = a[ia];
        };
        int[] base = {s.offset(), dst.offset()};
        // In parallel only when the rows cannot interfere: dst contiguous (no element written
        // twice) and in other storage than src.
        if (dst.isContiguous() && a != b) p.forEachRowParallel(base, row);
        else p.forEachRow(base, row);
    }

    /** Sets every element of {@code dst} (which may be a view) to {@code value}. */
    public static void fill(Tensor dst, float value) {
        float[] b = dst.storage();
        Strided p = Strided.plan(dst.shape(), dst.strides());
        int sb = p.innerStride(0);
        p.forEachRow(new int[] {dst.offset()}, (o, n) -> {
            for (int i = 0, ib = o[0]; i < n; i++, ib += sb) b[ib] = value;
        });
    }

    // ---------------------------------------------------------------- reshape

    /** A view with the new shape when the layout allows, otherwise a contiguous copy reshaped. */
    public static Tensor reshape(Tensor x, int[] newShape) {
        int[] s = Shape.inferReshape("reshape", x.shape(), newShape);
        int[] st = viewStrides(x.shape(), x.strides(), s);
        Tensor base = st != null ? x : copy(x);
        if (st == null) st = Shape.contiguousStrides(s);
        return viewOf(base, s, st, base.offset(), "reshape");
    }

    /** Like {@link #reshape} but throws when a copy would be needed. */
    public static Tensor view(Tensor x, int[] newShape) {
        int[] s = Shape.inferReshape("view", x.shape(), newShape);
        int[] st = viewStrides(x.shape(), x.strides(), s);
        if (st == null)
            throw new IllegalArgumentException("view: shape " + Shape.str(x.shape()) + " with strides " + Arrays.toString(x.strides())
                    + " cannot be viewed as " + Shape.str(s) + " without a copy; use reshape() or contiguous()");
        return viewOf(x, s, st, x.offset(), "view");
    }

    private static Tensor viewOf(Tensor x, int[] s, int[] st, int off, String op) {
        int[] inShape = x.shape();
        return Tensor.wrap(x.storage(), s, st, off).recordOp(op, g -> new Tensor[] {g.reshape(inShape)}, x);
    }

    // Strides for viewing (shape, strides) as newShape without copying, or null if impossible.
    // Walks the old dims from the innermost, grouping runs that are contiguous with each other.
    static int[] viewStrides(int[] shape, int[] strides, int[] newShape) {
        if (Shape.numel(shape) == 0 || shape.length == 0) return Shape.contiguousStrides(newShape);
        int[] out = new int[newShape.length];
        int viewD = newShape.length - 1;
        long chunkStride = strides[shape.length - 1];
        long tensorNumel = 1, viewNumel = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            tensorNumel *= shape[d];
            boolean chunkEnds = d == 0 || (shape[d - 1] != 1 && strides[d - 1] != tensorNumel * chunkStride);
            if (!chunkEnds) continue;
            while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1)) {
                out[viewD] = (int) (viewNumel * chunkStride);
                viewNumel *= newShape[viewD];
                viewD--;
            }
            if (viewNumel != tensorNumel) return null;
            if (d > 0) {
                chunkStride = strides[d - 1];
                tensorNumel = 1;
                viewNumel = 1;
            }
        }
        return viewD == -1 ? out : null;
    }

    /** Flattens dims start..end (inclusive). */
    public static Tensor flatten(Tensor x, int start, int end) {
        int r = Math.max(x.dim(), 1);
        int s = Shape.normDim("flatten", start, r), e = Shape.normDim("flatten", end, r);
        if (x.dim() == 0) return reshape(x, new int[] {1});
        if (s > e) throw new IllegalArgumentException("flatten: start dim " + start + " is after end dim " + end);
        int[] sh = x.shape();
        int[] ns = new int[sh.length - (e - s)];
        int j = 0;
        for (int i = 0; i < s; i++) ns[j++] = sh[i];
        int prod = 1;
        for (int i = s; i <= e; i++) prod *= sh[i];
        ns[j++] = prod;
        for (int i = e + 1; i < sh.length; i++) ns[j++] = sh[i];
        return reshape(x, ns);
    }

    // ---------------------------------------------------------------- permutations

    /** Result dim i is input dim order[i]. */
    public static Tensor permute(Tensor x, int[] order) {
        int r = x.dim();
        if (order == null || order.length != r)
            throw new IllegalArgumentException("permute: order " + Arrays.toString(order) + " does not match shape " + Shape.str(x.shape()));
        int[] sh = x.shape(), st = x.strides();
        int[] ns = new int[r], nst = new int[r], inverse = new int[r];
        boolean[] seen = new boolean[r];
        for (int i = 0; i < r; i++) {
            int d = Shape.normDim("permute", order[i], r);
            if (seen[d]) throw new IllegalArgumentException("permute: order " + Arrays.toString(order) + " repeats dim " + d);
            seen[d] = true;
            ns[i] = sh[d];
            nst[i] = st[d];
            inverse[d] = i;
        }
        return Tensor.wrap(x.storage(), ns, nst, x.offset()).recordOp("permute", g -> new Tensor[] {g.permute(inverse)}, x);
    }

    /** A permuted view without autograd (for kernels that only read). */
    static Tensor permuteRaw(Tensor x, int[] order) {
        int[] sh = x.shape(), st = x.strides();
        int[] ns = new int[order.length], nst = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            ns[i] = sh[order[i]];
            nst[i] = st[order[i]];
        }
        return Tensor.wrap(x.storage(), ns, nst, x.offset());
    }

    /** Swaps dims d0 and d1. */
    public static Tensor transpose(Tensor x, int d0, int d1) {
        int r = x.dim();
        int a = Shape.normDim("transpose", d0, r), b = Shape.normDim("transpose", d1, r);
        int[] order = new int[r];
        for (int i = 0; i < r; i++) order[i] = i;
        order[a] = b;
        order[b] = a;
        return permute(x, order);
    }

    // ---------------------------------------------------------------- slicing

    /** Python-style slice with positive step; start/end are clamped like Python's. */
    public static Tensor slice(Tensor x, int dim, int start, int end, int step) {
        int d = Shape.normDim("slice", dim, x.dim());
        if (step <= 0) throw new IllegalArgumentException("slice: step must be positive, got " + step);
        int n = x.shape()[d];
        int s = clampIndex(start, n), e = clampIndex(end, n);
        int len = e > s ? (e - s + step - 1) / step : 0;
        int[] sh = x.shape(), st = x.strides();
        int off = x.offset() + (len > 0 ? s * st[d] : 0);
        sh[d] = len;
        st[d] = st[d] * step;
        int[] inShape = x.shape();
        final int fs = s;
        return Tensor.wrap(x.storage(), sh, st, off).recordOp("slice", g -> {
            Tensor full = Tensor.zeros(inShape);
            slice(full, d, fs, fs + (len - 1) * step + 1, step).copyFrom(g);
            return new Tensor[] {full};
        }, x);
    }

    private static int clampIndex(int i, int n) {
        if (i < 0) i += n;
        return Math.max(0, Math.min(n, i));
    }

    /** {@code length} elements from {@code start}; unlike slice, out-of-range arguments are errors. */
    public static Tensor narrow(Tensor x, int dim, int start, int length) {
        int d = Shape.normDim("narrow", dim, x.dim());
        int n = x.shape()[d];
        int s = start < 0 ? start + n : start;
        if (s < 0 || length < 0 || s + (long) length > n)
            throw new IndexOutOfBoundsException("narrow: start " + start + " length " + length + " out of range for dim " + dim + " of shape " + Shape.str(x.shape()));
        return slice(x, d, s, s + length, 1);
    }

    /** Index {@code index} along {@code dim}, removing the dim. */
    public static Tensor select(Tensor x, int dim, int index) {
        int d = Shape.normDim("select", dim, x.dim());
        int[] sh = x.shape(), st = x.strides();
        int i = index < 0 ? index + sh[d] : index;
        if (i < 0 || i >= sh[d])
            throw new IndexOutOfBoundsException("select: index " + index + " out of range for dim " + dim + " of shape " + Shape.str(sh));
        int off = x.offset() + i * st[d];
        int[] ns = remove(sh, d), nst = remove(st, d);
        int[] inShape = x.shape();
        return Tensor.wrap(x.storage(), ns, nst, off).recordOp("select", g -> {
            Tensor full = Tensor.zeros(inShape);
            select(full, d, i).copyFrom(g);
            return new Tensor[] {full};
        }, x);
    }

    private static int[] remove(int[] a, int d) {
        int[] r = new int[a.length - 1];
        for (int i = 0, j = 0; i < a.length; i++) if (i != d) r[j++] = a[i];
        return r;
    }

    // ---------------------------------------------------------------- broadcasting and size-1 dims

    /** Broadcast view to {@code newShape} (-1 keeps a size); the gradient is summed back by the graph walk. */
    public static Tensor expand(Tensor x, int[] newShape) {
        return expandRaw("expand", x, newShape).recordOp("expand", g -> new Tensor[] {g}, x);
    }

    static Tensor expandRaw(String op, Tensor x, int[] newShape) {
        int[] sh = x.shape(), st = x.strides();
        if (newShape.length < sh.length)
            throw new IllegalArgumentException(op + ": cannot expand shape " + Shape.str(sh) + " to " + Shape.str(newShape) + " (fewer dims)");
        int lead = newShape.length - sh.length;
        int[] ns = new int[newShape.length], nst = new int[newShape.length];
        for (int i = 0; i < newShape.length; i++) {
            int want = newShape[i];
            if (i < lead) {
                if (want < 0) throw new IllegalArgumentException(op + ": -1 not allowed for a new leading dim in " + Shape.str(newShape));
                ns[i] = want;
                nst[i] = 0;
                continue;
            }
            int have = sh[i - lead];
            if (want == -1 || want == have) {
                ns[i] = have;
                nst[i] = st[i - lead];
            } else if (have == 1 && want >= 0) {
                ns[i] = want;
                nst[i] = 0;
            } else {
                throw new IllegalArgumentException(op + ": cannot expand shape " + Shape.str(sh) + " to " + Shape.str(newShape)
                        + " (dim " + i + ": " + have + " vs " + want + ")");
            }
        }
        return Tensor.wrap(x.storage(), ns, nst, x.offset());
    }

    /** Removes every size-1 dim. */
    public static Tensor squeeze(Tensor x) {
        int[] sh = x.shape();
        int n = 0;
        for (int s : sh) if (s != 1) n++;
        int[] ns = new int[n];
        for (int i = 0, j = 0; i < sh.length; i++) if (sh[i] != 1) ns[j++] = sh[i];
        return reshape(x, ns);
    }

    /** Removes dim {@code dim} when its size is 1 (otherwise returns the input unchanged, like torch). */
    public static Tensor squeeze(Tensor x, int dim) {
        int d = Shape.normDim("squeeze", dim, x.dim());
        if (x.shape()[d] != 1) return x;
        return reshape(x, remove(x.shape(), d));
    }

    /** Inserts a size-1 dim at {@code dim} (in [-rank-1, rank]). */
    public static Tensor unsqueeze(Tensor x, int dim) {
        int d = Shape.normDim("unsqueeze", dim, x.dim() + 1);
        int[] sh = x.shape();
        int[] ns = new int[sh.length + 1];
        for (int i = 0, j = 0; i < ns.length; i++) ns[i] = i == d ? 1 : sh[j++];
        return reshape(x, ns);
    }
}
