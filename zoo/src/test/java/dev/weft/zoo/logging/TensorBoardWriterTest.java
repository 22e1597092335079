package dev.weft.zoo.logging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorBoardWriterTest {
    @TempDir Path dir;

    // ------------------------------------------------------------------ independent CRC-32C and framing

    /** Bitwise CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), written out independently of the JDK. */
    static int crc32c(byte[] data) {
        int crc = 0xFFFFFFFF;
        for (byte b : data) {
            crc ^= b & 0xFF;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x82F63B78 : crc >>> 1;
        }
        return ~crc;
    }

    static int masked(int crc) {
        return Integer.rotateRight(crc, 15) + 0xA282EAD8;
    }

    static byte[] le64(long v) { return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array(); }

    static byte[] le32(int v) { return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array(); }

    static byte[] record(byte[] data) {
        byte[] length = le64(data.length);
        return concat(length, le32(masked(crc32c(length))), data, le32(masked(crc32c(data))));
    }

    @Test
    void crc32cMatchesTheStandardCheckValue() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0xE3069283, crc32c(check));
        CRC32C jdk = new CRC32C();
        jdk.update(check);
        assertEquals(0xE3069283L, jdk.getValue());
        assertEquals(masked(0xE3069283), TensorBoardWriter.maskedCrc32c(check, 0, check.length));
    }

    // ------------------------------------------------------------------ hand-checked bytes

    /**
     * The file for one scalar, built by hand from the spec:
     * Event{wall_time=1.5} with file_version, then Event{wall_time=1.5, step=3,
     * summary{value{tag="loss", simple_value=0.25}}}.
     */
    static byte[] expectedScalarFile() {
        byte[] wallTime = {0x09, 0, 0, 0, 0, 0, 0, (byte) 0xF8, 0x3F};  // field 1, fixed64: 1.5 = 0x3FF8000000000000 LE
        byte[] version = concat(wallTime,
                new byte[] {0x1A, 0x0D},                                // field 3, length-delimited, 13 bytes
                "brain.Event:2".getBytes(StandardCharsets.US_ASCII));
        byte[] value = {
            0x0A, 0x04, 'l', 'o', 's', 's',                             // Value.tag = 1
            0x15, 0x00, 0x00, (byte) 0x80, 0x3E,                        // Value.simple_value = 2, fixed32 0.25f = 0x3E800000 LE
        };
        byte[] summary = concat(new byte[] {0x0A, (byte) value.length}, value);        // Summary.value = 1
        byte[] scalar = concat(wallTime,
                new byte[] {0x10, 0x03},                                // field 2, varint: step 3
                new byte[] {0x2A, (byte) summary.length}, summary);     // field 5: summary
        assertEquals(24, version.length);
        assertEquals(26, scalar.length);
        return concat(record(version), record(scalar));
    }

    @Test
    void scalarEventBytesMatchTheHandBuiltFixture() throws IOException {
        Path file;
        try (TensorBoardWriter tb = new TensorBoardWriter(dir, 1764151200L, "testhost", () -> 1.5)) {
            tb.addScalar("loss", 0.25f, 3);
            file = tb.file();
        }
        assertEquals("events.out.tfevents.1764151200.testhost", file.getFileName().toString());
        byte[] written = Files.readAllBytes(file);
        assertArrayEquals(expectedScalarFile(), written);
        // the committed fixture holds the same bytes (decoded by protoc --decode_raw, see its README)
        assertArrayEquals(resource("scalar.tfevents"), written);
    }

    // ------------------------------------------------------------------ read back

    @Test
    void readsBackScalarsAndImagesWithValidCrcs() throws IOException {
        PngWriter.Image image = PngWriter.gray(new byte[] {0, 64, (byte) 128, (byte) 255, 1, 2}, 3, 2);
        double[] clock = {100.0};
        Path file;
        try (TensorBoardWriter tb = new TensorBoardWriter(dir, 100, "h o\\st", () -> clock[0]++)) {
            tb.addScalar("loss", 0.5f, 0);
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("accuracy", 0.75);
            metrics.put("val_loss", Double.NaN);
            tb.addScalars(metrics, 1L << 40);
            tb.addImage("samples", image, 7);
            tb.flush();
            file = tb.file();
        }
        assertEquals("events.out.tfevents.0000000100.h_o_st", file.getFileName().toString());

        List<byte[]> events = readRecords(Files.readAllBytes(file));
        assertEquals(4, events.size());

        Map<Integer, List<Object>> first = decode(events.get(0));
        assertEquals(100.0, first.get(1).get(0));
        assertEquals("brain.Event:2", new String((byte[]) first.get(3).get(0), StandardCharsets.UTF_8));

        Map<Integer, List<Object>> loss = decode(events.get(1));
        assertEquals(101.0, loss.get(1).get(0));
        assertTrue(!loss.containsKey(2), "step 0 is omitted, as proto3 does");
        Map<Integer, List<Object>> value = decode((byte[]) decode((byte[]) loss.get(5).get(0)).get(1).get(0));
        assertEquals("loss", new String((byte[]) value.get(1).get(0), StandardCharsets.UTF_8));
        assertEquals(0.5f, value.get(2).get(0));

        Map<Integer, List<Object>> two = decode(events.get(2));
        assertEquals(1L << 40, two.get(2).get(0));
        List<Object> values = decode((byte[]) two.get(5).get(0)).get(1);
        assertEquals(2, values.size());
        assertEquals("accuracy", new String((byte[]) decode((byte[]) values.get(0)).get(1).get(0), StandardCharsets.UTF_8));
        assertEquals(0.75f, decode((byte[]) values.get(0)).get(2).get(0));
        assertTrue(Float.isNaN((Float) decode((byte[]) values.get(1)).get(2).get(0)));

        Map<Integer, List<Object>> img = decode(events.get(3));
        assertEquals(7L, img.get(2).get(0));
        Map<Integer, List<Object>> imgValue = decode((byte[]) decode((byte[]) img.get(5).get(0)).get(1).get(0));
        assertEquals("samples", new String((byte[]) imgValue.get(1).get(0), StandardCharsets.UTF_8));
        Map<Integer, List<Object>> imageMsg = decode((byte[]) imgValue.get(4).get(0));
        assertEquals(2L, imageMsg.get(1).get(0));   // height
        assertEquals(3L, imageMsg.get(2).get(0));   // width
        assertEquals(1L, imageMsg.get(3).get(0));   // colorspace: grayscale
        assertArrayEquals(PngWriter.encode(image), (byte[]) imageMsg.get(4).get(0));
    }

    @Test
    void defaultConstructorNamesTheFileWithTimeAndHost() throws IOException {
        try (TensorBoardWriter a = new TensorBoardWriter(dir.resolve("logs/train"));
             TensorBoardWriter b = new TensorBoardWriter(dir, 5, "same", () -> 0);
             TensorBoardWriter c = new TensorBoardWriter(dir, 5, "same", () -> 0)) {
            assertTrue(a.file().getFileName().toString().matches("events\\.out\\.tfevents\\.\\d{10}\\.[A-Za-z0-9._-]+"),
                    a.file().toString());
            long seconds = Long.parseLong(a.file().getFileName().toString().split("\\.")[3]);
            assertTrue(Math.abs(seconds - System.currentTimeMillis() / 1000) < 60);
            assertNotEquals(b.file(), c.file(), "a second writer in the same second gets its own file");
            assertEquals(1, readRecords(Files.readAllBytes(a.file())).size());
        }
    }

    /**
     * Decodes Weft-written events with protoc (an independent protobuf implementation) against
     * TensorFlow's field numbers. Skipped where protoc is not installed (Debian: protobuf-compiler).
     */
    @Test
    void protocDecodesTheEvents() throws Exception {
        Path protoc = Path.of("/usr/bin/protoc");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(protoc), "protoc not installed");
        Path protoDir = Path.of(TensorBoardWriterTest.class.getResource("/tensorboard/event_subset.proto").toURI()).getParent();
        Path file;
        try (TensorBoardWriter tb = new TensorBoardWriter(dir, 1, "h", () -> 2.5)) {
            tb.addScalars(Map.of("acc", 0.5f), 1L << 40);
            tb.addImage("grid", PngWriter.gray(new byte[] {1, 2, 3, 4, 5, 6}, 3, 2), 9);
            file = tb.file();
        }
        List<String> decoded = new ArrayList<>();
        for (byte[] event : readRecords(Files.readAllBytes(file))) {
            Process p = new ProcessBuilder(protoc.toString(), "--proto_path=" + protoDir, "--decode=tensorflow.Event",
                    "event_subset.proto").redirectErrorStream(true).start();
            try (var in = p.getOutputStream()) {
                in.write(event);
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), out);
            decoded.add(out.replaceAll("\\s+", " ").trim());
        }
        assertEquals("wall_time: 2.5 file_version: \"brain.Event:2\"", decoded.get(0));
        assertEquals("wall_time: 2.5 step: 1099511627776 summary { value { tag: \"acc\" simple_value: 0.5 } }", decoded.get(1));
        assertTrue(decoded.get(2).startsWith("wall_time: 2.5 step: 9 summary { value { tag: \"grid\" image { height: 2 width: 3 "
                + "colorspace: 1 encoded_image_string: \"\\211PNG"), decoded.get(2));
    }

    // ------------------------------------------------------------------ a small reader

    /** Splits a TFRecord file into its payloads, checking both masked CRCs of every record. */
    static List<byte[]> readRecords(byte[] file) {
        List<byte[]> out = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            byte[] lengthBytes = new byte[8];
            b.get(lengthBytes);
            long length = ByteBuffer.wrap(lengthBytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
            assertEquals(masked(crc32c(lengthBytes)), b.getInt(), "length CRC");
            byte[] data = new byte[(int) length];
            b.get(data);
            assertEquals(masked(crc32c(data)), b.getInt(), "data CRC");
            out.add(data);
        }
        return out;
    }

    /**
     * Decodes one protobuf message into field number to values: Long for varints, Double for
     * fixed64 (every fixed64 in Event is a double), Float for fixed32, byte[] for length-delimited.
     */
    static Map<Integer, List<Object>> decode(byte[] message) {
        Map<Integer, List<Object>> fields = new LinkedHashMap<>();
        ByteBuffer b = ByteBuffer.wrap(message).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            long key = varint(b);
            int field = (int) (key >>> 3);
            Object v;
            switch ((int) (key & 7)) {
                case 0: v = varint(b); break;
                case 1: v = b.getDouble(); break;
                case 2: {
                    byte[] bytes = new byte[(int) varint(b)];
                    b.get(bytes);
                    v = bytes;
                    break;
                }
                case 5: v = b.getFloat(); break;
                default: throw new AssertionError("unexpected wire type in key " + key);
            }
            fields.computeIfAbsent(field, k -> new ArrayList<>()).add(v);
        }
        return fields;
    }

    private static long varint(ByteBuffer b) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            byte x = b.get();
            v |= (long) (x & 0x7F) << shift;
            if (x >= 0) return v;
        }
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = TensorBoardWriterTest.class.getResourceAsStream("/tensorboard/" + name)) {
            if (in == null) throw new IOException("missing test resource " + name);
            return in.readAllBytes();
        }
    }
}
