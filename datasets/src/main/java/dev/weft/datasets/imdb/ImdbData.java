package dev.weft.datasets.imdb;

import dev.weft.datasets.text.Vocabulary;

/**
 * IMDB as loaded: training and test reviews as id sequences, and the training vocabulary.
 *
 * @param train      the training reviews (25,000 in the full set)
 * @param test       the test reviews (25,000 in the full set)
 * @param vocabulary all training words ranked by frequency
 * @param options    how ids were assigned
 */
public record ImdbData(ReviewSet train, ReviewSet test, Vocabulary vocabulary, ImdbOptions options) {

    /** The word for an id: "[PAD]", "[START]", "[OOV]", "[UNUSED]" for reserved ids, else the vocabulary word. */
    public String word(int id) {
        if (id == 0) return "[PAD]";
        if (id == options.startChar()) return "[START]";
        if (id == options.oovChar()) return "[OOV]";
        int rank = id - options.indexFrom();
        if (rank < 1 || rank > vocabulary.size()) return "[UNUSED]";
        return vocabulary.word(rank);
    }

    /** The id sequence as words separated by spaces (padding skipped). */
    public String decode(int[] ids) {
        StringBuilder sb = new StringBuilder();
        for (int id : ids) {
            if (id == 0) continue;
            if (sb.length() > 0) sb.append(' ');
            sb.append(word(id));
        }
        return sb.toString();
    }
}
