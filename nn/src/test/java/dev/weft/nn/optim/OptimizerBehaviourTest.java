package dev.weft.nn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.engine.Rng;
import dev.weft.engine.Tensor;
import dev.weft.nn.optim.schedule.CosineDecay;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Clipping, skipping, state snapshots and resumption, validation, allocation. */
class OptimizerBehaviourTest {
    private static Map<String, Tensor> params(long seed) {
        Rng rng = new Rng(seed);
        Map<String, Tensor> p = new LinkedHashMap<>();
        p.put("a.kernel", Tensor.randn(rng, 3, 4).requiresGrad(true));
        p.put("a.bias", Tensor.randn(rng, 4).requiresGrad(true));
        return p;
    }

    // A non-quadratic loss so that every optimizer's state matters: sum(tanh(x·W + b)²) on fixed x.
    private static void lossAndBackward(Map<String, Tensor> p) {
        Tensor x = Tensor.of(new float[] {0.5f, -1f, 2f, 1.5f, 0.25f, -0.5f}, 2, 3);
        Tensor h = x.matmul(p.get("a.kernel")).add(p.get("a.bias")).tanh();
        h.mul(h).sum().backward();
    }

    private static void train(Optimizer opt, Map<String, Tensor> p, int steps) {
        for (int i = 0; i < steps; i++) {
            opt.zeroGrad();
            lossAndBackward(p);
            opt.step();
        }
    }

    private static final List<Function<Map<String, Tensor>, Optimizer>> KINDS = List.of(
            p -> new SGD(p, 0.1f, 0.9f, true),
            p -> new SGD(p, 0.1f).weightDecay(0.01f),
            p -> new Adam(p, 0.05f, true).schedule(new CosineDecay(0.05f, 10, 0.1f, 2, 0.1f)),
            p -> new AdamW(p, 0.05f, 0.01f).clipNorm(0.5f),
            p -> new RMSprop(p, 0.01f, 0.9f, 0.5f, 1e-7f, true).globalClipNorm(1f),
            p -> new Adagrad(p, 0.1f, 0.1f, 1e-7f).clipValue(0.2f));

    @Test void resumingFromAStateSnapshotIsBitExact() {
        for (var make : KINDS) {
            Map<String, Tensor> straight = params(1);
            Optimizer a = make.apply(straight);
            train(a, straight, 8);

            Map<String, Tensor> first = params(1);
            Optimizer b = make.apply(first);
            train(b, first, 5);
            OptimizerState snap = b.state();
            // Fresh parameters and optimizer, loaded from the snapshot.
            Map<String, Tensor> resumed = params(99);
            for (var e : resumed.entrySet()) try (var s = Tensor.noGrad()) { e.getValue().copyFrom(first.get(e.getKey())); }
            Optimizer c = make.apply(resumed);
            c.loadState(snap);
            assertEquals(5, c.iterations());
            train(c, resumed, 3);
            for (String n : straight.keySet())
                assertArrayEquals(straight.get(n).toFloatArray(), resumed.get(n).toFloatArray(), a.getClass().getSimpleName() + " " + n);
            assertEquals(a.learningRate(), c.learningRate());
        }
    }

    @Test void snapshotIsDetached() {
        Map<String, Tensor> p = params(2);
        Adam opt = new Adam(p, 0.1f);
        train(opt, p, 2);
        OptimizerState s = opt.state();
        float[] m = s.slots().get("a.kernel/m").toFloatArray();
        train(opt, p, 2);
        assertArrayEquals(m, s.slots().get("a.kernel/m").toFloatArray());
        assertEquals(2, s.iterations());
        assertEquals(List.of("a.kernel/m", "a.kernel/v", "a.bias/m", "a.bias/v"), List.copyOf(s.slots().keySet()));
    }

