package dev.weft.engine.ops;

import dev.weft.engine.IntTensor;
import dev.weft.engine.Rng;
import dev.weft.engine.Shape;
import dev.weft.engine.Tensor;
import java.util.Arrays;

/** Gather/scatter-style ops, selection by mask, one-hot, dropout and padding. */
public final class Indexing {
    private Indexing() {}

    /**
     * torch.gather along {@code dim}: {@code out[p] = x[p with p[dim] = index[p]]}; out has index's
     * shape. Backward scatter-adds the gradient into the picked positions.
     */
    public static Tensor gather(Tensor x, int dim, IntTensor index) {
        int r = x.dim();
        int d = Shape.normDim("gather", dim, r);
        int[] xs = x.shape(), is = index.shape();
        if (is.length != r)
            throw new IllegalArgumentException("gather: index shape " + Shape.str(is) + " must have the same rank as input " + Shape.str(xs));
        for (int i = 0; i < r; i++)
            if (i != d && is[i] > xs[i])
                throw new IllegalArgumentException("gather: index shape " + Shape.str(is) + " exceeds input shape " + Shape.str(xs) + " in dim " + i);
        int[] idx = index.data();
        for (int v : idx)
            if (v < 0 || v >= xs[d])
                throw new IndexOutOfBoundsException("gather: index " + v + " out of range for dim " + dim + " of shape " + Shape.str(xs));
        // Map every output position to a storage offset of x.
        int[] src = offsetsOf(x, is, d, idx);
        float[] xd = x.storage(), out = new float[idx.length];
        for (int i = 0; i < out.length; i++) out[i] = xd[src[i]];
        return Tensor.of(out, is).recordOp("gather", g -> {
            Tensor gx = Tensor.zeros(xs);
            int[] dst = offsetsOf(gx, is, d, idx);
            float[] gd = g.contiguous().toFloatArray(), gxd = gx.storage();
            for (int i = 0; i < dst.length; i++) gxd[dst[i]] += gd[i];
            return new Tensor[] {gx};
        }, x);
    }

    // Storage offsets in t of positions p (row-major over shape), with p[d] replaced by idx[p].
    private static int[] offsetsOf(Tensor t, int[] shape, int d, int[] idx) {
        int[] st = t.strides();
        int[] out = new int[idx.length];
        int[] p = new int[shape.length];
        for (int i = 0; i < idx.length; i++) {
            int o = t.offset();
            for (int k = 0; k < shape.length; k++) o += (k == d ? idx[i] : p[k]) * st[k];
            out[i] = o;
            for (int k = shape.length - 1; k >= 0 && ++p[k] == shape[k]; k--) p[k] = 0;
        }
        return out;
    }

