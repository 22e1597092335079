package dev.weft.zoo.train;

import dev.weft.datasets.pipeline.Seeds;
import dev.weft.engine.IntTensor;
import dev.weft.engine.Shape;
import dev.weft.engine.Tensor;
import dev.weft.zoo.util.Require;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Supplier;

/**
 * Ways to feed {@link Trainer}: whole tensors cut into batches (optionally shuffled each epoch with
 * a seed, like Keras' {@code fit(x, y, batch_size, shuffle=True)}), a fixed list, or any iterable.
 * For the {@code datasets} pipeline see {@link DatasetBatches}.
 */
public final class Batches {
    private Batches() {}

    /** Consecutive batches of {@code batchSize} rows in order; the last one may be smaller. {@code y} may be null. */
    public static BatchSource of(Tensor x, Tensor y, int batchSize) {
        return tensors("Batches.of", x, y, batchSize, false, 0);
    }

    /**
     * Batches of {@code batchSize} rows in a fresh random order each epoch: the permutation of epoch
     * {@code e} depends only on {@code (seed, e)}, so runs repeat bit for bit. The last batch may be
     * smaller.
     */
    public static BatchSource shuffled(Tensor x, Tensor y, int batchSize, long seed) {
        return tensors("Batches.shuffled", x, y, batchSize, true, seed);
    }

    private static BatchSource tensors(String where, Tensor x, Tensor y, int batchSize, boolean shuffle, long seed) {
        Require.nonNull(x, where, "x");
        if (x.dim() == 0) throw new IllegalArgumentException("Batches: x must be [N, ...], got a scalar");
        if (y != null && (y.dim() == 0 || y.size(0) != x.size(0)))
            throw new IllegalArgumentException("Batches: x " + Shape.str(x.shape()) + " and y " + Shape.str(y.shape())
                    + " must have the same number of samples (first dim)");
        if (batchSize < 1) throw new IllegalArgumentException("Batches: batchSize must be >= 1, got " + batchSize);
        int n = x.size(0);
        if (n == 0) throw new IllegalArgumentException("Batches: x has no samples");
        Tensor xs = x.detach(), ys = y == null ? null : y.detach();
        return new BatchSource() {
            @Override public Iterator<LabeledBatch> open(int epoch) {
                int[] order = shuffle ? permutation(n, seed, epoch) : null;
                return new Iterator<>() {
                    int next;
                    @Override public boolean hasNext() { return next < n; }
                    @Override public LabeledBatch next() {
                        if (next >= n) throw new NoSuchElementException();
                        int len = Math.min(batchSize, n - next);
                        LabeledBatch b;
                        if (order == null) {
                            b = new LabeledBatch(xs.narrow(0, next, len), ys == null ? null : ys.narrow(0, next, len));
                        } else {
                            int[] idx = new int[len];
                            System.arraycopy(order, next, idx, 0, len);
                            IntTensor rows = IntTensor.of(idx, len);
                            b = new LabeledBatch(xs.indexSelect(0, rows), ys == null ? null : ys.indexSelect(0, rows));
                        }
                        next += len;
                        return b;
                    }
                };
            }
            @Override public long size() { return (n + batchSize - 1) / batchSize; }
        };
    }

    /** The same batches every epoch. */
    public static BatchSource of(List<LabeledBatch> batches) {
        List<LabeledBatch> copy = List.copyOf(Require.nonNull(batches, "Batches.of", "batches"));
        return new BatchSource() {
            @Override public Iterator<LabeledBatch> open(int epoch) { return copy.iterator(); }
            @Override public long size() { return copy.size(); }
        };
    }

    /** A new pass from {@code iterable.iterator()} each epoch; size unknown. */
    public static BatchSource of(Iterable<LabeledBatch> iterable) {
        Require.nonNull(iterable, "Batches.of", "iterable");
        return epoch -> iterable.iterator();
    }

    /** A new pass from {@code passes.get()} each epoch; {@code size} batches per pass, or -1 if unknown. */
    public static BatchSource of(Supplier<? extends Iterator<LabeledBatch>> passes, long size) {
        Require.nonNull(passes, "Batches.of", "passes");
        return new BatchSource() {
            @Override public Iterator<LabeledBatch> open(int epoch) { return passes.get(); }
            @Override public long size() { return size; }
        };
    }

    /** The datasets pipeline's seeded shuffle: Fisher-Yates over {@code Seeds.random(seed, epoch)}. */
    static int[] permutation(int n, long seed, int epoch) {
        return Seeds.permutation(n, Seeds.random(seed, epoch));
    }
}
