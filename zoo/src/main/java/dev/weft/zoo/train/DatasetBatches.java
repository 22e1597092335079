package dev.weft.zoo.train;

import dev.weft.datasets.pipeline.Batch;
import dev.weft.datasets.pipeline.Cursor;
import dev.weft.datasets.pipeline.DataLoader;
import dev.weft.datasets.pipeline.Dataset;
import dev.weft.engine.IntTensor;
import dev.weft.engine.Tensor;
import dev.weft.zoo.util.Require;
import java.util.Iterator;
import java.util.function.Function;

/**
 * Feeds {@link Trainer} from the {@code datasets} pipeline: a {@link Dataset} or {@link DataLoader}
 * of {@link Batch}es. Epoch {@code e} of training opens the pipeline's pass for epoch {@code e}, so
 * its seeded shuffles differ per epoch and repeat per run; the pass (and any prefetch thread) is
 * closed when the epoch ends, also when it ends early.
 *
 * <pre>{@code
 * Dataset<Batch<Tensor>> train = cifar.dataset(PixelScale.UNIT).shuffle(5000, 42).batch(64, false, Collate.images(32, 32, 3));
 * trainer.fit(DatasetBatches.images(train, Targets.oneHot(100)), FitOptions.epochs(10));
 *
 * Dataset<Batch<IntTensor>> reviews = ...batch(64, true, Collate.sequences());
 * trainer.fit(DatasetBatches.sequences(reviews, Targets.binaryColumn()), FitOptions.epochs(3));
 * }</pre>
 */
public final class DatasetBatches {
    private DatasetBatches() {}

    /** Image batches: {@code x} as is, labels through {@code targets}. */
    public static BatchSource images(Dataset<Batch<Tensor>> data, Function<IntTensor, Tensor> targets) {
        return source("DatasetBatches.images", Require.nonNull(data, "DatasetBatches.images", "data"), x -> x, targets);
    }

    /** Token-id batches {@code [B, T]}: ids become floats (whole numbers, as {@code Embedding.forward} takes them). */
    public static BatchSource sequences(Dataset<Batch<IntTensor>> data, Function<IntTensor, Tensor> targets) {
        return source("DatasetBatches.sequences", Require.nonNull(data, "DatasetBatches.sequences", "data"), IntTensor::toFloat, targets);
    }

    /** Any batch type: {@code inputs} converts {@code x}, {@code targets} the labels. */
    public static <X> BatchSource of(Dataset<Batch<X>> data, Function<? super X, Tensor> inputs, Function<IntTensor, Tensor> targets) {
        return source("DatasetBatches.of", Require.nonNull(data, "DatasetBatches.of", "data"), inputs, targets);
    }

    /** A loader's passes ({@code loader.epoch(e)}), with its prefetch thread; the loader stays open. */
    public static <X> BatchSource of(DataLoader<Batch<X>> loader, Function<? super X, Tensor> inputs, Function<IntTensor, Tensor> targets) {
        Require.nonNull(loader, "DatasetBatches.of", "loader");
        return source("DatasetBatches.of", loader::epoch, loader.size(), inputs, targets);
    }

    private interface Opener<X> { Cursor<Batch<X>> open(long epoch); }

    private static <X> BatchSource source(String where, Dataset<Batch<X>> data, Function<? super X, Tensor> inputs,
                                          Function<IntTensor, Tensor> targets) {
        return source(where, data::open, data.size(), inputs, targets);
    }

    private static <X> BatchSource source(String where, Opener<X> opener, long size, Function<? super X, Tensor> inputs,
                                          Function<IntTensor, Tensor> targets) {
        Require.nonNull(inputs, where, "inputs");
        Require.nonNull(targets, where, "targets");
        return new BatchSource() {
            @Override public Iterator<LabeledBatch> open(int epoch) {
                Cursor<Batch<X>> c = opener.open(epoch);
                return new ClosingIterator() {
                    @Override public boolean hasNext() { return c.hasNext(); }
                    @Override public LabeledBatch next() {
                        Batch<X> b = c.next();
                        return new LabeledBatch(inputs.apply(b.x()), targets.apply(b.y()));
                    }
                    @Override public void close() { c.close(); }
                };
            }
            @Override public long size() { return size; }
        };
    }

    private interface ClosingIterator extends Iterator<LabeledBatch>, AutoCloseable {
        @Override void close();
    }
}
