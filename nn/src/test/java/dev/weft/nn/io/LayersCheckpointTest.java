package dev.weft.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.engine.IntTensor;
import dev.weft.engine.Rng;
import dev.weft.engine.Tensor;
import dev.weft.nn.Sequential;
import dev.weft.nn.layers.BatchNormalization;
import dev.weft.nn.layers.Dense;
import dev.weft.nn.layers.Dropout;
import dev.weft.nn.losses.SparseCategoricalCrossentropy;
import dev.weft.nn.optim.Adam;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Weights and checkpoints with the real layers: Dense, BatchNormalization (moving statistics), Dropout. */
class LayersCheckpointTest {
    @TempDir Path dir;

    static final class Run {
        final Rng rng;
        final Sequential model;
        final Adam opt;
        final Tensor x;
        final int[] labels;

        Run(long initSeed, long rngSeed) {
            rng = new Rng(rngSeed);
            Rng init = new Rng(initSeed);
            model = new Sequential(
                    new Dense(16).activation("relu").withRng(init),
                    new BatchNormalization().withRng(init),
                    new Dropout(0.3).withRng(rng),
                    new Dense(4).withRng(init)).input(6);
            opt = new Adam(model.namedParameters(), 0.01f);
            Rng data = new Rng(3);
            x = Tensor.randn(data, 32, 6);
            labels = new int[32];
            for (int i = 0; i < 32; i++) labels[i] = data.nextInt(4);
        }

        void train(int steps) {
            var loss = new SparseCategoricalCrossentropy(true);
            for (int s = 0; s < steps; s++) {
                int[] idx = new int[8], lab = new int[8];
                for (int i = 0; i < 8; i++) {
                    idx[i] = rng.nextInt(32);
                    lab[i] = labels[idx[i]];
                }
                opt.zeroGrad();
                loss.apply(model.forward(x.indexSelect(0, IntTensor.of(idx, 8))), IntTensor.of(lab, 8)).backward();
                opt.step();
            }
        }
    }

    @Test void sequentialWithBatchNormResumesBitExactly() throws IOException {
        Run straight = new Run(1, 10);
        straight.train(10);
        Run first = new Run(1, 10);
        first.train(4);
        Path f = dir.resolve("ckpt.safetensors");
        Checkpoint.save(f, first.model, first.opt, 0, 4, Map.of("train", first.rng), Map.of());
        Run resumed = new Run(2, 20);
        Checkpoint.load(f, resumed.model, resumed.opt, Map.of("train", resumed.rng));
        resumed.train(6);
        var expected = WeightsTest.snapshot(straight.model);
        assertTrue(expected.keySet().stream().anyMatch(k -> k.endsWith("moving_variance")), expected.keySet().toString());
        WeightsTest.assertSameState(expected, resumed.model);
    }

    @Test void weightsRoundTripAndUnbuiltModelHint() throws IOException {
        Run a = new Run(1, 10);
        a.train(3);
        Path f = dir.resolve("w.safetensors");
        Weights.save(a.model, f);
        Run b = new Run(2, 10);
        Weights.load(b.model, f);
        WeightsTest.assertSameState(WeightsTest.snapshot(a.model), b.model);
        a.model.eval();
        b.model.eval();
        assertArrayEquals(a.model.forward(a.x).toFloatArray(), b.model.forward(a.x).toFloatArray());

        Sequential unbuilt = new Sequential(new Dense(16), new Dense(4));
        var e = assertThrows(StateMismatchException.class, () -> Weights.load(unbuilt, f));
        assertTrue(e.getMessage().contains("build it before loading"), e.getMessage());
        assertFalse(unbuilt.isBuilt());
    }
}
