package dev.weft.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.weft.engine.Rng;
import dev.weft.engine.Tensor;
import dev.weft.engine.io.SafetensorsDtype;
import dev.weft.engine.io.SafetensorsException;
import dev.weft.engine.io.SafetensorsFile;
import dev.weft.nn.Module;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightsTest {
    @TempDir Path dir;

    static Map<String, float[]> snapshot(Module m) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (var e : m.stateDict().entrySet()) out.put(e.getKey(), e.getValue().toFloatArray());
        return out;
    }

    static void assertSameState(Map<String, float[]> expected, Module m) {
        Map<String, float[]> actual = snapshot(m);
        assertEquals(expected.keySet(), actual.keySet());
        for (String k : expected.keySet()) assertArrayEquals(expected.get(k), actual.get(k), k);
    }

    @Test void roundTripRestoresEveryParameterAndBuffer() throws IOException {
        TinyMlp a = TinyMlp.small(1), b = TinyMlp.small(2);
        Path f = dir.resolve("w.safetensors");
        Weights.save(a, f);
        Tensor kernelBefore = b.dense1.kernel;
        Weights.load(b, f);
        assertSameState(snapshot(a), b);
        assertTrue(kernelBefore == b.dense1.kernel, "loads in place: the parameter objects stay the same");
        assertTrue(b.dense1.kernel.requiresGrad());
        SafetensorsFile file = SafetensorsFile.read(f);
        assertEquals(Arrays.asList("dense1.kernel", "dense1.bias", "dense2.kernel", "dense2.bias", "scale"), Arrays.asList(file.names().toArray()));
        assertEquals(SafetensorsDtype.F32, file.dtype("scale"));
        assertEquals("pt", file.metadata().get("format"));
        try (Stream<Path> s = Files.list(dir)) { assertEquals(1, s.count(), "no temporary files left"); }
    }

    @Test void nullArgumentsAreNamedNotNullPointers() {
        TinyMlp a = TinyMlp.small(1);
        IllegalArgumentException meta = assertThrows(IllegalArgumentException.class, () -> Weights.save(a, dir.resolve("m.safetensors"), null));
        assertTrue(meta.getMessage().startsWith("Weights.save: metadata is null"), meta.getMessage());
        IllegalArgumentException file = assertThrows(IllegalArgumentException.class, () -> Weights.load(a, (SafetensorsFile) null));
        assertTrue(file.getMessage().startsWith("Weights.load"), file.getMessage());
    }

    @Test void pytorchWrittenFileLoadsAndComputesTorchsOutput() throws IOException {
        Path f = dir.resolve("torch_mlp.safetensors");
        try (InputStream in = getClass().getResourceAsStream("/fixtures/io/torch_mlp.safetensors")) {
            Files.write(f, in.readAllBytes());
        }
        TinyMlp m = TinyMlp.small(3);
        Weights.load(m, f);
        TextFixtures fx = TextFixtures.load("/fixtures/io/torch_mlp.txt");
        m.eval();
        Tensor y = m.forward(fx.get("x"), new Rng(0));
        assertTrue(y.allClose(fx.get("y"), 1e-5f, 1e-6f), "torch y = " + fx.get("y") + ", weft y = " + y);
    }

    @Test void weftWritesThePytorchFixtureByteForByte() throws IOException {
        // The fixture was written by gen_optim_fixtures.py from the documented layout; re-saving its
        // weights from a Weft model gives the same bytes (and the script's reader accepts Weft files:
        // gen_optim_fixtures.py --check-weft-file FILE).
        byte[] torchBytes;
        try (InputStream in = getClass().getResourceAsStream("/fixtures/io/torch_mlp.safetensors")) { torchBytes = in.readAllBytes(); }
        Path src = dir.resolve("torch.safetensors"), out = dir.resolve("weft.safetensors");
        Files.write(src, torchBytes);
        TinyMlp m = TinyMlp.small(3);
        Weights.load(m, src);
        Weights.save(m, out);
        assertArrayEquals(torchBytes, Files.readAllBytes(out));
    }

    @Test void everyMismatchIsReportedAtOnceAndNothingChanges() throws IOException {
        SafetensorsFile file = new SafetensorsFile();
        TinyMlp src = TinyMlp.small(1);
        file.put("dense1.kernel", Tensor.zeros(3, 4));                                   // wrong shape
        file.put("dense1.bias", src.dense1.bias);                                       // fine
        file.putRaw("dense2.kernel", SafetensorsDtype.F16, new int[] {3, 2}, new byte[12]); // wrong dtype
        // dense2.bias missing
        file.put("scale", src.scale);
        file.put("extra.weight", Tensor.zeros(1));                                      // unexpected
        Path f = dir.resolve("bad.safetensors");
        file.write(f);
        TinyMlp m = TinyMlp.small(5);
        Map<String, float[]> before = snapshot(m);
        var e = assertThrows(StateMismatchException.class, () -> Weights.load(m, f));
        assertEquals(4, e.problems().size(), e.getMessage());
        String msg = e.getMessage();
        assertTrue(msg.contains("'dense1.kernel' has shape [3, 4], model expects [4, 3]"), msg);
        assertTrue(msg.contains("'dense2.kernel' has dtype F16"), msg);
        assertTrue(msg.contains("missing 'dense2.bias'"), msg);
        assertTrue(msg.contains("unexpected 'extra.weight'"), msg);
        assertTrue(msg.contains(f.toString()), msg);
        assertSameState(before, m);
    }

    @Test void loadMatchingSkipsNamesOnlyOneSideHasButStillChecksShapes() throws IOException {
        TinyMlp src = TinyMlp.small(1);
        SafetensorsFile file = new SafetensorsFile();
        file.put("dense1.kernel", src.dense1.kernel);
        file.put("dense1.bias", src.dense1.bias);
        file.put("head.kernel", Tensor.zeros(7));
        Path f = dir.resolve("partial.safetensors");
        file.write(f);
        TinyMlp m = TinyMlp.small(2);
        float[] dense2Before = m.dense2.kernel.toFloatArray();
        assertEquals(java.util.List.of("dense2.kernel", "dense2.bias", "scale"), Weights.loadMatching(m, f));
        assertArrayEquals(src.dense1.kernel.toFloatArray(), m.dense1.kernel.toFloatArray());
        assertArrayEquals(dense2Before, m.dense2.kernel.toFloatArray());

        file.put("dense2.bias", Tensor.zeros(5)); // shared name, wrong shape
        file.write(f);
        TinyMlp fresh = TinyMlp.small(3);
        Map<String, float[]> before = snapshot(fresh);
        var e = assertThrows(StateMismatchException.class, () -> Weights.loadMatching(fresh, f));
        assertEquals(1, e.problems().size(), e.getMessage());
        assertSameState(before, fresh);
    }

    @Test void truncatedAndOversizedFilesAreRejectedCleanly() throws IOException {
        TinyMlp a = TinyMlp.small(1);
        Path f = dir.resolve("w.safetensors");
        Weights.save(a, f);
        byte[] good = Files.readAllBytes(f);
        TinyMlp m = TinyMlp.small(9);
        Map<String, float[]> before = snapshot(m);

        Files.write(f, Arrays.copyOf(good, good.length - 5));
        var e1 = assertThrows(SafetensorsException.class, () -> Weights.load(m, f));
        assertTrue(e1.getMessage().contains(f.toString()), e1.getMessage());

        byte[] huge = good.clone();
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40);
        Files.write(f, huge);
        assertThrows(SafetensorsException.class, () -> Weights.load(m, f));

        byte[] extra = Arrays.copyOf(good, good.length + 16); // trailing bytes: data no longer tiles the file
        Files.write(f, extra);
        assertThrows(SafetensorsException.class, () -> Weights.load(m, f));

        Files.write(f, new byte[3]);
        assertThrows(SafetensorsException.class, () -> Weights.load(m, f));
        assertSameState(before, m);
    }

    /** A module with a name the header encoder refuses (a lone surrogate is not valid Unicode). */
    static final class BadName extends Module {
        BadName() { registerParameter("w\uD800", Tensor.zeros(2)); }
    }

    @Test void aFailedSaveLeavesThePreviousFileIntact() throws IOException {
        Path f = dir.resolve("w.safetensors");
        Weights.save(TinyMlp.small(1), f);
        byte[] before = Files.readAllBytes(f);
        assertThrows(IOException.class, () -> Weights.save(new BadName(), f));
        assertArrayEquals(before, Files.readAllBytes(f));
        try (Stream<Path> s = Files.list(dir)) { assertEquals(1, s.count(), "no temporary files left"); }
        assertThrows(IOException.class, () -> Weights.save(TinyMlp.small(1), dir.resolve("no/such/dir/w.safetensors")));
    }

    @Test void randomMutationsOnlyEverGiveTheDocumentedExceptions() throws IOException {
        Path f = dir.resolve("w.safetensors");
        Weights.save(TinyMlp.small(1), f);
        byte[] good = Files.readAllBytes(f);
        Rng rng = new Rng(2024);
        TinyMlp m = TinyMlp.small(4);
        int rejected = 0, loaded = 0;
        for (int round = 0; round < 300; round++) {
            byte[] bad = mutate(good, rng);
            Files.write(f, bad);
            Map<String, float[]> before = snapshot(m);
            try {
                Weights.load(m, f);
                loaded++;
            } catch (SafetensorsException | StateMismatchException e) {
                rejected++;
                assertFalse(e.getMessage() == null || e.getMessage().isEmpty());
                assertSameState(before, m);
            } catch (Throwable t) {
                fail("round " + round + ": undocumented " + t + " for mutated file", t);
            }
        }
        assertTrue(rejected > 150, "most mutations should be caught, got " + rejected);
        assertTrue(loaded > 0, "mutations of tensor data load fine, got " + loaded);
    }

    // One to three random edits: flip bits, overwrite bytes with digits/JSON punctuation, truncate, insert, edit the length.
    static byte[] mutate(byte[] good, Rng rng) {
        byte[] b = good.clone();
        int edits = 1 + rng.nextInt(3);
        for (int k = 0; k < edits; k++) {
            switch (rng.nextInt(6)) {
                case 0 -> b[rng.nextInt(b.length)] ^= (byte) (1 << rng.nextInt(8));
                case 1 -> b[8 + rng.nextInt(Math.max(1, Math.min(b.length - 8, 200)))] = (byte) "0123456789[]{},:\"-. eE".charAt(rng.nextInt(22));
                case 2 -> b = Arrays.copyOf(b, rng.nextInt(b.length));
                case 3 -> {
                    int at = rng.nextInt(b.length + 1), n = 1 + rng.nextInt(8);
                    byte[] c = new byte[b.length + n];
                    System.arraycopy(b, 0, c, 0, at);
                    for (int i = 0; i < n; i++) c[at + i] = (byte) rng.nextInt(256);
                    System.arraycopy(b, at, c, at + n, b.length - at);
                    b = c;
                }
                case 4 -> { if (b.length >= 8) b[rng.nextInt(8)] = (byte) rng.nextInt(256); }
                default -> { if (b.length > 8) b[b.length - 1 - rng.nextInt(Math.min(b.length - 8, 100))] = (byte) rng.nextInt(256); } // data bytes
            }
            if (b.length == 0) break;
        }
        return b;
    }
}
