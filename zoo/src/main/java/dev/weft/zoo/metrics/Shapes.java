package dev.weft.zoo.metrics;

import dev.weft.engine.Shape;
import dev.weft.engine.Tensor;
import java.util.Arrays;

/** Shape checks and row helpers shared by the accuracy metrics. */
final class Shapes {
    private Shapes() {}

    /** The number of classes (last dim) of predictions; they need a class dim. */
    static int classes(String metric, Tensor yPred) {
        if (yPred.dim() == 0) throw new IllegalArgumentException(metric + ": predictions need a class dim, got a scalar");
        int c = yPred.size(-1);
        if (c == 0) throw new IllegalArgumentException(metric + ": predictions " + Shape.str(yPred.shape()) + " have no classes");
        return c;
    }

    /** Checks that one-hot targets have the predictions' shape. */
    static void requireSameShape(String metric, Tensor yPred, Tensor yTrue) {
        if (!Arrays.equals(yPred.shape(), yTrue.shape()))
            throw new IllegalArgumentException(metric + ": targets " + Shape.str(yTrue.shape()) + " and predictions "
                    + Shape.str(yPred.shape()) + " must have the same shape (one-hot targets)");
    }

    /**
     * Class-index targets for {@code [..., C]} predictions: shaped like the predictions without the
     * class dim, or with a trailing 1. Returns the indices (whole numbers, checked).
     */
    static int[] sparseLabels(String metric, Tensor yPred, Tensor yTrue) {
        int[] ps = yPred.shape();
        int[] rows = Arrays.copyOf(ps, ps.length - 1);
        int[] ts = yTrue.shape();
        boolean ok = Arrays.equals(ts, rows)
                || (ts.length == ps.length && ts[ts.length - 1] == 1 && Arrays.equals(Arrays.copyOf(ts, ts.length - 1), rows));
        if (!ok)
            throw new IllegalArgumentException(metric + ": class-index targets " + Shape.str(ts) + " do not fit predictions "
                    + Shape.str(ps) + " (expected " + Shape.str(rows) + " or with a trailing 1)");
        float[] v = yTrue.toFloatArray();
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] != Math.rint(v[i]) || Float.isInfinite(v[i]))
                throw new IllegalArgumentException(metric + ": target " + v[i] + " at position " + i + " is not a class index");
            out[i] = (int) v[i];
        }
        return out;
    }

    /**
     * Index of the largest value of each row of {@code c} values; ties go to the first index and a
     * NaN counts as largest (numpy's argmax).
     */
    static int[] argmaxRows(float[] data, int c) {
        int rows = data.length / c;
        int[] out = new int[rows];
        for (int r = 0; r < rows; r++) {
            int base = r * c, best = 0;
            float m = data[base];
            if (m == m) {
                for (int j = 1; j < c; j++) {
                    float v = data[base + j];
                    if (v != v) { best = j; break; }
                    if (v > m) { m = v; best = j; }
                }
            }
            out[r] = best;
        }
        return out;
    }

    /**
     * TensorFlow's {@code in_top_k}: the target class is in the top {@code k} when fewer than
     * {@code k} classes score strictly higher (ties at the boundary all count as in); a non-finite
     * target score is never in.
     */
    static boolean inTopK(float[] data, int base, int c, int target, int k) {
        if (target < 0 || target >= c) return false;
        float t = data[base + target];
        if (!Float.isFinite(t)) return false;
        int higher = 0;
        for (int j = 0; j < c; j++) if (data[base + j] > t) higher++;
        return higher < k;
    }
}
