package dev.weft.datasets.imdb;

/**
 * How IMDB reviews become id sequences, with Keras' {@code imdb.load_data} parameters and defaults.
 *
 * <p>A word of frequency rank {@code r} (1 = most frequent in the TRAINING reviews; ties by
 * {@link String#compareTo}, see {@link dev.weft.datasets.text.Vocabulary}) gets id
 * {@code r + indexFrom}; so with the defaults 0 is padding, 1 marks the start, 2 is out-of-vocabulary,
 * 3 is unused (as in Keras) and the most frequent word is 4. Every sequence starts with
 * {@code startChar}. With {@code numWords > 0}, ids {@code >= numWords} become {@code oovChar}
 * (Keras keeps ids below {@code num_words}, so an {@code Embedding(numWords, ...)} covers all of them).
 * Words of the test reviews that never occur in training are out of vocabulary.
 *
 * @param numWords  keep ids below this (0 = keep all, Keras' {@code None})
 * @param indexFrom offset added to a word's rank (Keras 3)
 * @param startChar id put at the start of every sequence (Keras 1)
 * @param oovChar   id of out-of-vocabulary words (Keras 2)
 */
public record ImdbOptions(int numWords, int indexFrom, int startChar, int oovChar) {
    /** Validates the ids. */
    public ImdbOptions {
        if (numWords < 0 || indexFrom < 0 || startChar < 0 || oovChar < 0) throw new IllegalArgumentException("negative option");
    }

    /** Keras' defaults: all words, index_from 3, start 1, OOV 2. */
    public static ImdbOptions defaults() { return new ImdbOptions(0, 3, 1, 2); }

    /** Keras' defaults with {@code num_words = numWords} (the LSTM seed uses 20,000). */
    public static ImdbOptions topWords(int numWords) { return new ImdbOptions(numWords, 3, 1, 2); }
}
