package dev.weft.engine.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Atomic file replacement: the content is written to a temporary file in the target's folder,
 * forced to disk, then renamed over the target. Readers see either the old file or the complete
 * new one, never a partial file; if anything fails (including the body throwing), the temporary
 * file is deleted and the previous file is left untouched.
 *
 * <p>The temporary file is named {@code .<target name>.<random>.tmp}. The rename uses
 * {@link StandardCopyOption#ATOMIC_MOVE}; on a file system that cannot rename atomically it falls
 * back to a plain replacing move. After the rename the folder is forced too where the platform
 * allows it (best effort).
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Writes the content of a file to a channel. */
    @FunctionalInterface
    public interface ContentWriter {
        /** Writes the whole content to {@code channel}. */
        void writeTo(WritableByteChannel channel) throws IOException;
    }

    /** Atomically replaces (or creates) {@code target} with {@code bytes}. */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, channel -> writeFully(channel, ByteBuffer.wrap(bytes)));
    }

    /**
     * Atomically replaces (or creates) {@code target} with what {@code content} writes.
     *
     * @throws IOException if the folder does not exist or is not writable, the body fails, or the
     *     rename fails; the previous content of {@code target} is then unchanged
     */
    public static void write(Path target, ContentWriter content) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        String name = absolute.getFileName().toString();
        String prefix = "." + (name.length() > 100 ? name.substring(0, 100) : name) + ".";
        Path temp = createTemp(dir, prefix);
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                content.writeTo(channel);
                channel.force(true);
            }
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
            forceDirectory(dir);
        } finally {
            if (!moved) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the original failure matters more than the leftover temporary file
                }
            }
        }
    }

    /** Writes every remaining byte of {@code buffer}. */
    public static void writeFully(WritableByteChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) channel.write(buffer);
    }

    /**
     * Creates a new empty temporary file. Unlike {@link Files#createTempFile}, whose files are
     * private (mode 0600), this one gets the usual permissions (0666 less the umask), which the
     * target then keeps after the rename.
     */
    private static Path createTemp(Path dir, String prefix) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path temp = dir.resolve(prefix + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
            try {
                return Files.createFile(temp);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 100) throw e;
            }
        }
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | RuntimeException ignored) {
            // not every platform can open or sync a directory; the rename itself is already done
        }
    }
}
