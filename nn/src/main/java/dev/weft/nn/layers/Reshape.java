package dev.weft.nn.layers;

import dev.weft.engine.Tensor;
import dev.weft.nn.Layer;
import java.util.List;

/** Keras {@code Reshape(target_shape)}: per-sample reshape, one size may be -1. */
public class Reshape extends Layer {
    private final int[] target;

    /** Reshapes each sample to {@code targetShape} (without the batch dim). */
    public Reshape(int... targetShape) {
        if (targetShape == null) throw new IllegalArgumentException("Reshape: targetShape is null");
        int unknown = 0;
        for (int s : targetShape) {
            if (s == -1) unknown++;
            else if (s <= 0) throw new IllegalArgumentException("Reshape: sizes must be positive or -1, got " + java.util.Arrays.toString(targetShape));
        }
        if (unknown > 1) throw new IllegalArgumentException("Reshape: at most one -1 allowed, got " + java.util.Arrays.toString(targetShape));
        this.target = targetShape.clone();
    }

    @Override protected int[] computeOutputShape(int[][] in) {
        int[] s = single(in);
        long n = numel(s), known = 1;
        int unknownAt = -1;
        for (int i = 0; i < target.length; i++) {
            if (target[i] == -1) unknownAt = i; else known *= target[i];
        }
        int[] out = target.clone();
        if (unknownAt >= 0) {
            if (n % known != 0)
                throw new IllegalArgumentException(describe() + ": cannot reshape input " + batchShapeString(s) + " to " + batchShapeString(target));
            out[unknownAt] = (int) (n / known);
        } else if (known != n) {
            throw new IllegalArgumentException(describe() + ": cannot reshape input " + batchShapeString(s) + " (" + n
                    + " values per sample) to " + batchShapeString(target) + " (" + known + ")");
        }
        return out;
    }

    @Override protected Tensor compute(List<Tensor> inputs) {
        Tensor x = inputs.get(0);
        int[] per = computeOutputShape(new int[][] {java.util.Arrays.copyOfRange(x.shape(), 1, x.dim())});
        int[] full = new int[per.length + 1];
        full[0] = x.size(0);
        System.arraycopy(per, 0, full, 1, per.length);
        return x.reshape(full);
    }
}
