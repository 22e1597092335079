package dev.weft.zoo.callbacks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * An independent reader of TensorBoard event files for the tests: TFRecord framing with both masked
 * CRC-32C checks, and just enough protobuf decoding for {@code Event{wall_time=1, step=2,
 * file_version=3, summary=5{value=1{tag=1, simple_value=2, image=4{height=1, width=2, colorspace=3,
 * encoded_image_string=4}}}}} (DESIGN.md §6, TensorFlow's event.proto / summary.proto numbers).
 */
final class EventFiles {
    private EventFiles() {}

    /** One summary value: a scalar (image null) or an image. */
    record Value(long step, String tag, float scalar, Image image) {}

    record Image(long height, long width, long colorspace, byte[] png) {}

    /** The single event file in {@code dir}. */
    static Path only(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> files = s.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents.")).toList();
            if (files.size() != 1) throw new AssertionError("expected one event file in " + dir + ", found " + files);
            return files.get(0);
        }
    }

    /** Every summary value of every event, after checking the framing and the first event's version. */
    static List<Value> read(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        List<Value> out = new ArrayList<>();
        boolean first = true;
        while (b.hasRemaining()) {
            byte[] lenBytes = new byte[8];
            b.get(lenBytes);
            long len = ByteBuffer.wrap(lenBytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (b.getInt() != masked(lenBytes)) throw new AssertionError("bad length CRC in " + file);
            byte[] data = new byte[(int) len];
            b.get(data);
            if (b.getInt() != masked(data)) throw new AssertionError("bad data CRC in " + file);
            if (first) {
                if (!"brain.Event:2".equals(stringField(data, 3))) throw new AssertionError("first event lacks file_version");
                first = false;
            } else {
                readEvent(data, out);
            }
        }
        return out;
    }

    static int masked(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length);
        int c = (int) crc.getValue();
        return ((c >>> 15) | (c << 17)) + 0xa282ead8;
    }

    private static void readEvent(byte[] event, List<Value> out) {
        long step = 0;
        List<byte[]> summaries = new ArrayList<>();
        for (Field f : fields(event)) {
            if (f.number == 2) step = f.varint;
            if (f.number == 5) summaries.add(f.bytes);
        }
        for (byte[] summary : summaries) {
            for (Field v : fields(summary)) {
                if (v.number != 1) continue;
                String tag = null;
                float scalar = Float.NaN;
                Image image = null;
                for (Field g : fields(v.bytes)) {
                    if (g.number == 1) tag = new String(g.bytes, StandardCharsets.UTF_8);
                    if (g.number == 2) scalar = Float.intBitsToFloat((int) g.fixed);
                    if (g.number == 4) {
                        long h = 0, w = 0, c = 0;
                        byte[] png = null;
                        for (Field i : fields(g.bytes)) {
                            if (i.number == 1) h = i.varint;
                            if (i.number == 2) w = i.varint;
                            if (i.number == 3) c = i.varint;
                            if (i.number == 4) png = i.bytes;
                        }
                        image = new Image(h, w, c, png);
                    }
                }
                out.add(new Value(step, tag, scalar, image));
            }
        }
    }

    private static String stringField(byte[] msg, int number) {
        for (Field f : fields(msg)) if (f.number == number) return new String(f.bytes, StandardCharsets.UTF_8);
        return null;
    }

    private record Field(int number, long varint, long fixed, byte[] bytes) {}

    private static List<Field> fields(byte[] msg) {
        List<Field> out = new ArrayList<>();
        int[] pos = {0};
        while (pos[0] < msg.length) {
            long key = varint(msg, pos);
            int number = (int) (key >>> 3), type = (int) (key & 7);
            switch (type) {
                case 0 -> out.add(new Field(number, varint(msg, pos), 0, null));
                case 1 -> { out.add(new Field(number, 0, le(msg, pos[0], 8), null)); pos[0] += 8; }
                case 5 -> { out.add(new Field(number, 0, le(msg, pos[0], 4), null)); pos[0] += 4; }
                case 2 -> {
                    int len = (int) varint(msg, pos);
                    byte[] b = new byte[len];
                    System.arraycopy(msg, pos[0], b, 0, len);
                    pos[0] += len;
                    out.add(new Field(number, 0, 0, b));
                }
                default -> throw new AssertionError("unexpected wire type " + type);
            }
        }
        return out;
    }

    private static long varint(byte[] b, int[] pos) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            int x = b[pos[0]++] & 0xff;
            v |= (long) (x & 0x7f) << shift;
            if (x < 0x80) return v;
        }
    }

    private static long le(byte[] b, int at, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) v = (v << 8) | (b[at + i] & 0xff);
        return v;
    }
}
