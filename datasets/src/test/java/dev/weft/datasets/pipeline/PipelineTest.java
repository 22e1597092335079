package dev.weft.datasets.pipeline;

import dev.weft.datasets.ImageSet;
import dev.weft.datasets.PixelScale;
import dev.weft.datasets.Samples;
import dev.weft.datasets.TrainValSplit;
import dev.weft.datasets.image.Augment;
import dev.weft.datasets.image.ChannelStats;
import dev.weft.datasets.imdb.ImdbOptions;
import dev.weft.datasets.imdb.ReviewSet;
import dev.weft.engine.IntTensor;
import dev.weft.engine.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

class PipelineTest {
    @Test void sameSeedSameOrderDifferentEpochsDiffer() {
        Dataset<Integer> d = Dataset.range(1000).shuffle(100, 42);
        assertEquals(d.toList(0), Dataset.range(1000).shuffle(100, 42).toList(0));
        assertNotEquals(d.toList(0), d.toList(1));
        assertNotEquals(d.toList(0), Dataset.range(1000).shuffle(100, 43).toList(0));
        List<Integer> sorted = new ArrayList<>(d.toList(3));
        sorted.sort(null);
        assertEquals(Dataset.range(1000).toList(0), sorted);
        // the same through a background thread
        assertEquals(d.toList(5), d.prefetch(3).toList(5));
    }

    @Test void shuffleBufferSemanticsLikeTfData() {
        // buffer 1 keeps the order
        assertEquals(Dataset.range(50).toList(0), Dataset.range(50).shuffle(1, 7).toList(0));
        // with a buffer of k, element i cannot appear before position i - k + 1
        List<Integer> out = Dataset.range(2000).shuffle(10, 3).toList(0);
        for (int pos = 0; pos < out.size(); pos++) assertTrue(out.get(pos) <= pos + 9, "element " + out.get(pos) + " at " + pos);
        // full shuffle: a permutation, index-based (no buffer), deterministic
        Dataset<Integer> all = Dataset.range(500).shuffleAll(9);
        assertEquals(all.toList(2), Dataset.range(500).shuffleAll(9).toList(2));
        assertEquals(500, new HashSet<>(all.toList(2)).size());
        assertNotEquals(all.toList(0), all.toList(1));
    }

    @Test void streamingFullShuffleAndMapFilterTake() {
        Dataset<Integer> stream = Dataset.fromIterable(() -> List.of(1, 2, 3, 4, 5, 6).iterator());
        assertEquals(6, new HashSet<>(stream.shuffleAll(1).toList(0)).size());
        assertEquals(List.of(4, 8), stream.map(x -> 2 * x).filter(x -> x % 4 == 0).take(2).toList(0));
    }

    @Test void batchWithAndWithoutRemainder() {
        assertEquals(List.of(List.of(0, 1, 2), List.of(3, 4, 5), List.of(6)), Dataset.range(7).batch(3, false).toList(0));
        assertEquals(List.of(List.of(0, 1, 2), List.of(3, 4, 5)), Dataset.range(7).batch(3, true).toList(0));
        assertEquals(3, Dataset.range(7).batch(3, false).size());
        assertEquals(2, Dataset.range(7).batch(3, true).size());
    }

    @Test void prefetchQueueIsBoundedAndCloseStopsTheThread() throws Exception {
        AtomicInteger produced = new AtomicInteger();
        Dataset<Integer> d = Dataset.range(1_000_000).map(i -> { produced.incrementAndGet(); return i; }).prefetch(4);
        Cursor<Integer> c = d.open(0);
        for (int i = 0; i < 10; i++) assertEquals(i, c.next());
        Thread.sleep(200);
        // consumed 10; the producer may hold one more element in hand than the queue
        assertTrue(produced.get() <= 10 + 4 + 1, "produced " + produced.get());
        PrefetchCursor<Integer> pc = (PrefetchCursor<Integer>) c;
        assertTrue(pc.queued() <= 4);
        assertTrue(pc.producerAlive());
        c.close();
        assertFalse(pc.producerAlive());
        assertFalse(c.hasNext());
    }

    @Test void boundedMemoryThroughShuffleBatchPrefetch() throws Exception {
        // live = elements created by the source and not yet handed to the consumer
        AtomicInteger created = new AtomicInteger(), maxLive = new AtomicInteger();
        int[] consumed = {0};
        Dataset<List<Integer>> d = Dataset.range(20_000).map(i -> { created.incrementAndGet(); return i; })
                .shuffle(500, 1).batch(32, false).prefetch(2);
        try (Cursor<List<Integer>> c = d.open(0)) {
            while (c.hasNext()) {
                consumed[0] += c.next().size();
                maxLive.accumulateAndGet(created.get() - consumed[0], Math::max);
            }
        }
        // shuffle buffer + queued batches + the batch being built + one in hand
        assertTrue(maxLive.get() <= 500 + 2 * 32 + 32 + 32 + 1, "max live " + maxLive.get());
        assertEquals(20_000, consumed[0]);
    }

