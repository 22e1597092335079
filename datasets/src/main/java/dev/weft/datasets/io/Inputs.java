package dev.weft.datasets.io;

import dev.weft.datasets.DatasetException;
import dev.weft.datasets.DatasetFormatException;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Low-level reading helpers shared by the readers: transparent gunzip (recognised by the gzip magic
 * bytes, not the file name), exact reads that turn EOF into {@link DatasetFormatException}, and a
 * bounded "read this many bytes" that never trusts a header for its allocation size.
 */
public final class Inputs {
    private Inputs() {}

    /** Largest single array the readers will build (a little under Java's array limit). */
    public static final long MAX_ARRAY = Integer.MAX_VALUE - 64;

    /** Deflate cannot expand data by more than about 1032:1; used to reject lying headers early. */
    public static final long MAX_DEFLATE_RATIO = 1032;

    private static final int CHUNK = 1 << 16;

    /** A stream over the decoded content of {@code src}: gunzipped if it starts with the gzip magic. */
    public static Opened open(ByteSource src) throws IOException {
        BufferedInputStream in = new BufferedInputStream(src.open(), CHUNK);
        try {
            in.mark(2);
            int b0 = in.read(), b1 = in.read();
            in.reset();
            if (b0 == 0x1f && b1 == 0x8b) {
                try {
                    return new Opened(new GZIPInputStream(in, CHUNK), true);
                } catch (ZipException | EOFException e) {
                    throw new DatasetFormatException(src.name(), "corrupt gzip header (" + e.getMessage() + ")", e);
                }
            }
            return new Opened(in, false);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** A decoded stream and whether it was gzipped. */
    public record Opened(InputStream stream, boolean gzipped) {}

    /**
     * Turns a low-level decoding failure (corrupt or truncated gzip) into a {@link DatasetFormatException}
     * naming the source; genuine I/O errors and dataset exceptions pass through unchanged.
     */
    public static IOException wrap(IOException e, String source) {
        if (e instanceof DatasetException) return e;
        if (e instanceof ZipException) return new DatasetFormatException(source, "corrupt gzip data (" + e.getMessage() + ")", e);
        if (e instanceof EOFException) return new DatasetFormatException(source, "truncated (" + e.getMessage() + ")", e);
        return e;
    }

    /** Reads up to {@code len} bytes, stopping only at end of stream; returns the count read. */
    public static int readUpTo(InputStream in, byte[] b, int off, int len) throws IOException {
        int n = 0;
        while (n < len) {
            int r = in.read(b, off + n, len - n);
            if (r < 0) break;
            n += r;
        }
        return n;
    }

    /** Reads exactly {@code len} bytes or throws a {@link DatasetFormatException} saying what was truncated. */
    public static void readFully(InputStream in, byte[] b, int off, int len, String source, String what) throws IOException {
        int n = readUpTo(in, b, off, len);
        if (n < len) throw new DatasetFormatException(source, "truncated: file ends inside " + what
                + " (" + n + " of " + len + " bytes present)");
    }

    /** Reads and discards exactly {@code n} bytes; EOF first is a {@link DatasetFormatException}. */
    public static void skipFully(InputStream in, long n, byte[] scratch, String source, String what) throws IOException {
        long left = n;
        while (left > 0) {
            int r = in.read(scratch, 0, (int) Math.min(scratch.length, left));
            if (r < 0) throw new DatasetFormatException(source, "truncated: file ends inside " + what
                    + " (" + (n - left) + " of " + n + " bytes present)");
            left -= r;
        }
    }

    /**
     * Reads exactly {@code expected} bytes and checks that the stream then ends. The buffer grows with
     * the data actually present (starting at {@code min(expected, initialHint)}), so a header that
     * claims gigabytes over a small file costs at most about twice the real content, never the claim.
     *
     * @param initialHint first allocation (e.g. a multiple of the compressed size)
     */
    public static byte[] readExactly(InputStream in, long expected, long initialHint, String source, String what) throws IOException {
        if (expected < 0 || expected > MAX_ARRAY)
            throw new DatasetFormatException(source, what + " would need " + expected + " bytes, more than one array can hold");
        int cap = (int) Math.min(expected, Math.max(1 << 20, Math.min(initialHint, MAX_ARRAY)));
        byte[] buf = new byte[cap];
        int n = 0;
        while (n < expected) {
            if (n == buf.length) buf = Arrays.copyOf(buf, (int) Math.min(expected, 2L * buf.length));
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) throw new DatasetFormatException(source, "truncated: header announces " + expected + " bytes of "
                    + what + " but the data ends after " + n);
            n += r;
        }
        if (in.read() >= 0)
            throw new DatasetFormatException(source, "the header announces " + expected + " bytes of " + what
                    + " but more data follows: header and file size disagree");
        return buf;
    }
}
