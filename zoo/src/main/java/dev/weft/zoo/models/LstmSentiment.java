package dev.weft.zoo.models;

import static dev.weft.zoo.models.Vgg.seeded;

import dev.weft.engine.Rng;
import dev.weft.nn.Sequential;
import dev.weft.nn.layers.Dense;
import dev.weft.nn.layers.Embedding;
import dev.weft.nn.layers.LSTM;

/**
 * The seed's IMDB sentiment classifier, Sequential style:
 *
 * <pre>
 *   ids [N, 100] → Embedding(20000, 100) → LSTM(64, return_sequences, dropout 0.5)
 *                → LSTM(64, dropout 0.5) → Dense(1, sigmoid)           = 2,075,329 parameters
 * </pre>
 *
 * Data (the seed's): the 20,000 most frequent training words (Keras ids: 0 pad, 1 start, 2
 * out-of-vocabulary), each review padded/truncated to 100 ids with Keras' {@code pad_sequences}
 * defaults (both at the front). Binary cross-entropy, Adam with Keras defaults, batch 64 with the
 * last partial batch dropped, 80/20 train/validation split. The ids enter as a float tensor of whole
 * numbers (what {@link Embedding#forward} takes).
 */
public final class LstmSentiment {
    private LstmSentiment() {}

    /** Vocabulary size (Keras' {@code num_words}). */
    public static final int VOCAB = 20_000;
    /** Sequence length (Keras' {@code maxlen}). */
    public static final int MAXLEN = 100;
    /** Embedding width. */
    public static final int EMBED = 100;
    /** LSTM units. */
    public static final int UNITS = 64;
    /** Input dropout of both LSTMs. */
    public static final double DROPOUT = 0.5;

    /** The seed network; weights and dropout masks drawn from {@code rng}. */
    public static Sequential build(Rng rng) {
        return build(VOCAB, MAXLEN, EMBED, UNITS, DROPOUT, rng);
    }

    /** The same architecture with other sizes (for tests and experiments). */
    public static Sequential build(int vocab, int maxlen, int embed, int units, double dropout, Rng rng) {
        if (vocab < 1 || maxlen < 1 || embed < 1 || units < 1)
            throw new IllegalArgumentException("LstmSentiment: sizes must be >= 1, got vocab " + vocab + ", maxlen " + maxlen
                    + ", embed " + embed + ", units " + units);
        Sequential model = new Sequential(
                seeded(new Embedding(vocab, embed), rng),                                  // [N, T] → [N, T, E]
                seeded(new LSTM(units).returnSequences(true).dropout(dropout), rng),       // → [N, T, U]
                seeded(new LSTM(units).dropout(dropout), rng),                             // → [N, U]
                seeded(new Dense(1).activation("sigmoid"), rng));                          // → [N, 1]
        model.named("lstm_sentiment");
        return model.input(maxlen);
    }
}
