package dev.weft.datasets.pipeline;

import java.util.Iterator;

/**
 * One pass over a {@link Dataset}: an iterator that must be closed (it may own a background thread
 * or an open file). Closing early is allowed and stops any work behind it.
 */
public interface Cursor<T> extends Iterator<T>, AutoCloseable {
    /** Releases threads and files; idempotent. */
    @Override void close();
}
