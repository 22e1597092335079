package dev.weft.datasets;

import dev.weft.datasets.cifar.Cifar;
import dev.weft.datasets.imdb.Imdb;
import dev.weft.datasets.imdb.ImdbData;
import dev.weft.datasets.imdb.ImdbOptions;
import dev.weft.datasets.imdb.ReviewSet;
import dev.weft.datasets.mnist.Mnist;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Full datasets, only when {@code WEFT_DATA} names a data folder (skipped otherwise, so the build
 * never needs them). Each dataset found there is checked against its published counts and timed.
 */
@EnabledIfEnvironmentVariable(named = DataLocator.ENV, matches = ".+")
class FullDataTest {
    interface Load<T> { T get() throws Exception; }

    private static <T> T loadOrSkip(String what, Load<T> load) throws Exception {
        long t0 = System.nanoTime();
        try {
            T t = load.get();
            System.out.printf("%s loaded in %.2f s%n", what, (System.nanoTime() - t0) / 1e9);
            return t;
        } catch (DatasetNotFoundException e) {
            Assumptions.abort(what + " not in the data folder");
            return null;
        }
    }

    @Test void mnist() throws Exception {
        ImageSet train = loadOrSkip("MNIST train", () -> Mnist.load(DataLocator.defaults(), Split.TRAIN));
        assertArrayEquals(new int[] {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}, train.labelHistogram());
        assertEquals(10000, Mnist.load(DataLocator.defaults(), Split.TEST).size());
    }

    @Test void fashionMnist() throws Exception {
        ImageSet train = loadOrSkip("Fashion-MNIST train", () -> Mnist.loadFashion(DataLocator.defaults(), Split.TRAIN));
        for (int h : train.labelHistogram()) assertEquals(6000, h);
        for (int h : Mnist.loadFashion(DataLocator.defaults(), Split.TEST).labelHistogram()) assertEquals(1000, h);
    }

    @Test void cifar() throws Exception {
        ImageSet c10 = loadOrSkip("CIFAR-10 train", () -> Cifar.load10(DataLocator.defaults(), Split.TRAIN));
        for (int h : c10.labelHistogram()) assertEquals(5000, h);
    }

    @Test void cifar100() throws Exception {
        ImageSet c100 = loadOrSkip("CIFAR-100 train", () -> Cifar.load100(DataLocator.defaults(), Split.TRAIN));
        for (int h : c100.labelHistogram()) assertEquals(500, h);
    }

    @Test void imdb() throws Exception {
        ImdbData d = loadOrSkip("IMDB", () -> Imdb.load(DataLocator.defaults(), ImdbOptions.topWords(20000)));
        assertArrayEquals(new int[] {12500, 12500}, d.train().labelHistogram());
        assertArrayEquals(new int[] {12500, 12500}, d.test().labelHistogram());
        // SOURCES.md rating table
        assertEquals(Map.of(7, 2496, 8, 3009, 9, 2263, 10, 4732, 1, 5100, 2, 2284, 3, 2420, 4, 2696), ratings(d.train()));
        assertEquals(Map.of(7, 2307, 8, 2850, 9, 2344, 10, 4999, 1, 5022, 2, 2302, 3, 2541, 4, 2635), ratings(d.test()));
        for (int[] s : d.train().sequences()) for (int v : s) assertTrue(v > 0 && v < 20000);
    }

    private static Map<Integer, Integer> ratings(ReviewSet s) {
        Map<Integer, Integer> m = new TreeMap<>();
        for (int i = 0; i < s.size(); i++) m.merge(s.rating(i), 1, Integer::sum);
        return m;
    }
}
