package dev.weft.engine.lossops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.engine.IntTensor;
import dev.weft.engine.Rng;
import dev.weft.engine.Tensor;
import dev.weft.engine.autograd.GradCheck;
import dev.weft.engine.kernels.VectorSupport;
import dev.weft.engine.ops.LossOps;
import org.junit.jupiter.api.Test;

/** The fused loss kernels: hand-derived values, gradient checks, extreme logits. */
class LossOpsTest {
    @Test void softmaxCrossEntropyOfUniformLogitsIsLogC() {
        Tensor x = Tensor.zeros(2, 4);
        Tensor t = Tensor.of(new float[] {1, 0, 0, 0, 0, 0, 0.5f, 0.5f}, 2, 4);
        Tensor loss = LossOps.softmaxCrossEntropy(x, t, -1);
        assertArrayEquals(new int[] {2}, loss.shape());
        assertEquals(Math.log(4), loss.get(0), 1e-6);
        assertEquals(Math.log(4), loss.get(1), 1e-6);
    }

    @Test void softmaxCrossEntropyGradientsMatchFiniteDifferences() {
        Rng rng = new Rng(7);
        Tensor x = Tensor.randn(rng, 3, 4, 2).requiresGrad(true);
        Tensor t = Tensor.rand(rng, 3, 4, 2).requiresGrad(true); // soft, unnormalised targets; class dim 1
        var r = GradCheck.check(in -> LossOps.softmaxCrossEntropy(in[0], in[1], 1), x, t);
        assertTrue(r.passed(), r.toString());
    }

    @Test void sparseMatchesDenseWithOneHot() {
        Rng rng = new Rng(3);
        Tensor x = Tensor.randn(rng, 5, 6).mul(3f);
        IntTensor lab = IntTensor.vector(0, 5, 2, 2, 1);
        Tensor dense = LossOps.softmaxCrossEntropy(x, Tensor.oneHot(lab, 6), -1);
        Tensor sparse = LossOps.sparseSoftmaxCrossEntropy(x, lab);
        assertTrue(dense.allClose(sparse, 1e-6f, 1e-6f));
        Tensor xs = x.detach().requiresGrad(true);
        var r = GradCheck.check(in -> LossOps.sparseSoftmaxCrossEntropy(in[0], lab), xs);
        assertTrue(r.passed(), r.toString());
    }

    @Test void extremeLogitsStayFinite() {
        Tensor x = Tensor.of(new float[] {1000, -1000, 0, -1000, 1000, 1000}, 2, 3).requiresGrad(true);
        Tensor loss = LossOps.sparseSoftmaxCrossEntropy(x, IntTensor.vector(1, 2));
        // Row 0: lse = 1000, x[1] = -1000 → 2000; row 1: lse = 1000 + ln 2, x[2] = 1000 → ln 2.
        assertEquals(2000f, loss.get(0), 1e-3f);
        assertEquals((float) Math.log(2), loss.get(1), 1e-6f);
        loss.sum().backward();
        for (float g : x.grad().toFloatArray()) assertTrue(Float.isFinite(g));
        assertEquals(-1f, x.grad().get(0, 1), 1e-6f);
        assertEquals(1f, x.grad().get(0, 0), 1e-6f);
        assertEquals(-0.5f, x.grad().get(1, 2), 1e-6f);
    }

    @Test void sigmoidCrossEntropyValuesAndGradients() {
        Tensor x = Tensor.vector(0f, 100f, -100f, 2f).requiresGrad(true);
        Tensor z = Tensor.vector(1f, 0f, 0f, 0.25f);
        Tensor loss = LossOps.sigmoidCrossEntropyWithLogits(x, z);
        assertEquals(Math.log(2), loss.get(0), 1e-6);
        assertEquals(100f, loss.get(1), 1e-4f);
        assertEquals(0f, loss.get(2), 1e-6f);
        // max(2,0) − 2·0.25 + log(1 + e^−2)
        assertEquals(2 - 0.5 + Math.log1p(Math.exp(-2)), loss.get(3), 1e-6);
        Rng rng = new Rng(11);
        Tensor a = Tensor.randn(rng, 3, 4).mul(4f).detach().requiresGrad(true);
        Tensor b = Tensor.rand(rng, 3, 4).requiresGrad(true);
        var r = GradCheck.check(in -> LossOps.sigmoidCrossEntropyWithLogits(in[0], in[1]), a, b);
        assertTrue(r.passed(), r.toString());
    }

