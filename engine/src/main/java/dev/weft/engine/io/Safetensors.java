package dev.weft.engine.io;

import dev.weft.engine.Tensor;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes the safetensors format: {@code [u64 LE header length N][N bytes UTF-8 JSON
 * header][raw little-endian data]}, the header mapping each tensor name to
 * {@code {"dtype": .., "shape": [..], "data_offsets": [begin, end]}} (offsets relative to the data
 * section) plus an optional {@code "__metadata__"} object of strings.
 *
 * <p><b>Reading</b> rejects, with a {@link SafetensorsException} naming the file and the problem,
 * before allocating any tensor: N over {@link #MAX_HEADER_LENGTH} or past the end of the file; a
 * header that is not UTF-8 or not strict JSON (duplicate keys included); an entry that is not
 * exactly {@code dtype}, {@code shape}, {@code data_offsets}; an unknown dtype; negative,
 * fractional or oversized sizes or offsets; a byte range that is not the element count times the
 * dtype size; tensors that do not tile the data section exactly (a gap, an overlap, or a last end
 * other than the data length); non-string metadata. Tensors come back in header order.
 *
 * <p><b>Writing</b> stores {@link Tensor}s as F32 in the map's iteration order (pass a
 * {@link java.util.TreeMap} for sorted names), pads the header JSON with spaces to a multiple of 8,
 * and replaces the target file atomically. For I32/I64 tensors and dtype-level access use
 * {@link SafetensorsFile}.
 */
public final class Safetensors {
    private Safetensors() {}

    /** The largest header length accepted, in bytes (the reference implementation's limit). */
    public static final long MAX_HEADER_LENGTH = 100_000_000L;

    /**
     * Reads every tensor of a safetensors file as a float tensor (other dtypes converted as by
     * {@link SafetensorsFile#tensor(String)}), in header order. Tensors are read one at a time,
     * so the peak memory is about the result plus the largest single tensor.
     *
     * @throws SafetensorsException if the file is malformed
     * @throws IOException if it cannot be read
     */
    public static Map<String, Tensor> read(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            SafetensorsCodec.Source src = SafetensorsCodec.of(channel, path.toString());
            SafetensorsCodec.Header header = SafetensorsCodec.readHeader(src);
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (SafetensorsCodec.TensorInfo t : header.tensors()) {
                float[] values = SafetensorsCodec.toFloats(t.dtype(), SafetensorsCodec.readData(src, header, t));
                out.put(t.name(), Tensor.of(values, t.shape().clone()));
            }
            return out;
        }
    }

    /** Reads a file with its metadata and dtypes; see {@link SafetensorsFile#read(Path)}. */
    public static SafetensorsFile readFile(Path path) throws IOException {
        return SafetensorsFile.read(path);
    }

    /** Decodes safetensors bytes to float tensors in header order. */
    public static Map<String, Tensor> decode(byte[] bytes) throws SafetensorsException {
        return SafetensorsFile.decode(bytes).tensors();
    }

    /**
     * Writes {@code tensors} as F32 with {@code metadata} to {@code path}, atomically.
     *
     * @param metadata the {@code __metadata__} map; may be empty (then the header has none)
     * @throws SafetensorsException if the header would be too large or a string is not valid Unicode
     * @throws IOException if writing fails; the previous file is then unchanged
     */
    public static void write(Path path, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        toFile(tensors, metadata).write(path);
    }

    /** Writes {@code tensors} as F32 with no metadata to {@code path}, atomically. */
    public static void write(Path path, Map<String, Tensor> tensors) throws IOException {
        write(path, tensors, Map.of());
    }

    /** Encodes {@code tensors} as F32 with {@code metadata} to bytes. */
    public static byte[] encode(Map<String, Tensor> tensors, Map<String, String> metadata) throws SafetensorsException {
        return toFile(tensors, metadata).encode();
    }

    private static SafetensorsFile toFile(Map<String, Tensor> tensors, Map<String, String> metadata) {
        SafetensorsFile file = new SafetensorsFile();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) file.put(e.getKey(), e.getValue());
        for (Map.Entry<String, String> e : metadata.entrySet()) file.putMetadata(e.getKey(), e.getValue());
        return file;
    }
}
