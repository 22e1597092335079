package dev.weft.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.engine.Rng;
import dev.weft.engine.Tensor;
import dev.weft.nn.losses.MeanSquaredError;
import dev.weft.nn.optim.Adam;
import dev.weft.nn.optim.Optimizer;
import dev.weft.nn.optim.RMSprop;
import dev.weft.nn.optim.SGD;
import dev.weft.nn.optim.schedule.CosineDecay;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Full checkpoints: bit-exact resumption, all-or-nothing loading. */
class CheckpointTest {
    @TempDir Path dir;

    private static final int SAMPLES = 32, BATCH = 8;

    /** A training run whose every source of randomness is the one generator {@code rng}. */
    static final class Run {
        final TinyMlp model;
        final Optimizer opt;
        final Rng rng;
        final Tensor x, y;
        long step;

        Run(long initSeed, long rngSeed) {
            model = new TinyMlp(new Rng(initSeed), 5, 16, 3, 0.25f, true);
            opt = new Adam(model.namedParameters(), 0.01f).schedule(new CosineDecay(0f, 20, 0.1f, 3, 0.02f)).globalClipNorm(5f);
            rng = new Rng(rngSeed);
            Rng data = new Rng(7); // the data set itself is fixed
            x = Tensor.randn(data, SAMPLES, 5);
            y = Tensor.randn(data, SAMPLES, 3);
        }

        void train(int steps) {
            var loss = new MeanSquaredError();
            for (int s = 0; s < steps; s++) {
                // A random mini-batch (drawn from rng) and dropout (also rng): resumption must restore it.
                int[] idx = new int[BATCH];
                for (int i = 0; i < BATCH; i++) idx[i] = rng.nextInt(SAMPLES);
                var index = dev.weft.engine.IntTensor.of(idx, BATCH);
                opt.zeroGrad();
                loss.apply(model.forward(x.indexSelect(0, index), rng), y.indexSelect(0, index)).backward();
                opt.step();
                step++;
            }
        }
    }

    @Test void resumingFromACheckpointIsBitExact() throws IOException {
        Run straight = new Run(1, 100);
        straight.train(12);

        Run first = new Run(1, 100);
        first.train(5);
        Path f = dir.resolve("ckpt.safetensors");
        Checkpoint.save(f, first.model, first.opt, 2, first.step, Map.of("train", first.rng), Map.of("run", "abc"));

        Run resumed = new Run(999, 12345); // different initial weights and generator state
        Checkpoint.Info info = Checkpoint.load(f, resumed.model, resumed.opt, Map.of("train", resumed.rng));
        assertEquals(2, info.epoch());
        assertEquals(5, info.step());
        assertEquals(Map.of("run", "abc"), info.extra());
        resumed.step = info.step();
        resumed.train(7);

        var expected = WeightsTest.snapshot(straight.model);
        WeightsTest.assertSameState(expected, resumed.model);
        assertTrue(expected.containsKey("moving_mean"));
        assertArrayEquals(straight.rng.state(), resumed.rng.state());
        assertEquals(straight.opt.iterations(), resumed.opt.iterations());
        var sa = straight.opt.state().slots();
        var sb = resumed.opt.state().slots();
        for (String k : sa.keySet()) assertArrayEquals(sa.get(k).toFloatArray(), sb.get(k).toFloatArray(), k);
        // Sanity: the resumed run really did move away from the checkpoint.
        Run stale = new Run(1, 100);
        stale.train(5);
        assertTrue(!java.util.Arrays.equals(WeightsTest.snapshot(stale.model).get("dense1.kernel"), expected.get("dense1.kernel")));
    }

    @Test void everyMismatchIsReportedAndNothingChanges() throws IOException {
        Run saved = new Run(1, 100);
        saved.train(2);
        Path f = dir.resolve("ckpt.safetensors");
        Checkpoint.save(f, saved.model, saved.opt, 0, 2, Map.of("train", saved.rng), Map.of());

        TinyMlp other = new TinyMlp(new Rng(3), 5, 8, 3, 0f, true); // hidden 8 instead of 16
        Optimizer wrongKind = new RMSprop(other.namedParameters());
        Rng rng = new Rng(5), missing = new Rng(6);
        var before = WeightsTest.snapshot(other);
        long[] rngBefore = rng.state();
        var e = assertThrows(StateMismatchException.class,
                () -> Checkpoint.load(f, other, wrongKind, Map.of("train", rng, "absent", missing)));
        String msg = e.getMessage();
        assertTrue(msg.contains("'dense1.kernel' has shape [5, 16], model expects [5, 8]"), msg);
        assertTrue(msg.contains("state is from a Adam optimizer, this is RMSprop"), msg);
        assertTrue(msg.contains("missing generator state 'absent'"), msg);
        WeightsTest.assertSameState(before, other);
        assertArrayEquals(rngBefore, rng.state());
        assertEquals(0, wrongKind.iterations());
    }