    @Test void loadStateReportsEveryProblemAndChangesNothing() {
        Map<String, Tensor> p = params(3);
        Adam opt = new Adam(p, 0.1f);
        train(opt, p, 1);
        Map<String, Tensor> slots = new LinkedHashMap<>(opt.state().slots());
        slots.remove("a.bias/v");
        slots.put("a.kernel/m", Tensor.zeros(4, 3));
        slots.put("other/m", Tensor.zeros(1));
        OptimizerState bad = new OptimizerState("RMSprop", 7, 0.5f, slots);
        float[] before = opt.state().slots().get("a.kernel/m").toFloatArray();
        var e = assertThrows(IllegalArgumentException.class, () -> opt.loadState(bad));
        String msg = e.getMessage();
        assertTrue(msg.contains("RMSprop") && msg.contains("missing slot 'a.bias/v'") && msg.contains("'a.kernel/m' has shape [4, 3]")
                && msg.contains("unexpected slot 'other/m'"), msg);
        assertEquals(1, opt.iterations());
        assertEquals(0.1f, opt.learningRate());
        assertArrayEquals(before, opt.state().slots().get("a.kernel/m").toFloatArray());
    }

    @Test void parametersWithoutGradientsAreSkipped() {
        Map<String, Tensor> p = params(4);
        Tensor frozen = Tensor.ones(2).requiresGrad(true);
        p.put("unused", frozen);
        Adam opt = new Adam(p, 0.1f);
        train(opt, p, 3);
        assertArrayEquals(new float[] {1f, 1f}, frozen.toFloatArray());
        assertArrayEquals(new float[2], opt.state().slots().get("unused/m").toFloatArray());
        assertEquals(3, opt.iterations());
    }

    @Test void clipNormClipsOnTheFlyWithoutTouchingGradients() {
        Tensor w = Tensor.zeros(2).requiresGrad(true);
        SGD opt = new SGD(Map.of("w", w), 1f).clipNorm(1f);
        w.setGrad(Tensor.vector(3f, 4f));
        opt.step();
        // ‖[3, 4]‖ = 5 > 1 → g·1/5 = [0.6, 0.8]; w = 0 − 1·g.
        assertArrayEquals(new float[] {-0.6f, -0.8f}, w.toFloatArray(), 1e-7f);
        assertArrayEquals(new float[] {3f, 4f}, w.grad().toFloatArray());
    }

    @Test void gradientClippingUtilities() {
        Tensor a = Tensor.zeros(2).requiresGrad(true), b = Tensor.zeros(1).requiresGrad(true), none = Tensor.zeros(1).requiresGrad(true);
        a.setGrad(Tensor.vector(3f, 4f));
        b.setGrad(Tensor.vector(12f));
        // Global norm √(9 + 16 + 144) = 13; clipping to 6.5 halves everything.
        assertEquals(13.0, GradientClipping.clipByGlobalNorm(List.of(a, b, none), 6.5f), 1e-9);
        assertArrayEquals(new float[] {1.5f, 2f}, a.grad().toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {6f}, b.grad().toFloatArray(), 1e-6f);
        // Below the threshold nothing changes.
        assertEquals(6.5, GradientClipping.clipByGlobalNorm(List.of(a, b), 100f), 1e-6);
        assertArrayEquals(new float[] {6f}, b.grad().toFloatArray(), 1e-6f);
        // Per-tensor: a has norm 2.5 → [0.6, 0.8]; b has norm 6 → [1].
        GradientClipping.clipByNorm(List.of(a, b), 1f);
        assertArrayEquals(new float[] {0.6f, 0.8f}, a.grad().toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {1f}, b.grad().toFloatArray(), 1e-6f);
        a.setGrad(Tensor.vector(3f, -4f));
        GradientClipping.clipByValue(List.of(a), 2f);
        assertArrayEquals(new float[] {2f, -2f}, a.grad().toFloatArray());
    }

    @Test void clipOptionsAreExclusiveLikeKeras() {
        Tensor w = Tensor.zeros(2).requiresGrad(true);
        SGD opt = new SGD(Map.of("w", w), 1f).clipValue(0.1f).clipNorm(100f); // the later one wins
        w.setGrad(Tensor.vector(3f, 4f));
        opt.step();
        assertArrayEquals(new float[] {-3f, -4f}, w.toFloatArray(), 1e-6f);
    }

