package dev.weft.zoo.logging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PngWriterTest {
    @TempDir Path dir;

    @Test
    void grayscaleRoundTripsThroughImageIo() throws IOException {
        byte[] pixels = randomBytes(37 * 23, 1);
        byte[] png = PngWriter.encode(PngWriter.gray(pixels, 37, 23));
        assertArrayEquals(pixels, decode(png, 37, 23, 1));
    }

    @Test
    void rgbAndAlphaRoundTripThroughImageIo() throws IOException {
        for (int channels = 1; channels <= 4; channels++) {
            byte[] pixels = randomBytes(19 * 11 * channels, channels);
            byte[] png = PngWriter.encode(new PngWriter.Image(19, 11, channels, pixels));
            assertArrayEquals(pixels, decode(png, 19, 11, channels), "channels " + channels);
        }
        byte[] rgb = {(byte) 255, 0, 0, 0, (byte) 255, 0, 0, 0, (byte) 255, 1, 2, 3};
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(PngWriter.encode(PngWriter.rgb(rgb, 2, 2))));
        assertEquals(0xFF0000, img.getRGB(0, 0) & 0xFFFFFF);
        assertEquals(0x00FF00, img.getRGB(1, 0) & 0xFFFFFF);
        assertEquals(0x0000FF, img.getRGB(0, 1) & 0xFFFFFF);
        assertEquals(0x010203, img.getRGB(1, 1) & 0xFFFFFF);
    }

    @Test
    void chunkLayoutAndCrcs() {
        byte[] png = PngWriter.encode(PngWriter.gray(new byte[] {7, 8, 9, 10, 11, 12}, 3, 2));
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10}, Arrays.copyOf(png, 8));
        ByteBuffer b = ByteBuffer.wrap(png, 8, png.length - 8);
        assertEquals(13, b.getInt());
        byte[] type = new byte[4];
        b.get(type);
        assertEquals("IHDR", new String(type));
        assertEquals(3, b.getInt());   // width
        assertEquals(2, b.getInt());   // height
        assertEquals(8, b.get());      // bit depth
        assertEquals(0, b.get());      // colour type: grayscale
        // every chunk's CRC covers its type and data
        ByteBuffer c = ByteBuffer.wrap(png, 8, png.length - 8);
        String last = null;
        while (c.hasRemaining()) {
            int length = c.getInt();
            byte[] typeAndData = new byte[4 + length];
            c.get(typeAndData);
            CRC32 crc = new CRC32();
            crc.update(typeAndData);
            assertEquals((int) crc.getValue(), c.getInt());
            last = new String(typeAndData, 0, 4);
        }
        assertEquals("IEND", last);
        // IEND's CRC is the well-known AE 42 60 82
        assertArrayEquals(new byte[] {(byte) 0xAE, 0x42, 0x60, (byte) 0x82}, Arrays.copyOfRange(png, png.length - 4, png.length));
    }

    @Test
    void tilesATenByTenGridOfDigits() throws IOException {
        int n = 100;
        int h = 28;
        int w = 28;
        float[] batch = new float[n * h * w];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < h * w; p++) batch[i * h * w + p] = (i + p % 3) / 255f;  // image i is about i
        }
        PngWriter.Image grid = PngWriter.tile(batch, n, h, w, 1, 10, 0);
        assertEquals(280, grid.width());
        assertEquals(280, grid.height());
        for (int i = 0; i < n; i++) {
            int x = (i % 10) * 28 + 5;
            int y = (i / 10) * 28 + 4;
            int p = 4 * 28 + 5;
            assertEquals(i + p % 3, grid.pixels()[y * 280 + x] & 0xFF, "tile " + i);
        }
        Path file = dir.resolve("grid.png");
        PngWriter.write(file, grid);
        assertArrayEquals(grid.pixels(), decode(Files.readAllBytes(file), 280, 280, 1));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left");
        }
    }

    @Test
    void tileWithPaddingAndPartialLastRow() {
        float[] batch = new float[5 * 2 * 2 * 3];
        Arrays.fill(batch, 1f);
        PngWriter.Image grid = PngWriter.tile(batch, 5, 2, 2, 3, 3, 1);
        assertEquals(3 * 2 + 2, grid.width());
        assertEquals(2 * 2 + 1, grid.height());
        assertEquals(255, grid.pixels()[0] & 0xFF);
        assertEquals(0, grid.pixels()[2 * 3] & 0xFF, "padding column is black");
        int lastCell = ((3) * grid.width() + 6) * 3;  // row 3 (second tile row), column 6: the empty sixth cell
        assertEquals(0, grid.pixels()[lastCell] & 0xFF);
    }

    @Test
    void floatsAreClampedAndRounded() {
        PngWriter.Image img = PngWriter.fromFloats(new float[] {-1f, 0f, 0.5f, 1f, 2f, Float.NaN}, 6, 1, 1);
        assertArrayEquals(new byte[] {0, 0, (byte) 128, (byte) 255, (byte) 255, 0}, img.pixels());
        assertThrows(IllegalArgumentException.class, () -> PngWriter.gray(new byte[5], 2, 3));
        assertThrows(IllegalArgumentException.class, () -> new PngWriter.Image(0, 1, 1, new byte[0]));
    }

    /** Decodes with javax.imageio and returns interleaved samples. */
    private static byte[] decode(byte[] png, int width, int height, int channels) throws IOException {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(width, img.getWidth());
        assertEquals(height, img.getHeight());
        Raster r = img.getRaster();
        assertEquals(channels, r.getNumBands());
        byte[] out = new byte[width * height * channels];
        int[] px = new int[channels];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                r.getPixel(x, y, px);
                for (int c = 0; c < channels; c++) out[(y * width + x) * channels + c] = (byte) px[c];
            }
        }
        return out;
    }

    private static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }
}
