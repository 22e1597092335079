package dev.weft.engine.ops;

import dev.weft.engine.Shape;
import dev.weft.engine.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Concatenation, stacking and splitting. */
public final class Join {
    private Join() {}

    /** Joins tensors along an existing dim; backward hands each input its slice of the gradient. */
    public static Tensor concat(List<Tensor> parts, int dim) {
        if (parts == null || parts.isEmpty()) throw new IllegalArgumentException("concat: no tensors given");
        Tensor first = parts.get(0);
        int d = Shape.normDim("concat", dim, first.dim());
        int[] shape = first.shape();
        int total = 0;
        int[] sizes = new int[parts.size()];
        for (int i = 0; i < parts.size(); i++) {
            int[] s = parts.get(i).shape();
            boolean ok = s.length == shape.length;
            for (int j = 0; ok && j < s.length; j++) ok = j == d || s[j] == shape[j];
            if (!ok)
                throw new IllegalArgumentException("concat: tensor " + i + " has shape " + Shape.str(s) + ", incompatible with " + Shape.str(shape) + " along dim " + dim);
            sizes[i] = s[d];
            total += s[d];
        }
        shape[d] = total;
        Tensor out = Tensor.zeros(shape);
        int at = 0;
        for (Tensor p : parts) {
            int len = p.shape()[d];
            Views.copyInto(p, Views.slice(out.detach(), d, at, at + len, 1));
            at += len;
        }
        Tensor[] inputs = parts.toArray(new Tensor[0]);
        return out.recordOp("concat", g -> {
            Tensor[] gs = new Tensor[inputs.length];
            int from = 0;
            for (int i = 0; i < inputs.length; i++) {
                gs[i] = g.narrow(d, from, sizes[i]);
                from += sizes[i];
            }
            return gs;
        }, inputs);
    }

    /** Stacks same-shaped tensors along a new dim. */
    public static Tensor stack(List<Tensor> parts, int dim) {
        if (parts == null || parts.isEmpty()) throw new IllegalArgumentException("stack: no tensors given");
        int[] shape = parts.get(0).shape();
        int d = Shape.normDim("stack", dim, shape.length + 1);
        List<Tensor> expanded = new ArrayList<>(parts.size());
        for (int i = 0; i < parts.size(); i++) {
            Tensor p = parts.get(i);
            if (!Arrays.equals(p.shape(), shape))
                throw new IllegalArgumentException("stack: tensor " + i + " has shape " + Shape.str(p.shape()) + ", expected " + Shape.str(shape));
            expanded.add(p.unsqueeze(d));
        }
        return concat(expanded, d);
    }

    /** Pieces of {@code size} along {@code dim} (the last may be smaller); views. */
    public static List<Tensor> split(Tensor x, int size, int dim) {
        int d = Shape.normDim("split", dim, x.dim());
        if (size <= 0) throw new IllegalArgumentException("split: size must be positive, got " + size);
        int n = x.shape()[d];
        List<Tensor> out = new ArrayList<>();
        for (int at = 0; at < n; at += size) out.add(x.narrow(d, at, Math.min(size, n - at)));
        return out;
    }

    /** Pieces of the given sizes (which must add up to the dim's size); views. */
    public static List<Tensor> split(Tensor x, int[] sizes, int dim) {
        int d = Shape.normDim("split", dim, x.dim());
        long sum = 0;
        for (int s : sizes) {
            if (s < 0) throw new IllegalArgumentException("split: negative size in " + Arrays.toString(sizes));
            sum += s;
        }
        if (sum != x.shape()[d])
            throw new IllegalArgumentException("split: sizes " + Arrays.toString(sizes) + " add up to " + sum + ", not dim " + dim + " of shape " + Shape.str(x.shape()));
        List<Tensor> out = new ArrayList<>();
        int at = 0;
        for (int s : sizes) {
            out.add(x.narrow(d, at, s));
            at += s;
        }
        return out;
    }

    /** {@code chunks} pieces of ceil(n/chunks) elements (fewer pieces when n is small), like torch.chunk. */
    public static List<Tensor> chunk(Tensor x, int chunks, int dim) {
        if (chunks <= 0) throw new IllegalArgumentException("chunk: chunks must be positive, got " + chunks);
        int d = Shape.normDim("chunk", dim, x.dim());
        int n = x.shape()[d];
        return split(x, Math.max(1, (n + chunks - 1) / chunks), d);
    }
}
