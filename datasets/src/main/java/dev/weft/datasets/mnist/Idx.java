package dev.weft.datasets.mnist;

import dev.weft.datasets.DatasetFormatException;
import dev.weft.datasets.io.ByteSource;
import dev.weft.datasets.io.Inputs;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reader of the IDX format of MNIST and Fashion-MNIST, gzipped or not (recognised by content).
 *
 * <p>Format (big-endian): magic {@code 0x00 0x00 type ndims} (type {@code 0x08} = unsigned byte,
 * the only type these datasets use), then {@code ndims} 32-bit sizes, then the values row-major.
 * Images are {@code 0x00000803} ({@code [n, rows, cols]}), labels {@code 0x00000801} ({@code [n]}).
 *
 * <p>Checks, all before the data array is allocated: the magic and the number of dimensions; every
 * size non-negative and at most {@link #MAX_DIM}; the total within one Java array; for a plain file,
 * header size + total = file length exactly; for a gzipped file, the total at most
 * {@link Inputs#MAX_DEFLATE_RATIO} times the compressed length. The data is then read with a buffer
 * that grows with the bytes actually present (so a stream of unknown length that lies about its
 * sizes costs memory in proportion to its real content), and trailing bytes are rejected.
 */
public final class Idx {
    private Idx() {}

    /** Largest accepted size of any one dimension. */
    public static final int MAX_DIM = 1 << 24;

    /** Magic number of an IDX file of unsigned-byte images {@code [n, rows, cols]}. */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an IDX file of unsigned-byte labels {@code [n]}. */
    public static final int LABELS_MAGIC = 0x00000801;

    /**
     * An IDX array of unsigned bytes.
     *
     * @param dims the sizes from the header
     * @param data the values, row-major
     */
    public record Array(int[] dims, byte[] data) {}

    /** Reads an IDX file of unsigned bytes that must have {@code expectedDims} dimensions. */
    public static Array read(ByteSource src, int expectedDims) throws IOException {
        String name = src.name();
        Inputs.Opened opened = Inputs.open(src);
        try (InputStream in = opened.stream()) {
            byte[] head = new byte[4];
            Inputs.readFully(in, head, 0, 4, name, "the IDX magic number");
            int magic = ((head[0] & 0xFF) << 24) | ((head[1] & 0xFF) << 16) | ((head[2] & 0xFF) << 8) | (head[3] & 0xFF);
            int expectedMagic = 0x0800 | expectedDims;
            if (magic != expectedMagic)
                throw new DatasetFormatException(name, String.format("wrong magic number 0x%08X, expected 0x%08X (%s)",
                        magic, expectedMagic, expectedDims == 3 ? "IDX unsigned-byte images" : expectedDims == 1 ? "IDX unsigned-byte labels"
                                : "IDX unsigned-byte, " + expectedDims + " dimensions"));
            byte[] dimBytes = new byte[4 * expectedDims];
            Inputs.readFully(in, dimBytes, 0, dimBytes.length, name, "the IDX header");
            int[] dims = new int[expectedDims];
            long total = 1;
            for (int d = 0; d < expectedDims; d++) {
                int o = 4 * d;
                int v = ((dimBytes[o] & 0xFF) << 24) | ((dimBytes[o + 1] & 0xFF) << 16) | ((dimBytes[o + 2] & 0xFF) << 8) | (dimBytes[o + 3] & 0xFF);
                if (v < 0 || v > MAX_DIM)
                    throw new DatasetFormatException(name, "absurd size " + (v & 0xFFFFFFFFL) + " for dimension " + d + " in the header (limit " + MAX_DIM + ")");
                if (d > 0 && v == 0)
                    throw new DatasetFormatException(name, "dimension " + d + " is 0 in the header");
                dims[d] = v;
                total *= v;
                if (total > Inputs.MAX_ARRAY)
                    throw new DatasetFormatException(name, "header sizes " + Arrays.toString(Arrays.copyOf(dims, d + 1))
                            + " need more than " + Inputs.MAX_ARRAY + " bytes: absurd");
            }
            long headerLen = 4 + 4L * expectedDims;
            long len = src.length();
            long hint;
            if (!opened.gzipped()) {
                if (len >= 0 && headerLen + total != len)
                    throw new DatasetFormatException(name, "header sizes " + Arrays.toString(dims) + " need " + total
                            + " data bytes but the file has " + (len - headerLen) + " after the header");
                // known length: checked exactly above; unknown (e.g. a stream): grow with the data actually read
                hint = len >= 0 ? total : 16L << 20;
            } else {
                if (len >= 0 && total > len * Inputs.MAX_DEFLATE_RATIO + 4096)
                    throw new DatasetFormatException(name, "header sizes " + Arrays.toString(dims) + " need " + total
                            + " bytes, impossible from " + len + " compressed bytes");
                hint = len >= 0 ? len * 8 : 16L << 20;
            }
            byte[] data = Inputs.readExactly(in, total, hint, name, "IDX data " + Arrays.toString(dims));
            return new Array(dims, data);
        } catch (IOException e) {
            throw Inputs.wrap(e, name);
        }
    }
}
