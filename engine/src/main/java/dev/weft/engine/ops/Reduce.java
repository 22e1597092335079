package dev.weft.engine.ops;

import dev.weft.engine.IntTensor;
import dev.weft.engine.Shape;
import dev.weft.engine.Tensor;
import dev.weft.engine.kernels.Parallel;
import dev.weft.engine.kernels.ReduceKernels;
import java.util.Arrays;

/**
 * Reductions over a set of dims, with {@code keepDim}. The input is viewed as
 * {@code [outer, reduced]} (kept dims first, reduced dims last, copied only when the layout needs
 * it), so every kernel reduces contiguous runs. Sums accumulate in double, in an order fixed by
 * the sizes ({@link ReduceKernels}). A sum or mean over leading dims of a contiguous tensor (a bias
 * gradient over N, H, W) skips the transposing copy and adds whole rows as column sums.
 */
public final class Reduce {
    private Reduce() {}

    /** Sum over {@code dims} (null or empty = all). */
    public static Tensor sum(Tensor x, int[] dims, boolean keepDim) {
        Plan p = new Plan("sum", x, dims);
        Tensor y = p.sum(1.0, keepDim);
        int[] inShape = x.shape();
        return y.recordOp("sum", g -> new Tensor[] {g.reshape(p.keptShape).expand(inShape)}, x);
    }

    /** Mean over {@code dims}. */
    public static Tensor mean(Tensor x, int[] dims, boolean keepDim) {
        Plan p = new Plan("mean", x, dims);
        Tensor y = p.sum(p.reduced, keepDim);
        int[] inShape = x.shape();
        float scale = 1f / p.reduced;
        return y.recordOp("mean", g -> new Tensor[] {g.reshape(p.keptShape).mul(scale).expand(inShape)}, x);
    }

    /** Max over {@code dims}; NaN propagates; the gradient is shared equally between tied maxima. */
    public static Tensor max(Tensor x, int[] dims, boolean keepDim) {
        return extremum("max", x, dims, keepDim, true);
    }

    /** Min over {@code dims}. */
    public static Tensor min(Tensor x, int[] dims, boolean keepDim) {
        return extremum("min", x, dims, keepDim, false);
    }

    private static Tensor extremum(String op, Tensor x, int[] dims, boolean keepDim, boolean isMax) {
        Plan p = new Plan(op, x, dims);
        if (p.reduced == 0) throw new IllegalArgumentException(op + ": cannot reduce an empty dim of shape " + Shape.str(x.shape()));
        Tensor y = p.reduce((d, o, n) -> {
            float m = d[o];
            for (int i = 1; i < n; i++) {
                float v = d[o + i];
                if (isMax ? (v > m || v != v) : (v < m || v != v)) m = v;
                if (m != m) break;
            }
            return m;
        }, keepDim);
        return y.recordOp(op, g -> {
            Tensor mask = Elementwise.eq(x, y.reshape(p.keptShape));
            Tensor count = sum(mask, p.dims, true);
            return new Tensor[] {g.reshape(p.keptShape).mul(mask).div(count)};
        }, x);
    }

    /** Variance over {@code dims} with the given correction (1 = unbiased, 0 = biased). */
    public static Tensor var(Tensor x, int[] dims, int correction, boolean keepDim) {
        Plan p = new Plan("var", x, dims);
        int denom = p.reduced - correction;
        Tensor y = p.reduce((d, o, n) -> {
            double mean = ReduceKernels.sum(d, o, n) / n, ss = 0;
            for (int i = 0; i < n; i++) {
                double c = d[o + i] - mean;
                ss += c * c;
            }
            return (float) (denom > 0 ? ss / denom : Double.NaN);
        }, keepDim);
        return y.recordOp("var", g -> {
            Tensor centered = x.sub(mean(x, p.dims, true));
            return new Tensor[] {g.reshape(p.keptShape).mul(centered).mul(2f / denom)};
        }, x);
    }

    /** Index of the largest value along {@code dim} (first on ties; NaN counts as largest). */
    public static IntTensor argmax(Tensor x, int dim) {
        int d = Shape.normDim("argmax", dim, x.dim());
        Plan p = new Plan("argmax", x, new int[] {d});
        p.arrangeRows();
        if (p.reduced == 0) throw new IllegalArgumentException("argmax: dim " + dim + " of shape " + Shape.str(x.shape()) + " is empty");
        float[] src = p.data;
        int[] out = new int[p.outer];
        for (int r = 0; r < p.outer; r++) {
            int o = p.base + r * p.reduced, best = 0;
            float m = src[o];
            for (int i = 1; i < p.reduced && m == m; i++) {
                float v = src[o + i];
                if (v > m || v != v) { m = v; best = i; }
            }
            out[r] = best;
        }
        return IntTensor.of(out, p.outShape);
    }

