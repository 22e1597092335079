package dev.weft.engine.io;

import dev.weft.engine.IntTensor;
import dev.weft.engine.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An in-memory safetensors document: named tensors of any {@link SafetensorsDtype} (kept as their
 * raw little-endian bytes) plus a {@code __metadata__} string map.
 *
 * <p>Reading ({@link #read(Path)}, {@link #decode(byte[])}) validates the whole header before
 * allocating any tensor (see {@link Safetensors} for the rules) and keeps the tensors in header
 * order. Writing keeps insertion order: the data section lays the tensors out in the order they were
 * {@code put}, and the header lists {@code __metadata__} first (when non-empty), then the tensors in
 * that same order. Putting an existing name replaces its data but keeps its position. Use a
 * {@link java.util.TreeMap} upstream if you want sorted names.
 *
 * <pre>{@code
 * SafetensorsFile f = new SafetensorsFile()
 *         .put("dense.kernel", kernel)             // F32
 *         .put("labels", IntTensor.of(...))       // I32
 *         .putLongs("optimizer.step", new long[] {1200})   // I64 scalar
 *         .putMetadata("format", "weft");
 * f.write(Path.of("model.safetensors"));          // atomic
 * Tensor k = SafetensorsFile.read(Path.of("model.safetensors")).tensor("dense.kernel");
 * }</pre>
 *
 * <p>Not thread-safe.
 */
public final class SafetensorsFile {
    private record Entry(SafetensorsDtype dtype, int[] shape, byte[] data) {}

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    /** An empty document. */
    public SafetensorsFile() {}

    // ---------------------------------------------------------------- reading

    /**
     * Reads and validates a safetensors file, loading every tensor's bytes.
     *
     * @throws SafetensorsException if the file is malformed (the message names file and problem)
     * @throws IOException if the file cannot be read
     */
    public static SafetensorsFile read(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            return from(SafetensorsCodec.of(channel, path.toString()));
        }
    }

    /**
     * Decodes and validates safetensors bytes.
     *
     * @throws SafetensorsException if the bytes are not a valid safetensors file
     */
    public static SafetensorsFile decode(byte[] bytes) throws SafetensorsException {
        try {
            return from(SafetensorsCodec.of(bytes));
        } catch (SafetensorsException e) {
            throw e;
        } catch (IOException e) {
            throw new SafetensorsException("<bytes>: " + e.getMessage(), e);  // not reached: arrays do no I/O
        }
    }

    private static SafetensorsFile from(SafetensorsCodec.Source src) throws IOException {
        SafetensorsCodec.Header header = SafetensorsCodec.readHeader(src);
        SafetensorsFile file = new SafetensorsFile();
        file.metadata.putAll(header.metadata());
        for (SafetensorsCodec.TensorInfo t : header.tensors()) {
            byte[] data = SafetensorsCodec.readData(src, header, t);
            file.entries.put(t.name(), new Entry(t.dtype(), t.shape(), data));
        }
        return file;
    }

    // ---------------------------------------------------------------- building

    /** Adds (or replaces) an F32 tensor holding a row-major copy of {@code tensor}. */
    public SafetensorsFile put(String name, Tensor tensor) {
        float[] values = tensor.toFloatArray();
        ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(values.length, 4)).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return putRaw(name, SafetensorsDtype.F32, tensor.shape(), b.array());
    }

    /** Adds (or replaces) an I32 tensor holding a copy of {@code tensor}. */
    public SafetensorsFile put(String name, IntTensor tensor) {
        int[] values = tensor.data();
        ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(values.length, 4)).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(values);
        return putRaw(name, SafetensorsDtype.I32, tensor.shape(), b.array());
    }

    /**
     * Adds (or replaces) an I64 tensor, e.g. a step counter.
     *
     * @param shape the shape; empty (the default) for a scalar, which then needs exactly one value
     */
    public SafetensorsFile putLongs(String name, long[] values, int... shape) {
        ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(values.length, 8)).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return putRaw(name, SafetensorsDtype.I64, shape, b.array());
    }

    /**
     * Adds (or replaces) a tensor from raw little-endian bytes (copied).
     *
     * @throws IllegalArgumentException if the name is {@code __metadata__}, a size is negative, or
     *     the byte count is not the element count times the dtype size
     */
    public SafetensorsFile putRaw(String name, SafetensorsDtype dtype, int[] shape, byte[] littleEndianData) {
        if (name == null || dtype == null || shape == null || littleEndianData == null) {
            throw new IllegalArgumentException("null argument");
        }
        if (name.equals(SafetensorsCodec.METADATA_KEY)) {
            throw new IllegalArgumentException("\"__metadata__\" is reserved and cannot name a tensor");
        }
        long count = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative size in shape of \"" + name + "\"");
            count = Math.multiplyExact(count, d);
        }
        if (count * dtype.byteSize() != littleEndianData.length) {
            throw new IllegalArgumentException("tensor \"" + name + "\": " + littleEndianData.length
                    + " bytes given, shape needs " + count * dtype.byteSize());
        }
        entries.put(name, new Entry(dtype, shape.clone(), littleEndianData.clone()));
        return this;
    }

    /** Adds (or replaces) one {@code __metadata__} entry. */
    public SafetensorsFile putMetadata(String key, String value) {
        if (key == null || value == null) throw new IllegalArgumentException("null metadata key or value");
        metadata.put(key, value);
        return this;
    }

    /** Removes a tensor; returns whether it was present. */
    public boolean remove(String name) { return entries.remove(name) != null; }

    // ---------------------------------------------------------------- access

    /** The {@code __metadata__} map (read-only view, in order). */
    public Map<String, String> metadata() { return Collections.unmodifiableMap(metadata); }

    /** The tensor names in order (read-only view). */
    public Set<String> names() { return Collections.unmodifiableSet(entries.keySet()); }

    /** Whether a tensor of this name is present. */
    public boolean contains(String name) { return entries.containsKey(name); }

    /** The dtype of a tensor. @throws IllegalArgumentException if absent */
    public SafetensorsDtype dtype(String name) { return entry(name).dtype(); }

    /** A copy of a tensor's shape. @throws IllegalArgumentException if absent */
    public int[] shape(String name) { return entry(name).shape().clone(); }

    /** A copy of a tensor's raw little-endian bytes. @throws IllegalArgumentException if absent */
    public byte[] rawBytes(String name) { return entry(name).data().clone(); }

    /**
     * A tensor as a float {@link Tensor}: F32 as is, other floating dtypes converted exactly
     * (F64 to the nearest float), integer and BOOL values converted to the nearest float (exact up
     * to 2^24 in magnitude).
     *
     * @throws IllegalArgumentException if absent
     */
    public Tensor tensor(String name) {
        Entry e = entry(name);
        return Tensor.of(SafetensorsCodec.toFloats(e.dtype(), e.data()), e.shape().clone());
    }

    /**
     * An integer tensor as an {@link IntTensor}, exactly.
     *
     * @throws IllegalArgumentException if absent
     * @throws IllegalStateException if the dtype is floating, or a value does not fit in an int
     */
    public IntTensor intTensor(String name) {
        long[] longs = longs(name);
        int[] ints = new int[longs.length];
        for (int i = 0; i < longs.length; i++) {
            if (longs[i] != (int) longs[i]) {
                throw new IllegalStateException("tensor \"" + name + "\": value " + longs[i] + " does not fit in an int");
            }
            ints[i] = (int) longs[i];
        }
        return IntTensor.of(ints, entry(name).shape().clone());
    }

    /**
     * An integer tensor's values as longs, row-major, exactly; BOOL gives 0 or 1.
     *
     * @throws IllegalArgumentException if absent
     * @throws IllegalStateException if the dtype is floating, or a U64 value exceeds Long.MAX_VALUE
     */
    public long[] longs(String name) {
        Entry e = entry(name);
        return SafetensorsCodec.toLongs(e.dtype(), e.data());
    }

    /** Every tensor converted as by {@link #tensor(String)}, in order. */
    public Map<String, Tensor> tensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String name : entries.keySet()) out.put(name, tensor(name));
        return out;
    }

    private Entry entry(String name) {
        Entry e = entries.get(name);
        if (e == null) throw new IllegalArgumentException("no tensor named \"" + name + "\"");
        return e;
    }

    // ---------------------------------------------------------------- writing

    /** A step run by tests in the middle of a write. */
    interface IoAction {
        void run() throws IOException;
    }

    /**
     * Encodes this document to bytes.
     *
     * @throws SafetensorsException if the header would exceed the reader limit, a string is not
     *     valid Unicode, or the whole does not fit in a byte array
     */
    public byte[] encode() throws SafetensorsException {
        List<SafetensorsCodec.Outgoing> outgoing = outgoing();
        byte[] header = SafetensorsCodec.encodeHeader(outgoing, metadata);
        long total = 8L + header.length;
        for (SafetensorsCodec.Outgoing t : outgoing) total += t.data().length;
        if (total > SafetensorsCodec.MAX_ARRAY) {
            throw new SafetensorsException(total + " bytes do not fit in a byte array; write to a file instead");
        }
        ByteBuffer out = ByteBuffer.allocate((int) total);
        out.put(SafetensorsCodec.littleEndianLong(header.length)).put(header);
        for (SafetensorsCodec.Outgoing t : outgoing) out.put(t.data());
        return out.array();
    }

    /**
     * Writes this document to {@code path} atomically (see {@link AtomicFiles}): on any failure the
     * previous file, if there was one, is left as it was.
     *
     * @throws SafetensorsException if the header would exceed the reader limit or a string is not
     *     valid Unicode
     * @throws IOException if writing fails
     */
    public void write(Path path) throws IOException {
        write(path, () -> { });
    }

    /** {@link #write(Path)} running {@code afterHeader} between the header and the data (tests). */
    void write(Path path, IoAction afterHeader) throws IOException {
        List<SafetensorsCodec.Outgoing> outgoing = outgoing();
        byte[] header = SafetensorsCodec.encodeHeader(outgoing, metadata);
        AtomicFiles.write(path, (WritableByteChannel channel) -> {
            AtomicFiles.writeFully(channel, ByteBuffer.wrap(SafetensorsCodec.littleEndianLong(header.length)));
            AtomicFiles.writeFully(channel, ByteBuffer.wrap(header));
            afterHeader.run();
            for (SafetensorsCodec.Outgoing t : outgoing) AtomicFiles.writeFully(channel, ByteBuffer.wrap(t.data()));
        });
    }

    private List<SafetensorsCodec.Outgoing> outgoing() {
        List<SafetensorsCodec.Outgoing> list = new ArrayList<>(entries.size());
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            Entry v = e.getValue();
            list.add(new SafetensorsCodec.Outgoing(e.getKey(), v.dtype(), v.shape(), v.data()));
        }
        return list;
    }
}
