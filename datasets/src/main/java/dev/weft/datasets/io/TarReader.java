package dev.weft.datasets.io;

import dev.weft.datasets.DatasetFormatException;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A minimal streaming reader of tar archives (ustar, GNU long names, pax {@code path}), written
 * for reading {@code aclImdb_v1.tar.gz} straight from its {@code GZIPInputStream}: nothing is
 * extracted to disk and only the current entry's bytes are ever held.
 *
 * <p>Every header's checksum is verified; truncation anywhere, a bad checksum, an absurd size or an
 * over-long name are {@link DatasetFormatException}s naming the archive and the byte offset.
 */
public final class TarReader implements Closeable {
    /** Largest size accepted for an entry's announced size (64 GiB; real entries are far smaller). */
    public static final long MAX_ENTRY = 1L << 36;
    private static final int MAX_META = 1 << 20;

    /** One archive member. */
    public record Entry(String name, long size, char type) {
        /** A regular file. */
        public boolean isFile() { return type == '0' || type == '\0' || type == '7'; }
        /** A directory. */
        public boolean isDirectory() { return type == '5'; }
    }

    private final InputStream in;
    private final String archive;
    private final byte[] header = new byte[512];
    private final byte[] scratch = new byte[1 << 16];
    private long offset;
    private long remaining;   // unread data bytes of the current entry
    private long padding;     // padding after the current entry
    private Entry current;
    private boolean ended;

    /**
     * @param in      the decoded (already gunzipped) tar stream; closed by {@link #close()}
     * @param archive the archive's name, for messages
     */
    public TarReader(InputStream in, String archive) {
        this.in = in;
        this.archive = archive;
    }

    /** The archive's name followed by "!" and the current entry, for messages. */
    public String where() { return current == null ? archive : archive + "!" + current.name(); }

    /** Advances to the next entry (skipping the rest of the current one); null at the end of the archive. */
    public Entry next() throws IOException {
        if (ended) return null;
        skip(remaining + padding, "the data of " + where());
        remaining = padding = 0;
        current = null;
        String longName = null;
        while (true) {
            long at = offset;
            int got = Inputs.readUpTo(in, header, 0, 512);
            offset += got;
            if (got == 0 && longName == null) {
                // no end-of-archive blocks at all; accept a clean end at a header boundary
                ended = true;
                return null;
            }
            if (got < 512) throw new DatasetFormatException(archive, "truncated: archive ends inside the header at byte " + at);
            if (allZero(header)) {
                ended = true;
                return null;
            }
            verifyChecksum(at);
            String name = string(0, 100);
            if ("ustar".equals(string(257, 5))) {
                String prefix = string(345, 155);
                if (!prefix.isEmpty()) name = prefix + "/" + name;
            }
            long size = number(124, 12, at);
            if (size < 0 || size > MAX_ENTRY)
                throw new DatasetFormatException(archive, "absurd entry size " + size + " in the header at byte " + at);
            char type = (char) (header[156] & 0xFF);
            long pad = (512 - (size % 512)) % 512;
            if (type == 'L' || type == 'x' || type == 'g') {
                if (size > MAX_META) throw new DatasetFormatException(archive, "metadata entry of " + size + " bytes at byte " + at + " is too large");
                byte[] meta = new byte[(int) size];
                Inputs.readFully(in, meta, 0, meta.length, archive, "the metadata entry at byte " + at);
                offset += size;
                skip(pad, "padding");
                if (type == 'L') {
                    int end = 0;
                    while (end < meta.length && meta[end] != 0) end++;
                    longName = new String(meta, 0, end, StandardCharsets.UTF_8);
                } else if (type == 'x') {
                    String p = paxPath(meta, at);
                    if (p != null) longName = p;
                }
                continue;
            }
            if (longName != null) name = longName;
            current = new Entry(name, size, type);
            remaining = size;
            padding = pad;
            // links and special files carry no data of interest; they are skipped by the next call
            return current;
        }
    }

