package dev.weft.engine.nnops;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.engine.Rng;
import dev.weft.engine.Tensor;
import dev.weft.engine.autograd.GradCheck;
import dev.weft.engine.kernels.Conv2dSpec.Padding;
import dev.weft.engine.ops.BatchNormOp;
import dev.weft.engine.ops.Conv;
import dev.weft.engine.ops.LstmOp;
import dev.weft.engine.ops.Pooling;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The nn ops over fused kernels: forward against naive formulas written out here, backward by
 * central differences ({@link GradCheck}). Layer-level comparisons with PyTorch live in the nn module.
 */
class NnOpsTest {
    private long seed = 100;

    private Tensor n(int... shape) { return Tensor.randn(new Rng(seed++), shape).requiresGrad(true); }

    private static void passes(GradCheck.Result r) { assertTrue(r.passed(), r.toString()); }

    /** Direct definition: y[n,oy,ox,co] = b[co] + Σ x[n, oy·s - padTop + ky·d, ox·s - padLeft + kx·d, ci]·k[ky,kx,ci,co]. */
    private static float[] naiveConv(Tensor x, Tensor k, Tensor b, int s, int d, int padTop, int padLeft, int oh, int ow) {
        int[] xs = x.shape(), ks = k.shape();
        float[] out = new float[xs[0] * oh * ow * ks[3]];
        int o = 0;
        for (int bn = 0; bn < xs[0]; bn++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                    for (int co = 0; co < ks[3]; co++, o++) {
                        double acc = b == null ? 0 : b.get(co);
                        for (int ky = 0; ky < ks[0]; ky++)
                            for (int kx = 0; kx < ks[1]; kx++) {
                                int iy = oy * s - padTop + ky * d, ix = ox * s - padLeft + kx * d;
                                if (iy < 0 || iy >= xs[1] || ix < 0 || ix >= xs[2]) continue;
                                for (int ci = 0; ci < xs[3]; ci++) acc += x.get(bn, iy, ix, ci) * k.get(ky, kx, ci, co);
                            }
                        out[o] = (float) acc;
                    }
        return out;
    }

    @Test void conv2dForwardMatchesDefinitionIncludingAsymmetricSame() {
        Tensor x = n(2, 6, 6, 3), k = n(3, 3, 3, 4), b = n(4);
        // valid stride 1: 4x4
        assertArrayEquals(naiveConv(x, k, b, 1, 1, 0, 0, 4, 4), Conv.conv2d(x, k, b, 1, 1, Padding.VALID, 1, 1).toFloatArray(), 1e-4f);
        // same stride 2 on even size 6: out 3, total pad (3-1)·2+3-6 = 1 → 0 on top, 1 at the bottom
        Tensor y = Conv.conv2d(x, k, b, 2, 2, Padding.SAME, 1, 1);
        assertArrayEquals(new int[] {2, 3, 3, 4}, y.shape());
        assertArrayEquals(naiveConv(x, k, b, 2, 1, 0, 0, 3, 3), y.toFloatArray(), 1e-4f);
        // same stride 1, dilation 2: effective kernel 5, total pad 4 → 2 / 2
        assertArrayEquals(naiveConv(x, k, null, 1, 2, 2, 2, 6, 6), Conv.conv2d(x, k, null, 1, 1, Padding.SAME, 2, 2).toFloatArray(), 1e-4f);
    }

    @Test void conv2dGradCheck() {
        Tensor x = n(2, 5, 5, 2), k = n(3, 3, 2, 3), b = n(3);
        passes(GradCheck.check(in -> Conv.conv2d(in[0], in[1], in[2], 2, 2, Padding.SAME, 1, 1), x, k, b));
        passes(GradCheck.check(in -> Conv.conv2d(in[0], in[1], null, 1, 1, Padding.VALID, 2, 2), x, k));
        Tensor p = n(1, 3, 3, 4), k1 = n(1, 1, 4, 2);
        passes(GradCheck.check(in -> Conv.conv2d(in[0], in[1], null, 1, 1, Padding.VALID, 1, 1), p, k1)); // 1x1 path
    }

    /** conv2dRelu = conv2d(...).relu(), bit for bit, forward and all gradients (the direct, Winograd and 1x1 paths). */
    @Test void conv2dReluEqualsConvThenRelu() {
        Object[][] cases = {
            {new int[] {2, 7, 7, 5}, new int[] {3, 3, 5, 9}, 2, Padding.SAME},
            {new int[] {2, 16, 16, 64}, new int[] {3, 3, 64, 64}, 1, Padding.SAME},   // Winograd forward and dx
            {new int[] {2, 6, 6, 12}, new int[] {1, 1, 12, 7}, 1, Padding.VALID},
        };
        for (Object[] c : cases) {
            int[] xs = (int[]) c[0], ks = (int[]) c[1];
            int stride = (int) c[2];
            Padding pad = (Padding) c[3];
            Tensor x = Tensor.randn(new Rng(31), xs).requiresGrad(true), k = Tensor.randn(new Rng(32), ks).mul(0.2f).detach().requiresGrad(true);
            Tensor b = Tensor.randn(new Rng(33), ks[3]).requiresGrad(true);
            Tensor fused = Conv.conv2dRelu(x, k, b, stride, stride, pad, 1, 1);
            Tensor r = Tensor.randn(new Rng(34), fused.shape());
            fused.mul(r).sum().backward();
            float[][] fusedGrads = {x.grad().toFloatArray(), k.grad().toFloatArray(), b.grad().toFloatArray()};
            x.zeroGrad(); k.zeroGrad(); b.zeroGrad();
            Tensor plain = Conv.conv2d(x, k, b, stride, stride, pad, 1, 1).relu();
            plain.mul(r).sum().backward();
            float[] y = fused.toFloatArray();
            int zeros = 0;
            for (float v : y) if (v == 0f) zeros++;
            assertTrue(zeros > 0 && zeros < y.length, "both sides of the ReLU must be exercised");
            assertArrayEquals(plain.toFloatArray(), y, "forward");
            assertArrayEquals(x.grad().toFloatArray(), fusedGrads[0], "dx");
            assertArrayEquals(k.grad().toFloatArray(), fusedGrads[1], "dk");
            assertArrayEquals(b.grad().toFloatArray(), fusedGrads[2], "db");
        }
    }

    @Test void conv2dBadShapesAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Conv.conv2d(Tensor.zeros(1, 4, 4, 3), Tensor.zeros(3, 3, 2, 8), null, 1, 1, Padding.VALID, 1, 1));
        assertTrue(e.getMessage().contains("conv2d") && e.getMessage().contains("[1, 4, 4, 3]") && e.getMessage().contains("[3, 3, 2, 8]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Conv.conv2d(Tensor.zeros(4, 4, 3), Tensor.zeros(3, 3, 3, 8), null, 1, 1, Padding.VALID, 1, 1));
    }

    @Test void nullTensorsAreNamedNotNullPointers() {
        Tensor x4 = Tensor.zeros(1, 4, 4, 1), x2 = Tensor.zeros(2, 3), s = Tensor.zeros(2, 4);
        List<org.junit.jupiter.api.function.Executable> calls = List.of(
                () -> Conv.conv2d(null, Tensor.zeros(3, 3, 1, 2), null, 1, 1, Padding.VALID, 1, 1),
                () -> Pooling.maxPool2d(null, 2, 2, 2, 2, Padding.VALID),
                () -> Pooling.globalAvgPool2d(null),
                () -> BatchNormOp.training(null, Tensor.ones(3), Tensor.zeros(3), 1e-3f),
                () -> LstmOp.cell(x2, null, s, Tensor.zeros(3, 16), Tensor.zeros(4, 16), null),
                () -> LstmOp.sequence(Tensor.zeros(2, 1, 3), null, null, null, Tensor.zeros(4, 16), null, null),
                () -> dev.weft.engine.ops.LossOps.softmaxCrossEntropy(x2, null, -1),
                () -> dev.weft.engine.ops.LossOps.sparseSoftmaxCrossEntropy(x2, null),
                () -> dev.weft.engine.ops.LossOps.sigmoidCrossEntropyWithLogits(null, x4));
        for (var call : calls) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
            assertTrue(e.getMessage().contains("must not be null"), e.getMessage());
        }
    }