    @Test void errorsReachTheConsumer() {
        Dataset<Integer> d = Dataset.range(10).map(i -> { if (i == 5) throw new IllegalStateException("boom"); return i; }).prefetch(2);
        try (Cursor<Integer> c = d.open(0)) {
            for (int i = 0; i < 5; i++) c.next();
            assertThrows(IllegalStateException.class, c::hasNext);
        }
    }

    @Test void dataLoaderEpochsAndShutdown() throws Exception {
        Dataset<Integer> d = Dataset.range(100).shuffleAll(5).prefetch(1);
        try (DataLoader<Integer> loader = new DataLoader<>(Dataset.range(100).shuffleAll(5), 3)) {
            List<Integer> e0 = new ArrayList<>(), e1 = new ArrayList<>();
            loader.forEach(e0::add);
            loader.forEach(e1::add);
            assertEquals(d.toList(0), e0);
            assertEquals(d.toList(1), e1);
            assertEquals(2, loader.nextEpoch());
            loader.iterator().next(); // leave epoch 2 unfinished: close() must stop it
            for (Thread t : Thread.getAllStackTraces().keySet())
                if (t.getName().startsWith("weft-prefetch-")) assertTrue(t.isDaemon());
        }
        // closing the loader joined its thread: no prefetch thread is left running
        for (Thread t : Thread.getAllStackTraces().keySet())
            assertFalse(t.getName().startsWith("weft-prefetch-") && t.isAlive(), t.getName() + " still alive");
    }

    @Test void imagePipelineEndToEnd() throws Exception {
        ImageSet cifar = Samples.cifar10();
        TrainValSplit split = TrainValSplit.last(cifar.size(), 0.2);
        assertEquals(160, split.train().length);
        assertEquals(160, split.validation()[0]);
        ImageSet[] parts = cifar.split(split);
        Dataset<Batch<Tensor>> ds = parts[0].dataset(PixelScale.UNIT).shuffle(5000, 11)
                .mapRandom(12, Augment.flipAndCrop(32, 32, 3, 4))
                .batch(32, true, Collate.images(32, 32, 3)).prefetch(2);
        List<Batch<Tensor>> a = ds.toList(0), b = ds.toList(0);
        assertEquals(5, a.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(new int[] {32, 32, 32, 3}, a.get(i).x().shape());
            assertArrayEquals(a.get(i).x().toFloatArray(), b.get(i).x().toFloatArray());
            assertArrayEquals(a.get(i).y().data(), b.get(i).y().data());
        }
        ChannelStats st = ChannelStats.of(cifar, PixelScale.UNIT);
        assertEquals(3, st.mean().length);
        Tensor z = st.apply(cifar.images(PixelScale.UNIT));
        float[] v = z.toFloatArray();
        double m0 = 0;
        for (int k = 0; k < v.length; k += 3) m0 += v[k];
        assertEquals(0, m0 / (v.length / 3), 1e-4);
    }

    @Test void textPipelineEndToEnd() throws Exception {
        ReviewSet train = Samples.imdb(ImdbOptions.topWords(20000)).train();
        TrainValSplit split = TrainValSplit.shuffled(train.size(), 0.2, 1);
        assertEquals(800, split.train().length);
        assertEquals(split.validation()[0], TrainValSplit.shuffled(train.size(), 0.2, 1).validation()[0]);
        ReviewSet[] parts = train.split(split);
        Dataset<Batch<IntTensor>> ds = parts[0].dataset(100).shuffle(5000, 3).batch(64, true, Collate.sequences());
        List<Batch<IntTensor>> batches = ds.toList(0);
        assertEquals(12, batches.size());
        assertArrayEquals(new int[] {64, 100}, batches.get(0).x().shape());
        assertEquals(64, batches.get(0).size());
    }

    @Test void augmentationIsCorrect() {
        float[] img = {1, 2, 3, 4, 5, 6}; // 2x3x1
        assertArrayEquals(new float[] {3, 2, 1, 6, 5, 4}, Augment.flipLeftRight(img, 2, 3, 1));
        assertArrayEquals(new float[] {4, 5, 6, 1, 2, 3}, Augment.flipUpDown(img, 2, 3, 1));
        float[] crop = Augment.randomCrop(img, 2, 3, 1, 1, 2, new SplittableRandom(0));
        assertEquals(2, crop.length);
        assertTrue(Arrays.equals(crop, new float[] {1, 2}) || Arrays.equals(crop, new float[] {2, 3})
                || Arrays.equals(crop, new float[] {4, 5}) || Arrays.equals(crop, new float[] {5, 6}));
        assertArrayEquals(img, Augment.padAndCrop(img, 2, 3, 1, 0, 0f, new SplittableRandom(1)));
        assertArrayEquals(Augment.padAndCrop(img, 2, 3, 1, 2, 0f, new SplittableRandom(5)),
                Augment.padAndCrop(img, 2, 3, 1, 2, 0f, new SplittableRandom(5)));
    }
}
