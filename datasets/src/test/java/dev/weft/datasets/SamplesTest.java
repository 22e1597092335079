package dev.weft.datasets;

import dev.weft.datasets.pipeline.Batch;
import dev.weft.datasets.pipeline.Dataset;
import dev.weft.engine.IntTensor;
import dev.weft.engine.Tensor;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class SamplesTest {
    @Test void availableWithNoticeInTheJar() throws Exception {
        assertTrue(Samples.available());
        boolean found = false;
        for (URL u : java.util.Collections.list(Samples.class.getClassLoader().getResources("META-INF/NOTICE"))) {
            try (var in = u.openStream()) {
                String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                if (text.startsWith("Weft samples")) {
                    found = true;
                    for (String must : List.of("LeCun", "Krizhevsky", "Maas", "CC BY-SA 3.0", "ACL 2011"))
                        assertTrue(text.contains(must), must);
                }
            }
        }
        assertTrue(found, "META-INF/NOTICE of weft-samples");
    }

    @Test void clearErrorWithoutTheSamplesJar() {
        ClassLoader empty = new URLClassLoader(new URL[0], null);
        DatasetNotFoundException e = assertThrows(DatasetNotFoundException.class, () -> Samples.resource(Samples.MNIST_IMAGES, empty));
        assertTrue(e.getMessage().contains("weft-samples"), e.getMessage());
        assertTrue(e.getMessage().contains("classpath:dev/weft/samples/mnist/t10k-images-idx3-ubyte.gz"), e.getMessage());
    }

    @Test void directCollateMatchesPerExamplePath() throws Exception {
        ImageSet mnist = Samples.mnistTest().slice(0, 100);
        Dataset<Batch<Tensor>> fast = Dataset.range(mnist.size()).shuffle(5000, 4).batch(32, false, mnist.collate(PixelScale.UNIT));
        List<Batch<Tensor>> a = fast.toList(0);
        assertEquals(4, a.size());
        assertArrayEquals(new int[] {4, 28, 28, 1}, a.get(3).x().shape());
        List<Integer> order = Dataset.range(mnist.size()).shuffle(5000, 4).toList(0);
        assertArrayEquals(mnist.image(order.get(33), PixelScale.UNIT), java.util.Arrays.copyOfRange(a.get(1).x().toFloatArray(), 784, 1568));
        assertEquals(mnist.label(order.get(33)), a.get(1).y().data()[1]);
        var imdb = Samples.imdb(dev.weft.datasets.imdb.ImdbOptions.topWords(20000)).train();
        Batch<IntTensor> b = Dataset.range(imdb.size()).batch(64, true, imdb.collate(100)).toList(0).get(0);
        assertArrayEquals(new int[] {64, 100}, b.x().shape());
        assertArrayEquals(dev.weft.datasets.text.Sequences.pad(imdb.sequence(5), 100), java.util.Arrays.copyOfRange(b.x().data(), 500, 600));
    }
}