    @Test void maxPoolByHandAndGrad() {
        // one 4x4 plane, values 0..15; 2x2/2 valid → maxima 5, 7, 13, 15
        Tensor x = Tensor.arange(16).reshape(1, 4, 4, 1);
        assertArrayEquals(new float[] {5, 7, 13, 15}, Pooling.maxPool2d(x, 2, 2, 2, 2, Padding.VALID).toFloatArray());
        // 2x2 stride 1 same on 4x4: output 4x4, pad only bottom/right; last row/column see themselves
        Tensor s = Pooling.maxPool2d(x, 2, 2, 1, 1, Padding.SAME);
        assertArrayEquals(new float[] {5, 6, 7, 7, 9, 10, 11, 11, 13, 14, 15, 15, 13, 14, 15, 15}, s.toFloatArray());
        // gradcheck on distinct values (no ties)
        float[] v = new float[2 * 5 * 5 * 3];
        for (int i = 0; i < v.length; i++) v[i] = ((i * 37) % v.length) * 0.1f;
        Tensor d = Tensor.of(v, 2, 5, 5, 3).requiresGrad(true);
        passes(GradCheck.check(in -> Pooling.maxPool2d(in[0], 2, 2, 2, 2, Padding.SAME), d));
        passes(GradCheck.check(in -> Pooling.maxPool2d(in[0], 3, 3, 1, 1, Padding.VALID), d));
    }

