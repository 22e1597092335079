package dev.weft.zoo.models;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.datasets.Samples;
import dev.weft.datasets.imdb.ImdbData;
import dev.weft.datasets.imdb.ImdbOptions;
import dev.weft.datasets.imdb.ReviewSet;
import dev.weft.engine.Rng;
import dev.weft.engine.Tensor;
import dev.weft.nn.Sequential;
import dev.weft.nn.losses.BinaryCrossentropy;
import dev.weft.nn.optim.Adam;
import dev.weft.zoo.metrics.Metrics;
import dev.weft.zoo.train.Trainer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The full-size LSTM sentiment model (Embedding 20,000x100, two LSTM(64) with dropout 0.5) memorises
 * 16 real IMDB sample reviews (top 20,000 words, padded to 100 as Keras): its inference-mode loss
 * falls near zero and it classifies all 16.
 */
class LstmSentimentTrainingTest {
    @Test void fullSizeModelMemorisesSixteenReviews() throws Exception {
        ImdbData imdb = Samples.imdb(ImdbOptions.topWords(LstmSentiment.VOCAB));
        ReviewSet train = imdb.train();
        int[] picks = new int[16];
        for (int i = 0; i < 8; i++) {
            picks[i] = i;                        // positive reviews come first
            picks[8 + i] = train.size() - 1 - i; // negative ones last
        }
        ReviewSet sixteen = train.select(picks);
        Tensor x = sixteen.padded(LstmSentiment.MAXLEN).toFloat();                      // [16, 100] ids
        Tensor y = sixteen.labels().toFloat().reshape(16, 1);                            // [16, 1]
        assertEquals(8.0, y.sum().item(), "8 positive, 8 negative");
        Sequential lstm = LstmSentiment.build(new Rng(5));
        Trainer trainer = new Trainer(lstm).compile(new Adam(lstm.namedParameters(), 1e-3f), new BinaryCrossentropy(), Metrics.accuracy());
        List<Double> losses = Overfit.run(trainer, x, y, 200, 0.01);
        assertEquals(Math.log(2), losses.get(0), 0.05, "an untrained sigmoid starts near ln 2:" + Overfit.trace(losses));
        Map<String, Double> eval = trainer.evaluate(x, y, 16);                           // dropout off
        assertTrue(eval.get("loss") < 0.05, "inference loss near zero: " + eval + Overfit.trace(losses));
        assertEquals(1.0, eval.get("accuracy"), eval::toString);
    }
}
