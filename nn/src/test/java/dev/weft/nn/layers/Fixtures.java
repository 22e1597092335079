package dev.weft.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.engine.Tensor;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the PyTorch fixtures written by {@code nn/src/test/python/gen_layer_fixtures.py}
 * (little-endian: "WFX1", count, then name / rank / dims / float32 values per tensor).
 */
final class Fixtures {
    private Fixtures() {}

    static Map<String, Tensor> load(String name) {
        String res = "/fixtures/layers/" + name + ".bin";
        try (InputStream in = Fixtures.class.getResourceAsStream(res)) {
            assertNotNull(in, "missing fixture " + res + " (run gen_layer_fixtures.py)");
            ByteBuffer b = ByteBuffer.wrap(new DataInputStream(in).readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
            byte[] magic = new byte[4];
            b.get(magic);
            if (!new String(magic, StandardCharsets.US_ASCII).equals("WFX1")) throw new IOException(res + ": bad magic");
            int count = b.getInt();
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                byte[] nb = new byte[b.getInt()];
                b.get(nb);
                int[] shape = new int[b.getInt()];
                int n = 1;
                for (int d = 0; d < shape.length; d++) n *= (shape[d] = b.getInt());
                float[] v = new float[n];
                b.asFloatBuffer().get(v);
                b.position(b.position() + 4 * n);
                out.put(new String(nb, StandardCharsets.UTF_8), Tensor.of(v, shape));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Same shape, and |actual - expected| <= atol + rtol·|expected| everywhere. */
    static void assertClose(Tensor expected, Tensor actual, float rtol, float atol, String what) {
        assertNotNull(actual, what + ": no value (missing gradient?)");
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        float[] e = expected.toFloatArray(), a = actual.toFloatArray();
        for (int i = 0; i < e.length; i++)
            assertTrue(Math.abs(e[i] - a[i]) <= atol + rtol * Math.abs(e[i]),
                    what + ": element " + i + " expected " + e[i] + " but was " + a[i]);
    }

    static void assertClose(Tensor expected, Tensor actual, String what) { assertClose(expected, actual, 1e-4f, 1e-5f, what); }

    /** Copies a fixture value into a parameter or buffer (outside autograd). */
    static void set(Tensor target, Tensor value) {
        try (var ignored = Tensor.noGrad()) {
            target.copyFrom(value);
        }
    }

    /** A fresh leaf copy that requires grad. */
    static Tensor leaf(Tensor t) { return Tensor.of(t.toFloatArray(), t.shape()).requiresGrad(true); }
}