    @Test void weightDecayFilterSkipsNamedParameters() {
        Tensor k = Tensor.ones(1).requiresGrad(true), bias = Tensor.ones(1).requiresGrad(true);
        Map<String, Tensor> p = new LinkedHashMap<>();
        p.put("dense.kernel", k);
        p.put("dense.bias", bias);
        SGD opt = new SGD(p, 0.5f).weightDecay(0.1f).weightDecayFilter(n -> !n.endsWith("bias"));
        k.setGrad(Tensor.zeros(1));
        bias.setGrad(Tensor.zeros(1));
        opt.step();
        assertEquals(1f - 1f * 0.1f * 0.5f, k.get(0), 1e-7f); // w − w·wd·lr
        assertEquals(1f, bias.get(0));
    }

    @Test void badParametersAreRejectedWithNames() {
        Tensor base = Tensor.zeros(3, 4).requiresGrad(true);
        var e = assertThrows(IllegalArgumentException.class, () -> new Adam(Map.of("t", Tensor.zeros(3, 4).t())));
        assertTrue(e.getMessage().contains("'t'") && e.getMessage().contains("non-contiguous"), e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> new Adam(Map.of("y", base.mul(2f))));
        assertTrue(e2.getMessage().contains("not a leaf"), e2.getMessage());
        Map<String, Tensor> dup = new LinkedHashMap<>();
        dup.put("a", base);
        dup.put("b", base);
        assertThrows(IllegalArgumentException.class, () -> new SGD(dup));
        assertThrows(IllegalArgumentException.class, () -> new SGD(Map.of("a", base), -1f));
        assertThrows(IllegalArgumentException.class, () -> new SGD(Map.of("a", base), 0.1f, 1f, false));
        assertThrows(IllegalArgumentException.class, () -> new Adam(Map.of("a", base)).betas(1f, 0.9f, 1e-7f));
        assertThrows(IllegalArgumentException.class, () -> new Adam(Map.of("a", base)).clipNorm(0f));
    }

    @Test void listConstructorsNameParametersByPosition() {
        Tensor a = Tensor.zeros(2).requiresGrad(true), b = Tensor.zeros(1).requiresGrad(true);
        var keys = new Adam(List.of(a, b), 0.1f).state().slots().keySet();
        assertEquals(List.of("0/m", "0/v", "1/m", "1/v"), List.copyOf(keys));
    }

    @Test void stepsAllocateNothingPerElement() {
        var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        if (!bean.isThreadAllocatedMemorySupported()) return;
        Map<String, Tensor> p = params(5);
        for (Tensor t : p.values()) t.setGrad(Tensor.onesLike(t).mul(0.01f));
        for (var make : KINDS) {
            Optimizer opt = make.apply(p);
            for (int i = 0; i < 2000; i++) opt.step(); // warm up the JIT
            long tid = Thread.currentThread().getId();
            long before = bean.getThreadAllocatedBytes(tid);
            for (int i = 0; i < 1000; i++) opt.step();
            long perStep = (bean.getThreadAllocatedBytes(tid) - before) / 1000;
            // Only the no-grad scope object may be allocated: nothing proportional to the parameters.
            assertTrue(perStep < 64, opt.getClass().getSimpleName() + " allocates " + perStep + " bytes per step");
        }
    }