    @Test void avgPoolSameExcludesPadding() {
        Tensor x = Tensor.arange(9).reshape(1, 3, 3, 1); // 0..8
        // 2x2/2 same on 3: out 2, total pad 1 at bottom/right; windows {0,1,3,4} {2,5} {6,7} {8}
        assertArrayEquals(new float[] {2f, 3.5f, 6.5f, 8f}, Pooling.avgPool2d(x, 2, 2, 2, 2, Padding.SAME).toFloatArray(), 1e-6f);
        passes(GradCheck.check(in -> Pooling.avgPool2d(in[0], 2, 2, 2, 2, Padding.SAME), n(2, 5, 4, 3)));
        passes(GradCheck.check(in -> Pooling.avgPool2d(in[0], 3, 2, 1, 2, Padding.VALID), n(1, 5, 6, 2)));
    }

    @Test void globalAvgPool() {
        Tensor x = n(2, 3, 4, 5);
        assertTrue(Pooling.globalAvgPool2d(x).allClose(x.mean(new int[] {1, 2}, false), 1e-5f, 1e-6f));
        passes(GradCheck.check(in -> Pooling.globalAvgPool2d(in[0]), n(2, 3, 4, 5)));
        assertThrows(IllegalArgumentException.class, () -> Pooling.globalAvgPool2d(Tensor.zeros(2, 3)));
    }

    @Test void batchNormTrainingMatchesComposite() {
        Tensor x = n(4, 3, 3, 5), g = n(5), b = n(5);
        BatchNormOp.Result r = BatchNormOp.training(x, g, b, 1e-3f);
        // composite: biased variance over all but the channel axis
        int[] red = {0, 1, 2};
        Tensor mu = x.mean(red, false), var = x.var(red, 0, false);
        Tensor ref = x.sub(mu).div(var.add(1e-3f).sqrt()).mul(g).add(b);
        assertTrue(r.output().allClose(ref, 1e-4f, 1e-5f));
        assertTrue(r.mean().allClose(mu, 1e-5f, 1e-6f));
        assertTrue(r.variance().allClose(var, 1e-5f, 1e-6f));
        passes(GradCheck.check(in -> BatchNormOp.training(in[0], in[1], in[2], 1e-3f).output(), n(6, 4), n(4), n(4)));
        passes(GradCheck.check(in -> BatchNormOp.training(in[0], in[1], in[2], 1e-3f).output(), n(2, 3, 2, 3), n(3), n(3)));
    }

