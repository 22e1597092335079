package dev.weft.datasets;

import dev.weft.datasets.io.ByteSource;
import dev.weft.datasets.mnist.Mnist;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

class MnistTest {
    @Test void shippedFilesMatchSourcesChecksums() throws Exception {
        byte[] img = TestUtil.sample(Samples.MNIST_IMAGES), lab = TestUtil.sample(Samples.MNIST_LABELS);
        assertEquals("8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6", TestUtil.sha256(img));
        assertEquals("f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6", TestUtil.sha256(lab));
        // published md5 of the uncompressed official files
        assertEquals("2646ac647ad5339dbf082846283269ea", TestUtil.hash("MD5", TestUtil.gunzip(img)));
        assertEquals("27ae3e4e09519cfbb04c329615203637", TestUtil.hash("MD5", TestUtil.gunzip(lab)));
    }

    @Test void readsTheTestSet() throws Exception {
        ImageSet s = Samples.mnistTest();
        assertEquals(10000, s.size());
        assertArrayEquals(new int[] {28, 28, 1}, s.imageShape());
        // the well-known class counts of the MNIST test set
        assertArrayEquals(new int[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}, s.labelHistogram());
        assertEquals(7, s.label(0));
        assertEquals(2, s.label(1));
        assertEquals(Mnist.DIGITS, s.classNames());
        // the pixels are the file's bytes after the 16-byte header
        byte[] raw = TestUtil.gunzip(TestUtil.sample(Samples.MNIST_IMAGES));
        assertEquals(raw[16 + 784 * 5 + 28 * 14 + 13] & 0xFF, s.pixel(5, 14, 13, 0));
        var t = s.images(0, 3, PixelScale.UNIT);
        assertArrayEquals(new int[] {3, 28, 28, 1}, t.shape());
        float[] v = t.toFloatArray();
        for (int k = 0; k < 784; k++) assertEquals((raw[16 + k] & 0xFF) / 255f, v[k]);
        assertArrayEquals(new int[] {10000}, s.labels().shape());
    }

    @Test void plainAndGzippedGiveTheSameData() throws Exception {
        byte[] img = TestUtil.gunzip(TestUtil.sample(Samples.MNIST_IMAGES));
        byte[] lab = TestUtil.gunzip(TestUtil.sample(Samples.MNIST_LABELS));
        ImageSet plain = Mnist.read(ByteSource.of("img", img), ByteSource.of("lab", lab), "plain", Mnist.DIGITS);
        ImageSet gz = Samples.mnistTest();
        assertEquals(gz.size(), plain.size());
        assertArrayEquals(gz.labelArray(), plain.labelArray());
        for (int i : new int[] {0, 4999, 9999}) assertArrayEquals(gz.imageBytes(i), plain.imageBytes(i));
    }

    @Test void loadsFromADataFolderByOriginalNames(@TempDir Path dir) throws Exception {
        Path sub = Files.createDirectories(dir.resolve("mnist"));
        Files.write(sub.resolve("t10k-images-idx3-ubyte.gz"), TestUtil.sample(Samples.MNIST_IMAGES));
        Files.write(sub.resolve("t10k-labels-idx1-ubyte"), TestUtil.gunzip(TestUtil.sample(Samples.MNIST_LABELS)));
        ImageSet s = Mnist.load(DataLocator.of(dir), Split.TEST);
        assertEquals(10000, s.size());
        DatasetNotFoundException e = assertThrows(DatasetNotFoundException.class, () -> Mnist.load(DataLocator.of(dir), Split.TRAIN));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte.gz"), e.getMessage());
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("yann.lecun.com"), e.getMessage());
        assertTrue(e.getMessage().contains("given explicitly"), e.getMessage());
        DatasetNotFoundException f = assertThrows(DatasetNotFoundException.class, () -> Mnist.loadFashion(DataLocator.of(dir.resolve("none")), Split.TEST));
        assertTrue(f.getMessage().contains("fashion-mnist"), f.getMessage());
    }

    @Test void badHeadersAreClearErrors() throws Exception {
        byte[] lab = TestUtil.gunzip(TestUtil.sample(Samples.MNIST_LABELS));
        byte[] img = TestUtil.gunzip(TestUtil.sample(Samples.MNIST_IMAGES));
        byte[] wrongMagic = lab.clone();
        wrongMagic[3] = 3;
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> Mnist.read(ByteSource.of("img", img), ByteSource.of("labels.idx", wrongMagic), "x", Mnist.DIGITS));
        assertEquals("labels.idx", e.source());
        assertTrue(e.getMessage().contains("magic"), e.getMessage());

        byte[] absurd = img.clone();
        absurd[4] = 0x7f; // count ~ 2^30: rejected from the header, nothing allocated
        e = assertThrows(DatasetFormatException.class, () -> Mnist.read(ByteSource.of("images.idx", absurd), ByteSource.of("l", lab), "x", Mnist.DIGITS));
        assertTrue(e.getMessage().contains("images.idx: "), e.getMessage());

        byte[] truncated = Arrays.copyOf(img, img.length - 100);
        e = assertThrows(DatasetFormatException.class, () -> Mnist.read(ByteSource.of("t.idx", truncated), ByteSource.of("l", lab), "x", Mnist.DIGITS));
        assertTrue(e.getMessage().contains("disagree") || e.getMessage().contains("file has"), e.getMessage());
        byte[] truncatedGz = TestUtil.gzip(truncated);
        e = assertThrows(DatasetFormatException.class, () -> Mnist.read(ByteSource.of("t.idx.gz", truncatedGz), ByteSource.of("l", lab), "x", Mnist.DIGITS));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());

        byte[] badLabel = lab.clone();
        badLabel[8 + 17] = 10;
        e = assertThrows(DatasetFormatException.class, () -> Mnist.read(ByteSource.of("i", img), ByteSource.of("l", badLabel), "x", Mnist.DIGITS));
        assertTrue(e.getMessage().contains("label 10 at index 17"), e.getMessage());

        byte[] fewer = Arrays.copyOf(lab, lab.length - 1);
        fewer[7] = (byte) 0x0F; // 9999 labels (0x270F)
        e = assertThrows(DatasetFormatException.class, () -> Mnist.read(ByteSource.of("i", img), ByteSource.of("l", fewer), "x", Mnist.DIGITS));
        assertTrue(e.getMessage().contains("9999 labels"), e.getMessage());
    }
}