    /** Entries {@code index} (any shape, flattened) along {@code dim}; backward index-adds. */
    public static Tensor indexSelect(Tensor x, int dim, IntTensor index) {
        int d = Shape.normDim("index_select", dim, x.dim());
        int[] xs = x.shape();
        int[] idx = index.data();
        for (int v : idx)
            if (v < 0 || v >= xs[d])
                throw new IndexOutOfBoundsException("index_select: index " + v + " out of range for dim " + dim + " of shape " + Shape.str(xs));
        Tensor c = x.isContiguous() ? x : Views.copyRaw(x);
        int outer = 1, inner = 1, n = xs[d];
        for (int i = 0; i < d; i++) outer *= xs[i];
        for (int i = d + 1; i < xs.length; i++) inner *= xs[i];
        int[] os = xs.clone();
        os[d] = idx.length;
        float[] src = c.storage(), out = new float[(int) Shape.numel(os)];
        int base = c.offset(), k = idx.length;
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < k; j++)
                System.arraycopy(src, base + (o * n + idx[j]) * inner, out, (o * k + j) * inner, inner);
        final int fOuter = outer, fInner = inner;
        return Tensor.of(out, os).recordOp("index_select", g -> {
            float[] gd = g.contiguous().toFloatArray(), gx = new float[(int) Shape.numel(xs)];
            for (int o = 0; o < fOuter; o++)
                for (int j = 0; j < k; j++) {
                    int from = (o * k + j) * fInner, to = (o * n + idx[j]) * fInner;
                    for (int i = 0; i < fInner; i++) gx[to + i] += gd[from + i];
                }
            return new Tensor[] {Tensor.of(gx, xs)};
        }, x);
    }

    /** {@code cond != 0 ? a : b}, all broadcast together. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        int[] shape = Shape.broadcast("where", Shape.broadcast("where", cond.shape(), a.shape()), b.shape());
        Tensor mask = Elementwise.unary(Elementwise.Unary.ABS, Views.expandRaw("where", cond, shape));
        mask = Elementwise.binary(Elementwise.Binary.GT, mask, Tensor.scalar(0f));
        Tensor notMask = Elementwise.addScalar(Elementwise.mulScalar(mask, -1f), 1f);
        Tensor fm = mask;
        // a·m + b·(1-m) would turn inf·0 into NaN, so select instead of blending.
        Tensor out = select(fm, Views.expandRaw("where", a, shape), Views.expandRaw("where", b, shape));
        return out.recordOp("where", g -> new Tensor[] {null, g.mul(fm), g.mul(notMask)}, cond, a, b);
    }

    private static Tensor select(Tensor mask, Tensor a, Tensor b) {
        int[] shape = mask.shape();
        Tensor out = Tensor.zeros(shape);
        float[] m = mask.storage(), x = a.storage(), y = b.storage(), o = out.storage();
        Strided plan = Strided.plan(shape, mask.strides(), a.strides(), b.strides(), out.strides());
        int sm = plan.innerStride(0), sa = plan.innerStride(1), sb = plan.innerStride(2);
        plan.forEachRowParallel(new int[] {mask.offset(), a.offset(), b.offset(), 0}, (off, n) -> {
            for (int i = 0, im = off[0], ia = off[1], ib = off[2]; i < n; i++, im += sm, ia += sa, ib += sb)
                o[off[3] + i] = m[im] != 0 ? x[ia] : y[ib];
        });
        return out;
    }

    /** Replaces entries where {@code mask != 0} (mask broadcast to x) by {@code value}. */
    public static Tensor maskedFill(Tensor x, Tensor mask, float value) {
        int[] xs = x.shape();
        int[] shape = Shape.broadcast("masked_fill", xs, mask.shape());
        if (!Arrays.equals(shape, xs))
            throw new IllegalArgumentException("masked_fill: mask shape " + Shape.str(mask.shape()) + " does not broadcast to input shape " + Shape.str(xs));
        Tensor m = Elementwise.binary(Elementwise.Binary.GT, Elementwise.unary(Elementwise.Unary.ABS, Views.expandRaw("masked_fill", mask, xs)), Tensor.scalar(0f));
        Tensor out = select(m, Views.expandRaw("masked_fill", Tensor.scalar(value), xs), x);
        return out.recordOp("masked_fill", g -> new Tensor[] {select(m, Tensor.zeros(xs), g)}, x);
    }

    /** One-hot encoding of integer labels into {@code [..., numClasses]}. */
    public static Tensor oneHot(IntTensor labels, int numClasses) {
        if (numClasses <= 0) throw new IllegalArgumentException("one_hot: numClasses must be positive, got " + numClasses);
        int[] ls = labels.shape();
        int[] os = Arrays.copyOf(ls, ls.length + 1);
        os[ls.length] = numClasses;
        int[] l = labels.data();
        float[] out = new float[Math.toIntExact((long) l.length * numClasses)];
        for (int i = 0; i < l.length; i++) {
            if (l[i] < 0 || l[i] >= numClasses)
                throw new IndexOutOfBoundsException("one_hot: label " + l[i] + " at position " + i + " is outside [0, " + numClasses + ")");
            out[i * numClasses + l[i]] = 1f;
        }
        return Tensor.of(out, os);
    }

    /** Inverted dropout with a seeded mask; identity when not training or p == 0. */
    public static Tensor dropout(Tensor x, float p, boolean training, Rng rng) {
        if (!(p >= 0f && p <= 1f)) throw new IllegalArgumentException("dropout: p must be in [0, 1], got " + p);
        if (!training || p == 0f) return x;
        float keep = 1f - p, scale = p == 1f ? 0f : 1f / keep;
        float[] m = new float[x.numel()];
        for (int i = 0; i < m.length; i++) m[i] = rng.nextFloat() < keep ? scale : 0f;
        Tensor mask = Tensor.of(m, x.shape());
        return Elementwise.binary(Elementwise.Binary.MUL, x, mask).recordOp("dropout", g -> new Tensor[] {g.mul(mask)}, x);
    }

    /** Constant padding; {@code pads} = (before, after) for each dim in order (like numpy.pad). */
    public static Tensor pad(Tensor x, int[] pads, float value) {
        int r = x.dim();
        int[] xs = x.shape();
        if (pads == null || pads.length != 2 * r)
            throw new IllegalArgumentException("pad: expected " + 2 * r + " values (before, after per dim) for shape " + Shape.str(xs) + ", got " + Arrays.toString(pads));
        int[] os = new int[r];
        for (int i = 0; i < r; i++) {
            if (pads[2 * i] < 0 || pads[2 * i + 1] < 0)
                throw new IllegalArgumentException("pad: negative padding " + Arrays.toString(pads));
            os[i] = Math.addExact(xs[i], pads[2 * i] + pads[2 * i + 1]);
        }
        Tensor out = Tensor.full(value, os);
        Tensor inner = out;
        for (int i = 0; i < r; i++) inner = Views.slice(inner, i, pads[2 * i], pads[2 * i] + xs[i], 1);
        Views.copyInto(x, inner);
        return out.recordOp("pad", g -> {
            Tensor gi = g;
            for (int i = 0; i < r; i++) gi = gi.slice(i, pads[2 * i], pads[2 * i] + xs[i]);
            return new Tensor[] {gi};
        }, x);
    }
}
