package dev.weft.engine.io;

import java.io.IOException;

/**
 * A safetensors file is malformed, truncated, oversized, inconsistent or uses a dtype this reader
 * does not support. The message names the file (or {@code <bytes>} for in-memory input) and the
 * problem. This is the only exception {@link Safetensors} and {@link SafetensorsFile} readers throw
 * for bad content; plain {@link IOException}s still report failures of the file system itself.
 */
public class SafetensorsException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, including the file name */
    public SafetensorsException(String message) { super(message); }

    /**
     * @param message what is wrong, including the file name
     * @param cause the underlying failure
     */
    public SafetensorsException(String message, Throwable cause) { super(message, cause); }
}
