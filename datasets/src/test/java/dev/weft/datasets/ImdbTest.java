package dev.weft.datasets;

import dev.weft.datasets.imdb.Imdb;
import dev.weft.datasets.imdb.ImdbData;
import dev.weft.datasets.imdb.ImdbOptions;
import dev.weft.datasets.imdb.ReviewSet;
import dev.weft.datasets.io.ByteSource;
import dev.weft.datasets.io.Inputs;
import dev.weft.datasets.io.TarReader;
import dev.weft.datasets.text.Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.*;

class ImdbTest {
    private static ImdbData defaults;

    /** The sample read once with Keras' defaults (shared by the tests; never modified). */
    static synchronized ImdbData sampleDefaults() throws Exception {
        if (defaults == null) defaults = Samples.imdb(ImdbOptions.defaults());
        return defaults;
    }

    /** name → bytes of every member of the sample tarball, read with our own tar reader. */
    static Map<String, byte[]> members() throws Exception {
        Map<String, byte[]> m = new TreeMap<>();
        try (TarReader tar = new TarReader(Inputs.open(Samples.resource(Samples.IMDB)).stream(), "small")) {
            TarReader.Entry e;
            while ((e = tar.next()) != null) if (e.isFile()) m.put(e.name(), tar.readEntry(1 << 21));
        }
        return m;
    }

    @Test void tarballChecksumAndAggregateHashes() throws Exception {
        assertEquals("1526566c95f24aed54a064297108b3ba2d121e6f1911c87a1c4c766e29f3db6a", TestUtil.sha256(TestUtil.sample(Samples.IMDB)));
        Map<String, byte[]> m = members();
        assertEquals(2002, m.size()); // README, imdb.vocab, 2,000 reviews
        // SOURCES.md: sha256 over (file name, NUL, bytes), pos then neg, files sorted by id
        assertEquals("be0f1d77a34f6497a3024618d9a8022622ba77dc16a1e91f982723c6ed8229df", aggregate(m, "train"));
        assertEquals("c6be7de2231a3bb29b3c0d96607cb7ec3f175909d268d70a07fd809e0fe07b00", aggregate(m, "test"));
    }

