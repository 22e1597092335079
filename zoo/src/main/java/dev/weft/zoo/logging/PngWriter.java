package dev.weft.zoo.logging;

import dev.weft.engine.io.AtomicFiles;
import dev.weft.zoo.util.Require;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Encodes 8-bit images as PNG with the JDK alone ({@link Deflater} and {@link CRC32}), and tiles
 * batches of images into grids (e.g. the VAE's 10x10 grid of 28x28 digits).
 *
 * <p>Pixels are row-major and interleaved (channels-last, as in Keras): {@code pixels[(y * width + x)
 * * channels + c]}, unsigned bytes. Channels: 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA. The encoder
 * writes IHDR (bit depth 8, no interlace), one IDAT with every row filtered as "None", and IEND.
 *
 * <pre>{@code
 * PngWriter.Image grid = PngWriter.tile(samples, 100, 28, 28, 1, 10, 0);  // floats in [0, 1]
 * PngWriter.write(out.resolve("samples_epoch_3.png"), grid);             // atomic
 * }</pre>
 */
public final class PngWriter {
    private PngWriter() {}

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    /**
     * An 8-bit image: {@code width * height * channels} interleaved unsigned bytes, row-major.
     * The array is used as given, not copied.
     */
    public record Image(int width, int height, int channels, byte[] pixels) {
        /** @throws IllegalArgumentException if a size is not positive or the pixel count is wrong */
        public Image {
            if (width <= 0 || height <= 0) throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
            if (channels < 1 || channels > 4) throw new IllegalArgumentException("channels must be 1 to 4, got " + channels);
            if (pixels == null || (long) width * height * channels != pixels.length) {
                throw new IllegalArgumentException("expected " + (long) width * height * channels + " pixel bytes for "
                        + width + "x" + height + "x" + channels + ", got " + (pixels == null ? "null" : pixels.length));
            }
        }
    }

    /** A grayscale image from bytes. */
    public static Image gray(byte[] pixels, int width, int height) { return new Image(width, height, 1, pixels); }

    /** An RGB image from interleaved bytes. */
    public static Image rgb(byte[] pixels, int width, int height) { return new Image(width, height, 3, pixels); }

    /**
     * An image from floats in [0, 1] (clamped; NaN becomes 0), each scaled by 255 and rounded.
     */
    public static Image fromFloats(float[] values, int width, int height, int channels) {
        byte[] pixels = new byte[values.length];
        for (int i = 0; i < values.length; i++) pixels[i] = toByte(values[i]);
        return new Image(width, height, channels, pixels);
    }

    /**
     * Tiles a batch of images into a grid, left to right then top to bottom.
     *
     * @param batch {@code count * height * width * channels} floats in [0, 1] (NHWC, as a Keras
     *     batch), converted as by {@link #fromFloats}
     * @param columns tiles per row; the grid has {@code ceil(count / columns)} rows
     * @param padding black pixels between neighbouring tiles (none around the border)
     */
    public static Image tile(float[] batch, int count, int height, int width, int channels, int columns, int padding) {
        if (count <= 0 || columns <= 0 || padding < 0) {
            throw new IllegalArgumentException("count and columns must be positive and padding non-negative");
        }
        int tileSize = height * width * channels;
        if ((long) count * tileSize != batch.length) {
            throw new IllegalArgumentException("expected " + (long) count * tileSize + " values for " + count
                    + " images of " + height + "x" + width + "x" + channels + ", got " + batch.length);
        }
        int cols = Math.min(columns, count);
        int rows = (count + columns - 1) / columns;
        int gridWidth = Math.addExact(Math.multiplyExact(cols, width), (cols - 1) * padding);
        int gridHeight = Math.addExact(Math.multiplyExact(rows, height), (rows - 1) * padding);
        byte[] grid = new byte[Math.multiplyExact(Math.multiplyExact(gridWidth, gridHeight), channels)];
        for (int n = 0; n < count; n++) {
            int top = (n / columns) * (height + padding);
            int left = (n % columns) * (width + padding);
            for (int y = 0; y < height; y++) {
                int src = n * tileSize + y * width * channels;
                int dst = ((top + y) * gridWidth + left) * channels;
                for (int i = 0; i < width * channels; i++) grid[dst + i] = toByte(batch[src + i]);
            }
        }
        return new Image(gridWidth, gridHeight, channels, grid);
    }

    /** Encodes an image as PNG bytes. */
    public static byte[] encode(Image image) {
        Require.nonNull(image, "PngWriter.encode", "image");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(SIGNATURE);

        ByteBuffer ihdr = ByteBuffer.allocate(13);  // big-endian, as PNG is
        ihdr.putInt(image.width()).putInt(image.height());
        ihdr.put((byte) 8);                               // bit depth
        ihdr.put((byte) colorType(image.channels()));
        ihdr.put((byte) 0).put((byte) 0).put((byte) 0);   // deflate, adaptive filtering, no interlace
        chunk(out, "IHDR", ihdr.array());

        int stride = image.width() * image.channels();
        byte[] filtered = new byte[Math.multiplyExact(stride + 1, image.height())];
        for (int y = 0; y < image.height(); y++) {
            filtered[y * (stride + 1)] = 0;  // filter type None
            System.arraycopy(image.pixels(), y * stride, filtered, y * (stride + 1) + 1, stride);
        }
        chunk(out, "IDAT", deflate(filtered));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    /** Encodes {@code image} and writes it to {@code path} atomically. */
    public static void write(Path path, Image image) throws IOException {
        Require.nonNull(path, "PngWriter.write", "path");
        AtomicFiles.write(path, encode(image));
    }

    private static int colorType(int channels) {
        switch (channels) {
            case 1: return 0;  // grayscale
            case 2: return 4;  // grayscale + alpha
            case 3: return 2;  // truecolour
            default: return 6; // truecolour + alpha
        }
    }

    /** A chunk: big-endian length, type, data, CRC-32 of type and data. */
    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** zlib-wrapped deflate, as IDAT requires. */
    private static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
        try {
            deflater.setInput(data);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 64);
            byte[] buffer = new byte[8192];
            while (!deflater.finished()) {
                int n = deflater.deflate(buffer);
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    private static byte toByte(float v) {
        if (!(v > 0)) return 0;  // also NaN
        if (v >= 1) return (byte) 255;
        return (byte) Math.round(v * 255f);
    }
}
