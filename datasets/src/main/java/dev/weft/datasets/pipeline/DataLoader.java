package dev.weft.datasets.pipeline;

import java.util.Iterator;

/**
 * Feeds a training loop: one {@link Dataset} pass per epoch, produced ahead of the consumer on a
 * background daemon thread ({@code prefetch} elements at most, usually batches). The epoch number
 * goes to the dataset, so seeded shuffles differ per epoch and repeat per run.
 *
 * <pre>{@code
 * Dataset<Batch<Tensor>> ds = train.dataset(PixelScale.UNIT).shuffle(5000, 42)
 *         .batch(64, false, Collate.images(32, 32, 3));
 * try (DataLoader<Batch<Tensor>> loader = new DataLoader<>(ds, 2)) {
 *     for (int epoch = 0; epoch < 10; epoch++)
 *         for (Batch<Tensor> b : loader) step(b.x(), b.y());
 * }
 * }</pre>
 *
 * Starting an epoch closes the previous one (stopping its thread); {@link #close()} stops the
 * current one. Using the loader from several threads at once is not supported.
 *
 * @param <T> element type
 */
public final class DataLoader<T> implements Iterable<T>, AutoCloseable {
    private final Dataset<T> dataset;
    private long nextEpoch;
    private Cursor<T> current;
    private boolean closed;

    /**
     * @param dataset  the pipeline
     * @param prefetch elements produced ahead on a background thread; 0 runs everything on the caller's thread
     */
    public DataLoader(Dataset<T> dataset, int prefetch) {
        if (prefetch < 0) throw new IllegalArgumentException("DataLoader: prefetch must be >= 0, got " + prefetch);
        this.dataset = prefetch > 0 ? dataset.prefetch(prefetch) : dataset;
    }

    /** Opens the pass for a given epoch (closing any previous pass). */
    public synchronized Cursor<T> epoch(long epoch) {
        if (closed) throw new IllegalStateException("DataLoader is closed");
        if (current != null) current.close();
        current = dataset.open(epoch);
        nextEpoch = epoch + 1;
        return current;
    }

    /** Opens the next epoch (0, then 1, ...). */
    @Override public Iterator<T> iterator() { return epoch(nextEpoch); }

    /** Number of elements per epoch if known, else -1. */
    public long size() { return dataset.size(); }

    /** The epoch the next {@link #iterator()} call will open. */
    public synchronized long nextEpoch() { return nextEpoch; }

    /** Stops the background thread of the current pass. Idempotent. */
    @Override public synchronized void close() {
        closed = true;
        if (current != null) current.close();
        current = null;
    }
}
