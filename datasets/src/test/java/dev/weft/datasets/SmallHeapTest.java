package dev.weft.datasets;

import dev.weft.datasets.cifar.Cifar;
import dev.weft.datasets.imdb.Imdb;
import dev.weft.datasets.imdb.ImdbOptions;
import dev.weft.datasets.io.ByteSource;
import dev.weft.datasets.mnist.Mnist;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Lying headers must be rejected without allocating what they claim: a child JVM with a 64 MB heap
 * reads inputs whose headers announce hundreds of megabytes to gigabytes and must see only
 * {@link DatasetFormatException}s.
 */
class SmallHeapTest {
    @Test void lyingHeadersDoNotExhaustASmallHeap() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child timed out");
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("all rejected"), out);
    }

    /** The child: each case must throw DatasetFormatException; anything else (OOM included) exits non-zero. */
    public static final class Main {
        interface Case { void run() throws Exception; }

        public static void main(String[] args) throws Exception {
            byte[] idx = new byte[16 + 1000];
            idx[2] = 8; idx[3] = 3;
            setInt(idx, 4, 2_000_000); setInt(idx, 8, 28); setInt(idx, 12, 28);      // claims 1.5 GB
            byte[] labels = new byte[8 + 10];
            labels[2] = 8; labels[3] = 1; setInt(labels, 4, 10);
            byte[] gz = TestUtil.gzip(idx);
            byte[] cifar = new byte[3073 * 3 - 1];
            Map<String, byte[]> tarFiles = Map.of("aclImdb/train/pos/0_9.txt", "x".getBytes());
            byte[] tar = ImdbTest.tarOf(tarFiles);
            // announce a 60 GB review in the tar header (octal size field; checksum recomputed)
            String size = String.format("%011o", 60L << 30);
            for (int i = 0; i < 11; i++) tar[124 + i] = (byte) size.charAt(i);
            fixChecksum(tar);
            List<Case> cases = List.of(
                    () -> Mnist.read(ByteSource.of("unknown-length.idx", -1, () -> new ByteArrayInputStream(idx)), ByteSource.of("l", labels), "x", Mnist.DIGITS),
                    () -> Mnist.read(ByteSource.of("unknown-length.idx.gz", -1, () -> new ByteArrayInputStream(gz)), ByteSource.of("l", labels), "x", Mnist.DIGITS),
                    () -> Mnist.read(ByteSource.of("known.idx.gz", gz), ByteSource.of("l", labels), "x", Mnist.DIGITS),
                    () -> Mnist.read(ByteSource.of("known.idx", idx), ByteSource.of("l", labels), "x", Mnist.DIGITS),
                    () -> Cifar.read10(List.of(ByteSource.of("stream.bin", -1, () -> new ByteArrayInputStream(cifar))), "x", Cifar.CIFAR10_CLASSES),
                    () -> Imdb.readTarball(ByteSource.of("huge-entry.tar", tar), ImdbOptions.defaults()));
            int i = 0;
            for (Case c : cases) {
                try {
                    c.run();
                    System.out.println("case " + i + " was accepted");
                    System.exit(2);
                } catch (DatasetFormatException e) {
                    System.out.println("case " + i + ": " + e.getMessage());
                }
                i++;
            }
            System.out.println("all rejected");
        }

        private static void setInt(byte[] b, int at, int v) {
            b[at] = (byte) (v >>> 24); b[at + 1] = (byte) (v >>> 16); b[at + 2] = (byte) (v >>> 8); b[at + 3] = (byte) v;
        }

        private static void fixChecksum(byte[] h) {
            for (int i = 148; i < 156; i++) h[i] = ' ';
            int sum = 0;
            for (int i = 0; i < 512; i++) sum += h[i] & 0xFF;
            String s = String.format("%06o", sum);
            for (int i = 0; i < 6; i++) h[148 + i] = (byte) s.charAt(i);
            h[154] = 0;
        }
    }
}
