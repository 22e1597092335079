package dev.weft.zoo.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.engine.Tensor;
import dev.weft.zoo.models.ZooModel;
import dev.weft.zoo.train.BatchSource;
import dev.weft.zoo.train.LabeledBatch;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The seed's data recipes on the embedded samples: splits, scaling, label encoding, batch sizes, seeded order. */
class ZooDataTest {
    private static List<LabeledBatch> all(BatchSource s, int epoch) throws Exception {
        List<LabeledBatch> out = new ArrayList<>();
        Iterator<LabeledBatch> it = s.open(epoch);
        try {
            while (it.hasNext()) out.add(it.next());
        } finally {
            if (it instanceof AutoCloseable c) c.close();
        }
        return out;
    }

    private static int count(List<LabeledBatch> batches) { return batches.stream().mapToInt(LabeledBatch::size).sum(); }

    private static float min(Tensor t) { return t.min().item(); }

    private static float max(Tensor t) { return t.max().item(); }

    @Test void resnetSplitsTheTrainingImages80To20InUnitRange() throws Exception {
        ZooData.Sets s = ZooData.load(ZooModel.RESNET18, null, 64, 1);
        List<LabeledBatch> train = all(s.train(), 0), val = all(s.validation(), 0), test = all(s.test(), 0);
        assertEquals(800, count(train));
        assertEquals(200, count(val));
        assertEquals(1000, count(test));
        assertEquals(64, train.get(0).size());
        assertEquals(800 - 12 * 64, train.get(train.size() - 1).size(), "the last partial batch is kept");
        LabeledBatch b = train.get(0);
        assertArrayEquals(new int[] {64, 32, 32, 3}, b.x().shape());
        assertArrayEquals(new int[] {64, 100}, b.y().shape());
        assertTrue(min(b.x()) >= 0 && max(b.x()) <= 1 && max(b.x()) > 0.9, "[0, 1]");
        assertArrayEquals(Tensor.ones(64).toFloatArray(), b.y().sum(1, false).toFloatArray(), "one-hot rows");
    }

    @Test void vggUsesSymmetricPixelsAndValidatesOnTheTestImages() throws Exception {
        ZooData.Sets s = ZooData.load(ZooModel.VGG, null, 32, 1);
        assertEquals(1000, count(all(s.train(), 0)));
        assertEquals(1000, count(all(s.validation(), 0)));
        Tensor x = all(s.train(), 0).get(0).x();
        assertTrue(min(x) >= -1 && min(x) < -0.8 && max(x) <= 1, "[-1, 1]");
    }

    @Test void shuffleIsSeededAndDiffersPerEpoch() throws Exception {
        ZooData.Sets a = ZooData.load(ZooModel.VAE, null, 512, 3), b = ZooData.load(ZooModel.VAE, null, 512, 3);
        float[] a0 = all(a.train(), 0).get(0).x().toFloatArray(), b0 = all(b.train(), 0).get(0).x().toFloatArray();
        float[] a1 = all(a.train(), 1).get(0).x().toFloatArray();
        assertArrayEquals(a0, b0, "same seed, same epoch: same batch");
        assertFalse(java.util.Arrays.equals(a0, a1), "another epoch: another order");
    }

    @Test void vaeTrainsOnTheFirst8000SampleImagesWithoutLabels() throws Exception {
        ZooData.Sets s = ZooData.load(ZooModel.VAE, null, 512, 1);
        List<LabeledBatch> train = all(s.train(), 0);
        assertEquals(8000, count(train));
        assertEquals(2000, count(all(s.test(), 0)));
        assertNull(train.get(0).y());
        assertArrayEquals(new int[] {100, 28, 28, 1}, s.firstTestImages().shape());
    }

    @Test void lstmBatchesDropTheRemainderAndCarryKerasIds() throws Exception {
        ZooData.Sets s = ZooData.load(ZooModel.LSTM, null, 64, 1);
        List<LabeledBatch> train = all(s.train(), 0);
        assertEquals(800 / 64, train.size(), "800 training reviews: 12 full batches, the remaining 32 dropped");
        for (LabeledBatch b : train) {
            assertArrayEquals(new int[] {64, 100}, b.x().shape());
            assertArrayEquals(new int[] {64, 1}, b.y().shape());
            for (float id : b.x().toFloatArray()) assertTrue(id >= 0 && id < 20000 && id == Math.rint(id));
            for (float y : b.y().toFloatArray()) assertTrue(y == 0 || y == 1);
        }
        assertEquals(200, count(all(s.validation(), 0)));
        assertEquals(1000, count(all(s.test(), 0)));
    }

    /**
     * The full IMDB training files are sorted (12,500 positive, then 12,500 negative): a 5,000-element
     * shuffle buffer alone would feed the first batches from positives only. After the one-time
     * permutation every early batch mixes both halves.
     */
    @Test void trainingOrderMixesASortedSetFromTheFirstBatch() throws Exception {
        int n = 20_000;
        try (var c = ZooData.order(n, true, 1).batch(64, true).open(0)) {
            for (int b = 0; b < 5; b++) {
                long firstHalf = c.next().stream().filter(i -> i < n / 2).count();
                assertTrue(firstHalf > 16 && firstHalf < 48, "batch " + b + ": " + firstHalf + " of 64 from the first half");
            }
        }
        try (var c = ZooData.order(n, false, 1).open(0)) {
            assertEquals(0, c.next(), "evaluation keeps file order");
        }
    }

    @Test void limitStopsEarly() throws Exception {
        ZooData.Sets s = ZooData.load(ZooModel.VAE, null, 512, 1);
        BatchSource two = ZooData.limit(s.test(), 2);
        assertEquals(2, all(two, 0).size());
        assertEquals(2, two.size());
        assertSame(s.test(), ZooData.limit(s.test(), 0));
    }
}
