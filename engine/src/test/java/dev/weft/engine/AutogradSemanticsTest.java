package dev.weft.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.engine.autograd.GradCheck;
import dev.weft.engine.autograd.GradMode;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Autograd semantics: accumulation, shared subexpressions, released graphs, no-grad, detach, deep graphs. */
class AutogradSemanticsTest {
    private static Tensor leaf(float... v) { return Tensor.vector(v).requiresGrad(true); }

    @Test void gradientsAccumulateOverBackwardCalls() {
        Tensor x = leaf(1, 2, 3);
        x.mul(3f).sum().backward();
        assertArrayEquals(new float[] {3, 3, 3}, x.grad().toFloatArray());
        x.mul(x).sum().backward();               // + 2x
        assertArrayEquals(new float[] {5, 7, 9}, x.grad().toFloatArray());
        x.zeroGrad();
        assertNull(x.grad());
        x.sum().backward();
        assertArrayEquals(new float[] {1, 1, 1}, x.grad().toFloatArray());
    }

    @Test void sharedSubexpressions() {
        Tensor x = leaf(0.5f, -1f);
        x.mul(x).sum().backward();               // d(x²) = 2x
        assertArrayEquals(new float[] {1f, -2f}, x.grad().toFloatArray());

        Tensor a = leaf(0.3f, 1.2f);
        Tensor y = a.exp();                      // used twice: z = y·y + y = e^{2a} + e^a
        y.mul(y).add(y).sum().backward();
        float[] g = a.grad().toFloatArray();
        for (int i = 0; i < 2; i++) {
            double v = a.get(i);
            assertEquals(2 * Math.exp(2 * v) + Math.exp(v), g[i], 1e-5);
        }

        // diamond: b feeds two branches that meet again
        Tensor w = leaf(2f);
        Tensor b = w.mul(3f);
        b.tanh().add(b.sigmoid()).sum().backward();
        double bv = 6, t = Math.tanh(bv), s = 1 / (1 + Math.exp(-bv));
        assertEquals(3 * ((1 - t * t) + s * (1 - s)), w.grad().item(), 1e-6);
    }

