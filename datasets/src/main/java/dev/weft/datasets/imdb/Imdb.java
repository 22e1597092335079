package dev.weft.datasets.imdb;

import dev.weft.datasets.DataLocator;
import dev.weft.datasets.DatasetFormatException;
import dev.weft.datasets.io.ByteSource;
import dev.weft.datasets.io.Inputs;
import dev.weft.datasets.io.TarReader;
import dev.weft.datasets.text.Tokenizer;
import dev.weft.datasets.text.Vocabulary;
import dev.weft.datasets.text.WordTable;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Large Movie Review Dataset (aclImdb, Maas et al. 2011) from its original layout
 * {@code aclImdb/{train,test}/{pos,neg}/<id>_<rating>.txt}: either the unpacked folder, or the
 * {@code .tar.gz} read as a stream with the JDK alone (GZIPInputStream + {@link TarReader}: nothing
 * is extracted, only one review is held as text at a time; the result keeps only id arrays).
 *
 * <p>Each review is decoded as strict UTF-8 (a review that is not valid UTF-8 is a
 * {@link DatasetFormatException} naming the archive entry or file), tokenized with
 * {@link Tokenizer#keras()}, and turned into ids by {@link ImdbOptions}: the vocabulary is built from
 * the training reviews only (word counts over all training reviews; ties broken by
 * {@link String#compareTo}). Other members ({@code unsup/}, {@code urls_*.txt}, {@code imdb.vocab},
 * {@code .feat} files) are skipped.
 *
 * <p>Files recognised in the data folder (or its {@code imdb/} sub-folder): the unpacked
 * {@code aclImdb/} folder, {@code aclImdb_v1.tar.gz} (official), {@code aclImdb_v1_train_test.tar.gz},
 * and the same names without {@code .gz}.
 */
public final class Imdb {
    private Imdb() {}

    /** The official source. */
    public static final String URL = "https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz";

    /** Largest review accepted, in bytes (real reviews are under 14 KB). */
    public static final int MAX_REVIEW_BYTES = 1 << 20;

    private static final Pattern REVIEW = Pattern.compile("(?:^|.*/)(train|test)/(pos|neg)/(\\d{1,9})_(\\d{1,2})\\.txt");

    /** Loads IMDB from the data folder. */
    public static ImdbData load(DataLocator data, ImdbOptions options) throws IOException {
        List<Path> folders = data.folders(List.of("", "imdb"), List.of());
        List<String> tried = new ArrayList<>();
        for (Path f : folders) {
            Path dir = f.resolve("aclImdb");
            if (Files.isDirectory(dir.resolve("train")) || Files.isDirectory(dir.resolve("test"))) return readFolder(dir, options);
            tried.add(dir + "/{train,test}/");
        }
        for (String name : List.of("aclImdb_v1.tar", "aclImdb_v1_train_test.tar")) {
            Path p = DataLocator.findOrNull(folders, name, tried);
            if (p != null) return readTarball(ByteSource.of(p), options);
        }
        throw data.notFound("IMDB (aclImdb)", tried, URL);
    }

    /** Reads the {@code .tar.gz} (or plain {@code .tar}) as a stream. */
    public static ImdbData readTarball(ByteSource tarball, ImdbOptions options) throws IOException {
        Collector col = new Collector(options);
        try (TarReader tar = new TarReader(Inputs.open(tarball).stream(), tarball.name())) {
            TarReader.Entry e;
            while ((e = tar.next()) != null) {
                if (!e.isFile()) continue;
                Matcher m = REVIEW.matcher(e.name());
                if (!m.matches()) continue;
                byte[] bytes = tar.readEntry(MAX_REVIEW_BYTES);
                col.add(m, bytes, tar.where());
            }
        } catch (IOException ex) {
            throw Inputs.wrap(ex, tarball.name());
        }
        return col.finish(tarball.name());
    }

    /** Reads an unpacked {@code aclImdb} folder (the one holding {@code train/} and {@code test/}). */
    public static ImdbData readFolder(Path aclImdb, ImdbOptions options) throws IOException {
        Collector col = new Collector(options);
        for (String split : List.of("test", "train")) {
            for (String label : List.of("neg", "pos")) {
                Path dir = aclImdb.resolve(split).resolve(label);
                if (!Files.isDirectory(dir)) throw new DatasetFormatException(dir.toString(), "missing folder (expected the aclImdb layout)");
                List<Path> files;
                try (Stream<Path> s = Files.list(dir)) {
                    files = s.filter(p -> p.getFileName().toString().endsWith(".txt")).sorted().toList();
                }
                for (Path p : files) {
                    String rel = split + "/" + label + "/" + p.getFileName();
                    Matcher m = REVIEW.matcher(rel);
                    if (!m.matches() || !Files.isRegularFile(p)) continue;
                    long size = Files.size(p);
                    if (size > MAX_REVIEW_BYTES) throw new DatasetFormatException(p.toString(), "review of " + size + " bytes is larger than the " + MAX_REVIEW_BYTES + " allowed");
                    col.add(m, Files.readAllBytes(p), p.toString());
                }
            }
        }
        return col.finish(aclImdb.toString());
    }

    /** Accumulates reviews as provisional word ids, then ranks the vocabulary and assigns final ids. */
    private static final class Collector {
        private final ImdbOptions options;
        private final Tokenizer tokenizer = Tokenizer.keras();
        private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        private final WordTable provisional = new WordTable();
        private long[] trainCounts = new long[1 << 17];
        /** [split 0 train / 1 test][label 0 neg / 1 pos] */
        @SuppressWarnings("unchecked")
        private final List<Review>[][] groups = new List[][] {{new ArrayList<>(), new ArrayList<>()}, {new ArrayList<>(), new ArrayList<>()}};
        private int[] buf = new int[4096];

        private record Review(int id, int rating, int[] tokens) {}

        Collector(ImdbOptions options) { this.options = options; }

        void add(Matcher m, byte[] bytes, String source) throws DatasetFormatException {
            boolean train = m.group(1).equals("train");
            int label = m.group(2).equals("pos") ? 1 : 0;
            int id = Integer.parseInt(m.group(3));
            int rating = Integer.parseInt(m.group(4));
            if (rating < 1 || rating > 10) throw new DatasetFormatException(source, "rating " + rating + " in the file name is outside 1..10");
            String text;
            try {
                text = utf8.reset().decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                throw new DatasetFormatException(source, "review is not valid UTF-8 (" + e + ")", e);
            }
            int[] n = {1};  // slot 0 is kept for the start id, so final ids are written in place
            tokenizer.forEachToken(text, (chars, start, end) -> {
                int pid = provisional.idOf(chars, start, end);
                if (pid == trainCounts.length) trainCounts = Arrays.copyOf(trainCounts, 2 * pid);
                if (train) trainCounts[pid]++;
                if (n[0] == buf.length) buf = Arrays.copyOf(buf, 2 * buf.length);
                buf[n[0]++] = pid;
            });
            int[] tokens = Arrays.copyOf(buf, n[0]);
            groups[train ? 0 : 1][label].add(new Review(id, rating, tokens));
        }

        ImdbData finish(String where) throws DatasetFormatException {
            String[] w = provisional.words();
            Vocabulary vocab = Vocabulary.ranked(w, Arrays.copyOf(trainCounts, w.length));
            int[] idOf = new int[w.length];
            int numWords = options.numWords();
            for (int p = 0; p < w.length; p++) {
                int rank = vocab.rank(w[p]);
                long id = rank == 0 ? options.oovChar() : (long) rank + options.indexFrom();
                if (numWords > 0 && id >= numWords) id = options.oovChar();
                idOf[p] = (int) Math.min(id, Integer.MAX_VALUE);
            }
            ReviewSet train = build("IMDB train", 0, idOf, where);
            ReviewSet test = build("IMDB test", 1, idOf, where);
            return new ImdbData(train, test, vocab, options);
        }

        private ReviewSet build(String name, int split, int[] idOf, String where) throws DatasetFormatException {
            List<Review> all = new ArrayList<>();
            for (int label : new int[] {1, 0}) {
                List<Review> g = groups[split][label];
                String folder = (split == 0 ? "train/" : "test/") + (label == 1 ? "pos" : "neg");
                if (g.isEmpty()) throw new DatasetFormatException(where, "no reviews in " + folder + " (empty or missing folder)");
                g.sort((a, b) -> Integer.compare(a.id, b.id));
                for (int k = 1; k < g.size(); k++)
                    if (g.get(k).id == g.get(k - 1).id)
                        throw new DatasetFormatException(where, "two reviews with id " + g.get(k).id + " in " + folder);
                all.addAll(g);
            }
            int n = all.size();
            int[][] seqs = new int[n][];
            int[] labels = new int[n], ratings = new int[n], ids = new int[n];
            int posCount = groups[split][1].size();
            for (int i = 0; i < n; i++) {
                Review r = all.get(i);
                int[] s = r.tokens;   // provisional ids from index 1; rewritten in place (no second copy)
                s[0] = options.startChar();
                for (int k = 1; k < s.length; k++) s[k] = idOf[s[k]];
                seqs[i] = s;
                labels[i] = i < posCount ? 1 : 0;
                ratings[i] = r.rating;
                ids[i] = r.id;
            }
            groups[split][0].clear();
            groups[split][1].clear();
            return new ReviewSet(name, seqs, labels, ratings, ids);
        }
    }
}
