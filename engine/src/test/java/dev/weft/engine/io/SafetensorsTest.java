package dev.weft.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.weft.engine.IntTensor;
import dev.weft.engine.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    @TempDir Path dir;

    // ------------------------------------------------------------------ golden vector and round trips

    @Test
    void goldenVectorBytes() throws IOException {
        Tensor t = Tensor.of(new float[] {0, 1, 2, 3, 4, 5}, 1, 2, 3);
        byte[] bytes = Safetensors.encode(Map.of("attn.0", t), Map.of());

        String json = "{\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],\"data_offsets\":[0,24]}}";
        assertEquals(64, json.length(), "exactly a multiple of 8: no padding needed");
        ByteBuffer expected = ByteBuffer.allocate(8 + 64 + 24).order(ByteOrder.LITTLE_ENDIAN);
        expected.putLong(64);
        expected.put(json.getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 6; i++) expected.putFloat(i);
        assertArrayEquals(expected.array(), bytes);

        // the same bytes through a file, and back
        Path p = dir.resolve("golden.safetensors");
        Safetensors.write(p, Map.of("attn.0", t), Map.of());
        assertArrayEquals(expected.array(), Files.readAllBytes(p));
        Map<String, Tensor> back = Safetensors.read(p);
        assertEquals(List.of("attn.0"), new ArrayList<>(back.keySet()));
        assertArrayEquals(new int[] {1, 2, 3}, back.get("attn.0").shape());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, back.get("attn.0").toFloatArray());
    }

    @Test
    void roundTripKeepsOrderDtypesShapesAndMetadata() throws IOException {
        SafetensorsFile f = new SafetensorsFile()
                .put("z.last.first", Tensor.of(new float[] {-1.5f, Float.MIN_VALUE, Float.NaN, -0f}, 2, 2))
                .put("scalar", Tensor.of(new float[] {42f}))
                .put("empty", Tensor.of(new float[0], 0, 5))
                .put("labels", IntTensor.of(new int[] {Integer.MIN_VALUE, 0, Integer.MAX_VALUE}, 3))
                .putLongs("step", new long[] {Long.MAX_VALUE})
                .put("naïve \"quoted\"\n\u20ac\uD83D\uDE00", Tensor.of(new float[] {7}, 1))
                .putMetadata("format", "weft")
                .putMetadata("tab\tand \\ and \u0001", "ü");
        Path p = dir.resolve("round.safetensors");
        f.write(p);
        SafetensorsFile g = SafetensorsFile.read(p);

        assertEquals(new ArrayList<>(f.names()), new ArrayList<>(g.names()));
        assertEquals(f.metadata(), g.metadata());
        for (String name : f.names()) {
            assertEquals(f.dtype(name), g.dtype(name), name);
            assertArrayEquals(f.shape(name), g.shape(name), name);
            assertArrayEquals(f.rawBytes(name), g.rawBytes(name), name);
        }
        assertEquals(SafetensorsDtype.I32, g.dtype("labels"));
        assertArrayEquals(new int[] {Integer.MIN_VALUE, 0, Integer.MAX_VALUE}, g.intTensor("labels").data());
        assertEquals(SafetensorsDtype.I64, g.dtype("step"));
        assertArrayEquals(new int[0], g.shape("step"));
        assertArrayEquals(new long[] {Long.MAX_VALUE}, g.longs("step"));
        assertThrows(IllegalStateException.class, () -> g.intTensor("step"));
        assertThrows(IllegalStateException.class, () -> g.longs("scalar"));
        float[] first = g.tensor("z.last.first").toFloatArray();
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(first[3]));
        assertTrue(Float.isNaN(first[2]));
        assertArrayEquals(new int[] {0, 5}, g.tensor("empty").shape());

        long n = ByteBuffer.wrap(Files.readAllBytes(p), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8, "header padded to a multiple of 8");
        assertArrayEquals(f.encode(), Files.readAllBytes(p), "file and byte encodings agree");
        assertEquals(new ArrayList<>(f.names()), new ArrayList<>(Safetensors.read(p).keySet()));
    }

    @Test
    void writingRejectsWhatReadersWouldReject() {
        SafetensorsFile f = new SafetensorsFile();
        assertThrows(IllegalArgumentException.class, () -> f.put("__metadata__", Tensor.of(new float[] {1}, 1)));
        assertThrows(IllegalArgumentException.class,
                () -> f.putRaw("x", SafetensorsDtype.F32, new int[] {2}, new byte[4]));
        f.put("bad\uD800name", Tensor.of(new float[] {1}, 1));
        SafetensorsException e = assertThrows(SafetensorsException.class, f::encode);
        assertTrue(e.getMessage().contains("surrogate"), e.getMessage());
    }

    // ------------------------------------------------------------------ PyTorch fixture

    @Test
    void readsThePyTorchFixture() throws IOException {
        SafetensorsFile f = SafetensorsFile.decode(resource("torch_fixture.safetensors"));
        List<String[]> rows = expectedRows(new String(resource("torch_fixture_expected.txt"), StandardCharsets.UTF_8));
        assertEquals(rows.size(), f.names().size());
        assertEquals("pt", f.metadata().get("format"));
        for (String[] row : rows) {
            String name = row[0];
            assertTrue(f.contains(name), name);
            assertEquals(SafetensorsDtype.valueOf(row[1]), f.dtype(name), name);
            assertArrayEquals(parseShape(row[2]), f.shape(name), name);
            String[] values = row[3].isEmpty() ? new String[0] : row[3].split(" ");
            if (f.dtype(name).isFloatingPoint()) {
                float[] got = f.tensor(name).toFloatArray();
                assertEquals(values.length, got.length, name);
                for (int i = 0; i < got.length; i++) {
                    float want = parseFloat(values[i]);
                    if (Float.isNaN(want)) assertTrue(Float.isNaN(got[i]), name + "[" + i + "]");
                    else assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(got[i]),
                            name + "[" + i + "]: want " + want + " got " + got[i]);
                }
            } else {
                long[] got = f.longs(name);
                long[] want = new long[values.length];
                for (int i = 0; i < want.length; i++) want[i] = Long.parseLong(values[i]);
                assertArrayEquals(want, got, name);
                float[] asFloats = f.tensor(name).toFloatArray();
                for (int i = 0; i < want.length; i++) assertEquals((float) want[i], asFloats[i], name);
            }
        }
        // the PyTorch BatchNorm counter reads as an int too
        assertArrayEquals(new int[] {1200}, f.intTensor("bn.num_batches_tracked").data());
    }

    /**
     * Cross-check: Python (with torch) reads a Weft-written file back with the generator script.
     * Skipped where /usr/bin/python3 with torch is missing.
     */
    @Test
    void pythonReadsAWeftWrittenFile() throws Exception {
        Path script = Path.of("src/test/python/gen_safetensors_fixture.py").toAbsolutePath();
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(script), "script not found");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "no /usr/bin/python3");
        Path file = dir.resolve("weft.safetensors");
        new SafetensorsFile()
                .put("w", Tensor.of(new float[] {0.5f, -2f, Float.POSITIVE_INFINITY, 1e-40f, 3, 4}, 2, 3))
                .put("b", Tensor.of(new float[] {}, 0))
                .put("ids", IntTensor.of(new int[] {-7, 9}, 2))
                .putLongs("step", new long[] {123456789012L})
                .putMetadata("format", "weft")
                .write(file);
        Path expected = dir.resolve("expected.txt");
        Files.writeString(expected, String.join("\n",
                "w\tF32\t2,3\t" + hex(0.5f) + " " + hex(-2f) + " inf " + hex(1e-40f) + " " + hex(3) + " " + hex(4),
                "b\tF32\t0\t",
                "ids\tI32\t2\t-7 9",
                "step\tI64\t\t123456789012") + "\n");
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), "--check", file.toString(), expected.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = p.waitFor();
        org.junit.jupiter.api.Assumptions.assumeFalse(out.contains("No module named 'torch'"), "python3 has no torch");
        assertEquals(0, code, out);
        assertTrue(out.contains("read " + file), out);
    }

    // ------------------------------------------------------------------ rejections

    @Test
    void rejectsBadHeaderLengths() {
        assertRejected(new byte[] {1, 2, 3}, "shorter than the 8-byte");
        assertRejected(withLength(100_000_001L, new byte[16]), "exceeds the limit");
        assertRejected(withLength(-1L, new byte[16]), "exceeds the limit");
        assertRejected(withLength(17, new byte[16]), "runs past the end");
        assertRejected(withLength(0, new byte[0]), "malformed header JSON");
    }

    @Test
    void rejectsBadHeaders() {
        String ok = "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";
        assertRejected(file("{" + ok, 8), "malformed header JSON");
        assertRejected(file("[" + ok + "]", 8), "malformed header JSON");
        assertRejected(file("[1]", 0), "not a JSON object");
        assertRejected(file("{" + ok + "," + ok + "}", 8), "duplicate key");
        assertRejected(file("{" + ok + "} x", 8), "after the JSON value");
        assertRejected(file("{" + ok + ",}", 8), "malformed header JSON");
        assertRejected(file("{\"a\":{\"dtype\":\"F33\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8), "unknown or unsupported dtype");
        assertRejected(file("{\"a\":{\"dtype\":\"F4\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8), "unknown or unsupported dtype");
        assertRejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8), "shape entry");
        assertRejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2.0],\"data_offsets\":[0,8]}}", 8), "shape entry");
        assertRejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2147483648],\"data_offsets\":[0,8]}}", 8), "shape entry");
        assertRejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[65536,65536],\"data_offsets\":[0,8]}}", 8), "too many elements");
        assertRejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8), "needs 12");
        assertRejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", 8), "end before they begin");
        assertRejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8,9]}}", 8), "exactly two");
        assertRejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,-8]}}", 8), "non-negative");
        assertRejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}", 16), "a gap");
        assertRejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 12), "data section is 12 bytes");
        assertRejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 4), "run past the data section");
        // a huge claimed tensor in a tiny file is refused before anything is allocated for it
        assertRejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1073741824],\"data_offsets\":[0,4294967296]}}", 8),
                "run past the data section");
        assertRejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8), "an overlap");
        assertRejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}", 8), "missing field \"data_offsets\"");
        assertRejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"x\":1}}", 8), "unknown field");
        assertRejected(file("{\"a\":[1]}", 0), "not a JSON object");
        assertRejected(file("{\"__metadata__\":{\"k\":1}}", 0), "not a string");
        assertRejected(file("{\"__metadata__\":[]}", 0), "not a JSON object");
        assertRejected(file("[".repeat(10_000) + "]".repeat(10_000), 0), "nesting deeper");
        byte[] badUtf8 = file("{\"\u00e9\":1}", 0);
        badUtf8[8 + 2] = (byte) 0xff;
        assertRejected(badUtf8, "not valid UTF-8");
    }

    @Test
    void emptyFileWithOnlyMetadataIsValid() throws SafetensorsException {
        SafetensorsFile f = SafetensorsFile.decode(file("{\"__metadata__\":{\"k\":\"v\"}}", 0));
        assertEquals(Map.of("k", "v"), f.metadata());
        assertTrue(f.names().isEmpty());
        assertTrue(SafetensorsFile.decode(file("{}", 0)).names().isEmpty());
    }

    @Test
    void errorMessagesNameTheFile() throws IOException {
        Path p = dir.resolve("broken.safetensors");
        byte[] good = Safetensors.encode(Map.of("w", Tensor.of(new float[] {1, 2, 3}, 3)), Map.of());
        Files.write(p, java.util.Arrays.copyOf(good, good.length - 1));
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> Safetensors.read(p));
        assertTrue(e.getMessage().startsWith(p.toString() + ": "), e.getMessage());
        assertThrows(SafetensorsException.class, () -> SafetensorsFile.read(p));
    }

    // ------------------------------------------------------------------ conversions

    @Test
    void floatConversions() {
        assertEquals(1f, SafetensorsCodec.halfToFloat((short) 0x3c00));
        assertEquals(-2f, SafetensorsCodec.halfToFloat((short) 0xc000));
        assertEquals(65504f, SafetensorsCodec.halfToFloat((short) 0x7bff));
        assertEquals(0x1p-24f, SafetensorsCodec.halfToFloat((short) 0x0001));
        assertEquals(0x1p-14f, SafetensorsCodec.halfToFloat((short) 0x0400));
        assertEquals(Float.NEGATIVE_INFINITY, SafetensorsCodec.halfToFloat((short) 0xfc00));
        assertTrue(Float.isNaN(SafetensorsCodec.halfToFloat((short) 0x7e00)));
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(SafetensorsCodec.halfToFloat((short) 0x8000)));
        // E4M3 (e4m3fn): 0x38 = 1.0, 0x7e = 448 (largest), 0x01 = 2^-9 (smallest subnormal), 0x7f = NaN
        assertEquals(1f, SafetensorsCodec.e4m3ToFloat((byte) 0x38));
        assertEquals(448f, SafetensorsCodec.e4m3ToFloat((byte) 0x7e));
        assertEquals(0x1p-9f, SafetensorsCodec.e4m3ToFloat((byte) 0x01));
        assertEquals(-1.5f, SafetensorsCodec.e4m3ToFloat((byte) 0xbc));
        assertTrue(Float.isNaN(SafetensorsCodec.e4m3ToFloat((byte) 0xff)));
        // E5M2 is the top byte of an F16: 0x3c = 1.0, 0x7b = 57344
        float[] e5m2 = SafetensorsCodec.toFloats(SafetensorsDtype.F8_E5M2, new byte[] {0x3c, 0x7b, (byte) 0xfc});
        assertArrayEquals(new float[] {1f, 57344f, Float.NEGATIVE_INFINITY}, e5m2);
        // U64 above Long.MAX_VALUE: 2^64 - 1 rounds to 2^64
        byte[] max = new byte[8];
        java.util.Arrays.fill(max, (byte) 0xff);
        assertEquals(0x1p64f, SafetensorsCodec.toFloats(SafetensorsDtype.U64, max)[0]);
        assertThrows(IllegalStateException.class, () -> SafetensorsCodec.toLongs(SafetensorsDtype.U64, max));
        assertArrayEquals(new long[] {4294967295L}, SafetensorsCodec.toLongs(SafetensorsDtype.U32, new byte[] {-1, -1, -1, -1}));
    }

    // ------------------------------------------------------------------ atomic writes

    @Test
    void failedWriteLeavesThePreviousFileIntact() throws IOException {
        Path p = dir.resolve("model.safetensors");
        Safetensors.write(p, Map.of("w", Tensor.of(new float[] {1, 2}, 2)), Map.of("v", "1"));
        byte[] before = Files.readAllBytes(p);

        SafetensorsFile next = new SafetensorsFile().put("w", Tensor.of(new float[] {3, 4, 5}, 3));
        IOException e = assertThrows(IOException.class,
                () -> next.write(p, () -> { throw new IOException("simulated disk failure"); }));
        assertEquals("simulated disk failure", e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(p));
        assertOnlyFiles(dir, "model.safetensors");

        // and a write whose temporary file cannot even be created (missing folder)
        Path nowhere = dir.resolve("missing-folder").resolve("model.safetensors");
        assertThrows(IOException.class, () -> next.write(nowhere));
        assertFalse(Files.exists(nowhere.getParent()));

        // a target that cannot be replaced (a non-empty folder): the rename fails, nothing leaks
        Path folder = dir.resolve("folder.safetensors");
        Files.createDirectory(folder);
        Files.writeString(folder.resolve("keep.txt"), "keep");
        assertThrows(IOException.class, () -> next.write(folder));
        assertEquals("keep", Files.readString(folder.resolve("keep.txt")));
        assertOnlyFiles(dir, "model.safetensors", "folder.safetensors");

        // a successful write replaces it
        next.write(p);
        assertArrayEquals(new float[] {3, 4, 5}, Safetensors.read(p).get("w").toFloatArray());
        assertOnlyFiles(dir, "model.safetensors", "folder.safetensors");
    }

    // ------------------------------------------------------------------ randomized corruption

    /**
     * Mutates valid files a few hundred ways (bit flips, byte overwrites, truncations, appended
     * bytes, header-length and offset edits, header text edits) and checks that decoding either
     * succeeds or throws SafetensorsException, and nothing else (no OOM, no index or null errors).
     */
    @Test
    void randomCorruptionOnlyEverThrowsSafetensorsException() throws IOException {
        java.util.Random rng = new java.util.Random(20261126L);
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(Safetensors.encode(Map.of("attn.0", Tensor.of(new float[] {0, 1, 2, 3, 4, 5}, 1, 2, 3)), Map.of()));
        seeds.add(new SafetensorsFile()
                .put("a", Tensor.of(new float[] {1, 2, 3, 4}, 2, 2))
                .put("b", IntTensor.of(new int[] {5, 6, 7}, 3))
                .putLongs("c", new long[] {8})
                .put("d", Tensor.of(new float[0], 0))
                .putMetadata("k", "v").encode());
        seeds.add(resource("torch_fixture.safetensors"));

        int successes = 0;
        int rejections = 0;
        Path onDisk = dir.resolve("mutated.safetensors");
        for (int i = 0; i < 600; i++) {
            byte[] seed = seeds.get(i % seeds.size());
            byte[] mutated = mutate(seed, rng);
            if (i % 10 == 0) {  // the file path goes through FileChannel reads: same rules
                Files.write(onDisk, mutated);
                try {
                    Safetensors.read(onDisk);
                } catch (SafetensorsException expected) {
                    assertTrue(expected.getMessage().startsWith(onDisk + ": "), expected.getMessage());
                } catch (Throwable t) {
                    fail("mutation " + i + " escaped from read(Path) as " + t, t);
                }
            }
            try {
                SafetensorsFile f = SafetensorsFile.decode(mutated);
                for (String name : f.names()) {
                    f.tensor(name);  // conversions must not fail on any accepted file
                }
                successes++;
            } catch (SafetensorsException expected) {
                assertTrue(expected.getMessage().startsWith("<bytes>: "), expected.getMessage());
                rejections++;
            } catch (Throwable t) {
                fail("mutation " + i + " escaped as " + t, t);
            }
        }
        assertTrue(rejections > 300, "most mutations are rejected: " + rejections);
        assertTrue(successes > 0, "some mutations (e.g. in the data section) still decode: " + successes);
    }

    private static byte[] mutate(byte[] seed, java.util.Random rng) {
        byte[] b = seed.clone();
        long headerLength = ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        int rounds = 1 + rng.nextInt(3);
        for (int r = 0; r < rounds; r++) {
            switch (rng.nextInt(8)) {
                case 0: {  // flip one bit anywhere
                    int at = rng.nextInt(b.length);
                    b[at] ^= (byte) (1 << rng.nextInt(8));
                    break;
                }
                case 1: {  // overwrite a header byte with a JSON-significant character
                    int at = 8 + rng.nextInt((int) Math.max(1, Math.min(headerLength, b.length - 8)));
                    String chars = "{}[]\",:0123456789-.e \\u";
                    if (at < b.length) b[at] = (byte) chars.charAt(rng.nextInt(chars.length()));
                    break;
                }
                case 2:  // truncate
                    b = java.util.Arrays.copyOf(b, rng.nextInt(b.length + 1));
                    break;
                case 3:  // append junk
                    b = java.util.Arrays.copyOf(b, b.length + 1 + rng.nextInt(16));
                    break;
                case 4: {  // edit the header length
                    if (b.length < 8) break;
                    long[] choices = {headerLength + rng.nextInt(17) - 8, rng.nextLong(), 100_000_001L,
                            Long.MAX_VALUE, -1, 0, b.length, headerLength * 2};
                    ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(choices[rng.nextInt(choices.length)]);
                    break;
                }
                case 5:  // edit a number in the header (offsets and shapes)
                    b = editNumber(b, headerLength, rng);
                    break;
                case 6: {  // flip a bit in the header only
                    if (headerLength <= 0 || b.length <= 8) break;
                    int at = 8 + rng.nextInt((int) Math.min(headerLength, b.length - 8));
                    b[at] ^= (byte) (1 << rng.nextInt(8));
                    break;
                }
                default: {  // shuffle a random byte range
                    int from = rng.nextInt(b.length + 1);
                    int to = from + rng.nextInt(b.length - from + 1);
                    for (int k = from; k < to; k++) b[k] = (byte) rng.nextInt(256);
                }
            }
        }
        return b;
    }

    /** Replaces one run of digits in the header text with another number, keeping the length field in step. */
    private static byte[] editNumber(byte[] b, long headerLength, java.util.Random rng) {
        if (b.length < 8 || headerLength <= 0 || headerLength > b.length - 8) return b;
        String header = new String(b, 8, (int) headerLength, StandardCharsets.ISO_8859_1);
        List<int[]> runs = new ArrayList<>();
        for (int i = 0; i < header.length(); i++) {
            if (Character.isDigit(header.charAt(i))) {
                int j = i;
                while (j < header.length() && Character.isDigit(header.charAt(j))) j++;
                runs.add(new int[] {i, j});
                i = j;
            }
        }
        if (runs.isEmpty()) return b;
        int[] run = runs.get(rng.nextInt(runs.size()));
        String[] replacements = {"0", "1", "4", "8", "-1", "99999999999", "18446744073709551615", "2147483647",
                String.valueOf(Long.parseLong(header.substring(run[0], Math.min(run[1], run[0] + 17))) + rng.nextInt(9) - 4)};
        String edited = header.substring(0, run[0]) + replacements[rng.nextInt(replacements.length)] + header.substring(run[1]);
        byte[] newHeader = edited.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer out = ByteBuffer.allocate(8 + newHeader.length + (b.length - 8 - (int) headerLength))
                .order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(newHeader.length).put(newHeader).put(b, 8 + (int) headerLength, b.length - 8 - (int) headerLength);
        return out.array();
    }

    // ------------------------------------------------------------------ helpers

    private static void assertRejected(byte[] bytes, String messagePart) {
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> SafetensorsFile.decode(bytes));
        assertTrue(e.getMessage().contains(messagePart), "message \"" + e.getMessage() + "\" lacks \"" + messagePart + "\"");
        assertTrue(e.getMessage().startsWith("<bytes>: "), e.getMessage());
    }

    private static byte[] withLength(long n, byte[] rest) {
        return ByteBuffer.allocate(8 + rest.length).order(ByteOrder.LITTLE_ENDIAN).putLong(n).put(rest).array();
    }

    /** A file with the given header text (unpadded) and {@code dataBytes} zero bytes of data. */
    private static byte[] file(String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(h.length).put(h).array();
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = SafetensorsTest.class.getResourceAsStream("/safetensors/" + name)) {
            if (in == null) throw new IOException("missing test resource " + name);
            return in.readAllBytes();
        }
    }

    private static List<String[]> expectedRows(String text) {
        List<String[]> rows = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty()) continue;
            String[] parts = line.split("\t", -1);
            rows.add(new String[] {parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : ""});
        }
        return rows;
    }

    private static int[] parseShape(String s) {
        if (s.isEmpty()) return new int[0];
        return Stream.of(s.split(",")).mapToInt(Integer::parseInt).toArray();
    }

    private static float parseFloat(String s) {
        switch (s) {
            case "nan": return Float.NaN;
            case "inf": return Float.POSITIVE_INFINITY;
            case "-inf": return Float.NEGATIVE_INFINITY;
            default: return (float) Double.parseDouble(s);  // exact: the values are floats written as hex
        }
    }

    private static String hex(float f) {
        // Python's float.hex() spelling (13 hex digits, explicit exponent sign) of the float widened to double
        double d = f;
        if (d == 0) return (Math.copySign(1.0, d) < 0 ? "-" : "") + "0x0.0p+0";
        String sign = d < 0 ? "-" : "";
        d = Math.abs(d);
        int exp = Math.getExponent(d);
        long mantissa = Double.doubleToRawLongBits(d) & 0xfffffffffffffL;
        String lead = "1";
        if (exp < Double.MIN_EXPONENT) {  // double subnormal: does not happen for floats
            lead = "0";
            exp = Double.MIN_EXPONENT;
        }
        return String.format("%s0x%s.%013xp%+d", sign, lead, mantissa, exp);
    }

    private static void assertOnlyFiles(Path folder, String... names) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            List<String> present = s.map(x -> x.getFileName().toString()).sorted().toList();
            List<String> want = Stream.of(names).sorted().toList();
            assertEquals(want, present, "no temporary files are left behind");
        }
    }
}