    /** Enough channels for whole vectors and a tail, a transposed (non-contiguous) input, and an empty batch. */
    @Test void batchNormInferenceOnTheKernelMatchesTheFormulaForAnyLayoutAndThreadCount() {
        int c = 69;
        Tensor xT = n(c, 40).t();                          // [40, 69], not contiguous
        Tensor g = n(c), b = n(c), mm = Tensor.randn(new Rng(3), c), mv = Tensor.rand(new Rng(4), c).add(0.5f);
        Tensor ref = xT.sub(mm).div(mv.add(1e-3f).sqrt()).mul(g).add(b);
        int saved = dev.weft.engine.kernels.Parallel.threads();
        try {
            float[] one = null;
            for (int threads = 1; threads <= 2; threads++) {
                dev.weft.engine.kernels.Parallel.setThreads(threads);
                Tensor y = BatchNormOp.inference(xT, g, b, mm, mv, 1e-3f);
                assertTrue(y.allClose(ref, 1e-5f, 1e-5f), "threads " + threads);
                if (one == null) one = y.toFloatArray();
                else assertArrayEquals(one, y.toFloatArray(), "same bits for 1 and 2 threads");
            }
        } finally {
            dev.weft.engine.kernels.Parallel.setThreads(saved);
        }
        assertEquals(0, BatchNormOp.inference(Tensor.zeros(0, c), g, b, mm, mv, 1e-3f).numel());
    }