    @Test void aPlainWeightFileIsNotACheckpoint() throws IOException {
        TinyMlp m = TinyMlp.small(1);
        Path f = dir.resolve("w.safetensors");
        Weights.save(m, f);
        var e = assertThrows(StateMismatchException.class, () -> Checkpoint.load(f, m, null, Map.of()));
        assertTrue(e.getMessage().contains("not a Weft checkpoint"), e.getMessage());
    }

    @Test void weightsOnlyCheckpointWithoutOptimizer() throws IOException {
        TinyMlp a = TinyMlp.small(1), b = TinyMlp.small(2);
        Path f = dir.resolve("c.safetensors");
        Checkpoint.save(f, a, null, 4, 40, null, null);
        Checkpoint.Info info = Checkpoint.load(f, b, null, null);
        assertEquals(4, info.epoch());
        WeightsTest.assertSameState(WeightsTest.snapshot(a), b);
        var e = assertThrows(StateMismatchException.class, () -> Checkpoint.load(f, b, new SGD(b.namedParameters()), null));
        assertTrue(e.getMessage().contains("no optimizer state"), e.getMessage());
    }

    @Test void aNullGeneratorIsReportedBeforeAnythingChanges() throws IOException {
        TinyMlp a = TinyMlp.small(1), b = TinyMlp.small(2);
        Path f = dir.resolve("r.safetensors");
        Checkpoint.save(f, a, null, 1, 1, Map.of("global", new Rng(3)), null);
        Map<String, float[]> before = WeightsTest.snapshot(b);
        java.util.Map<String, Rng> rngs = new java.util.HashMap<>();
        rngs.put("global", null);
        var e = assertThrows(StateMismatchException.class, () -> Checkpoint.load(f, b, null, rngs));
        assertTrue(e.getMessage().contains("generator 'global' to restore into is null"), e.getMessage());
        WeightsTest.assertSameState(before, b);
        var save = assertThrows(IllegalArgumentException.class, () -> Checkpoint.save(dir.resolve("s.safetensors"), a, null, 1, 1, rngs, null));
        assertTrue(save.getMessage().contains("Checkpoint.save: generator 'global' is null"), save.getMessage());
    }

    @Test void randomMutationsOnlyEverGiveTheDocumentedExceptionsAndChangeNothing() throws IOException {
        Run saved = new Run(1, 100);
        saved.train(2);
        Path f = dir.resolve("ckpt.safetensors");
        Checkpoint.save(f, saved.model, saved.opt, 1, 2, Map.of("train", saved.rng), Map.of("k", "v"));
        byte[] good = java.nio.file.Files.readAllBytes(f);
        Run target = new Run(5, 6);
        Rng mutations = new Rng(77);
        int rejected = 0;
        for (int round = 0; round < 150; round++) {
            java.nio.file.Files.write(f, WeightsTest.mutate(good, mutations));
            var model = WeightsTest.snapshot(target.model);
            var slots = target.opt.state();
            long[] rngState = target.rng.state();
            try {
                Checkpoint.load(f, target.model, target.opt, Map.of("train", target.rng));
            } catch (dev.weft.engine.io.SafetensorsException | StateMismatchException e) {
                rejected++;
                WeightsTest.assertSameState(model, target.model);
                assertArrayEquals(rngState, target.rng.state());
                assertEquals(slots.iterations(), target.opt.iterations());
                for (var k : slots.slots().keySet())
                    assertArrayEquals(slots.slots().get(k).toFloatArray(), target.opt.state().slots().get(k).toFloatArray(), k);
            } catch (Throwable t) {
                org.junit.jupiter.api.Assertions.fail("round " + round + ": undocumented " + t, t);
            }
        }
        assertTrue(rejected > 75, "rejected " + rejected);
    }
}
