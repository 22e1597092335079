package dev.weft.zoo.logging;

import dev.weft.zoo.util.Require;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.zip.CRC32C;

/**
 * Writes TensorBoard event files: scalars and PNG images, readable by {@code tensorboard --logdir}.
 *
 * <p>The file is {@code <logDir>/events.out.tfevents.<10-digit unix seconds>.<host>} (with a
 * {@code .<n>} suffix if that name is taken). It is a sequence of TFRecords, each framed as
 * {@code u64 LE length, u32 LE masked_crc32c(length bytes), data, u32 LE masked_crc32c(data)}
 * where {@code masked(crc) = ((crc >>> 15) | (crc << 17)) + 0xa282ead8} over CRC-32C. Each record
 * holds one {@code tensorflow.Event} protobuf, encoded by hand:
 * <ul>
 *   <li>first: {@code Event{wall_time=1 (double), file_version=3 "brain.Event:2"}};</li>
 *   <li>scalars: {@code Event{wall_time=1, step=2, summary=5 {value=1 {tag=1, simple_value=2}}}};</li>
 *   <li>images: {@code Summary.Value.image=4 {height=1, width=2, colorspace=3,
 *       encoded_image_string=4}} with PNG bytes.</li>
 * </ul>
 * As in proto3, a zero step is omitted from the encoding. Each record is written with a single
 * write to the file (no buffering in this class), so it reaches the operating system before the
 * method returns; {@link #flush()} additionally forces it to disk. Not thread-safe.
 *
 * <pre>{@code
 * try (TensorBoardWriter tb = new TensorBoardWriter(out.resolve("logs/train"))) {
 *     tb.addScalar("loss", 0.25f, epoch);
 *     tb.addImage("samples", PngWriter.tile(batch, 100, 28, 28, 1, 10, 0), epoch);
 * }
 * }</pre>
 */
public final class TensorBoardWriter implements Closeable {
    /** The file_version string TensorBoard expects in the first event. */
    public static final String FILE_VERSION = "brain.Event:2";

    private final Path file;
    private final FileChannel channel;
    private final DoubleSupplier clock;

    /**
     * Creates {@code logDir} if needed and a new event file in it, named with the current time and
     * this machine's host name, and writes the file-version event.
     */
    public TensorBoardWriter(Path logDir) throws IOException {
        this(Require.nonNull(logDir, "TensorBoardWriter", "logDir"), System.currentTimeMillis() / 1000, hostName(), () -> System.currentTimeMillis() / 1000.0);
    }

    /**
     * Package-private for tests: a fixed file time and host, and a clock giving each event's wall
     * time in seconds.
     */
    TensorBoardWriter(Path logDir, long fileSeconds, String host, DoubleSupplier clock) throws IOException {
        this.clock = clock;
        Files.createDirectories(logDir);
        String base = String.format("events.out.tfevents.%010d.%s", fileSeconds, sanitize(host));
        FileChannel opened = null;
        Path chosen = null;
        for (int attempt = 0; opened == null; attempt++) {
            chosen = logDir.resolve(attempt == 0 ? base : base + "." + attempt);
            try {
                opened = FileChannel.open(chosen, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 1000) throw e;
            }
        }
        this.file = chosen;
        this.channel = opened;
        try {
            writeEvent(new ProtoWriter().doubleField(1, clock.getAsDouble()).string(3, FILE_VERSION));
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    /** The event file being written. */
    public Path file() { return file; }

    /** Logs one scalar ({@code simple_value}, a float) under {@code tag} at {@code step}. */
    public void addScalar(String tag, float value, long step) throws IOException {
        Require.nonNull(tag, "TensorBoardWriter.addScalar", "tag");
        Map<String, Float> one = new LinkedHashMap<>();
        one.put(tag, value);
        addScalars(one, step);
    }

    /** Logs one scalar, rounded to float as TensorBoard's simple_value stores it. */
    public void addScalar(String tag, double value, long step) throws IOException {
        addScalar(tag, (float) value, step);
    }

    /**
     * Logs several scalars at one step as a single event (one summary value per entry, in the
     * map's order), e.g. all of an epoch's metrics.
     */
    public void addScalars(Map<String, ? extends Number> values, long step) throws IOException {
        Require.nonNull(values, "TensorBoardWriter.addScalars", "values");
        ProtoWriter summary = new ProtoWriter();
        for (Map.Entry<String, ? extends Number> e : values.entrySet()) {
            summary.message(1, new ProtoWriter().string(1, e.getKey()).floatField(2, e.getValue().floatValue()));
        }
        writeSummary(summary, step);
    }

    /**
     * Logs a PNG image.
     *
     * @param png encoded PNG bytes
     * @param channels 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA (TensorBoard's colorspace)
     */
    public void addImage(String tag, byte[] png, int height, int width, int channels, long step) throws IOException {
        Require.nonNull(tag, "TensorBoardWriter.addImage", "tag");
        Require.nonNull(png, "TensorBoardWriter.addImage", "png");
        if (channels < 1 || channels > 4) throw new IllegalArgumentException("channels must be 1 to 4, got " + channels);
        ProtoWriter image = new ProtoWriter();
        if (height != 0) image.int64(1, height);
        if (width != 0) image.int64(2, width);
        image.int64(3, channels).bytes(4, png);
        ProtoWriter value = new ProtoWriter().string(1, tag).message(4, image);
        writeSummary(new ProtoWriter().message(1, value), step);
    }

    /** Logs an image, encoding it as PNG. */
    public void addImage(String tag, PngWriter.Image image, long step) throws IOException {
        Require.nonNull(image, "TensorBoardWriter.addImage", "image");
        addImage(tag, PngWriter.encode(image), image.height(), image.width(), image.channels(), step);
    }

    /** Forces everything written so far to disk. */
    public void flush() throws IOException { channel.force(false); }

    /** Forces the file to disk and closes it. */
    @Override
    public void close() throws IOException {
        if (!channel.isOpen()) return;
        try {
            channel.force(false);
        } finally {
            channel.close();
        }
    }

    private void writeSummary(ProtoWriter summary, long step) throws IOException {
        ProtoWriter event = new ProtoWriter().doubleField(1, clock.getAsDouble());
        if (step != 0) event.int64(2, step);
        writeEvent(event.message(5, summary));
    }

    private void writeEvent(ProtoWriter event) throws IOException {
        ByteBuffer record = ByteBuffer.wrap(frame(event.toByteArray()));
        while (record.hasRemaining()) channel.write(record);
    }

    /** One TFRecord: length, masked CRC of the length, data, masked CRC of the data. */
    static byte[] frame(byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(8 + 4 + data.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(data.length);
        b.putInt(maskedCrc32c(b.array(), 0, 8));
        b.put(data);
        b.putInt(maskedCrc32c(data, 0, data.length));
        return b.array();
    }

    /** TFRecord's masked CRC-32C. */
    static int maskedCrc32c(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        int c = (int) crc.getValue();
        return ((c >>> 15) | (c << 17)) + 0xa282ead8;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException | RuntimeException e) {
            String env = System.getenv("HOSTNAME");
            return env != null && !env.isEmpty() ? env : "localhost";
        }
    }

    /** Keeps host names safe as part of a file name. */
    private static String sanitize(String host) {
        String s = host.replaceAll("[^A-Za-z0-9._-]", "_");
        return s.isEmpty() ? "localhost" : s;
    }
}