    @Test void fusedSumEqualsTheSumOfTheElementwiseLossBitForBit() {
        // Small, the VAE's [512, 784] (chunked, parallel sum) and a transposed (non-contiguous) view.
        Rng rng = new Rng(21);
        for (int[] shape : new int[][] {{3, 5}, {512, 784}, {40, 30}}) {
            boolean transposed = shape[0] == 40;
            Tensor xBase = Tensor.randn(rng, shape).mul(6f).detach();
            Tensor zBase = Tensor.rand(rng, transposed ? new int[] {shape[1], shape[0]} : shape);
            Tensor x1 = xBase.detach().requiresGrad(true), z1 = zBase.detach().requiresGrad(true);
            Tensor x2 = xBase.detach().requiresGrad(true), z2 = zBase.detach().requiresGrad(true);
            Tensor fused = LossOps.sigmoidCrossEntropyWithLogitsSum(transposed ? x1.t() : x1, z1);
            Tensor unfused = LossOps.sigmoidCrossEntropyWithLogits(transposed ? x2.t() : x2, z2).sum();
            assertEquals(0, fused.dim(), "a scalar");
            assertEquals(Float.floatToIntBits(unfused.item()), Float.floatToIntBits(fused.item()), java.util.Arrays.toString(shape));
            fused.mul(0.37f).backward();
            unfused.mul(0.37f).backward();
            assertArrayEquals(x2.grad().toFloatArray(), x1.grad().toFloatArray(), 0f, "dx " + java.util.Arrays.toString(shape));
            assertArrayEquals(z2.grad().toFloatArray(), z1.grad().toFloatArray(), 0f, "dz " + java.util.Arrays.toString(shape));
        }
        Tensor a = Tensor.randn(rng, 3, 4).mul(4f).detach().requiresGrad(true);
        Tensor b = Tensor.rand(rng, 3, 4).requiresGrad(true);
        var r = GradCheck.check(in -> LossOps.sigmoidCrossEntropyWithLogitsSum(in[0], in[1]), a, b);
        assertTrue(r.passed(), r.toString());
        assertEquals(0f, LossOps.sigmoidCrossEntropyWithLogitsSum(Tensor.zeros(0, 3), Tensor.zeros(0, 3)).item());
        var e = assertThrows(IllegalArgumentException.class, () -> LossOps.sigmoidCrossEntropyWithLogitsSum(Tensor.zeros(2, 3), Tensor.zeros(3, 2)));
        assertTrue(e.getMessage().contains("sigmoid_cross_entropy_with_logits_sum") && e.getMessage().contains("[2, 3]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LossOps.sigmoidCrossEntropyWithLogitsSum(null, Tensor.zeros(2)));
    }

    @Test void badShapesAndLabelsAreReported() {
        var e = assertThrows(IllegalArgumentException.class, () -> LossOps.softmaxCrossEntropy(Tensor.zeros(2, 3), Tensor.zeros(3, 2), -1));
        assertTrue(e.getMessage().contains("softmax_cross_entropy") && e.getMessage().contains("[2, 3]"), e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> LossOps.sparseSoftmaxCrossEntropy(Tensor.zeros(2, 3), IntTensor.vector(0, -1)));
        assertTrue(e2.getMessage().contains("label -1"), e2.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LossOps.sparseSoftmaxCrossEntropy(Tensor.zeros(2, 3), IntTensor.vector(0, 1, 2)));
        assertThrows(IllegalArgumentException.class, () -> LossOps.sigmoidCrossEntropyWithLogits(Tensor.zeros(2), Tensor.zeros(3)));
    }

    @Test void softplusOfTheNegatedMagnitudeIsAccurateEverywhere() {
        // Against Math.log1p over a range where both the series and the log branch of the scalar
        // twin are used. The SIMD path computes in float lanes (float exp, then float log1p), whose
        // errors add up to at most 2 ulps; the double scalar twin stays within 1.
        double ulps = VectorSupport.ENABLED ? 2.01 : 1.01;
        for (double a = 0; a < 60; a += 0.01) {
            Tensor l = LossOps.sigmoidCrossEntropyWithLogits(Tensor.vector((float) a), Tensor.vector(1f));
            double expected = Math.log1p(Math.exp(-(float) a)); // z = 1, x = a >= 0: loss = log(1 + e^−a)
            assertEquals(expected, l.get(0), Math.ulp((float) expected) * ulps, "a = " + a);
        }
    }
}
