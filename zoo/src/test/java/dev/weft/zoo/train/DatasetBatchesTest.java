package dev.weft.zoo.train;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.datasets.pipeline.Batch;
import dev.weft.datasets.pipeline.Collate;
import dev.weft.datasets.pipeline.DataLoader;
import dev.weft.datasets.pipeline.Dataset;
import dev.weft.datasets.pipeline.Example;
import dev.weft.datasets.pipeline.SequenceExample;
import dev.weft.engine.IntTensor;
import dev.weft.engine.Rng;
import dev.weft.engine.Tensor;
import dev.weft.nn.Sequential;
import dev.weft.nn.layers.Dense;
import dev.weft.nn.layers.Embedding;
import dev.weft.nn.layers.Flatten;
import dev.weft.nn.losses.BinaryCrossentropy;
import dev.weft.nn.losses.CategoricalCrossentropy;
import dev.weft.nn.optim.Adam;
import dev.weft.zoo.metrics.Metrics;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetBatchesTest {
    static Dataset<Batch<Tensor>> blobPipeline(long shuffleSeed) {
        Tensor[] d = Toy.blobs(36, 1);
        float[] x = d[0].toFloatArray(), y = d[1].toFloatArray();
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < 36; i++) examples.add(new Example(new float[] {x[2 * i], x[2 * i + 1]}, (int) y[i]));
        return Dataset.of(examples).shuffleAll(shuffleSeed).batch(8, false, Collate.images(2));
    }

    static History fitOneHot(BatchSource src) {
        Sequential model = Toy.classifier(2);
        Trainer t = new Trainer(model).compile(new Adam(model.namedParameters(), 0.05f), new CategoricalCrossentropy(), Metrics.accuracy());
        return t.fit(src, FitOptions.epochs(8).verbose(0));
    }

    @Test
    void trainsFromAShuffledPipelineDeterministically() {
        History a = fitOneHot(DatasetBatches.images(blobPipeline(5), Targets.oneHot(3)));
        History b = fitOneHot(DatasetBatches.images(blobPipeline(5), Targets.oneHot(3)));
        assertEquals(a.get("loss"), b.get("loss"));
        assertTrue(a.last("loss") < 0.5 * a.get("loss").get(0), a.get("loss").toString());
        assertTrue(a.last("accuracy") > 0.9, a.toString());
        // through a prefetching loader: same batches, same numbers
        try (DataLoader<Batch<Tensor>> loader = new DataLoader<>(blobPipeline(5), 2)) {
            History c = fitOneHot(DatasetBatches.of(loader, x -> x, Targets.oneHot(3)));
            assertEquals(a.get("loss"), c.get("loss"));
        }
    }

    @Test
    void epochsOpenTheirOwnShuffledPass() {
        BatchSource src = DatasetBatches.images(blobPipeline(9), Targets.classIndices());
        assertEquals(5, src.size());
        float[] e0 = src.open(0).next().y().toFloatArray(), e0again = src.open(0).next().y().toFloatArray();
        float[] e1 = src.open(1).next().y().toFloatArray();
        assertArrayEquals(e0, e0again);
        assertFalse(java.util.Arrays.equals(e0, e1));
    }

    @Test
    void tokenSequencesFeedAnEmbedding() {
        Rng rng = new Rng(3);
        List<SequenceExample> ex = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            int label = i % 2;
            int[] tokens = new int[5];
            // positives use ids 5..9, negatives 0..4
            for (int j = 0; j < 5; j++) tokens[j] = label * 5 + rng.nextInt(5);
            ex.add(new SequenceExample(tokens, label));
        }
        Dataset<Batch<IntTensor>> ds = Dataset.of(ex).shuffleAll(4).batch(6, true, Collate.sequences());
        Sequential model = new Sequential(new Embedding(10, 4).withRng(rng), new Flatten(), new Dense(1).activation("sigmoid").withRng(rng)).input(5);
        Trainer t = new Trainer(model).compile(new Adam(model.namedParameters(), 0.05f), new BinaryCrossentropy(), Metrics.accuracy());
        History h = t.fit(DatasetBatches.sequences(ds, Targets.binaryColumn()), FitOptions.epochs(10).verbose(0));
        assertTrue(h.last("accuracy") == 1.0, h.toString());
        assertTrue(h.last("loss") < h.get("loss").get(0));
    }

    @Test
    void targetEncodings() {
        IntTensor labels = IntTensor.of(new int[] {2, 0, 1}, 3);
        Tensor oh = Targets.oneHot(3).apply(labels);
        assertArrayEquals(new int[] {3, 3}, oh.shape());
        assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0, 0, 1, 0}, oh.toFloatArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Targets.oneHot(2).apply(labels));
        assertTrue(e.getMessage().contains("label 2"), e.getMessage());
        Tensor col = Targets.binaryColumn().apply(IntTensor.of(new int[] {1, 0}, 2));
        assertArrayEquals(new int[] {2, 1}, col.shape());
        assertArrayEquals(new float[] {2, 0, 1}, Targets.classIndices().apply(labels).toFloatArray());
    }
}
