package dev.weft.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.engine.autograd.GradCheck;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Central-difference gradient checks ({@link GradCheck}) for every differentiable op, on seeded
 * random shapes, with broadcasting and with non-contiguous views taken inside {@code f}.
 *
 * <p>Inputs stay away from kinks (0 for abs/relu, clamp bounds, ties in max/min) by more than the
 * finite-difference step, so the numeric derivative is the one-sided-free true derivative.
 */
class OpGradCheckTest {
    private long seed = 1;

    // ------------------------------------------------------------------ helpers

    /** Standard normal leaf that requires grad. */
    private Tensor n(int... shape) { return Tensor.randn(new Rng(seed++), shape).requiresGrad(true); }

    /** Uniform in [lo, hi), requires grad. */
    private Tensor u(float lo, float hi, int... shape) { return Tensor.uniform(new Rng(seed++), lo, hi, shape).requiresGrad(true); }

    /** Values at least 0.1 away from every kink point, requires grad. */
    private Tensor away(float[] kinks, int... shape) {
        float[] v = Tensor.uniform(new Rng(seed++), -2f, 2f, shape).toFloatArray();
        for (int i = 0; i < v.length; i++)
            for (float k : kinks) if (Math.abs(v[i] - k) < 0.1f) v[i] = k + Math.copySign(0.1f + Math.abs(v[i] - k), v[i] - k);
        return Tensor.of(v, shape).requiresGrad(true);
    }

