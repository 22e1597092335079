package dev.weft.zoo.models;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.datasets.ImageSet;
import dev.weft.datasets.Labels;
import dev.weft.datasets.PixelScale;
import dev.weft.datasets.Samples;
import dev.weft.datasets.pipeline.Batch;
import dev.weft.engine.IntTensor;
import dev.weft.engine.Rng;
import dev.weft.engine.Tensor;
import dev.weft.nn.Model;
import dev.weft.nn.losses.CategoricalCrossentropy;
import dev.weft.nn.optim.Adam;
import dev.weft.zoo.train.Trainer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * ResNet learns: a reduced-width ResNet-18 built by the same code ({@link ResNet#build} with width
 * 1/8: filters 8..64) memorises 8 real CIFAR-100 sample images with the seed's recipe (inputs in
 * [0, 1], logits + categorical cross-entropy from logits, Adam); the full-size ResNet-18 runs
 * forward and backward on a batch of 2 with the right shapes and updates its BN moving statistics.
 */
class ResNetTrainingTest {
    @Test void reducedWidthResNet18MemorisesEightImages() throws Exception {
        ImageSet cifar = Samples.cifar100Train();
        Batch<Tensor> b = cifar.gather(List.of(0, 100, 200, 300, 400, 500, 600, 700), PixelScale.UNIT);
        Tensor x = b.x(), y = Labels.oneHot(b.y(), 100);                               // [8, 32, 32, 3], [8, 100]
        Model resnet = ResNet.build(ResNet.RESNET18, 0.125, 100, new Rng(4));
        Trainer trainer = new Trainer(resnet).compile(new Adam(resnet.namedParameters(), 1e-3f), new CategoricalCrossentropy(true));
        List<Double> losses = Overfit.run(trainer, x, y, 150, 0.02);
        double last = losses.get(losses.size() - 1);
        assertTrue(losses.get(0) > 3.5, "starts near ln 100:" + Overfit.trace(losses));
        assertTrue(last < 0.02, "training loss should fall near zero:" + Overfit.trace(losses));
    }

    @Test void fullSizeResNet18ForwardBackwardShapes() {
        Model resnet = (Model) ZooModel.RESNET18.build(1);
        Tensor x = Tensor.rand(new Rng(2), 2, 32, 32, 3);
        Tensor y = Labels.oneHot(IntTensor.of(new int[] {5, 42}, 2), 100);
        Tensor before = resnet.namedBuffers().get("batch_normalization.moving_mean").contiguous();
        float[] beforeValues = before.toFloatArray().clone();
        resnet.train();
        Tensor logits = resnet.forward(x);
        assertArrayEquals(new int[] {2, 100}, logits.shape());
        new CategoricalCrossentropy(true).apply(logits, y).backward();
        for (Map.Entry<String, Tensor> e : resnet.namedParameters().entrySet()) {
            assertNotNull(e.getValue().grad(), e.getKey() + " got no gradient");
            assertArrayEquals(e.getValue().shape(), e.getValue().grad().shape(), e.getKey());
        }
        float[] after = resnet.namedBuffers().get("batch_normalization.moving_mean").toFloatArray();
        assertFalse(Arrays.equals(beforeValues, after), "training-mode BN updates its moving mean");
    }
}