    /** Reads the whole current entry, which must be at most {@code max} bytes. */
    public byte[] readEntry(int max) throws IOException {
        if (current == null) throw new IllegalStateException("no current entry");
        if (remaining > max)
            throw new DatasetFormatException(where(), "entry of " + remaining + " bytes is larger than the " + max + " allowed");
        byte[] b = new byte[(int) remaining];
        Inputs.readFully(in, b, 0, b.length, archive, "the data of " + where());
        offset += b.length;
        remaining = 0;
        return b;
    }

    /**
     * The current entry's remaining data as a stream (not closed by the caller's close). Reading past
     * the entry's end returns -1; the archive ending early is a {@link DatasetFormatException}.
     */
    public InputStream entryStream() {
        if (current == null) throw new IllegalStateException("no current entry");
        String what = "the data of " + where();
        return new InputStream() {
            @Override public int read() throws IOException {
                byte[] one = new byte[1];
                int r = read(one, 0, 1);
                return r < 0 ? -1 : one[0] & 0xFF;
            }

            @Override public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) return 0;
                if (remaining <= 0) return -1;
                int r = in.read(b, off, (int) Math.min(len, remaining));
                if (r < 0) throw new DatasetFormatException(archive, "truncated: archive ends inside " + what);
                remaining -= r;
                offset += r;
                return r;
            }
        };
    }

    private void skip(long n, String what) throws IOException {
        if (n <= 0) return;
        Inputs.skipFully(in, n, scratch, archive, what);
        offset += n;
    }

    private void verifyChecksum(long at) throws DatasetFormatException {
        long stored = number(148, 8, at);
        long unsigned = 0, signed = 0;
        for (int i = 0; i < 512; i++) {
            int b = (i >= 148 && i < 156) ? ' ' : header[i];
            unsigned += b & 0xFF;
            signed += (byte) b;
        }
        if (stored != unsigned && stored != signed)
            throw new DatasetFormatException(archive, "corrupt tar header at byte " + at + " (checksum " + stored + ", computed " + unsigned + ")");
    }

    private String string(int off, int len) {
        int end = off;
        while (end < off + len && header[end] != 0) end++;
        return new String(header, off, end - off, StandardCharsets.UTF_8);
    }

    /** An octal field (NUL/space terminated) or a GNU base-256 number. */
    private long number(int off, int len, long at) throws DatasetFormatException {
        if ((header[off] & 0x80) != 0) {
            long v = header[off] & 0x7F;
            for (int i = 1; i < len; i++) {
                if (v > (Long.MAX_VALUE >>> 8)) throw new DatasetFormatException(archive, "numeric field too large in the header at byte " + at);
                v = (v << 8) | (header[off + i] & 0xFF);
            }
            return v;
        }
        long v = 0;
        int i = off, end = off + len;
        while (i < end && (header[i] == ' ' || header[i] == 0)) i++;
        boolean any = false;
        for (; i < end; i++) {
            byte c = header[i];
            if (c == 0 || c == ' ') break;
            if (c < '0' || c > '7') throw new DatasetFormatException(archive, "bad octal digit in the header at byte " + at);
            v = (v << 3) | (c - '0');
            any = true;
        }
        return any ? v : 0;
    }

    private String paxPath(byte[] meta, long at) throws DatasetFormatException {
        int i = 0;
        String path = null;
        while (i < meta.length) {
            int sp = i;
            while (sp < meta.length && meta[sp] != ' ') sp++;
            int len;
            try {
                len = Integer.parseInt(new String(meta, i, sp - i, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw new DatasetFormatException(archive, "bad pax record at byte " + at);
            }
            if (len <= sp - i + 1 || i + len > meta.length) throw new DatasetFormatException(archive, "bad pax record length at byte " + at);
            String rec = new String(meta, sp + 1, i + len - sp - 2, StandardCharsets.UTF_8);
            if (rec.startsWith("path=")) path = rec.substring(5);
            i += len;
        }
        return path;
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) if (x != 0) return false;
        return true;
    }

    @Override public void close() throws IOException { in.close(); }
}
