package dev.weft.engine.io;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The safetensors layout: header parsing and validation, element conversion, header encoding.
 *
 * <p>Validation happens entirely on the header, against the size of the input, before any tensor
 * array is allocated: the only allocations sized by the input before that are the header itself
 * (at most {@link Safetensors#MAX_HEADER_LENGTH} bytes and never more than the input holds).
 */
final class SafetensorsCodec {
    private SafetensorsCodec() {}

    /** Largest array Java reliably allocates; also Weft's element-count limit. */
    static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private static final Set<String> ENTRY_FIELDS = Set.of("dtype", "shape", "data_offsets");
    static final String METADATA_KEY = "__metadata__";

    /** Random-access input: a file or a byte array. */
    interface Source {
        /** The name used in error messages. */
        String name();

        long size() throws IOException;

        /** Reads exactly {@code len} bytes at {@code position}; EOFException if the input is shorter. */
        void read(long position, byte[] dst, int off, int len) throws IOException;
    }

    static Source of(byte[] bytes) {
        return new Source() {
            @Override public String name() { return "<bytes>"; }
            @Override public long size() { return bytes.length; }
            @Override public void read(long position, byte[] dst, int off, int len) throws IOException {
                if (position < 0 || position + len > bytes.length) throw new EOFException();
                System.arraycopy(bytes, (int) position, dst, off, len);
            }
        };
    }

    static Source of(FileChannel channel, String name) {
        return new Source() {
            @Override public String name() { return name; }
            @Override public long size() throws IOException { return channel.size(); }
            @Override public void read(long position, byte[] dst, int off, int len) throws IOException {
                ByteBuffer buffer = ByteBuffer.wrap(dst, off, len);
                long p = position;
                while (buffer.hasRemaining()) {
                    int n = channel.read(buffer, p);
                    if (n < 0) throw new EOFException();
                    p += n;
                }
            }
        };
    }

    /** One validated header entry; offsets are relative to the start of the data section. */
    record TensorInfo(String name, SafetensorsDtype dtype, int[] shape, long begin, long end) {
        int byteLength() { return (int) (end - begin); }
    }

    /** A validated header. */
    record Header(List<TensorInfo> tensors, Map<String, String> metadata, long dataStart) {}

    /** Reads and validates the header of {@code src}; throws SafetensorsException naming the problem. */
    static Header readHeader(Source src) throws IOException {
        long size = src.size();
        if (size < 8) throw fail(src, "file is " + size + " bytes, shorter than the 8-byte header length");
        byte[] lengthBytes = new byte[8];
        readOrFail(src, 0, lengthBytes);
        long n = ByteBuffer.wrap(lengthBytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (n < 0 || n > Safetensors.MAX_HEADER_LENGTH) {
            throw fail(src, "header length " + Long.toUnsignedString(n) + " exceeds the limit of "
                    + Safetensors.MAX_HEADER_LENGTH + " bytes");
        }
        if (n > size - 8) {
            throw fail(src, "header length " + n + " runs past the end of the file (" + size + " bytes)");
        }
        byte[] headerBytes = new byte[(int) n];
        readOrFail(src, 8, headerBytes);
        long dataLength = size - 8 - n;

        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(headerBytes)).toString();
        } catch (CharacterCodingException e) {
            throw fail(src, "header is not valid UTF-8");
        }
        Object root;
        try {
            root = Json.parse(text);
        } catch (Json.JsonException e) {
            throw fail(src, "malformed header JSON: " + e.getMessage());
        }
        if (!(root instanceof Map)) throw fail(src, "header is not a JSON object");

        List<TensorInfo> tensors = new ArrayList<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) root).entrySet()) {
            String key = (String) e.getKey();
            if (key.equals(METADATA_KEY)) {
                readMetadata(src, e.getValue(), metadata);
            } else {
                tensors.add(readEntry(src, key, e.getValue(), dataLength));
            }
        }
        checkLayout(src, tensors, dataLength);
        return new Header(Collections.unmodifiableList(tensors), Collections.unmodifiableMap(metadata), 8 + n);
    }

    private static void readMetadata(Source src, Object value, Map<String, String> out) throws SafetensorsException {
        if (!(value instanceof Map)) throw fail(src, "\"__metadata__\" is not a JSON object");
        for (Map.Entry<?, ?> m : ((Map<?, ?>) value).entrySet()) {
            if (!(m.getValue() instanceof String)) {
                throw fail(src, "metadata value for \"" + m.getKey() + "\" is not a string");
            }
            out.put((String) m.getKey(), (String) m.getValue());
        }
    }

    private static TensorInfo readEntry(Source src, String name, Object value, long dataLength)
            throws SafetensorsException {
        String where = "tensor \"" + name + "\"";
        if (!(value instanceof Map)) throw fail(src, where + ": entry is not a JSON object");
        Map<?, ?> fields = (Map<?, ?>) value;
        for (Object k : fields.keySet()) {
            if (!ENTRY_FIELDS.contains(k)) throw fail(src, where + ": unknown field \"" + k + "\"");
        }
        for (String k : ENTRY_FIELDS) {
            if (!fields.containsKey(k)) throw fail(src, where + ": missing field \"" + k + "\"");
        }

        Object dtypeValue = fields.get("dtype");
        if (!(dtypeValue instanceof String)) throw fail(src, where + ": dtype is not a string");
        SafetensorsDtype dtype = SafetensorsDtype.fromHeaderName((String) dtypeValue);
        if (dtype == null) throw fail(src, where + ": unknown or unsupported dtype \"" + dtypeValue + "\"");

        if (!(fields.get("shape") instanceof List)) throw fail(src, where + ": shape is not an array");
        List<?> shapeList = (List<?>) fields.get("shape");
        int[] shape = new int[shapeList.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            long d = nonNegative(shapeList.get(i));
            if (d < 0 || d > Integer.MAX_VALUE) {
                throw fail(src, where + ": shape entry " + shapeList.get(i) + " is not a non-negative int");
            }
            shape[i] = (int) d;
            count *= d;  // both factors <= 2^31 - 1 after the check below, so no overflow
            if (count > MAX_ARRAY) throw fail(src, where + ": shape " + shapeList + " has too many elements");
        }

        if (!(fields.get("data_offsets") instanceof List)) throw fail(src, where + ": data_offsets is not an array");
        List<?> offsets = (List<?>) fields.get("data_offsets");
        if (offsets.size() != 2) throw fail(src, where + ": data_offsets must hold exactly two numbers");
        long begin = nonNegative(offsets.get(0));
        long end = nonNegative(offsets.get(1));
        if (begin < 0 || end < 0) throw fail(src, where + ": data_offsets " + offsets + " are not non-negative integers");
        if (begin > end) throw fail(src, where + ": data_offsets " + offsets + " end before they begin");
        if (end > dataLength) {
            throw fail(src, where + ": data_offsets " + offsets + " run past the data section (" + dataLength + " bytes)");
        }
        long expected = count * dtype.byteSize();
        if (end - begin != expected) {
            throw fail(src, where + ": " + (end - begin) + " data bytes, but shape " + shapeList + " of " + dtype
                    + " needs " + expected);
        }
        if (expected > MAX_ARRAY) throw fail(src, where + ": " + expected + " bytes is too large for this reader");
        return new TensorInfo(name, dtype, shape, begin, end);
    }

    /** The tensors must tile the data section exactly: sorted by offset, no gaps, no overlaps. */
    private static void checkLayout(Source src, List<TensorInfo> tensors, long dataLength) throws SafetensorsException {
        List<TensorInfo> sorted = new ArrayList<>(tensors);
        sorted.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        long expected = 0;
        String previous = null;
        for (TensorInfo t : sorted) {
            if (t.begin() != expected) {
                String what = t.begin() > expected ? "a gap" : "an overlap";
                throw fail(src, "tensor \"" + t.name() + "\" starts at byte " + t.begin() + " but "
                        + (previous == null ? "the data section starts at 0" : "\"" + previous + "\" ends at " + expected)
                        + " (" + what + ")");
            }
            expected = t.end();
            previous = t.name();
        }
        if (expected != dataLength) {
            throw fail(src, "tensor data ends at byte " + expected + " but the data section is " + dataLength + " bytes");
        }
    }

    private static long nonNegative(Object v) {
        return v instanceof Json.Num ? ((Json.Num) v).asNonNegativeLong() : -1;
    }

    /** Reads the raw little-endian bytes of one tensor. */
    static byte[] readData(Source src, Header header, TensorInfo t) throws IOException {
        byte[] raw = new byte[t.byteLength()];
        readOrFail(src, header.dataStart() + t.begin(), raw);
        return raw;
    }

    private static void readOrFail(Source src, long position, byte[] dst) throws IOException {
        try {
            src.read(position, dst, 0, dst.length);
        } catch (EOFException e) {
            throw fail(src, "file ended early (was it truncated while being read?)");
        }
    }

    static SafetensorsException fail(Source src, String problem) {
        return new SafetensorsException(src.name() + ": " + problem);
    }

    // ---------------------------------------------------------------- element conversion

    /** Converts raw little-endian elements of {@code dtype} to floats (nearest float for wider types). */
    static float[] toFloats(SafetensorsDtype dtype, byte[] raw) {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        int n = raw.length / dtype.byteSize();
        float[] out = new float[n];
        switch (dtype) {
            case F32: b.asFloatBuffer().get(out); break;
            case F64: for (int i = 0; i < n; i++) out[i] = (float) b.getDouble(i * 8); break;
            case F16: for (int i = 0; i < n; i++) out[i] = halfToFloat(b.getShort(i * 2)); break;
            case BF16: for (int i = 0; i < n; i++) out[i] = Float.intBitsToFloat((b.getShort(i * 2) & 0xffff) << 16); break;
            case F8_E5M2: for (int i = 0; i < n; i++) out[i] = halfToFloat((short) ((raw[i] & 0xff) << 8)); break;
            case F8_E4M3: for (int i = 0; i < n; i++) out[i] = e4m3ToFloat(raw[i]); break;
            case U64:
                for (int i = 0; i < n; i++) out[i] = unsignedLongToFloat(b.getLong(i * 8));
                break;
            default: {
                long[] longs = toLongs(dtype, raw);
                for (int i = 0; i < n; i++) out[i] = (float) longs[i];
            }
        }
        return out;
    }

    /**
     * Converts raw little-endian integer elements to longs; {@code BOOL} gives 0 or 1.
     *
     * @throws IllegalStateException for a floating dtype, or a U64 value above Long.MAX_VALUE
     */
    static long[] toLongs(SafetensorsDtype dtype, byte[] raw) {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        int n = raw.length / dtype.byteSize();
        long[] out = new long[n];
        switch (dtype) {
            case BOOL: for (int i = 0; i < n; i++) out[i] = raw[i] != 0 ? 1 : 0; break;
            case U8: for (int i = 0; i < n; i++) out[i] = raw[i] & 0xff; break;
            case I8: for (int i = 0; i < n; i++) out[i] = raw[i]; break;
            case I16: for (int i = 0; i < n; i++) out[i] = b.getShort(i * 2); break;
            case U16: for (int i = 0; i < n; i++) out[i] = b.getShort(i * 2) & 0xffff; break;
            case I32: for (int i = 0; i < n; i++) out[i] = b.getInt(i * 4); break;
            case U32: for (int i = 0; i < n; i++) out[i] = b.getInt(i * 4) & 0xffffffffL; break;
            case I64: b.asLongBuffer().get(out); break;
            case U64:
                b.asLongBuffer().get(out);
                for (long v : out) {
                    if (v < 0) throw new IllegalStateException("U64 value " + Long.toUnsignedString(v) + " does not fit in a long");
                }
                break;
            default: throw new IllegalStateException(dtype + " is not an integer dtype");
        }
        return out;
    }

    /** IEEE 754 binary16 to float (exact: every half is a float). */
    static float halfToFloat(short bits) {
        int h = bits & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));  // inf or NaN
        if (exp == 0) {
            float magnitude = mant * 0x1p-24f;  // subnormal (or zero): mant * 2^-24, exact
            return sign != 0 ? -magnitude : magnitude;
        }
        return Float.intBitsToFloat(sign | ((exp + 127 - 15) << 23) | (mant << 13));
    }

    /** OCP FP8 E4M3 ("e4m3fn": bias 7, no infinities, S.1111.111 is NaN) to float. */
    static float e4m3ToFloat(byte bits) {
        int v = bits & 0xff;
        boolean negative = (v & 0x80) != 0;
        int exp = (v >>> 3) & 0xf;
        int mant = v & 0x7;
        float magnitude;
        if (exp == 0xf && mant == 0x7) return Float.NaN;
        if (exp == 0) magnitude = mant * 0x1p-9f;  // subnormal: mant/8 * 2^-6
        else magnitude = (1 + mant / 8f) * Math.scalb(1f, exp - 7);
        return negative ? -magnitude : magnitude;
    }

    private static float unsignedLongToFloat(long v) {
        if (v >= 0) return (float) v;
        // halve with round-to-odd so the final rounding to float is still correct
        return ((float) ((v >>> 1) | (v & 1))) * 2f;
    }

    // ---------------------------------------------------------------- header encoding

    /** One tensor to write: its dtype, shape and raw little-endian bytes. */
    record Outgoing(String name, SafetensorsDtype dtype, int[] shape, byte[] data) {}

    /**
     * The header bytes (UTF-8 JSON padded with spaces to a multiple of 8) for {@code tensors} laid
     * out in the given order, with {@code __metadata__} first when there is any metadata.
     */
    static byte[] encodeHeader(List<Outgoing> tensors, Map<String, String> metadata) throws SafetensorsException {
        StringBuilder sb = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            Json.quote(sb, METADATA_KEY).append(":{");
            boolean first = true;
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                if (!first) sb.append(',');
                first = false;
                Json.quote(sb, e.getKey()).append(':');
                Json.quote(sb, e.getValue());
            }
            sb.append('}');
            if (!tensors.isEmpty()) sb.append(',');
        }
        long offset = 0;
        for (int i = 0; i < tensors.size(); i++) {
            Outgoing t = tensors.get(i);
            if (i > 0) sb.append(',');
            Json.quote(sb, t.name()).append(":{\"dtype\":\"").append(t.dtype().name()).append("\",\"shape\":[");
            for (int d = 0; d < t.shape().length; d++) {
                if (d > 0) sb.append(',');
                sb.append(t.shape()[d]);
            }
            long end = offset + t.data().length;
            sb.append("],\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
            offset = end;
        }
        sb.append('}');
        ByteBuffer utf8;
        try {
            utf8 = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(sb));
        } catch (CharacterCodingException e) {
            throw new SafetensorsException("a tensor name or metadata string is not valid Unicode (lone surrogate)");
        }
        int length = utf8.remaining();
        int padded = (length + 7) / 8 * 8;
        if (padded > Safetensors.MAX_HEADER_LENGTH) {
            throw new SafetensorsException("header would be " + padded + " bytes, over the limit of "
                    + Safetensors.MAX_HEADER_LENGTH + " that readers accept");
        }
        byte[] out = new byte[padded];
        utf8.get(out, 0, length);
        for (int i = length; i < padded; i++) out[i] = ' ';
        return out;
    }

    static byte[] littleEndianLong(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }
}
