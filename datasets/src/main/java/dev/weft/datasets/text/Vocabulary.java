package dev.weft.datasets.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Words ranked by frequency: rank 1 is the most frequent word (Keras' {@code word_index} convention).
 *
 * <p><b>Tie-break</b>: words with equal counts are ordered by {@link String#compareTo} (UTF-16 code
 * unit order), so the ranking depends only on the counts, never on reading order or hashing.
 */
public final class Vocabulary {
    private final String[] words;   // words[r - 1] has rank r
    private final long[] counts;
    private final Map<String, Integer> ranks;

    private Vocabulary(String[] words, long[] counts) {
        this.words = words;
        this.counts = counts;
        this.ranks = new HashMap<>(words.length * 2);
        for (int i = 0; i < words.length; i++) ranks.put(words[i], i + 1);
    }

    /** Ranks the words of a count table (count descending, then word ascending). Zero counts are dropped. */
    public static Vocabulary fromCounts(Map<String, ? extends Number> counts) {
        List<String> ws = new ArrayList<>(counts.size());
        for (Map.Entry<String, ? extends Number> e : counts.entrySet()) if (e.getValue().longValue() > 0) ws.add(e.getKey());
        String[] w = ws.toArray(new String[0]);
        long[] c = new long[w.length];
        for (int i = 0; i < w.length; i++) c[i] = counts.get(w[i]).longValue();
        return ranked(w, c);
    }

    /** Ranks parallel arrays of words and counts (zero counts dropped). */
    public static Vocabulary ranked(String[] words, long[] counts) {
        Integer[] order = new Integer[words.length];
        int m = 0;
        for (int i = 0; i < words.length; i++) if (counts[i] > 0) order[m++] = i;
        Integer[] o = Arrays.copyOf(order, m);
        Arrays.sort(o, (a, b) -> {
            int c = Long.compare(counts[b], counts[a]);
            return c != 0 ? c : words[a].compareTo(words[b]);
        });
        String[] w = new String[m];
        long[] c = new long[m];
        for (int i = 0; i < m; i++) { w[i] = words[o[i]]; c[i] = counts[o[i]]; }
        return new Vocabulary(w, c);
    }

    /** Number of distinct words. */
    public int size() { return words.length; }

    /** The word of rank {@code r} (1-based). */
    public String word(int rank) {
        if (rank < 1 || rank > words.length) throw new IndexOutOfBoundsException("rank " + rank + " of " + words.length);
        return words[rank - 1];
    }

    /** The rank (1-based) of {@code word}, or 0 if it is not in the vocabulary. */
    public int rank(String word) {
        Integer r = ranks.get(word);
        return r == null ? 0 : r;
    }

    /** How often the word of rank {@code r} occurred. */
    public long count(int rank) {
        if (rank < 1 || rank > words.length) throw new IndexOutOfBoundsException("rank " + rank + " of " + words.length);
        return counts[rank - 1];
    }

    /** The words in rank order (index 0 = rank 1). */
    public List<String> words() { return Collections.unmodifiableList(Arrays.asList(words)); }

    /** word → rank, like Keras' {@code imdb.get_word_index()}. */
    public Map<String, Integer> wordIndex() { return Collections.unmodifiableMap(ranks); }
}
