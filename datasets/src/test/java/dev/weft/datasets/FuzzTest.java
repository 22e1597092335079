package dev.weft.datasets;

import dev.weft.datasets.cifar.Cifar;
import dev.weft.datasets.imdb.Imdb;
import dev.weft.datasets.imdb.ImdbOptions;
import dev.weft.datasets.io.ByteSource;
import dev.weft.datasets.mnist.Mnist;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Damages small pieces of the real samples (bit flips, truncations, overwritten size fields, both
 * before and after gzip) and checks that every read either succeeds or fails with the documented
 * {@link DatasetFormatException} naming the file: never another exception, never OutOfMemoryError.
 */
class FuzzTest {
    interface Reader { void read(byte[] data, String name) throws Exception; }

    private static final int CASES = Integer.getInteger("weft.fuzz.cases", 300);

    @Test void mnistIdx() throws Exception {
        byte[] img = TestUtil.gunzip(TestUtil.sample(Samples.MNIST_IMAGES));
        byte[] lab = TestUtil.gunzip(TestUtil.sample(Samples.MNIST_LABELS));
        int n = 100;
        byte[] smallImg = Arrays.copyOf(img, 16 + n * 784);
        setInt(smallImg, 4, n);
        byte[] smallLab = Arrays.copyOf(lab, 8 + n);
        setInt(smallLab, 4, n);
        ByteSource labels = ByteSource.of("labels", smallLab);
        ByteSource images = ByteSource.of("images", smallImg);
        fuzz(smallImg, new int[] {4, 8, 12}, 1, (d, name) -> Mnist.read(ByteSource.of(name, d), labels, "fuzz", Mnist.DIGITS));
        fuzz(smallLab, new int[] {4}, 2, (d, name) -> Mnist.read(images, ByteSource.of(name, d), "fuzz", Mnist.DIGITS));
    }

    @Test void cifar() throws Exception {
        byte[] c10 = Arrays.copyOf(TestUtil.sample(Samples.CIFAR10), 20 * 3073);
        fuzz(c10, new int[] {0, 3073}, 3, (d, name) -> Cifar.read10(List.of(ByteSource.of(name, d)), "fuzz", Cifar.CIFAR10_CLASSES));
        byte[] c100 = Arrays.copyOf(TestUtil.sample(Samples.CIFAR100_TRAIN), 10 * 3074);
        fuzz(c100, new int[] {0, 3074}, 4, (d, name) -> Cifar.read100(List.of(ByteSource.of(name, d)), "fuzz", Cifar.CIFAR100_FINE, Cifar.CIFAR100_COARSE));
        byte[] tar = ImdbTest.tarOf(Map.of("cifar-10-batches-bin/test_batch.bin", Arrays.copyOf(c10, 5 * 3073),
                "cifar-10-batches-bin/batches.meta.txt", TestUtil.sample(Samples.CIFAR10_META)));
        fuzz(tar, new int[] {124, 512 + 124 + 512}, 7, (d, name) -> Cifar.readTarball(ByteSource.of(name, d), Split.TEST, false));
        byte[] names = TestUtil.sample(Samples.CIFAR100_COARSE);
        fuzz(names, new int[] {0}, 5, (d, name) -> Cifar.readNames(ByteSource.of(name, d), 20));
    }

    @Test void imdbTarball() throws Exception {
        Map<String, byte[]> all = ImdbTest.members();
        Map<String, byte[]> some = new LinkedHashMap<>();
        some.put("aclImdb/README", all.get("aclImdb/README"));
        for (String folder : List.of("train/pos", "train/neg", "test/pos", "test/neg")) {
            int k = 0;
            for (Map.Entry<String, byte[]> e : all.entrySet())
                if (e.getKey().startsWith("aclImdb/" + folder + "/") && k++ < 4) some.put(e.getKey(), e.getValue());
        }
        byte[] tar = ImdbTest.tarOf(some);
        // size fields of the first entries' headers (offset 124 in each header)
        int[] sizeFields = {124, 512 + 124 + 512 * ((all.get("aclImdb/README").length + 511) / 512)};
        fuzz(tar, sizeFields, 6, (d, name) -> Imdb.readTarball(ByteSource.of(name, d), ImdbOptions.defaults()));
    }

    private static void fuzz(byte[] clean, int[] sizeFields, long seed, Reader reader) throws Exception {
        reader.read(clean, "clean");                 // the undamaged input reads
        reader.read(TestUtil.gzip(clean), "clean.gz");
        SplittableRandom rng = new SplittableRandom(seed);
        int ok = 0, rejected = 0;
        for (int c = 0; c < CASES; c++) {
            byte[] d = clean.clone();
            String what;
            int kind = rng.nextInt(4);
            if (kind == 0) {
                int flips = 1 + rng.nextInt(3);
                for (int f = 0; f < flips; f++) {
                    int pos = rng.nextBoolean() ? rng.nextInt(Math.min(64, d.length)) : rng.nextInt(d.length);
                    d[pos] ^= (byte) (1 << rng.nextInt(8));
                }
                what = "bit flips";
            } else if (kind == 1) {
                d = Arrays.copyOf(d, rng.nextInt(d.length));
                what = "truncation to " + d.length;
            } else if (kind == 2) {
                int at = sizeFields[rng.nextInt(sizeFields.length)];
                int v = switch (rng.nextInt(4)) {
                    case 0 -> Integer.MAX_VALUE;
                    case 1 -> -1 - rng.nextInt(1000);
                    case 2 -> rng.nextInt(1 << 24);
                    default -> rng.nextInt();
                };
                if (at + 4 <= d.length) setInt(d, at, v);
                what = "size field at " + at + " = " + v;
            } else {
                int pos = rng.nextInt(d.length);
                d[pos] = (byte) rng.nextInt(256);
                what = "byte at " + pos;
            }
            boolean gz = rng.nextInt(3) == 0;
            if (gz) {
                d = TestUtil.gzip(d);
                if (rng.nextBoolean()) { // and damage the compressed stream too
                    if (rng.nextBoolean()) d = Arrays.copyOf(d, rng.nextInt(d.length));
                    else d[rng.nextInt(d.length)] ^= (byte) (1 << rng.nextInt(8));
                }
            }
            String name = "case" + c + (gz ? ".gz" : "");
            try {
                reader.read(d, name);
                ok++;
            } catch (DatasetFormatException e) {
                assertTrue(e.getMessage().startsWith(name), "message must name the file: " + e.getMessage());
                rejected++;
            } catch (Throwable t) {
                throw new AssertionError("case " + c + " (" + what + (gz ? ", gzipped" : "") + "): undocumented " + t, t);
            }
        }
        assertEquals(CASES, ok + rejected);
        assertTrue(rejected > CASES / 4, "most damage should be detected: " + rejected);
    }

    private static void setInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