    /** A random permutation of well-separated values (spacing 0.1): no ties for max/min. */
    private Tensor distinct(int... shape) {
        Tensor t = Tensor.zeros(shape);
        int n = t.numel();
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) perm[i] = i;
        Rng rng = new Rng(seed++);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1), tmp = perm[i];
            perm[i] = perm[j];
            perm[j] = tmp;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (perm[i] - n / 2f) * 0.1f;
        return Tensor.of(v, shape).requiresGrad(true);
    }

    private static void check(Function<Tensor[], Tensor> f, Tensor... inputs) {
        GradCheck.Result r = GradCheck.check(f, inputs);
        assertTrue(r.passed(), r.toString());
        assertTrue(r.checked() > 0, "nothing was checked");
    }

    // ------------------------------------------------------------------ elementwise binary

    @Test void add() {
        check(in -> in[0].add(in[1]), n(3, 4), n(3, 4));
        check(in -> in[0].add(in[1]), n(3, 1, 4), n(2, 1));           // -> [3, 2, 4]
        check(in -> in[0].add(2.5f), n(5));
        check(in -> in[0].select(0, 1).t().add(in[1]), n(2, 3, 4), n(3));  // non-contiguous [4, 3] + [3]
    }

    @Test void sub() {
        check(in -> in[0].sub(in[1]), n(3, 1, 4), n(2, 1));
        check(in -> in[1].sub(in[0]), n(4), n(2, 3, 4));
        check(in -> in[0].sub(1.5f), n(2, 2));
        check(in -> in[0].t().sub(in[1]), n(4, 3), n(3, 1));
    }

    @Test void mul() {
        check(in -> in[0].mul(in[1]), n(3, 1, 4), n(2, 1));
        check(in -> in[0].mul(in[1]), n(2, 3), n(2, 3));
        check(in -> in[0].mul(-3f), n(2, 3));
        check(in -> in[0].select(0, 1).t().mul(in[1]), n(2, 3, 4), n(4, 1));
    }

    @Test void div() {
        Tensor pos = u(0.5f, 2f, 2, 1);
        check(in -> in[0].div(in[1]), n(3, 1, 4), pos);
        check(in -> in[0].div(in[1]), n(2, 3), u(-2f, -0.5f, 3));
        check(in -> in[0].div(4f), n(3));
        check(in -> in[0].t().div(in[1]), n(3, 4), u(0.5f, 2f, 4, 3));
    }

    @Test void neg() {
        check(in -> in[0].neg(), n(2, 3));
        check(in -> in[0].slice(1, 0, 5, 2).neg(), n(2, 5));
    }

    @Test void powScalar() {
        check(in -> in[0].pow(2f), n(3, 4));
        check(in -> in[0].pow(3f), n(3, 4));
        check(in -> in[0].pow(0.5f), u(0.5f, 2f, 3, 4));
        check(in -> in[0].pow(-1.5f), u(0.5f, 2f, 5));
        check(in -> in[0].t().pow(2f), n(3, 4));
    }

    @Test void powTensor() {
        check(in -> in[0].pow(in[1]), u(0.5f, 2f, 3, 1, 4), u(-1f, 2f, 2, 1));
        check(in -> in[0].pow(in[1]), u(0.5f, 2f, 2, 3), u(-1f, 2f, 2, 3));
        check(in -> in[0].t().pow(in[1]), u(0.5f, 2f, 3, 2), u(0f, 2f, 3));
    }

    // ------------------------------------------------------------------ elementwise unary

    @Test void exp() {
        check(in -> in[0].exp(), n(3, 4));
        check(in -> in[0].permute(2, 0, 1).exp(), n(2, 3, 4));
    }

    @Test void log() {
        check(in -> in[0].log(), u(0.3f, 3f, 3, 4));
        check(in -> in[0].t().log(), u(0.3f, 3f, 3, 4));
    }

    @Test void sqrt() {
        check(in -> in[0].sqrt(), u(0.3f, 3f, 3, 4));
        check(in -> in[0].slice(0, 1, 6, 2).sqrt(), u(0.3f, 3f, 6, 2));
    }

    @Test void abs() {
        check(in -> in[0].abs(), away(new float[] {0}, 3, 4));
        check(in -> in[0].t().abs(), away(new float[] {0}, 3, 4));
    }

    @Test void clamp() {
        check(in -> in[0].clamp(-0.5f, 0.7f), away(new float[] {-0.5f, 0.7f}, 4, 5));
        check(in -> in[0].clamp(Float.NEGATIVE_INFINITY, 0.3f), away(new float[] {0.3f}, 6));
        check(in -> in[0].t().clamp(-1f, 1f), away(new float[] {-1f, 1f}, 4, 3));
    }

    @Test void maximumMinimum() {
        Tensor a = distinct(3, 1, 4), b = distinct(2, 1);
        // distinct() values of two tensors may coincide: shift b by a half step so they never tie.
        Tensor b2 = Tensor.of(b.toFloatArray(), 2, 1).add(0.05f).detach().requiresGrad(true);
        check(in -> in[0].maximum(in[1]), a, b2);
        check(in -> in[0].minimum(in[1]), a, b2);
        Tensor x = distinct(3, 4), y = Tensor.of(distinct(4, 3).toFloatArray(), 4, 3).add(0.05f).detach().requiresGrad(true);
        check(in -> in[0].t().maximum(in[1]), x, y);
        check(in -> in[0].t().minimum(in[1]), x, y);
    }

    @Test void relu() {
        check(in -> in[0].relu(), away(new float[] {0}, 3, 5));
        check(in -> in[0].t().relu(), away(new float[] {0}, 3, 5));
    }

    @Test void leakyRelu() {
        check(in -> in[0].leakyRelu(0.1f), away(new float[] {0}, 3, 5));
        check(in -> in[0].select(1, 2).leakyRelu(0.3f), away(new float[] {0}, 4, 3, 2));
    }

    @Test void sigmoid() {
        check(in -> in[0].sigmoid(), n(3, 4));
        check(in -> in[0].t().sigmoid(), u(-6f, 6f, 3, 4));
    }

    @Test void tanh() {
        check(in -> in[0].tanh(), n(3, 4));
        check(in -> in[0].permute(1, 0, 2).tanh(), n(2, 3, 2));
    }

    // ------------------------------------------------------------------ softmax

    @Test void softmax() {
        check(in -> in[0].softmax(-1), n(3, 5));
        check(in -> in[0].softmax(0), n(3, 5));
        check(in -> in[0].softmax(1), n(2, 3, 4));
        check(in -> in[0].transpose(0, 2).softmax(1), n(2, 3, 4));
    }

    @Test void logSoftmax() {
        check(in -> in[0].logSoftmax(-1), n(3, 5));
        check(in -> in[0].logSoftmax(1), n(2, 3, 4));
        check(in -> in[0].t().logSoftmax(0), n(4, 3));
    }

    // ------------------------------------------------------------------ reductions

    @Test void sum() {
        check(in -> in[0].sum(), n(3, 4));
        check(in -> in[0].sum(1, false), n(2, 3, 4));
        check(in -> in[0].sum(new int[] {0, 2}, true), n(2, 3, 4));
        check(in -> in[0].sum(new int[] {-1, 0}, false), n(2, 3, 4));
        check(in -> in[0].t().sum(0, true), n(3, 4));
    }

    @Test void mean() {
        check(in -> in[0].mean(), n(3, 4));
        check(in -> in[0].mean(1, true), n(2, 3, 4));
        check(in -> in[0].mean(new int[] {0, 2}, false), n(2, 3, 4));
        check(in -> in[0].permute(2, 0, 1).mean(0, false), n(2, 3, 4));
    }

    @Test void maxMin() {
        check(in -> in[0].max(), distinct(3, 4));
        check(in -> in[0].max(1, false), distinct(2, 3, 4));
        check(in -> in[0].max(new int[] {0, 2}, true), distinct(2, 3, 4));
        check(in -> in[0].min(), distinct(3, 4));
        check(in -> in[0].min(0, true), distinct(2, 3, 4));
        check(in -> in[0].min(new int[] {1, 2}, false), distinct(2, 3, 4));
        check(in -> in[0].t().max(0, false), distinct(3, 4));
    }

    @Test void var() {
        check(in -> in[0].var(), n(3, 4));
        check(in -> in[0].var(new int[] {1}, 1, false), n(2, 3, 4));
        check(in -> in[0].var(new int[] {0, 2}, 0, true), n(2, 3, 4));
        check(in -> in[0].t().var(new int[] {0}, 1, true), n(3, 4));
    }

    // ------------------------------------------------------------------ matmul

    @Test void matmul() {
        check(in -> in[0].matmul(in[1]), n(3, 4), n(4, 2));                 // 2-D
        check(in -> in[0].matmul(in[1]), n(4), n(4, 3));                    // vector @ matrix
        check(in -> in[0].matmul(in[1]), n(3, 4), n(4));                    // matrix @ vector
        check(in -> in[0].matmul(in[1]), n(2, 3, 4), n(2, 4, 5));           // batched
        check(in -> in[0].matmul(in[1]), n(2, 1, 3, 4), n(3, 4, 2));        // batch dims broadcast -> [2, 3, 3, 2]
        check(in -> in[0].matmul(in[1]), n(3, 4), n(2, 4, 2));              // 2-D @ batched
        check(in -> in[0].t().matmul(in[1].t()), n(4, 3), n(2, 4));         // both operands transposed
        check(in -> in[0].transpose(1, 2).matmul(in[1]), n(2, 4, 3), n(4, 2));
        check(in -> in[0].matmul(in[1].expand(3, 4, 2)), n(3, 2, 4), n(4, 2)); // stride-0 batch operand
    }

    @Test void linear() {
        check(in -> in[0].linear(in[1], in[2]), n(3, 4), n(4, 2), n(2));      // x @ w + b, bias in the GEMM write-back
        check(in -> in[0].t().linear(in[1].t(), in[2]), n(4, 3), n(5, 4), n(5)); // transposed operands
        check(in -> in[0].linear(in[1], in[2]), n(17, 40), n(40, 49), n(49)); // >= 32k multiply-adds: the vector GEMM
        check(in -> in[0].linear(in[1], null), n(3, 4), n(4, 2));             // no bias = matmul
    }

    /** linearRelu: gradient-checked where no pre-activation lies within 0.05 of the kink, and equal bit for bit to linear().relu(). */
    @Test void linearRelu() {
        int[][] shapes = {{3, 4, 2}, {17, 40, 49}, {6, 700, 33}};   // scalar GEMM; vector GEMM; two k blocks of the vector GEMM
        for (int[] sh : shapes) {
            Tensor x = n(sh[0], sh[1]), w = n(sh[1], sh[2]), b = biasAwayFromKink(x, w, n(sh[2]));
            float[] pre;
            try (var noGrad = Tensor.noGrad()) { pre = x.linear(w, b).toFloatArray(); }
            int negatives = 0;
            for (float v : pre) {
                assertTrue(Math.abs(v) > 0.05f, "pre-activation too close to the kink for a finite-difference check: " + v);
                if (v < 0) negatives++;
            }
            assertTrue(negatives > 0 && negatives < pre.length, "both sides of the ReLU must be exercised");
            if (sh[1] < 100) check(in -> in[0].linearRelu(in[1], in[2]), x, w, b);

            // The fused op against the composition it replaces: same output and gradients, to the bit.
            Tensor r = Tensor.randn(new Rng(seed++), sh[0], sh[2]);
            x.zeroGrad(); w.zeroGrad(); b.zeroGrad();                 // the check above left its own gradients
            Tensor fused = x.linearRelu(w, b);
            fused.mul(r).sum().backward();
            float[][] fusedGrads = {x.grad().toFloatArray(), w.grad().toFloatArray(), b.grad().toFloatArray()};
            x.zeroGrad(); w.zeroGrad(); b.zeroGrad();
            Tensor plain = x.linear(w, b).relu();
            plain.mul(r).sum().backward();
            assertArrayEquals(plain.toFloatArray(), fused.toFloatArray(), "forward " + java.util.Arrays.toString(sh));
            assertArrayEquals(x.grad().toFloatArray(), fusedGrads[0], "dx");
            assertArrayEquals(w.grad().toFloatArray(), fusedGrads[1], "dw");
            assertArrayEquals(b.grad().toFloatArray(), fusedGrads[2], "db");
        }
        Tensor x = n(4, 5), w = n(5, 3);                                             // no bias: matmul + relu
        assertArrayEquals(x.matmul(w).relu().toFloatArray(), x.linearRelu(w, null).toFloatArray());
    }

    /** b shifted per column (by a multiple of 0.1) so that no element of x·w + b lies within 0.06 of 0. */
    private static Tensor biasAwayFromKink(Tensor x, Tensor w, Tensor b) {
        float[] pre, bv = b.toFloatArray();
        try (var noGrad = Tensor.noGrad()) { pre = x.linear(w, b).toFloatArray(); }
        int rows = x.size(0), cols = bv.length;
        for (int j = 0; j < cols; j++) {
            for (int step = 0; step < 200; step++) {
                float shift = (step % 2 == 0 ? 1 : -1) * 0.1f * ((step + 1) / 2);
                boolean clear = true;
                for (int i = 0; i < rows && clear; i++) clear = Math.abs(pre[i * cols + j] + shift) > 0.06f;
                if (clear) { bv[j] += shift; break; }
            }
        }
        return Tensor.of(bv, cols).requiresGrad(true);
    }

    @Test void matmulVectorVector() {
        Tensor a = n(4), b = n(4);
        assertEquals(0, a.matmul(b).dim(), "vector @ vector is 0-D, like torch");
        check(in -> in[0].matmul(in[1]), a, b);
    }

    // ------------------------------------------------------------------ joins

    @Test void concat() {
        check(in -> Tensor.concat(List.of(in[0], in[1], in[2]), 1), n(2, 1, 3), n(2, 3, 3), n(2, 2, 3));
        check(in -> Tensor.concat(List.of(in[0].t(), in[1]), 0), n(3, 2), n(1, 3));
        check(in -> Tensor.concat(List.of(in[0], in[0].mul(2f)), -1), n(2, 2)); // same input twice
    }

    @Test void stack() {
        check(in -> Tensor.stack(List.of(in[0], in[1]), 0), n(2, 3), n(2, 3));
        check(in -> Tensor.stack(List.of(in[0], in[1].t()), 2), n(2, 3), n(3, 2));
        check(in -> Tensor.stack(List.of(in[0], in[1]), -1), n(4), n(4));
    }

    @Test void splitChunk() {
        check(in -> in[0].split(2, 1).get(1).mul(3f), n(3, 5));
        check(in -> {
            List<Tensor> p = in[0].split(2, 1);  // sizes 2, 2, 1
            return p.get(0).mul(p.get(1)).sum(1, true).add(p.get(2));
        }, n(3, 5));
        check(in -> {
            List<Tensor> p = in[0].split(new int[] {1, 3}, 0);
            return p.get(1).sum(0, false).mul(p.get(0).squeeze(0));
        }, n(4, 2));
        check(in -> {
            List<Tensor> p = in[0].chunk(3, -1);  // sizes 2, 2, 2 of 6
            return p.get(0).sub(p.get(2).mul(p.get(1)));
        }, n(2, 6));
        check(in -> in[0].t().chunk(2, 0).get(1), n(3, 4));
    }

    // ------------------------------------------------------------------ indexing

    @Test void gather() {
        IntTensor idx = IntTensor.of(new int[] {0, 2, 2, 1, 0, 0}, 2, 3);
        check(in -> in[0].gather(1, idx), n(2, 3));
        check(in -> in[0].gather(0, IntTensor.of(new int[] {1, 0, 1, 1}, 2, 2)), n(3, 2));
        check(in -> in[0].t().gather(1, idx), n(3, 2));   // non-contiguous source
        check(in -> in[0].gather(2, IntTensor.of(new int[] {3, 0, 3, 1, 2, 2}, 1, 2, 3)), n(2, 3, 4));
    }

    @Test void indexSelect() {
        IntTensor ids = IntTensor.vector(2, 0, 2, 3);  // repeated index: gradient accumulates
        check(in -> in[0].indexSelect(0, ids), n(4, 3));
        check(in -> in[0].indexSelect(1, ids), n(2, 5, 2));
        check(in -> in[0].t().indexSelect(0, ids), n(3, 4));
    }

    @Test void where() {
        Tensor cond = Tensor.of(new float[] {1, 0, 0, 1, 1, 0}, 2, 3);
        check(in -> Tensor.where(cond, in[0], in[1]), n(2, 3), n(2, 3));
        check(in -> Tensor.where(cond, in[0], in[1]), n(3), n(2, 1));         // broadcast a and b
        check(in -> Tensor.where(Tensor.of(new float[] {0, 1}, 2, 1), in[0].t(), in[1]), n(3, 2), n(1));
    }

    @Test void maskedFill() {
        Tensor mask = Tensor.of(new float[] {1, 0, 0, 1}, 1, 4);
        check(in -> in[0].maskedFill(mask, -7f), n(3, 4));
        check(in -> in[0].t().maskedFill(mask, 0f), n(4, 3));
    }

    @Test void dropout() {
        check(in -> in[0].dropout(0.3f, true, new Rng(7)), n(4, 5));
        check(in -> in[0].t().dropout(0.5f, true, new Rng(8)), n(4, 5));
    }

    /** The gradient of dropout is exactly the mask times 1/(1-p), read off the forward output. */
    @Test void dropoutGradientIsScaledMask() {
        float p = 0.25f;
        Tensor x = u(0.5f, 2f, 50, 40);
        Tensor y = x.dropout(p, true, new Rng(11));
        y.backward(Tensor.ones(50, 40));
        float[] xv = x.toFloatArray(), yv = y.toFloatArray(), g = x.grad().toFloatArray();
        int dropped = 0;
        for (int i = 0; i < xv.length; i++) {
            boolean kept = yv[i] != 0f;  // inputs are >= 0.5, so 0 means dropped
            if (!kept) dropped++;
            float want = kept ? 1f / (1f - p) : 0f;
            assertEquals(want, g[i], 0f, "grad at " + i);
            if (kept) assertEquals(xv[i] / (1f - p), yv[i], 1e-6f);
        }
        // 2000 Bernoulli(0.25) draws: mean 500, sd ~19; 6 sd either way.
        assertTrue(Math.abs(dropped - 500) < 120, "dropped " + dropped + " of 2000 at p=0.25");
        // Not training: identity and the gradient passes unchanged.
        assertArrayEquals(xv, x.dropout(p, false, new Rng(11)).toFloatArray());
    }

    @Test void pad() {
        check(in -> in[0].pad(new int[] {1, 0, 2, 1}, 0f), n(2, 3));
        check(in -> in[0].pad(new int[] {0, 0, 1, 1, 0, 2}, -1f), n(2, 2, 3));
        check(in -> in[0].t().pad(new int[] {2, 2, 0, 1}, 3f), n(2, 3));
    }

    // ------------------------------------------------------------------ views

    @Test void reshape() {
        check(in -> in[0].reshape(4, 3), n(2, 6));
        check(in -> in[0].reshape(-1, 2, 2).mul(in[0].reshape(3, 2, 2)), n(12));
        check(in -> in[0].t().reshape(6), n(2, 3));                 // needs a copy
        check(in -> in[0].view(3, 2), n(2, 3));
    }

    @Test void permuteTranspose() {
        check(in -> in[0].permute(2, 0, 1), n(2, 3, 4));
        check(in -> in[0].transpose(0, 2).mul(in[1]), n(2, 3, 4), n(4, 1, 2));
        check(in -> in[0].t(), n(3, 4));
    }

    @Test void sliceNarrowSelect() {
        check(in -> in[0].slice(1, 1, 6, 2), n(3, 7));
        check(in -> in[0].slice(0, -3, 100, 3), n(8, 2));
        check(in -> in[0].slice(1, 0, 4, 2).slice(0, 1, 3), n(3, 4));  // slice of a slice
        check(in -> in[0].narrow(1, 1, 2), n(3, 4));
        check(in -> in[0].select(2, 1), n(2, 3, 4));
        check(in -> in[0].select(0, -1).mul(in[0].select(0, 0)), n(3, 4)); // two views of one input
    }

    @Test void expandSqueezeUnsqueeze() {
        check(in -> in[0].expand(3, 2, 4), n(2, 1));
        check(in -> in[0].expand(2, -1), n(3));
        check(in -> in[0].squeeze(), n(1, 3, 1));
        check(in -> in[0].squeeze(0), n(1, 3));
        check(in -> in[0].unsqueeze(1).mul(in[1]), n(3, 2), n(4, 1, 1, 1));  // [3,1,2] * [4,1,1,1]
        check(in -> in[0].t().unsqueeze(0), n(3, 2));
    }

    @Test void flattenContiguous() {
        check(in -> in[0].flatten(), n(2, 3, 2));
        check(in -> in[0].flatten(1, 2), n(2, 3, 2));
        check(in -> in[0].permute(1, 0, 2).flatten(0, 1), n(2, 3, 2));
        check(in -> in[0].t().contiguous(), n(3, 4));
    }

    // ------------------------------------------------------------------ random shapes

    private static int[] randomShape(Rng rng, int maxRank) {
        int[] s = new int[rng.nextInt(maxRank + 1)];
        for (int i = 0; i < s.length; i++) s[i] = 1 + rng.nextInt(4);
        return s;
    }

    /** A shape that broadcasts with {@code s}: some leading dims dropped, some sizes set to 1. */
    private static int[] broadcastPartner(Rng rng, int[] s) {
        int drop = rng.nextInt(s.length + 1);
        int[] b = java.util.Arrays.copyOfRange(s, drop, s.length);
        for (int i = 0; i < b.length; i++) if (rng.nextInt(3) == 0) b[i] = 1;
        return b;
    }

    /** Transposes the last two dims inside f when there are two, so the op sees a non-contiguous view. */
    private static Tensor maybeT(Tensor x, boolean t) { return t && x.dim() >= 2 ? x.transpose(-1, -2) : x; }

    private static int[] swapLast(int[] s, boolean t) {
        int[] r = s.clone();
        if (t && r.length >= 2) { int tmp = r[r.length - 1]; r[r.length - 1] = r[r.length - 2]; r[r.length - 2] = tmp; }
        return r;
    }

    @Test void binaryOpsOnRandomBroadcastShapes() {
        Rng rng = new Rng(77);
        for (int trial = 0; trial < 12; trial++) {
            int[] sa = randomShape(rng, 3), sb = broadcastPartner(rng, sa);
            if (rng.nextInt(2) == 0) { int[] tmp = sa; sa = sb; sb = tmp; }  // either side may be the smaller
            boolean t = rng.nextInt(2) == 0;
            int[] la = swapLast(sa, t);   // stored layout, transposed back inside f
            String at = "shapes " + Shape.str(sa) + " " + Shape.str(sb) + (t ? " (first operand transposed)" : "");
            Tensor a = n(la), b = n(sb), bp = u(0.5f, 2f, sb), ap = u(0.5f, 2f, la);
            for (var op : List.<java.util.function.BinaryOperator<Tensor>>of(Tensor::add, Tensor::sub, Tensor::mul)) {
                GradCheck.Result r = GradCheck.check(in -> op.apply(maybeT(in[0], t), in[1]), a, b);
                assertTrue(r.passed(), at + ": " + r);
            }
            GradCheck.Result div = GradCheck.check(in -> maybeT(in[0], t).div(in[1]), a, bp);
            assertTrue(div.passed(), at + " div: " + div);
            GradCheck.Result pow = GradCheck.check(in -> maybeT(in[0], t).pow(in[1]), ap, b);
            assertTrue(pow.passed(), at + " pow: " + pow);
            Tensor da = distinct(la), db = Tensor.of(distinct(sb).toFloatArray(), sb).add(0.05f).detach().requiresGrad(true);
            GradCheck.Result max = GradCheck.check(in -> maybeT(in[0], t).maximum(in[1]).add(maybeT(in[0], t).minimum(in[1])), da, db);
            assertTrue(max.passed(), at + " maximum/minimum: " + max);
        }
    }

    @Test void reductionsAndSoftmaxOnRandomShapesAndDims() {
        Rng rng = new Rng(78);
        for (int trial = 0; trial < 12; trial++) {
            int[] s = randomShape(rng, 4);
            if (s.length == 0) s = new int[] {3};
            int r = s.length;
            List<Integer> dimList = new java.util.ArrayList<>();
            for (int d = 0; d < r; d++) if (rng.nextInt(2) == 0) dimList.add(rng.nextInt(2) == 0 ? d : d - r);  // some negative
            int[] dims = dimList.stream().mapToInt(Integer::intValue).toArray();
            boolean keep = rng.nextInt(2) == 0, t = rng.nextInt(2) == 0;
            int one = rng.nextInt(r);
            int[] layout = swapLast(s, t);
            String at = "shape " + Shape.str(s) + " dims " + java.util.Arrays.toString(dims) + " keep " + keep + (t ? " (transposed view)" : "");
            Tensor x = n(layout), dx = distinct(layout);
            long reduced = 1;
            for (int d : dims) reduced *= s[d < 0 ? d + r : d];
            if (dims.length == 0) reduced = Shape.numel(s);
            List<Function<Tensor[], Tensor>> fs = List.of(
                    in -> maybeT(in[0], t).sum(dims, keep),
                    in -> maybeT(in[0], t).mean(dims, keep),
                    in -> maybeT(in[0], t).softmax(one),
                    in -> maybeT(in[0], t).logSoftmax(one - r));
            for (Function<Tensor[], Tensor> f : fs) {
                GradCheck.Result res = GradCheck.check(f, x);
                assertTrue(res.passed(), at + ": " + res);
            }
            if (reduced > 1) {
                GradCheck.Result v = GradCheck.check(in -> maybeT(in[0], t).var(dims, 1, keep), x);
                assertTrue(v.passed(), at + " var: " + v);
            }
            GradCheck.Result mx = GradCheck.check(in -> maybeT(in[0], t).max(dims, keep).sub(maybeT(in[0], t).min(dims, keep)), dx);
            assertTrue(mx.passed(), at + " max/min: " + mx);
        }
    }

    @Test void matmulOnRandomShapes() {
        Rng rng = new Rng(79);
        for (int trial = 0; trial < 12; trial++) {
            int m = 1 + rng.nextInt(4), k = 1 + rng.nextInt(4), nn = 1 + rng.nextInt(4);
            int[] batchA = randomShape(rng, 2), batchB = broadcastPartner(rng, batchA);
            if (rng.nextInt(2) == 0) { int[] tmp = batchA; batchA = batchB; batchB = tmp; }
            boolean ta = rng.nextInt(2) == 0, tb = rng.nextInt(2) == 0;
            int[] sa = concatShape(batchA, ta ? new int[] {k, m} : new int[] {m, k});
            int[] sb = concatShape(batchB, tb ? new int[] {nn, k} : new int[] {k, nn});
            String at = Shape.str(sa) + (ta ? "ᵀ" : "") + " @ " + Shape.str(sb) + (tb ? "ᵀ" : "");
            GradCheck.Result r = GradCheck.check(in -> maybeT(in[0], ta).matmul(maybeT(in[1], tb)), n(sa), n(sb));
            assertTrue(r.passed(), at + ": " + r);
        }
    }

    private static int[] concatShape(int[] a, int[] b) {
        int[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    /**
     * Random programs: each step applies a random op to random earlier values (so values are shared
     * and reused, as in real graphs), and the gradient of the whole program is checked.
     */
    @Test void randomProgramsWithSharedValues() {
        Rng rng = new Rng(80);
        for (int prog = 0; prog < 25; prog++) {
            long programSeed = rng.nextLong();
            Function<Tensor[], Tensor> f = in -> {
                Rng r = new Rng(programSeed);  // the same program on every call
                List<Tensor> pool = new java.util.ArrayList<>(List.of(in[0], in[1]));  // both [3, 4]
                for (int step = 0; step < 8; step++) {
                    Tensor a = pool.get(r.nextInt(pool.size())), b = pool.get(r.nextInt(pool.size()));
                    Tensor y = switch (r.nextInt(11)) {
                        case 0 -> a.tanh();
                        case 1 -> a.sigmoid().mul(b);
                        case 2 -> a.add(b);
                        case 3 -> a.sub(b.mul(0.5f));
                        case 4 -> a.softmax(r.nextInt(2));
                        case 5 -> a.mean(r.nextInt(2), true).add(b);
                        case 6 -> a.t().mul(b.t()).t();
                        case 7 -> Tensor.concat(List.of(a.slice(1, 0, 1), b.slice(1, 1, 4, 2), a.select(1, 3).unsqueeze(1)), 1); // 1 + 2 + 1 columns
                        case 8 -> a.matmul(in[2]).tanh();
                        case 9 -> a.sum(0, true).expand(3, 4).mul(0.1f).add(b);
                        default -> a.mul(a).mul(0.3f).sub(b);
                    };
                    pool.add(y);
                }
                return pool.get(pool.size() - 1).add(pool.get(pool.size() - 3));
            };
            GradCheck.Result res = GradCheck.check(f, n(3, 4), n(3, 4), u(-0.5f, 0.5f, 4, 4));
            assertTrue(res.passed(), "program " + prog + ": " + res);
        }
    }

    /** A small expression mixing many ops, as a network would. */
    @Test void composite() {
        check(in -> in[0].matmul(in[1]).add(in[2]).tanh().logSoftmax(-1).mean(), n(3, 4), n(4, 5), n(5));
        check(in -> in[0].mul(in[0]).sub(in[0].exp().mul(in[1])).sum(0, false), n(3, 2), n(2)); // x used three times
    }
}
