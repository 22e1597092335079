package dev.weft.zoo.progress;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.engine.Tensor;
import dev.weft.nn.Sequential;
import dev.weft.nn.losses.SparseCategoricalCrossentropy;
import dev.weft.nn.optim.Adam;
import dev.weft.zoo.metrics.Metrics;
import dev.weft.zoo.train.Batches;
import dev.weft.zoo.train.FitOptions;
import dev.weft.zoo.train.History;
import dev.weft.zoo.train.Toy;
import dev.weft.zoo.train.Trainer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The progress output of a whole fit: Keras' {@code Epoch i/n} lines and one bar per epoch. */
class ProgressLoggerTest {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final long[] nanos = {0};

    History fit(int verbose, boolean terminal) {
        Tensor[] d = Toy.blobs(9, 1);
        Tensor[] v = Toy.blobs(6, 2);
        Sequential model = Toy.classifier(3);
        Trainer t = new Trainer(model).compile(new Adam(model.namedParameters(), 0.01f), new SparseCategoricalCrossentropy(), Metrics.accuracy());
        // every clock reading advances 10 ms: bar start, steps 1-3, the final update -> (40 - 10) ms / 2 steps = 15 ms/step
        return t.fit(Batches.of(d[0], d[1], 3), FitOptions.epochs(2).verbose(verbose).terminal(terminal)
                .validationData(Batches.of(v[0], v[1], 6))
                .out(new PrintStream(bytes, true, StandardCharsets.UTF_8)).progressClock(() -> nanos[0] += 10_000_000L, 0));
    }

    static String values(History h, int epoch) {
        StringBuilder sb = new StringBuilder();
        for (String k : h.keys()) sb.append(" - ").append(k).append(": ").append(PyFormat.fixed(h.get(k).get(epoch), 4));
        return sb.toString();
    }

    @Test
    void terminalModeRedrawsEachEpochsBarAndEndsItWithTheEpochLogs() {
        History h = fit(1, true);
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n", -1);
        assertEquals(5, lines.length);
        assertEquals("Epoch 1/2", lines[0]);
        assertEquals("Epoch 2/2", lines[2]);
        assertEquals("", lines[4]);
        for (int e = 0; e < 2; e++) {
            String[] draws = lines[2 * e + 1].split("\r", -1);
            assertEquals(5, draws.length, lines[2 * e + 1]);   // "", 1/3, 2/3, 3/3 running, 3/3 final
            assertTrue(draws[1].startsWith("1/3 [=========>....................] - ETA: "), draws[1]);
            assertTrue(draws[2].startsWith("2/3 [===================>..........] - ETA: "), draws[2]);
            assertTrue(draws[4].startsWith("3/3 [==============================] - 0s 15ms/step"), draws[4]);
            assertTrue(draws[4].endsWith(values(h, e)), draws[4] + " vs " + values(h, e));
            assertTrue(draws[4].contains(" - val_loss: "), draws[4]);
        }
    }

    @Test
    void pipedOutputHasOneLinePerEpoch() {
        History h = fit(1, false);
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(4, lines.length);
        assertFalse(bytes.toString(StandardCharsets.UTF_8).contains("\r"));
        assertEquals("3/3 [==============================] - 0s 15ms/step" + values(h, 0), lines[1]);
        assertEquals("3/3 [==============================] - 0s 15ms/step" + values(h, 1), lines[3]);
    }

    @Test
    void verboseTwoHasOneSummaryLinePerEpoch() {
        History h = fit(2, true);
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(4, lines.length);
        assertTrue(lines[1].startsWith("3/3 - 0s" + values(h, 0) + " - "), lines[1]);
        assertTrue(lines[1].endsWith("ms/epoch - " + lines[1].replaceAll(".* - (\\d+)ms/step$", "$1") + "ms/step"), lines[1]);
    }

    @Test
    void verboseZeroPrintsNothing() {
        fit(0, true);
        assertEquals("", bytes.toString(StandardCharsets.UTF_8));
    }
}
