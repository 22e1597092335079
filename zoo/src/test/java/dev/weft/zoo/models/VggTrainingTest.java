package dev.weft.zoo.models;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.datasets.ImageSet;
import dev.weft.datasets.Labels;
import dev.weft.datasets.PixelScale;
import dev.weft.datasets.Samples;
import dev.weft.engine.Rng;
import dev.weft.engine.Tensor;
import dev.weft.nn.Sequential;
import dev.weft.nn.losses.CategoricalCrossentropy;
import dev.weft.nn.optim.Adam;
import dev.weft.zoo.metrics.Metrics;
import dev.weft.zoo.train.Trainer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The seed VGG learns: a reduced-width copy built by the same code ({@link Vgg#build} with width
 * 1/8: filters 8..64, Dense 512) memorises 8 real CIFAR-100 sample images with the seed's recipe
 * (inputs in [-1, 1], one-hot labels, softmax + categorical cross-entropy, Adam); and the full-size
 * network runs forward and backward on a batch of 2 with the right shapes.
 */
class VggTrainingTest {
    @Test void reducedWidthSeedVggMemorisesEightImages() throws Exception {
        ImageSet cifar = Samples.cifar100Train();
        int[] picks = {0, 100, 200, 300, 400, 500, 600, 700};
        Tensor x = cifar.gather(java.util.Arrays.stream(picks).boxed().toList(), PixelScale.SYMMETRIC).x();   // [8, 32, 32, 3]
        Tensor y = Labels.oneHot(cifar.gather(java.util.Arrays.stream(picks).boxed().toList(), PixelScale.SYMMETRIC).y(), 100);
        Sequential vgg = Vgg.build(Vgg.Config.SEED.convsPerBlock(), 0.125, 100, new Rng(3));
        Trainer trainer = new Trainer(vgg).compile(new Adam(vgg.namedParameters(), 1e-3f), new CategoricalCrossentropy(), Metrics.accuracy());
        List<Double> losses = Overfit.run(trainer, x, y, 150, 0.02);
        double first = losses.get(0), last = losses.get(losses.size() - 1);
        assertEquals(Math.log(100), first, 0.3, "an untrained 100-way softmax starts near ln 100:" + Overfit.trace(losses));
        assertTrue(last < 0.02, "training loss should fall near zero:" + Overfit.trace(losses));
        Map<String, Double> eval = trainer.evaluate(x, y, 8);
        assertEquals(1.0, eval.get("accuracy"), "all 8 memorised: " + eval);
    }

    @Test void fullSizeSeedVggForwardBackwardShapes() {
        Sequential vgg = (Sequential) ZooModel.VGG.build(1);
        Tensor x = Tensor.uniform(new Rng(2), -1, 1, 2, 32, 32, 3);
        Tensor y = Labels.oneHot(dev.weft.engine.IntTensor.of(new int[] {3, 97}, 2), 100);
        Tensor probs = vgg.forward(x);
        assertArrayEquals(new int[] {2, 100}, probs.shape());
        Tensor loss = new CategoricalCrossentropy().apply(probs, y);
        loss.backward();
        for (Map.Entry<String, Tensor> e : vgg.namedParameters().entrySet()) {
            assertNotNull(e.getValue().grad(), e.getKey() + " got no gradient");
            assertArrayEquals(e.getValue().shape(), e.getValue().grad().shape(), e.getKey());
        }
        float[] p = probs.toFloatArray();
        double rowSum = 0;
        for (int i = 0; i < 100; i++) rowSum += p[i];
        assertEquals(1.0, rowSum, 1e-4, "softmax rows sum to 1");
    }
}
