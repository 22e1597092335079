package dev.weft.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir Path dir;

    @Test
    void replacesContentAndLeavesNoTemporaryFile() throws IOException {
        Path p = dir.resolve("a.bin");
        AtomicFiles.write(p, new byte[] {1, 2, 3});
        AtomicFiles.write(p, new byte[] {4});
        assertArrayEquals(new byte[] {4}, Files.readAllBytes(p));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.count());
        }
    }

    @Test
    void failingBodyKeepsThePreviousFile() throws IOException {
        Path p = dir.resolve("a.bin");
        AtomicFiles.write(p, new byte[] {1, 2, 3});
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(p, ch -> {
            AtomicFiles.writeFully(ch, ByteBuffer.wrap(new byte[] {9, 9}));
            throw new IOException("boom");
        }));
        assertEquals("boom", e.getMessage());
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(p));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.count());
        }
    }

    @Test
    void writtenFilesGetOrdinaryPermissionsNotPrivateTempOnes() throws IOException {
        Assumptions.assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path ordinary = Files.createFile(dir.resolve("ordinary"));
        Path atomic = dir.resolve("atomic");
        AtomicFiles.write(atomic, new byte[] {1});
        assertEquals(Files.getPosixFilePermissions(ordinary), Files.getPosixFilePermissions(atomic));
    }
}
