package dev.weft.zoo.logging;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A minimal protocol-buffers encoder: just the wire types TensorBoard events need.
 *
 * <p>Wire format: each field is a key {@code (fieldNumber << 3) | wireType} as a varint, then the
 * value: varint (type 0) for int32/int64, 8 little-endian bytes (type 1) for double, a varint
 * length and the bytes (type 2) for strings, bytes and nested messages, 4 little-endian bytes
 * (type 5) for float. Fields are written in the order the caller writes them.
 */
final class ProtoWriter {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** A varint field (int32, int64; negative values take ten bytes, as in protobuf). */
    ProtoWriter int64(int field, long value) {
        key(field, VARINT);
        varint(value);
        return this;
    }

    /** A double field. */
    ProtoWriter doubleField(int field, double value) {
        key(field, FIXED64);
        fixed64(Double.doubleToLongBits(value));
        return this;
    }

    /** A float field. */
    ProtoWriter floatField(int field, float value) {
        key(field, FIXED32);
        fixed32(Float.floatToIntBits(value));
        return this;
    }

    /** A string field, UTF-8. */
    ProtoWriter string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    /** A bytes field. */
    ProtoWriter bytes(int field, byte[] value) {
        key(field, LENGTH_DELIMITED);
        varint(value.length);
        out.write(value, 0, value.length);
        return this;
    }

    /** A nested message field. */
    ProtoWriter message(int field, ProtoWriter message) {
        return bytes(field, message.toByteArray());
    }

    byte[] toByteArray() { return out.toByteArray(); }

    private void key(int field, int wireType) { varint(((long) field << 3) | wireType); }

    private void varint(long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private void fixed32(int v) {
        for (int i = 0; i < 4; i++) out.write(v >>> (8 * i));
    }

    private void fixed64(long v) {
        for (int i = 0; i < 8; i++) out.write((int) (v >>> (8 * i)));
    }
}