    @Test void batchNormInference() {
        Tensor x = n(3, 2, 2, 4), g = n(4), b = n(4);
        Tensor mm = Tensor.randn(new Rng(1), 4), mv = Tensor.rand(new Rng(2), 4).add(0.5f);
        Tensor ref = x.sub(mm).div(mv.add(1e-3f).sqrt()).mul(g).add(b);
        assertTrue(BatchNormOp.inference(x, g, b, mm, mv, 1e-3f).allClose(ref, 1e-5f, 1e-5f));
        passes(GradCheck.check(in -> BatchNormOp.inference(in[0], in[1], in[2], mm, mv, 1e-3f), n(3, 2, 4), n(4), n(4)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BatchNormOp.training(Tensor.zeros(2, 3), Tensor.zeros(4), Tensor.zeros(4), 1e-3f));
        assertTrue(e.getMessage().contains("batch_norm") && e.getMessage().contains("[2, 3]"), e.getMessage());
    }

    @Test void lstmCellMatchesCompositeAndGradChecks() {
        int d = 3, u = 4;
        Tensor x = n(2, d), h = n(2, u), c = n(2, u), w = n(d, 4 * u), rw = n(u, 4 * u), b = n(4 * u);
        LstmOp.State s = LstmOp.cell(x, h, c, w, rw, b);
        Tensor z = x.matmul(w).add(h.matmul(rw)).add(b);
        List<Tensor> q = z.chunk(4, 1); // i, f, c, o (Keras order)
        Tensor cn = q.get(1).sigmoid().mul(c).add(q.get(0).sigmoid().mul(q.get(2).tanh()));
        Tensor hn = q.get(3).sigmoid().mul(cn.tanh());
        assertTrue(s.c().allClose(cn, 1e-5f, 1e-6f));
        assertTrue(s.h().allClose(hn, 1e-5f, 1e-6f));
        passes(GradCheck.check(in -> {
            LstmOp.State st = LstmOp.cell(in[0], in[1], in[2], in[3], in[4], in[5]);
            return Tensor.concat(List.of(st.h(), st.c().mul(0.5f)), 1);
        }, x, h, c, w, rw, b));
        // without bias, and the gradient reaching only c
        passes(GradCheck.check(in -> LstmOp.cell(in[0], in[1], in[2], in[3], in[4], null).c(), n(3, d), n(3, u), n(3, u), n(d, 4 * u), n(u, 4 * u)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LstmOp.cell(Tensor.zeros(2, d), Tensor.zeros(2, u + 1), Tensor.zeros(2, u), w, rw, b));
        assertTrue(e.getMessage().contains("lstm_cell") && e.getMessage().contains("[2, 5]"), e.getMessage());
    }

    @Test void lstmSequenceEqualsStepByStepCellsWithRecurrentMask() {
        int n = 3, t = 4, d = 2, u = 3;
        Tensor x = n(n, t, d), h0 = n(n, u), c0 = n(n, u), w = n(d, 4 * u), rw = n(u, 4 * u), b = n(4 * u);
        Tensor mask = Tensor.of(new float[] {2, 0, 2, 0, 2, 2, 2, 2, 0}, n, u);
        LstmOp.Sequence seq = LstmOp.sequence(x, h0, c0, w, rw, b, mask);
        // reference: the per-step op, h masked where it enters the recurrence
        Tensor h = h0, c = c0;
        java.util.List<Tensor> hs = new java.util.ArrayList<>();
        for (int s = 0; s < t; s++) {
            LstmOp.State st = LstmOp.cell(x.select(1, s), h.mul(mask), c, w, rw, b);
            h = st.h();
            c = st.c();
            hs.add(h);
        }
        Tensor ref = Tensor.stack(hs, 1);
        assertTrue(seq.output().allClose(ref, 1e-5f, 1e-6f));
        assertTrue(seq.h().allClose(h, 1e-5f, 1e-6f));
        assertTrue(seq.c().allClose(c, 1e-5f, 1e-6f));
        Tensor gOut = Tensor.randn(new Rng(77), n, t, u), gC = Tensor.randn(new Rng(78), n, u);
        seq.output().mul(gOut).sum().add(seq.c().mul(gC).sum()).backward();
        Tensor[] leaves = {x, h0, c0, w, rw, b};
        float[][] fused = new float[leaves.length][];
        for (int i = 0; i < leaves.length; i++) { fused[i] = leaves[i].grad().toFloatArray(); leaves[i].zeroGrad(); }
        ref.mul(gOut).sum().add(c.mul(gC).sum()).backward();
        for (int i = 0; i < leaves.length; i++)
            assertArrayEquals(leaves[i].grad().toFloatArray(), fused[i], 1e-4f, "gradient of input " + i);
    }

    /**
     * Sizes where the products take the SIMD GEMM path and U = 20 leaves masked lane tails: the
     * fused sequence (one input GEMM for all steps, batched dW/dR/dx/db) agrees with step-by-step
     * cells, and gives the same bits for 1 to 4 threads.
     */
    @Test void lstmSequenceAtGemmSizesMatchesCellsAndIsThreadIndependent() {
        sequenceMatchesCellsForAnyThreadCount(16, 6, 40, 20, 0.3f);
    }

    /**
     * Row chunks run in parallel (N = 35: chunks of 16, 16 and 3 rows at 3 threads) over more steps
     * than one block of gates (T = 30, blocks of 14 steps), and the no-grad path (one block of gates,
     * rotating state) runs too.
     */
    @Test void lstmSequenceRowChunksAndNoGradPathGiveTheSameBits() {
        sequenceMatchesCellsForAnyThreadCount(35, 30, 12, 64, 0.1f);
    }

    /**
     * LstmOp.sequence at 1 to 4 threads: output, final c and every gradient the same bits, the
     * no-grad output the same bits too, and all of them equal to step-by-step cells (within float
     * rounding).
     */
    private void sequenceMatchesCellsForAnyThreadCount(int n, int t, int d, int u, float recurrentScale) {
        Tensor x = n(n, t, d), h0 = n(n, u), c0 = n(n, u), w = n(d, 4 * u).mul(0.3f).detach().requiresGrad(true);
        Tensor rw = n(u, 4 * u).mul(recurrentScale).detach().requiresGrad(true), b = n(4 * u);
        Tensor gOut = Tensor.randn(new Rng(79), n, t, u), gC = Tensor.randn(new Rng(80), n, u);
        Tensor[] leaves = {x, h0, c0, w, rw, b};
        int saved = dev.weft.engine.kernels.Parallel.threads();
        float[][] first = null;
        try {
            for (int threads = 1; threads <= 4; threads++) {
                dev.weft.engine.kernels.Parallel.setThreads(threads);
                for (Tensor l : leaves) l.zeroGrad();
                LstmOp.Sequence seq = LstmOp.sequence(x, h0, c0, w, rw, b, null);
                seq.output().mul(gOut).sum().add(seq.c().mul(gC).sum()).backward();
                float[][] got = new float[leaves.length + 2][];
                got[0] = seq.output().toFloatArray();
                got[1] = seq.c().toFloatArray();
                for (int i = 0; i < leaves.length; i++) got[i + 2] = leaves[i].grad().toFloatArray();
                if (first == null) first = got;
                else for (int i = 0; i < got.length; i++) assertArrayEquals(first[i], got[i], "output/gradient " + i + ", " + threads + " threads");
                try (var scope = Tensor.noGrad()) {
                    LstmOp.Sequence inf = LstmOp.sequence(x, h0, c0, w, rw, b, null);
                    assertFalse(inf.output().requiresGrad());
                    assertArrayEquals(first[0], inf.output().toFloatArray(), "no-grad output, " + threads + " threads");
                    assertArrayEquals(first[1], inf.c().toFloatArray(), "no-grad final c, " + threads + " threads");
                }
            }
        } finally {
            dev.weft.engine.kernels.Parallel.setThreads(saved);
        }
        for (Tensor l : leaves) l.zeroGrad();
        Tensor h = h0, c = c0;
        List<Tensor> hs = new java.util.ArrayList<>();
        for (int s = 0; s < t; s++) {
            LstmOp.State st = LstmOp.cell(x.select(1, s), h, c, w, rw, b);
            h = st.h();
            c = st.c();
            hs.add(h);
        }
        Tensor ref = Tensor.stack(hs, 1);
        assertArrayEquals(ref.toFloatArray(), first[0], 1e-5f, "outputs");
        assertArrayEquals(c.toFloatArray(), first[1], 1e-5f, "final c");
        ref.mul(gOut).sum().add(c.mul(gC).sum()).backward();
        for (int i = 0; i < leaves.length; i++)
            assertArrayEquals(leaves[i].grad().toFloatArray(), first[i + 2], 2e-4f, "gradient of input " + i);
    }

    @Test void lstmSequenceGradCheck() {
        int d = 2, u = 3;
        passes(GradCheck.check(in -> {
            LstmOp.Sequence s = LstmOp.sequence(in[0], in[1], in[2], in[3], in[4], in[5], null);
            return Tensor.concat(List.of(s.output().reshape(2, -1), s.c()), 1);
        }, n(2, 3, d), n(2, u), n(2, u), n(d, 4 * u), n(u, 4 * u), n(4 * u)));
        passes(GradCheck.check(in -> LstmOp.sequence(in[0], null, null, in[1], in[2], null, null).h(),
                n(2, 4, d), n(d, 4 * u), n(u, 4 * u)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LstmOp.sequence(Tensor.zeros(2, 3, d + 1), null, null, Tensor.zeros(d, 4 * u), Tensor.zeros(u, 4 * u), null, null));
        assertTrue(e.getMessage().contains("lstm_sequence") && e.getMessage().contains("[2, 3, 3]"), e.getMessage());
    }
}
