package dev.weft.datasets.io;

import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the bytes of one dataset file come from: a file, a class-path resource or an in-memory array.
 * Readers take a {@code ByteSource} so the same code reads a user's folder, the embedded samples and
 * (in tests) deliberately damaged copies. The {@link #name()} is what error messages show.
 */
public final class ByteSource {
    /** Opens a fresh stream each time. */
    @FunctionalInterface
    public interface Opener {
        /** A new stream over the bytes. */
        InputStream open() throws IOException;
    }

    private final String name;
    private final long length;
    private final Opener opener;

    private ByteSource(String name, long length, Opener opener) {
        this.name = Objects.requireNonNull(name);
        this.length = length;
        this.opener = Objects.requireNonNull(opener);
    }

    /** A file on disk; its length is known. */
    public static ByteSource of(Path file) throws IOException {
        long len = Files.size(file);
        return new ByteSource(file.toString(), len, () -> Files.newInputStream(file));
    }

    /** An in-memory array (not copied). */
    public static ByteSource of(String name, byte[] bytes) {
        return new ByteSource(name, bytes.length, () -> new ByteArrayInputStream(bytes));
    }

    /** Any stream source; {@code length} is its size in bytes, or -1 if unknown. */
    public static ByteSource of(String name, long length, Opener opener) {
        return new ByteSource(name, length, opener);
    }

    /** A class-path resource (length unknown); fails on open if the resource does not exist. */
    public static ByteSource resource(ClassLoader loader, String path) {
        return new ByteSource("classpath:" + path, -1, () -> {
            InputStream in = loader.getResourceAsStream(path);
            if (in == null) throw new FileNotFoundException("classpath:" + path);
            return in;
        });
    }

    /** The name used in messages (a path, or "classpath:..."). */
    public String name() { return name; }

    /** The size in bytes as stored (compressed if gzipped), or -1 if unknown. */
    public long length() { return length; }

    /** Opens a new stream over the raw bytes. The caller closes it. */
    public InputStream open() throws IOException { return opener.open(); }

    @Override public String toString() { return name; }
}
