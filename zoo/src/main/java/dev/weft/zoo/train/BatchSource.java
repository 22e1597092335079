package dev.weft.zoo.train;

import java.util.Iterator;

/**
 * Where {@link Trainer#fit} gets its batches: one pass per epoch. The epoch number lets seeded
 * shuffles differ per epoch and repeat per run. Build one with {@link Batches}.
 */
@FunctionalInterface
public interface BatchSource {
    /**
     * Opens the pass for {@code epoch} (0-based). If the iterator is {@link AutoCloseable} the
     * trainer closes it when the pass ends, also when it ends early.
     */
    Iterator<LabeledBatch> open(int epoch);

    /** Batches per pass if known without iterating (for the progress bar), else -1. */
    default long size() { return -1; }
}
