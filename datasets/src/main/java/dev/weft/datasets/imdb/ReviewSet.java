package dev.weft.datasets.imdb;

import dev.weft.datasets.TrainValSplit;
import dev.weft.datasets.pipeline.Batch;
import dev.weft.datasets.pipeline.Dataset;
import dev.weft.datasets.pipeline.SequenceExample;
import dev.weft.datasets.text.Sequences;
import dev.weft.engine.IntTensor;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Labelled IMDB reviews as word-id sequences (see {@link ImdbOptions} for the ids), with their
 * label (1 = positive, 0 = negative), star rating and id from the file name {@code <id>_<rating>.txt}.
 * Order: positive reviews by id, then negative reviews by id. {@link #slice} and {@link #select}
 * are views that share the sequences.
 */
public final class ReviewSet {
    private final String name;
    private final int[][] seqs;
    private final int[] labels, ratings, ids;
    private final int[] rows;   // null = identity

    ReviewSet(String name, int[][] seqs, int[] labels, int[] ratings, int[] ids) {
        this(name, seqs, labels, ratings, ids, null);
    }

    private ReviewSet(String name, int[][] seqs, int[] labels, int[] ratings, int[] ids, int[] rows) {
        this.name = name;
        this.seqs = seqs;
        this.labels = labels;
        this.ratings = ratings;
        this.ids = ids;
        this.rows = rows;
    }

    private int base(int i) {
        Objects.checkIndex(i, size());
        return rows == null ? i : rows[i];
    }

    /** E.g. "IMDB train". */
    public String name() { return name; }
    /** Number of reviews. */
    public int size() { return rows == null ? seqs.length : rows.length; }
    /** Review {@code i}'s word ids, starting with the start id (shared array: do not modify). */
    public int[] sequence(int i) { return seqs[base(i)]; }
    /** 1 for a positive review, 0 for a negative one. */
    public int label(int i) { return labels[base(i)]; }
    /** The star rating from the file name (1-4 negative, 7-10 positive). */
    public int rating(int i) { return ratings[base(i)]; }
    /** The review id from the file name. */
    public int id(int i) { return ids[base(i)]; }

    /** All sequences (the arrays are shared). */
    public int[][] sequences() {
        int[][] out = new int[size()][];
        for (int i = 0; i < out.length; i++) out[i] = sequence(i);
        return out;
    }

    /** The labels as {@code IntTensor [n]}. */
    public IntTensor labels() {
        int[] y = new int[size()];
        for (int i = 0; i < y.length; i++) y[i] = label(i);
        return IntTensor.of(y, y.length);
    }

    /** Counts of negative and positive reviews: {@code {neg, pos}}. */
    public int[] labelHistogram() {
        int[] h = new int[2];
        for (int i = 0; i < size(); i++) h[label(i)]++;
        return h;
    }

    /** All sequences padded/truncated to {@code maxlen} with Keras' defaults: {@code IntTensor [n, maxlen]}. */
    public IntTensor padded(int maxlen) { return Sequences.padSequences(sequences(), maxlen); }

    /** All sequences through {@code pad_sequences} with the given options. */
    public IntTensor padded(int maxlen, Sequences.Side padding, Sequences.Side truncating, int value) {
        return Sequences.padSequences(sequences(), maxlen, padding, truncating, value);
    }

    /** Reviews {@code [from, to)} as a view. */
    public ReviewSet slice(int from, int to) {
        Objects.checkFromToIndex(from, to, size());
        int[] r = new int[to - from];
        for (int k = 0; k < r.length; k++) r[k] = base(from + k);
        return new ReviewSet(name, seqs, labels, ratings, ids, r);
    }

    /** The reviews at the given positions, in that order, as a view. */
    public ReviewSet select(int[] indices) {
        int[] r = new int[indices.length];
        for (int k = 0; k < r.length; k++) r[k] = base(indices[k]);
        return new ReviewSet(name, seqs, labels, ratings, ids, r);
    }

    /** Splits into (train, validation) views. */
    public ReviewSet[] split(TrainValSplit split) {
        return new ReviewSet[] {select(split.train()), select(split.validation())};
    }

    /**
     * A random-access pipeline source: each review padded/truncated to {@code maxlen} with Keras'
     * defaults (pre, pre, 0), labelled; batch it with {@link dev.weft.datasets.pipeline.Collate#sequences}.
     */
    public Dataset<SequenceExample> dataset(int maxlen) {
        return Dataset.indexed(size(), i -> new SequenceExample(Sequences.pad(sequence(i), maxlen), label(i)));
    }

    /**
     * A collate function from review positions to a batch {@code IntTensor [b, maxlen]} (Keras' default
     * padding) with labels {@code [b]}: {@code Dataset.range(set.size()).shuffle(5000, seed).batch(64, true, set.collate(100))}.
     */
    public Function<List<Integer>, Batch<IntTensor>> collate(int maxlen) {
        return idx -> {
            int[][] seqs = new int[idx.size()][];
            int[] y = new int[idx.size()];
            for (int k = 0; k < seqs.length; k++) {
                seqs[k] = sequence(idx.get(k));
                y[k] = label(idx.get(k));
            }
            return new Batch<>(Sequences.padSequences(seqs, maxlen), IntTensor.of(y, y.length));
        };
    }

    @Override public String toString() {
        return name + ": " + size() + " reviews " + Arrays.toString(labelHistogram()) + " (neg, pos)";
    }
}
