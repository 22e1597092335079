package dev.weft.engine.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.engine.Rng;
import dev.weft.engine.Tensor;
import org.junit.jupiter.api.Test;

/** The gradient checker itself: it passes correct rules, catches wrong ones, and refuses bad setups. */
class GradCheckTest {
    /** y = 2x, with a backward rule scaled by {@code factor} (1 = correct). */
    private static Tensor doubled(Tensor x, float factor) {
        Tensor y = Tensor.of(x.mul(2f).detach().toFloatArray(), x.shape());
        return y.recordOp("doubled", g -> new Tensor[] {g.mul(2f * factor)}, x);
    }

    @Test void passesACorrectRuleAndCatchesAWrongOne() {
        Tensor x = Tensor.randn(new Rng(1), 3, 2).requiresGrad(true);
        GradCheck.Result ok = GradCheck.check(in -> doubled(in[0], 1f), x);
        assertTrue(ok.passed(), ok.toString());
        assertEquals(6, ok.checked());
        assertTrue(ok.maxAbsError() < 1e-3, ok.toString());

        GradCheck.Result bad = GradCheck.check(in -> doubled(in[0], 1.1f), x);
        assertFalse(bad.passed(), "a gradient 10% too large must fail");
        assertTrue(bad.toString().contains("FAILED") && bad.toString().contains("[3, 2]"), bad.toString());
    }

    @Test void catchesARuleThatIgnoresBroadcasting() {
        // forward broadcasts b [3] over [2, 3]; the wrong rule hands back only the first row's gradient
        Tensor a = Tensor.randn(new Rng(2), 2, 3).requiresGrad(true), b = Tensor.randn(new Rng(3), 3).requiresGrad(true);
        GradCheck.Result bad = GradCheck.check(in -> {
            Tensor y = Tensor.of(in[0].add(in[1]).detach().toFloatArray(), 2, 3);
            return y.recordOp("bad_add", g -> new Tensor[] {g, g.select(0, 0)}, in[0], in[1]);
        }, a, b);
        assertFalse(bad.passed());
    }

    @Test void customOpsMayOmitGradientsAndReturnBroadcastShapes() {
        Tensor a = Tensor.randn(new Rng(4), 2, 3).requiresGrad(true), b = Tensor.randn(new Rng(5), 1, 3).requiresGrad(true);
        // a correct custom a*b whose rule returns gradients in the broadcast shape [2, 3]: the walk sums them back
        GradCheck.Result r = GradCheck.check(in -> {
            Tensor y = Tensor.of(in[0].mul(in[1]).detach().toFloatArray(), 2, 3);
            return y.recordOp("custom_mul", g -> new Tensor[] {g.mul(in[1]), g.mul(in[0])}, in[0], in[1]);
        }, a, b);
        assertTrue(r.passed(), r.toString());
        // null for an input that needs no gradient
        Tensor c = Tensor.randn(new Rng(6), 3);
        Tensor x = Tensor.randn(new Rng(7), 3).requiresGrad(true);
        Tensor y = Tensor.of(x.mul(c).detach().toFloatArray(), 3).recordOp("half", g -> new Tensor[] {g.mul(c), null}, x, c);
        y.sum().backward();
        assertEquals(c.get(1), x.grad().get(1), 0f);
    }

    @Test void refusesBadSetups() {
        Tensor x = Tensor.randn(new Rng(8), 3, 2);
        IllegalArgumentException noGrad = assertThrows(IllegalArgumentException.class, () -> GradCheck.check(in -> in[0].exp(), x));
        assertTrue(noGrad.getMessage().contains("requiresGrad"), noGrad.getMessage());
        Tensor v = Tensor.randn(new Rng(9), 3, 2).t().requiresGrad(true);
        IllegalArgumentException view = assertThrows(IllegalArgumentException.class, () -> GradCheck.check(in -> in[0].exp(), v));
        assertTrue(view.getMessage().contains("contiguous"), view.getMessage());
    }

    @Test void restoresInputsAfterPerturbing() {
        Tensor x = Tensor.randn(new Rng(10), 4).requiresGrad(true);
        float[] before = x.toFloatArray();
        GradCheck.check(in -> in[0].tanh(), x);
        assertEquals(java.util.Arrays.toString(before), java.util.Arrays.toString(x.toFloatArray()));
    }
}
