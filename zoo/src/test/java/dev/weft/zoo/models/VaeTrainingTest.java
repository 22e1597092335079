package dev.weft.zoo.models;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.datasets.ImageSet;
import dev.weft.datasets.PixelScale;
import dev.weft.datasets.Samples;
import dev.weft.engine.Rng;
import dev.weft.engine.Tensor;
import dev.weft.nn.optim.Adam;
import dev.weft.zoo.logging.PngWriter;
import dev.weft.zoo.train.Batches;
import dev.weft.zoo.train.FitOptions;
import dev.weft.zoo.train.History;
import dev.weft.zoo.train.LabeledBatch;
import dev.weft.zoo.train.TrainStep;
import dev.weft.zoo.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The VAE learns with the seed's custom loop: on the embedded MNIST sample (all 10,000 images of
 * the MNIST test set), batch 512 (20 steps per epoch), the epoch-mean loss falls every epoch and
 * below 200 within 8 epochs (an untrained decoder scores about 784·ln 2 ≈ 543); and the loss is
 * exactly the seed's formula.
 */
class VaeTrainingTest {
    @Test void lossFallsBelow200WithinEightEpochs(@TempDir Path out) throws Exception {
        ImageSet mnist = Samples.mnistTest();
        Tensor x = mnist.images(PixelScale.UNIT);                                         // [10000, 28, 28, 1] in [0, 1]
        Vae vae = new Vae(7);
        Adam adam = new Adam(vae.namedParameters());
        Trainer trainer = new Trainer(vae).compile(adam, VaeTraining.step(vae, adam));
        int epochs = 8;
        History h = trainer.fit(Batches.shuffled(x, null, 512, 11), FitOptions.epochs(epochs).verbose(0)
                .callbacks(VaeTraining.epochEnd(vae, x.narrow(0, 0, 100), null, out, null, 3)));
        List<Double> loss = h.get("loss");
        assertTrue(loss.get(0) > 200, "first epoch still above 200: " + loss);
        assertTrue(loss.get(epochs - 1) < 200, "below 200 after " + epochs + " epochs: " + loss);
        for (int e = 1; e < epochs; e++) assertTrue(loss.get(e) < loss.get(e - 1), "falls every epoch: " + loss);
        assertEquals(h.last("loss"), h.last("reconstruction_loss") + h.last("kl_loss"), 1e-3);
        for (int e = 1; e <= epochs; e++) {
            byte[] png = Files.readAllBytes(out.resolve(String.format("samples_epoch_%03d.png", e)));
            assertEquals((byte) 0x89, png[0]);
            assertEquals('P', png[1]);
            assertTrue(Files.size(out.resolve(String.format("reconstructions_epoch_%03d.png", e))) > 100);
        }
    }

    @Test void lossIsTheSeedFormula() {
        Vae vae = new Vae(1);
        Tensor x = Tensor.rand(new Rng(9), 4, 784);
        Vae.Output o = vae.run(x);
        Vae.Losses l = vae.loss(o, x);
        float[] z = o.logits().toFloatArray(), t = x.toFloatArray(), m = o.mean().toFloatArray(), lv = o.logVar().toFloatArray();
        double rec = 0, kl = 0;
        for (int i = 0; i < z.length; i++)   // sigmoid CE with logits: max(z,0) − z·t + log(1 + e^−|z|)
            rec += Math.max(z[i], 0) - z[i] * t[i] + Math.log1p(Math.exp(-Math.abs(z[i])));
        for (int i = 0; i < m.length; i++) kl += -0.5 * (lv[i] + 1 - m[i] * m[i] - Math.exp(lv[i]));
        assertEquals(rec / 4, l.reconstruction().item(), 1e-3 * rec / 4);
        assertEquals(kl / 4, l.kl().item(), 1e-4 + 1e-4 * Math.abs(kl / 4));
        assertEquals(l.reconstruction().item() + l.kl().item(), l.total().item(), 1e-3);
    }

    @Test void samplesAreDeterministicAndInUnitRange() {
        Tensor z = Tensor.randn(new Rng(1), 100, 20);
        Tensor a = VaeTraining.samples(new Vae(3), z), b = VaeTraining.samples(new Vae(3), z);
        assertArrayEquals(a.toFloatArray(), b.toFloatArray());
        for (float v : a.toFloatArray()) assertTrue(v >= 0 && v <= 1);
        PngWriter.Image grid = VaeTraining.grid(a);
        assertEquals(10 * 28 + 9, grid.width());
        assertEquals(10 * 28 + 9, grid.height());
    }

    @Test void stepIsTheRawLoop() {
        // one step through the TrainStep equals the five lines written out by hand
        Tensor x = Tensor.rand(new Rng(4), 8, 784);
        Vae a = new Vae(5), b = new Vae(5);
        Adam oa = new Adam(a.namedParameters()), ob = new Adam(b.namedParameters());
        TrainStep step = VaeTraining.step(a, oa);
        Map<String, Double> logs = step.run(LabeledBatch.of(x));
        b.train();
        ob.zeroGrad();
        Vae.Losses l = b.loss(b.run(x), x);
        l.total().backward();
        ob.step();
        assertEquals(l.total().item(), logs.get("loss"), 0.0);
        assertArrayEquals(b.stateDict().get("encoder.kernel").toFloatArray(), a.stateDict().get("encoder.kernel").toFloatArray());
    }
}
