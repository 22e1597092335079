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

    /**
     * The seed VGG's weights are Keras' defaults: every kernel from glorot_uniform, U(±limit) with
     * limit = sqrt(6 / (fan_in + fan_out)), fan_in = kh·kw·cin and fan_out = kh·kw·cout for a conv
     * (in and out for a Dense), and every bias zero. With 1,728 to 16.8 million draws per kernel the
     * largest |w| lies within 1 % of the limit, and the mean of w² is limit²/3 within 5 standard errors.
     */
    @Test void fullSizeSeedVggStartsFromKerasGlorotUniformAndZeroBiases() {
        Sequential vgg = (Sequential) ZooModel.VGG.build(1);
        int kernels = 0;
        for (Map.Entry<String, Tensor> e : vgg.namedParameters().entrySet()) {
            float[] w = e.getValue().toFloatArray();
            int[] shape = e.getValue().shape();
            if (e.getKey().endsWith(".bias")) {
                for (float v : w) assertEquals(0f, v, e.getKey());
                continue;
            }
            kernels++;
            double receptive = shape.length == 4 ? shape[0] * shape[1] : 1;   // conv [kh, kw, cin, cout]; Dense [in, out]
            double fanIn = receptive * shape[shape.length - 2], fanOut = receptive * shape[shape.length - 1];
            double limit = Math.sqrt(6 / (fanIn + fanOut));
            double max = 0, sumSq = 0;
            for (float v : w) {
                max = Math.max(max, Math.abs(v));
                sumSq += (double) v * v;
            }
            // the bound itself is a float: allow its rounding
            assertTrue(max <= limit * (1 + 1e-6) && max > 0.99 * limit, e.getKey() + ": max |w| " + max + ", limit " + limit);
            // mean of w² for U(±limit) is limit²/3; its relative standard error is sqrt(0.8 / n): allow 5 of them
            double tolerance = 5 * Math.sqrt(0.8 / w.length);
            assertEquals(limit * limit / 3, sumSq / w.length, tolerance * limit * limit / 3, e.getKey() + ": variance");
        }
        assertEquals(16 + 3, kernels, "16 convolutions and 3 Dense layers");
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
