package dev.weft.nn.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.engine.IntTensor;
import dev.weft.engine.Tensor;
import dev.weft.nn.io.TextFixtures;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Every loss against PyTorch (or Keras' formula written in torch) in gen_optim_fixtures.py. */
class LossesTest {
    private static final TextFixtures FX = TextFixtures.load("/fixtures/losses/losses.txt");

    /** Checks per-sample values (NONE), SUM, SUM_OVER_BATCH_SIZE and the gradient of the mean. */
    private static void check(String name, Function<Reduction, ReducingLoss> make) {
        check(name, make, 1e-5f);
    }

    private static void check(String name, Function<Reduction, ReducingLoss> make, float tol) {
        Tensor target = FX.get(name + ".target");
        Tensor none = make.apply(Reduction.NONE).apply(FX.get(name + ".pred"), target);
        assertClose(name + " per-sample", FX.get(name + ".per_sample"), none, tol);
        Tensor sum = make.apply(Reduction.SUM).apply(FX.get(name + ".pred"), target);
        assertEquals(0, sum.dim(), name + ": SUM gives a scalar");
        assertClose(name + " sum", FX.get(name + ".sum"), sum, tol);
        Tensor pred = FX.get(name + ".pred").requiresGrad(true);
        Tensor mean = make.apply(Reduction.SUM_OVER_BATCH_SIZE).apply(pred, target);
        assertClose(name + " mean", FX.get(name + ".mean"), mean, tol);
        mean.backward();
        assertClose(name + " grad", FX.get(name + ".grad"), pred.grad(), tol);
    }

    static void assertClose(String what, Tensor expected, Tensor actual, float tol) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        float[] e = expected.toFloatArray(), a = actual.toFloatArray();
        for (int i = 0; i < e.length; i++) {
            assertTrue(Float.isFinite(a[i]), what + "[" + i + "] is not finite: " + a[i]);
            assertEquals(e[i], a[i], tol * Math.max(1f, Math.abs(e[i])), what + "[" + i + "]");
        }
    }

    @Test void categoricalFromLogits() {
        check("cce_logits", r -> new CategoricalCrossentropy(true, 0f, r));
        check("cce_logits_soft", r -> new CategoricalCrossentropy(true, 0f, r));
    }

    @Test void categoricalFromLogitsStaysFiniteAtPlusMinus100() {
        check("cce_logits_extreme", r -> new CategoricalCrossentropy(true, 0f, r));
    }

    @Test void categoricalFromProbabilitiesClipsLikeKeras() {
        check("cce_probs", r -> new CategoricalCrossentropy(false, 0f, r));
        check("cce_probs_soft", r -> new CategoricalCrossentropy(false, 0f, r));
    }

    @Test void sparseCategorical() {
        check("scce_logits", r -> new SparseCategoricalCrossentropy(true, r));
        check("scce_logits_extreme", r -> new SparseCategoricalCrossentropy(true, r));
        check("scce_probs", r -> new SparseCategoricalCrossentropy(false, r));
    }

    @Test void sparseWithIntLabelsAndTrailingOneMatchesFloatLabels() {
        Tensor logits = FX.get("scce_logits.pred");
        float[] lab = FX.get("scce_logits.target").toFloatArray();
        int[] ids = new int[lab.length];
        for (int i = 0; i < ids.length; i++) ids[i] = (int) lab[i];
        var loss = new SparseCategoricalCrossentropy(true);
        assertEquals(FX.scalar("scce_logits.mean"), loss.apply(logits, IntTensor.of(ids, ids.length)).item(), 1e-5f);
        assertEquals(FX.scalar("scce_logits.mean"), loss.apply(logits, IntTensor.of(ids, ids.length, 1)).item(), 1e-5f);
        assertEquals(FX.scalar("scce_logits.mean"), loss.apply(logits, Tensor.of(lab.clone(), lab.length, 1)).item(), 1e-5f);
    }

    @Test void binary() {
        check("bce_logits", r -> new BinaryCrossentropy(true, 0f, r));
        check("bce_logits_soft", r -> new BinaryCrossentropy(true, 0f, r));
        check("bce_logits_extreme", r -> new BinaryCrossentropy(true, 0f, r));
        check("bce_probs", r -> new BinaryCrossentropy(false, 0f, r));
    }

    @Test void sigmoidCrossEntropyIsElementwise() {
        check("sigmoid_ce", SigmoidCrossEntropyWithLogits::new);
        check("sigmoid_ce_extreme", SigmoidCrossEntropyWithLogits::new);
    }

    @Test void sigmoidCrossEntropySumAndMeanAreTheReducedPerSampleValuesBitForBit() {
        // apply() fuses the sum; it must equal reducing perSample() exactly, gradients included.
        dev.weft.engine.Rng rng = new dev.weft.engine.Rng(8);
        Tensor logits = Tensor.randn(rng, 64, 300).mul(5f).detach(), labels = Tensor.rand(rng, 64, 300);
        for (Reduction r : new Reduction[] {Reduction.SUM, Reduction.SUM_OVER_BATCH_SIZE}) {
            SigmoidCrossEntropyWithLogits loss = new SigmoidCrossEntropyWithLogits(r);
            Tensor p1 = logits.detach().requiresGrad(true), p2 = logits.detach().requiresGrad(true);
            Tensor fused = loss.apply(p1, labels), reduced = r.reduce(loss.perSample(p2, labels));
            assertEquals(Float.floatToIntBits(reduced.item()), Float.floatToIntBits(fused.item()), r.name());
            fused.backward();
            reduced.backward();
            assertArrayEquals(p2.grad().toFloatArray(), p1.grad().toFloatArray(), 0f, r.name());
        }
        Tensor none = new SigmoidCrossEntropyWithLogits(Reduction.NONE).apply(logits, labels);
        assertArrayEquals(new int[] {64, 300}, none.shape());
    }

    @Test void regression() {
        check("mse", MeanSquaredError::new);
        check("mae", MeanAbsoluteError::new);
        check("huber", r -> new Huber(1f, r));
        check("huber_d2", r -> new Huber(2f, r));
    }

    @Test void gaussianKl() {
        Tensor mean = FX.get("kl.mean_in").requiresGrad(true), logVar = FX.get("kl.logvar_in").requiresGrad(true);
        assertClose("kl per-sample", FX.get("kl.per_sample"), new GaussianKl(Reduction.NONE).apply(mean, logVar), 1e-5f);
        Tensor kl = new GaussianKl().apply(mean, logVar);
        assertClose("kl mean", FX.get("kl.mean"), kl, 1e-5f);
        kl.backward();
        assertClose("kl d/dmean", FX.get("kl.grad_mean"), mean.grad(), 1e-5f);
        assertClose("kl d/dlogvar", FX.get("kl.grad_logvar"), logVar.grad(), 1e-5f);
    }

    @Test void binaryLabelsWithoutTrailingDimAreMatchedLikeKeras() {
        // Predictions [3, 1] and labels [3]: hand-derived −log p for z = 1, −log(1 − p) for z = 0.
        Tensor p = Tensor.of(new float[] {0.5f, 0.25f, 0.75f}, 3, 1);
        Tensor z = Tensor.vector(1f, 0f, 1f);
        Tensor per = new BinaryCrossentropy(false, 0f, Reduction.NONE).apply(p, z);
        assertArrayEquals(new int[] {3}, per.shape());
        assertEquals(-Math.log(0.5), per.get(0), 1e-6);
        assertEquals(-Math.log(0.75), per.get(1), 1e-6);
        assertEquals(-Math.log(0.75), per.get(2), 1e-6);
    }

    @Test void labelSmoothingFollowsKeras() {
        // One-hot [1, 0] with smoothing 0.2 → targets [0.9, 0.1]; probabilities [0.5, 0.5] → log 2.
        Tensor p = Tensor.of(new float[] {0.5f, 0.5f}, 1, 2);
        Tensor t = Tensor.of(new float[] {1f, 0f}, 1, 2);
        assertEquals(Math.log(2), new CategoricalCrossentropy(false, 0.2f, Reduction.SUM).apply(p, t).item(), 1e-6);
        // BCE: z = 1 with smoothing 0.2 → 0.9; p = 0.8 → −(0.9 ln 0.8 + 0.1 ln 0.2).
        Tensor bp = Tensor.of(new float[] {0.8f}, 1, 1), bz = Tensor.of(new float[] {1f}, 1, 1);
        assertEquals(-(0.9 * Math.log(0.8) + 0.1 * Math.log(0.2)),
                new BinaryCrossentropy(false, 0.2f, Reduction.SUM).apply(bp, bz).item(), 1e-6);
    }

    @Test void sampleWeightsScaleEachSample() {
        Tensor p = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2), t = Tensor.zeros(2, 2);
        // per-sample MSE: (1+4)/2 = 2.5 and (9+16)/2 = 12.5; weights 2 and 0 → mean (5 + 0)/2.
        Tensor w = Tensor.vector(2f, 0f);
        assertEquals(2.5f, new MeanSquaredError().apply(p, t, w).item(), 1e-6f);
    }

    @Test void badInputsNameTheLossAndShapes() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new CategoricalCrossentropy(true).apply(Tensor.zeros(2, 3), Tensor.zeros(2, 4)));
        assertTrue(e.getMessage().contains("CategoricalCrossentropy") && e.getMessage().contains("[2, 3]"), e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class,
                () -> new SparseCategoricalCrossentropy(true).apply(Tensor.zeros(2, 3), IntTensor.vector(0, 3)));
        assertTrue(e2.getMessage().contains("label 3"), e2.getMessage());
        var e3 = assertThrows(IllegalArgumentException.class,
                () -> new SparseCategoricalCrossentropy(true).apply(Tensor.zeros(2, 3), Tensor.vector(0.5f, 1f)));
        assertTrue(e3.getMessage().contains("0.5"), e3.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Huber(0f, Reduction.SUM));
        assertThrows(IllegalArgumentException.class, () -> new GaussianKl().apply(Tensor.zeros(2, 3), Tensor.zeros(2, 2)));
    }

    @Test void aHugeFloatLabelIsNamedAsGiven() {
        // 1e10 would clamp to Integer.MAX_VALUE in a cast; the message must show the label the caller passed
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SparseCategoricalCrossentropy(true).apply(Tensor.zeros(2, 3), Tensor.of(new float[] {0, 1e10f}, 2)));
        assertTrue(e.getMessage().contains("label 1.0E10 at position 1 is not a class index"), e.getMessage());
    }

    @Test void emptyBatchMeanIsZero() {
        assertEquals(0f, new MeanSquaredError().apply(Tensor.zeros(0, 3), Tensor.zeros(0, 3)).item());
    }
}