    @Test void backwardThroughReleasedGraphThrowsHelpfully() {
        Tensor x = leaf(1, 2);
        Tensor y = x.mul(2f).sum();
        y.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("released") && e.getMessage().contains("retainGraph"), e.getMessage());
        // an intermediate that was part of the released graph fails the same way
        Tensor x2 = leaf(1, 2);
        Tensor h = x2.exp();
        h.sum().backward();
        assertThrows(IllegalStateException.class, () -> h.mul(2f).sum().backward());
    }

    @Test void retainGraphAllowsASecondPass() {
        Tensor x = leaf(1, 2);
        Tensor y = x.mul(x).sum();
        y.backward(Tensor.scalar(1f), true);
        y.backward(Tensor.scalar(1f), true);
        assertArrayEquals(new float[] {4, 8}, x.grad().toFloatArray());
        y.backward();                             // third pass releases
        assertArrayEquals(new float[] {6, 12}, x.grad().toFloatArray());
        assertThrows(IllegalStateException.class, y::backward);
    }

    @Test void backwardErrors() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Tensor.vector(1, 2).sum().backward());
        assertTrue(e.getMessage().contains("does not require grad"), e.getMessage());
        Tensor x = leaf(1, 2);
        IllegalStateException nonScalar = assertThrows(IllegalStateException.class, () -> x.mul(2f).backward());
        assertTrue(nonScalar.getMessage().contains("[2]"), nonScalar.getMessage());
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class, () -> x.mul(2f).backward(Tensor.ones(3)));
        assertTrue(shape.getMessage().contains("[3]") && shape.getMessage().contains("[2]"), shape.getMessage());
        assertThrows(IllegalStateException.class, () -> x.mul(2f).requiresGrad(false));
        assertThrows(IllegalStateException.class, () -> x.set(0f, 0), "in-place write to a tensor that requires grad");
        // backward(gradient) from a non-scalar
        Tensor y = x.mul(3f);
        y.backward(Tensor.vector(1, -1));
        assertArrayEquals(new float[] {3, -3}, x.grad().toFloatArray());
    }

    @Test void noGradRecordsNothingAndNests() {
        Tensor x = leaf(1, 2);
        assertTrue(GradMode.isEnabled());
        try (GradMode.Scope outer = Tensor.noGrad()) {
            Tensor y = x.mul(2f);
            assertFalse(y.requiresGrad());
            assertNull(y.gradFn());
            try (GradMode.Scope inner = Tensor.noGrad()) {
                assertFalse(GradMode.isEnabled());
            }
            assertFalse(GradMode.isEnabled(), "closing the inner scope keeps the outer one");
            assertFalse(x.exp().requiresGrad());
            x.set(5f, 0);                         // in-place edits of parameters are allowed here
            outer.close();
            outer.close();                        // idempotent
            assertTrue(GradMode.isEnabled());
        }
        assertTrue(GradMode.isEnabled());
        assertEquals(5f, x.get(0));
        Tensor z = x.mul(2f);
        assertTrue(z.requiresGrad());
        assertNotNull(z.gradFn());
    }

    @Test void noGradIsPerThread() throws Exception {
        AtomicReference<Boolean> other = new AtomicReference<>();
        try (GradMode.Scope s = Tensor.noGrad()) {
            Thread t = new Thread(() -> other.set(GradMode.isEnabled()));
            t.start();
            t.join();
        }
        assertTrue(other.get());
    }

    @Test void detachCutsTheGraph() {
        Tensor x = leaf(1, 3);
        Tensor c = x.mul(2f).detach();
        assertFalse(c.requiresGrad());
        assertTrue(c.isLeaf());
        c.mul(x).sum().backward();                // d/dx (c·x) with c constant = c = 2x
        assertArrayEquals(new float[] {2, 6}, x.grad().toFloatArray());
        Tensor d = x.detach();
        assertSame(x.storage(), d.storage(), "detach shares storage");
    }

    @Test void gradientsThroughBroadcastingAreSummedToTheInputShape() {
        Tensor b = Tensor.vector(1, 2, 3).requiresGrad(true);     // [3]
        Tensor s = Tensor.scalar(2f).requiresGrad(true);          // []
        Tensor col = Tensor.of(new float[] {1, 1}, 2, 1).requiresGrad(true); // [2, 1]
        Tensor.ones(2, 3).mul(b).mul(s).add(col).sum().backward();
        assertArrayEquals(new float[] {4, 4, 4}, b.grad().toFloatArray());   // 2 rows · s
        assertArrayEquals(new int[0], s.grad().shape());
        assertEquals(12f, s.grad().item());                                  // 2 · (1+2+3)
        assertArrayEquals(new int[] {2, 1}, col.grad().shape());
        assertArrayEquals(new float[] {3, 3}, col.grad().toFloatArray());
    }

    @Test void storedGradientsDoNotAliasEachOther() {
        Tensor a = leaf(1, 2), b = leaf(3, 4);
        a.add(b).sum().backward();               // add hands the same gradient tensor to both inputs
        a.grad().fill(0f);                       // e.g. clipping in place
        assertArrayEquals(new float[] {1, 1}, b.grad().toFloatArray());
        assertFalse(a.grad().requiresGrad(), "gradients are computed without recording a graph");
        assertTrue(a.grad().isLeaf());
    }

    @Test void aFreshGradientIsTakenOverOnlyWhenNothingElseHoldsIt() {
        // One new tensor handed to two leaves: at most one of them may keep it.
        Tensor a = leaf(1, 2), b = leaf(3, 4);
        Tensor.vector(0f).recordOp("same_for_both", g -> {
            Tensor t = Tensor.of(new float[] {1, 1}, 2);
            return new Tensor[] {t, t};
        }, a, b).backward();
        assertFalse(a.grad().storage() == b.grad().storage(), "two leaves must not share a gradient array");
        a.grad().fill(0f);
        assertArrayEquals(new float[] {1, 1}, b.grad().toFloatArray());

        // A rule's own new array becomes .grad() without a copy ...
        Tensor w = leaf(1, 2, 3);
        float[][] made = new float[1][];
        Tensor.vector(0f).recordOp("custom", g -> {
            made[0] = new float[] {4, 5, 6};
            return new Tensor[] {Tensor.of(made[0], 3)};
        }, w).backward();
        assertSame(made[0], w.grad().storage(), "a gradient nothing else holds is not copied");

        // ... but a forward tensor, the upstream gradient or the root gradient never is.
        Tensor v = leaf(1, 2, 3), x = Tensor.vector(7, 8, 9);
        Tensor.vector(0f).recordOp("returns_its_input", g -> new Tensor[] {v.detach(), x}, v, x.requiresGrad(true)).backward();
        assertFalse(v.grad().storage() == v.storage(), "a gradient sharing the leaf's own values must be copied");
        assertFalse(x.grad().storage() == x.storage());
        v.grad().fill(0f);
        assertArrayEquals(new float[] {1, 2, 3}, v.toFloatArray());

        Tensor u = leaf(1, 2), root = Tensor.of(new float[] {5, 6}, 1, 2);
        u.reshape(1, 2).backward(root);             // reshape's rule returns the root gradient itself
        assertFalse(u.grad().storage() == root.storage(), "the caller's gradient must not become .grad()");
        u.grad().fill(0f);
        assertArrayEquals(new float[] {5, 6}, root.toFloatArray());
        Tensor q = leaf(1, 2), qRoot = Tensor.vector(7, 8);
        q.backward(qRoot);                       // a leaf as the root: its gradient is the caller's tensor
        assertFalse(q.grad().storage() == qRoot.storage());
    }

    // ------------------------------------------------------------------ deep graphs

    /** One LSTM-like step: gates from [x, h] @ W, then c' = f·c + i·g, h' = o·tanh(c'). */
    private static Tensor[] lstmStep(Tensor x, Tensor h, Tensor c, Tensor w, Tensor b) {
        Tensor z = Tensor.concat(List.of(x, h), 1).matmul(w).add(b);   // [B, 4H]
        List<Tensor> gates = z.chunk(4, 1);
        Tensor i = gates.get(0).sigmoid(), f = gates.get(1).sigmoid(), g = gates.get(2).tanh(), o = gates.get(3).sigmoid();
        Tensor c2 = f.mul(c).add(i.mul(g));
        return new Tensor[] {o.mul(c2.tanh()), c2};
    }

    private static Tensor unroll(Tensor[] in, int steps) {
        Tensor xs = in[0], w = in[1], b = in[2];  // xs: [steps, B, I]
        int batch = xs.size(1), hidden = b.size(0) / 4;
        Tensor h = Tensor.zeros(batch, hidden), c = Tensor.zeros(batch, hidden);
        for (int t = 0; t < steps; t++) {
            Tensor[] hc = lstmStep(xs.select(0, t), h, c, w, b);
            h = hc[0];
            c = hc[1];
        }
        return h;
    }

    @Test void unrolledLstmBackwardDoesNotOverflowTheStack() throws Exception {
        int steps = 100, batch = 2, in = 3, hidden = 4;
        Rng rng = new Rng(3);
        Tensor xs = Tensor.randn(rng, steps, batch, in);
        Tensor w = Tensor.uniform(rng, -0.5f, 0.5f, in + hidden, 4 * hidden).requiresGrad(true);
        Tensor b = Tensor.zeros(4 * hidden).requiresGrad(true);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        // A small stack (256 KB) so that a recursive walk over ~2,500 nodes would overflow.
        Thread t = new Thread(null, () -> {
            try {
                unroll(new Tensor[] {xs, w, b}, steps).sum().backward();
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "small-stack", 256 * 1024);
        t.start();
        t.join();
        if (failure.get() != null) throw new AssertionError("backward failed: " + failure.get(), failure.get());
        for (float v : w.grad().toFloatArray()) assertTrue(Float.isFinite(v));
        assertTrue(Math.abs(b.grad().sum().item()) > 0, "some gradient reached the first steps' parameters");
    }

    @Test void unrolledLstmGradientIsCorrect() {
        Rng rng = new Rng(4);
        Tensor xs = Tensor.randn(rng, 4, 2, 3).requiresGrad(true);
        Tensor w = Tensor.uniform(rng, -0.5f, 0.5f, 5, 8).requiresGrad(true);
        Tensor b = Tensor.uniform(rng, -0.1f, 0.1f, 8).requiresGrad(true);
        Function<Tensor[], Tensor> f = in -> unroll(in, 4);
        GradCheck.Result r = GradCheck.check(f, xs, w, b);
        assertTrue(r.passed(), r.toString());
    }

    @Test void fiftyThousandNodeChain() throws Exception {
        Tensor x = leaf(1, 2, 3, 4);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                Tensor y = x;
                for (int i = 0; i < 50_000; i++) y = (i % 2 == 0) ? y.add(1f) : y.mul(1f);
                y.sum().backward();
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "small-stack", 256 * 1024);
        t.start();
        t.join();
        if (failure.get() != null) throw new AssertionError("backward failed: " + failure.get(), failure.get());
        assertArrayEquals(new float[] {1, 1, 1, 1}, x.grad().toFloatArray());
    }
}