    /**
     * A VAE-like set of parameters (209 k elements in ten tensors, most far below one chunk) runs as
     * one parallel job of all their chunks: the same bits for 1 to 3 threads, and each parameter
     * ends exactly where stepping it alone (the serial path) takes it — weight decay and value
     * clipping included.
     */
    @Test void manyParametersInOneParallelJobGiveTheSameBitsAsEachAlone() {
        int[] sizes = {784 * 128, 128, 128 * 20, 20, 128 * 20, 20, 20 * 128, 128, 128 * 784, 784};
        Rng rng = new Rng(9);
        float[][] w0 = new float[sizes.length][], g0 = new float[sizes.length][];
        for (int k = 0; k < sizes.length; k++) {
            w0[k] = Tensor.randn(rng, sizes[k]).toFloatArray();
            g0[k] = Tensor.randn(rng, sizes[k]).mul(0.3f).toFloatArray();
        }
        int before = dev.weft.engine.kernels.Parallel.threads();
        float[][][] results = new float[3][][];
        try {
            for (int threads = 1; threads <= 3; threads++) {
                dev.weft.engine.kernels.Parallel.setThreads(threads);
                Map<String, Tensor> p = new LinkedHashMap<>();
                for (int k = 0; k < sizes.length; k++) p.put("p" + k, Tensor.of(w0[k].clone(), sizes[k]).requiresGrad(true));
                Optimizer opt = new AdamW(p, 0.01f, 0.05f).clipValue(0.5f);
                for (int s = 0; s < 3; s++) {
                    int k = 0;
                    for (Tensor t : p.values()) t.setGrad(Tensor.of(g0[k].clone(), sizes[k++]));
                    opt.step();
                }
                results[threads - 1] = p.values().stream().map(Tensor::toFloatArray).toArray(float[][]::new);
            }
        } finally {
            dev.weft.engine.kernels.Parallel.setThreads(before);
        }
        for (int k = 0; k < sizes.length; k++) {
            assertArrayEquals(results[0][k], results[1][k], "parameter " + k + ", 2 threads");
            assertArrayEquals(results[0][k], results[2][k], "parameter " + k + ", 3 threads");
        }
        for (int k : new int[] {1, 3, 8}) { // alone: fewer than 2^16 elements, so the serial path
            Tensor w = Tensor.of(w0[k].clone(), sizes[k]).requiresGrad(true);
            Optimizer alone = new AdamW(Map.of("w", w), 0.01f, 0.05f).clipValue(0.5f);
            for (int s = 0; s < 3; s++) {
                w.setGrad(Tensor.of(g0[k].clone(), sizes[k]));
                alone.step();
            }
            assertArrayEquals(w.toFloatArray(), results[1][k], "parameter " + k + " stepped alone");
        }
    }

    @Test void largeParametersUpdatedInParallelChunksGiveTheSameBits() {
        int n = 300_001; // several chunks and a ragged tail
        Rng rng = new Rng(8);
        float[] w0 = Tensor.randn(rng, n).toFloatArray(), g0 = Tensor.randn(rng, n).toFloatArray();
        int before = dev.weft.engine.kernels.Parallel.threads();
        float[][] results = new float[2][];
        try {
            for (int threads = 1; threads <= 2; threads++) {
                dev.weft.engine.kernels.Parallel.setThreads(threads);
                Tensor w = Tensor.of(w0.clone(), n).requiresGrad(true);
                Adam opt = new Adam(Map.of("w", w), 0.1f).clipNorm(100f);
                for (int s = 0; s < 3; s++) {
                    w.setGrad(Tensor.of(g0.clone(), n));
                    opt.step();
                }
                results[threads - 1] = w.toFloatArray();
            }
        } finally {
            dev.weft.engine.kernels.Parallel.setThreads(before);
        }
        assertArrayEquals(results[0], results[1]);
        // Element-by-element the same arithmetic as a small parameter (clip scale shared by all elements).
        double norm = 0;
        for (float v : g0) norm += (double) v * v;
        float scale = (float) (100 / Math.sqrt(norm));
        for (int i : new int[] {0, 40_000, n - 1}) {
            Tensor w = Tensor.vector(w0[i]).requiresGrad(true);
            Adam opt = new Adam(Map.of("w", w), 0.1f);
            for (int s = 0; s < 3; s++) {
                w.setGrad(Tensor.vector(g0[i] * scale));
                opt.step();
            }
            assertEquals(w.get(0), results[0][i], "element " + i);
        }
    }
}
