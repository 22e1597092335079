package dev.weft.datasets;

import dev.weft.datasets.cifar.Cifar;
import dev.weft.datasets.io.ByteSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class CifarTest {
    @Test void shippedFilesMatchSourcesChecksums() throws Exception {
        assertEquals("7c9859cebcbdb4fa86c8bc1aca912d9d6549379aab3719046c304b53c884ecb0", TestUtil.sha256(TestUtil.sample(Samples.CIFAR10)));
        assertEquals("2ce042b1e0b48db4bb214408e6414ba18b2731c24af244f2d6c112fddf31af00", TestUtil.sha256(TestUtil.sample(Samples.CIFAR10_META)));
        assertEquals("819da2540728c71f43fda68db6fea1034dc576e9ae4e01a44a85e1b3a57b2102", TestUtil.sha256(TestUtil.sample(Samples.CIFAR100_TRAIN)));
        assertEquals("746976c81417ee091ad218d769db8340e94039ef9ce9483bbceecfffb8107219", TestUtil.sha256(TestUtil.sample(Samples.CIFAR100_TEST)));
        assertEquals("88be9e4327820b3c93ba5b29e4fa826b5e71912447321418baefb069d25780ac", TestUtil.sha256(TestUtil.sample(Samples.CIFAR100_FINE)));
        assertEquals("9b48b836d98e8782057bb6a4da0d4030fe828e2b156b81fa835fda91b5276930", TestUtil.sha256(TestUtil.sample(Samples.CIFAR100_COARSE)));
        assertEquals("0e5faf87ed3da75ae2590176d94a8118fa3f0eb3b3bbaf6eeec93eebb58da875", TestUtil.sha256(TestUtil.sample("cifar-100/train_first_record.bin")));
    }

    @Test void cifar10Sample() throws Exception {
        ImageSet s = Samples.cifar10();
        assertEquals(200, s.size());
        assertArrayEquals(new int[] {32, 32, 3}, s.imageShape());
        assertEquals(Cifar.CIFAR10_CLASSES, s.classNames());
        int[] first = new int[10];
        for (int i = 0; i < 10; i++) first[i] = s.label(i);
        assertArrayEquals(new int[] {6, 9, 9, 4, 1, 1, 2, 7, 8, 3}, first); // known start of data_batch_1
        assertEquals(200, Arrays.stream(s.labelHistogram()).sum());
        // planes (R, G, B) become channels-last
        byte[] raw = TestUtil.sample(Samples.CIFAR10);
        for (int[] p : new int[][] {{0, 0, 0}, {7, 31, 5}, {199, 12, 30}})
            for (int c = 0; c < 3; c++)
                assertEquals(raw[p[0] * 3073 + 1 + c * 1024 + p[1] * 32 + p[2]] & 0xFF, s.pixel(p[0], p[1], p[2], c));
        assertArrayEquals(new int[] {200, 32, 32, 3}, s.images(PixelScale.SYMMETRIC).shape());
    }

    @Test void cifar100Samples() throws Exception {
        for (ImageSet s : List.of(Samples.cifar100Train(), Samples.cifar100Test())) {
            assertEquals(1000, s.size());
            assertTrue(s.hasCoarseLabels());
            int[] fine = s.labelHistogram();
            assertEquals(100, fine.length);
            for (int h : fine) assertEquals(10, h);
            int[] coarse = new int[20];
            for (int v : s.coarseLabels().data()) coarse[v]++;
            for (int h : coarse) assertEquals(50, h);
            // record order: image i of classes 0..99
            for (int i = 0; i < 1000; i++) assertEquals(i % 100, s.label(i));
            assertEquals(100, s.classNames().size());
            assertEquals(20, s.coarseClassNames().size());
        }
        ImageSet train = Samples.cifar100Train();
        assertEquals("cattle", train.classNames().get(19));
        assertEquals("large_omnivores_and_herbivores", train.coarseClassNames().get(11));
        ImageSet first = Cifar.read100(List.of(Samples.resource("cifar-100/train_first_record.bin")), "first", Cifar.CIFAR100_FINE, Cifar.CIFAR100_COARSE);
        assertEquals(1, first.size());
        assertEquals(19, first.label(0));
        assertEquals(11, first.coarseLabel(0));
        assertArrayEquals(first.imageBytes(0), train.imageBytes(19)); // cross-check from SOURCES.md
        assertEquals(11, train.coarseLabel(19));
    }

    @Test void gzippedRecordsReadTheSame() throws Exception {
        byte[] raw = TestUtil.sample(Samples.CIFAR10);
        ImageSet gz = Cifar.read10(List.of(ByteSource.of("b.bin.gz", TestUtil.gzip(raw))), "gz", Cifar.CIFAR10_CLASSES);
        ImageSet plain = Samples.cifar10();
        assertArrayEquals(plain.labelArray(), gz.labelArray());
        for (int i = 0; i < 200; i += 37) assertArrayEquals(plain.imageBytes(i), gz.imageBytes(i));
    }

    @Test void badFiles() throws Exception {
        byte[] raw = TestUtil.sample(Samples.CIFAR10);
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> Cifar.read10(List.of(ByteSource.of("cut.bin", Arrays.copyOf(raw, raw.length - 5))), "x", Cifar.CIFAR10_CLASSES));
        assertTrue(e.getMessage().startsWith("cut.bin: "), e.getMessage());
        e = assertThrows(DatasetFormatException.class,
                () -> Cifar.read10(List.of(ByteSource.of("cut.bin.gz", TestUtil.gzip(Arrays.copyOf(raw, raw.length - 5)))), "x", Cifar.CIFAR10_CLASSES));
        assertTrue(e.getMessage().contains("record 199"), e.getMessage());
        byte[] bad = raw.clone();
        bad[3073 * 4] = 12;
        e = assertThrows(DatasetFormatException.class, () -> Cifar.read10(List.of(ByteSource.of("bad.bin", bad)), "x", Cifar.CIFAR10_CLASSES));
        assertTrue(e.getMessage().contains("label 12 in record 4"), e.getMessage());
        e = assertThrows(DatasetFormatException.class, () -> Cifar.read10(List.of(ByteSource.of("empty.bin", new byte[0])), "x", Cifar.CIFAR10_CLASSES));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        e = assertThrows(DatasetFormatException.class, () -> Cifar.readNames(ByteSource.of("names.txt", "a\nb\n".getBytes()), 10));
        assertTrue(e.getMessage().contains("2 class names"), e.getMessage());
    }

    /** The official archives are read without unpacking; batches come back in order 1..5 whatever the tar order. */
    @Test void readsTheOfficialTarballs(@TempDir Path dir) throws Exception {
        byte[] raw = TestUtil.sample(Samples.CIFAR10);
        Map<String, byte[]> files = new java.util.LinkedHashMap<>();
        int[] expected = new int[150];
        int at = 0;
        for (int k : new int[] {3, 1, 5, 2, 4}) files.put("cifar-10-batches-bin/data_batch_" + k + ".bin", Arrays.copyOf(raw, 3073 * 10 * k));
        for (int k = 1; k <= 5; k++) for (int j = 0; j < 10 * k; j++) expected[at++] = raw[3073 * j];
        files.put("cifar-10-batches-bin/batches.meta.txt", TestUtil.sample(Samples.CIFAR10_META));
        files.put("cifar-10-batches-bin/test_batch.bin", Arrays.copyOf(raw, 3073 * 7));
        Files.write(dir.resolve("cifar-10-binary.tar.gz"), TestUtil.gzip(ImdbTest.tarOf(files)));
        ImageSet train = Cifar.load10(DataLocator.of(dir), Split.TRAIN);
        assertArrayEquals(expected, train.labelArray());
        assertArrayEquals(Samples.cifar10().imageBytes(13), train.imageBytes(10 + 13));
        assertEquals(7, Cifar.load10(DataLocator.of(dir), Split.TEST).size());

        Files.write(dir.resolve("cifar-100-binary.tar"), ImdbTest.tarOf(Map.of(
                "cifar-100-binary/train.bin", TestUtil.sample(Samples.CIFAR100_TRAIN),
                "cifar-100-binary/fine_label_names.txt", TestUtil.sample(Samples.CIFAR100_FINE),
                "cifar-100-binary/coarse_label_names.txt", TestUtil.sample(Samples.CIFAR100_COARSE))));
        ImageSet c100 = Cifar.load100(DataLocator.of(dir), Split.TRAIN);
        assertEquals(1000, c100.size());
        assertArrayEquals(Samples.cifar100Train().coarseLabels().data(), c100.coarseLabels().data());
        assertEquals("cattle", c100.classNames().get(19));
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> Cifar.load100(DataLocator.of(dir), Split.TEST));
        assertTrue(e.getMessage().contains("no test.bin"), e.getMessage());
    }

    @Test void loadsFromADataFolder(@TempDir Path dir) throws Exception {
        Path sub = Files.createDirectories(dir.resolve("cifar-10-batches-bin"));
        byte[] raw = TestUtil.sample(Samples.CIFAR10);
        for (int b = 1; b <= 4; b++) Files.write(sub.resolve("data_batch_" + b + ".bin"), raw);
        DatasetNotFoundException nf = assertThrows(DatasetNotFoundException.class, () -> Cifar.load10(DataLocator.of(dir), Split.TRAIN));
        assertTrue(nf.getMessage().contains("data_batch_5.bin"), nf.getMessage());
        assertTrue(nf.getMessage().contains("cs.toronto.edu"), nf.getMessage());
        Files.write(sub.resolve("data_batch_5.bin.gz"), TestUtil.gzip(raw));
        ImageSet s = Cifar.load10(DataLocator.of(dir), Split.TRAIN);
        assertEquals(1000, s.size());
        assertEquals(6, s.label(800));
        Path c100 = Files.createDirectories(dir.resolve("cifar-100-binary"));
        Files.write(c100.resolve("test.bin"), TestUtil.sample(Samples.CIFAR100_TEST));
        ImageSet t = Cifar.load100(DataLocator.of(dir), Split.TEST);
        assertEquals(Cifar.CIFAR100_FINE, t.classNames()); // no names file: the official names
    }
}