    private static String aggregate(Map<String, byte[]> m, String split) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (String label : List.of("pos", "neg")) {
            String prefix = "aclImdb/" + split + "/" + label + "/";
            List<String> names = new ArrayList<>();
            for (String k : m.keySet()) if (k.startsWith(prefix)) names.add(k.substring(prefix.length()));
            names.sort((a, b) -> Integer.compare(Integer.parseInt(a.split("_")[0]), Integer.parseInt(b.split("_")[0])));
            for (String n : names) {
                md.update(n.getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
                md.update(m.get(prefix + n));
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    @Test void readsTheSampleWithKerasConventions() throws Exception {
        ImdbData d = sampleDefaults();
        for (ReviewSet s : List.of(d.train(), d.test())) {
            assertEquals(1000, s.size());
            assertArrayEquals(new int[] {500, 500}, s.labelHistogram());
            for (int i = 0; i < s.size(); i++) {
                assertEquals(1, s.sequence(i)[0]);
                if (s.label(i) == 1) assertTrue(s.rating(i) >= 7); else assertTrue(s.rating(i) <= 4);
            }
            assertEquals(0, s.id(0));      // positives first, by id
            assertEquals(1, s.label(0));
            assertEquals(499, s.id(499));
            assertEquals(0, s.label(500));
        }
        // train/pos/0_9.txt is the "Bromwell High" review
        assertTrue(d.decode(d.train().sequence(0)).startsWith("[START] bromwell high is a cartoon comedy"), d.decode(d.train().sequence(0)));
        assertEquals(9, d.train().rating(0));
        // index convention: most frequent training word ("the") gets rank 1 -> id 4; 3 is unused
        assertEquals("the", d.vocabulary().word(1));
        assertEquals("the", d.word(4));
        int unused = 0;
        for (int[] s : d.train().sequences()) for (int v : s) if (v == 3 || v == 0) unused++;
        assertEquals(0, unused);
        // counts are non-increasing, ties broken alphabetically
        for (int r = 2; r <= d.vocabulary().size(); r++) {
            long a = d.vocabulary().count(r - 1), b = d.vocabulary().count(r);
            assertTrue(a > b || (a == b && d.vocabulary().word(r - 1).compareTo(d.vocabulary().word(r)) < 0));
        }
        // tokens never contain filtered characters or <br /> remnants
        assertEquals(0, d.vocabulary().rank("br"));
        for (String w : d.vocabulary().words()) for (char c : Tokenizer.KERAS_FILTERS.toCharArray()) assertTrue(w.indexOf(c) < 0, w);
        // training counts reproduce: total tokens of the train sequences = sum of vocabulary counts
        long tokens = 0;
        for (int[] s : d.train().sequences()) tokens += s.length - 1;
        long counted = 0;
        for (int r = 1; r <= d.vocabulary().size(); r++) counted += d.vocabulary().count(r);
        assertEquals(tokens, counted);
    }

    @Test void numWordsMapsRareWordsToOov() throws Exception {
        ImdbData all = sampleDefaults();
        ImdbData top = Samples.imdb(ImdbOptions.topWords(100));
        for (int i = 0; i < 1000; i++) {
            int[] a = all.train().sequence(i), b = top.train().sequence(i);
            assertEquals(a.length, b.length);
            for (int k = 0; k < a.length; k++) {
                assertTrue(b[k] < 100);
                assertEquals(a[k] < 100 ? a[k] : 2, b[k]);
            }
        }
        // test words absent from training are OOV even with all words kept
        boolean sawOov = false;
        for (int[] s : all.test().sequences()) for (int v : s) sawOov |= v == 2;
        assertTrue(sawOov);
        assertArrayEquals(new int[] {1000, 100}, top.train().padded(100).shape());
    }

    @Test void unpackedFolderGivesTheSameResult(@TempDir Path dir) throws Exception {
        for (Map.Entry<String, byte[]> e : members().entrySet()) {
            Path p = dir.resolve(e.getKey());
            Files.createDirectories(p.getParent());
            Files.write(p, e.getValue());
        }
        ImdbData a = Samples.imdb(ImdbOptions.topWords(5000));
        ImdbData b = Imdb.load(DataLocator.of(dir), ImdbOptions.topWords(5000));
        for (int i = 0; i < 1000; i++) {
            assertArrayEquals(a.train().sequence(i), b.train().sequence(i));
            assertArrayEquals(a.test().sequence(i), b.test().sequence(i));
        }
        assertEquals(a.vocabulary().words(), b.vocabulary().words());
    }

    @Test void missingAndEmptyAndNonUtf8(@TempDir Path dir) throws Exception {
        DatasetNotFoundException nf = assertThrows(DatasetNotFoundException.class, () -> Imdb.load(DataLocator.of(dir), ImdbOptions.defaults()));
        assertTrue(nf.getMessage().contains("aclImdb_v1.tar.gz"), nf.getMessage());
        assertTrue(nf.getMessage().contains("ai.stanford.edu"), nf.getMessage());
        for (String s : List.of("train/pos", "train/neg", "test/pos", "test/neg")) Files.createDirectories(dir.resolve("aclImdb/" + s));
        DatasetFormatException empty = assertThrows(DatasetFormatException.class, () -> Imdb.load(DataLocator.of(dir), ImdbOptions.defaults()));
        assertTrue(empty.getMessage().contains("no reviews"), empty.getMessage());
        Files.write(dir.resolve("aclImdb/train/pos/3_8.txt"), new byte[] {'o', 'k', (byte) 0xC3, (byte) 0x28});
        DatasetFormatException bad = assertThrows(DatasetFormatException.class, () -> Imdb.load(DataLocator.of(dir), ImdbOptions.defaults()));
        assertTrue(bad.source().endsWith("3_8.txt"), bad.getMessage());
        assertTrue(bad.getMessage().contains("UTF-8"), bad.getMessage());
    }

    @Test void nonUtf8ReviewInsideTarballNamesTheEntry() throws Exception {
        byte[] tar = tarOf(Map.of("aclImdb/train/pos/1_9.txt", "fine".getBytes(), "aclImdb/train/neg/2_1.txt", new byte[] {(byte) 0xFF},
                "aclImdb/test/pos/1_9.txt", "a".getBytes(), "aclImdb/test/neg/1_1.txt", "b".getBytes()));
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> Imdb.readTarball(ByteSource.of("x.tar.gz", TestUtil.gzip(tar)), ImdbOptions.defaults()));
        assertEquals("x.tar.gz!aclImdb/train/neg/2_1.txt", e.source());
    }

    /** A ustar archive written by hand (for small synthetic cases). */
    static byte[] tarOf(Map<String, byte[]> files) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> f : new TreeMap<>(files).entrySet()) {
            byte[] h = new byte[512];
            byte[] name = f.getKey().getBytes(StandardCharsets.UTF_8);
            System.arraycopy(name, 0, h, 0, name.length);
            put(h, 100, String.format("%07o", 0644));
            put(h, 108, "0000000");
            put(h, 116, "0000000");
            put(h, 124, String.format("%011o", f.getValue().length));
            put(h, 136, "00000000000");
            h[156] = '0';
            put(h, 257, "ustar");
            put(h, 263, "00");
            for (int i = 148; i < 156; i++) h[i] = ' ';
            int sum = 0;
            for (byte b : h) sum += b & 0xFF;
            put(h, 148, String.format("%06o", sum));
            h[154] = 0;
            out.write(h);
            out.write(f.getValue());
            out.write(new byte[(512 - f.getValue().length % 512) % 512]);
        }
        out.write(new byte[1024]);
        return out.toByteArray();
    }

    private static void put(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, b.length);
    }
}