    @FunctionalInterface
    interface RowReducer {
        float apply(float[] data, int offset, int n);
    }

    /** The layout of one reduction: which dims go, the [outer, reduced] data, the result shapes. */
    static final class Plan {
        final int[] dims;        // sorted, unique reduced dims
        final int[] outShape;    // without the reduced dims
        final int[] keptShape;   // reduced dims kept as size 1
        final int outer, reduced;
        private final Tensor x;
        private final int[] order;  // kept dims, then reduced dims
        /** x is contiguous with every reduced dim before every kept dim: it is [reduced, outer] as it is. */
        final boolean columns;
        // x as [outer, reduced] row-major, set by arrangeRows()
        float[] data;
        int base;

        Plan(String op, Tensor x, int[] dimsIn) {
            int r = x.dim();
            int[] shape = x.shape();
            boolean[] red = new boolean[r];
            if (dimsIn == null || dimsIn.length == 0) Arrays.fill(red, true);
            else for (int dd : dimsIn) {
                int d = Shape.normDim(op, dd, r);
                if (red[d]) throw new IllegalArgumentException(op + ": dim " + dd + " listed twice in " + Arrays.toString(dimsIn));
                red[d] = true;
            }
            int nr = 0;
            for (boolean b : red) if (b) nr++;
            dims = new int[nr];
            order = new int[r];
            outShape = new int[r - nr];
            keptShape = shape.clone();
            int oi = 0, ri = r - nr, di = 0;
            long outerN = 1, redN = 1;
            for (int i = 0; i < r; i++) {
                if (red[i]) {
                    dims[di++] = i;
                    order[ri++] = i;
                    keptShape[i] = 1;
                    redN *= shape[i];
                } else {
                    outShape[oi] = shape[i];
                    order[oi++] = i;
                    outerN *= shape[i];
                }
            }
            outer = (int) outerN;
            reduced = (int) redN;
            this.x = x;
            boolean keptSeen = false, reducedAfterKept = false;
            for (int i = 0; i < r; i++) {
                if (shape[i] == 1) continue; // size-1 dims do not affect the layout
                if (!red[i]) keptSeen = true;
                else if (keptSeen) reducedAfterKept = true;
            }
            columns = outer > 1 && reduced > 1 && !reducedAfterKept && x.isContiguous();
        }

        /** Sets data/base to x laid out as [outer, reduced] (a permuted view, or a copy when needed). */
        void arrangeRows() {
            if (data != null) return;
            Tensor arranged = dims.length == 0 ? x : Views.permuteRaw(x, order);
            if (arranged.isContiguous()) {
                data = arranged.storage();
                base = arranged.offset();
            } else {
                data = Views.copyRaw(arranged).storage();
                base = 0;
            }
        }

        /** Sums over the reduced dims divided by {@code divisor} (1 for sum, the count for mean). */
        Tensor sum(double divisor, boolean keepDim) {
            float[] out = new float[outer];
            if (columns) ReduceKernels.columnSums(x.storage(), x.offset(), reduced, outer, divisor, out);
            else {
                arrangeRows();
                ReduceKernels.rowSums(data, base, outer, reduced, divisor, out);
            }
            return Tensor.of(out, keepDim ? keptShape : outShape);
        }

        Tensor reduce(RowReducer f, boolean keepDim) {
            arrangeRows();
            float[] out = new float[outer];
            // Each output is one task's row, computed alone: any split gives the same bits.
            int block = Math.max(1, (1 << 15) / Math.max(1, reduced));
            int tasks = (long) outer * reduced < (1 << 16) ? 1 : (outer + block - 1) / block;
            int perTask = tasks == 1 ? outer : block;
            Parallel.forEach(tasks, t -> {
                for (int i = t * perTask, end = Math.min(outer, i + perTask); i < end; i++)
                    out[i] = f.apply(data, base + i * reduced, reduced);
            });
            return Tensor.of(out, keepDim ? keptShape : outShape);
        }
    }
}
