package dev.weft.datasets;

import java.io.IOException;

/**
 * Base class of the two documented failures of Weft's dataset readers: {@link DatasetFormatException}
 * (a file exists but its content is wrong) and {@link DatasetNotFoundException} (the files are not where
 * they were looked for). Both are checked {@link IOException}s, so callers that already handle I/O
 * errors handle these too.
 */
public class DatasetException extends IOException {
    private static final long serialVersionUID = 1L;

    /** An exception with the given message. */
    public DatasetException(String message) { super(message); }

    /** An exception with the given message and cause. */
    public DatasetException(String message, Throwable cause) { super(message, cause); }
}
