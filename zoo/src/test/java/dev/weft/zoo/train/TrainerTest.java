package dev.weft.zoo.train;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.engine.Tensor;
import dev.weft.nn.Sequential;
import dev.weft.nn.losses.MeanSquaredError;
import dev.weft.nn.losses.SparseCategoricalCrossentropy;
import dev.weft.nn.optim.Adam;
import dev.weft.nn.optim.SGD;
import dev.weft.zoo.metrics.Metrics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainerTest {
    static FitOptions quiet(int epochs) { return FitOptions.epochs(epochs).verbose(0); }

    static Trainer adamClassifier(Sequential model) {
        return new Trainer(model).compile(new Adam(model.namedParameters(), 0.05f), new SparseCategoricalCrossentropy(), Metrics.accuracy());
    }

    @Test
    void fitReducesLossAndLearnsBlobs() {
        Tensor[] d = Toy.blobs(90, 1);
        Sequential model = Toy.classifier(2);
        Trainer t = adamClassifier(model);
        History h = t.fit(Batches.shuffled(d[0], d[1], 16, 3), quiet(15));
        List<Double> loss = h.get("loss");
        assertEquals(15, loss.size());
        assertTrue(loss.get(14) < 0.3 * loss.get(0), "loss should fall a lot: " + loss);
        Map<String, Double> ev = t.evaluate(d[0], d[1], 32);
        assertTrue(ev.get("accuracy") >= 0.95, "separable blobs: " + ev);
        assertTrue(ev.get("loss") < 0.2, "evaluate loss " + ev);
    }

    @Test
    void historyHasKerasKeysAndOneValuePerEpoch() {
        Tensor[] d = Toy.blobs(30, 4);
        Tensor[] v = Toy.blobs(12, 5);
        Sequential model = Toy.classifier(6);
        History h = adamClassifier(model).fit(Batches.of(d[0], d[1], 8), quiet(4).validationData(Batches.of(v[0], v[1], 5)));
        assertEquals(List.of("loss", "accuracy", "val_loss", "val_accuracy"), new ArrayList<>(h.keys()));
        for (String k : h.keys()) assertEquals(4, h.get(k).size(), k);
        assertEquals(List.of(0, 1, 2, 3), h.epochs());
        assertThrows(IllegalArgumentException.class, () -> h.get("val_auc"));
    }

    @Test
    void validationFreqValidatesEveryNthEpochCountedFromOne() {
        Tensor[] d = Toy.blobs(30, 4);
        Sequential model = Toy.classifier(6);
        Trainer t = adamClassifier(model);
        List<Integer> validated = new ArrayList<>();
        dev.weft.zoo.callbacks.Callback probe = new dev.weft.zoo.callbacks.Callback() {
            @Override public void onEpochEnd(int epoch, Map<String, Double> logs) { if (logs.containsKey("val_loss")) validated.add(epoch); }
        };
        History h = t.fit(Batches.of(d[0], d[1], 8), quiet(5).validationData(Batches.of(d[0], d[1], 10)).validationFreq(2).callbacks(probe));
        assertEquals(List.of(1, 3), validated);   // epochs 2 and 4 in 1-based counting
        assertEquals(5, h.get("loss").size());
        assertEquals(2, h.get("val_loss").size());

        validated.clear();
        h = t.fit(Batches.of(d[0], d[1], 8), quiet(5).validationData(Batches.of(d[0], d[1], 10)).validationEpochs(1, 5).callbacks(probe));
        assertEquals(List.of(0, 4), validated);
        assertEquals(2, h.get("val_accuracy").size());
    }

    /** With a zero learning rate nothing changes, so every logged loss must be the full-data mean loss. */
    @Test
    void lossIsWeightedByBatchSizeLikeKeras() {
        Tensor[] d = Toy.blobs(10, 7);
        Sequential model = Toy.classifier(8);
        Trainer t = new Trainer(model).compile(new SGD(model.namedParameters(), 0f), new SparseCategoricalCrossentropy(), Metrics.accuracy());
        // full-data reference: mean over all 10 samples
        double expectedLoss = new SparseCategoricalCrossentropy().apply(model.forward(d[0]), d[1]).item();
        int[] predicted = new int[10];
        float[] probs = model.forward(d[0]).toFloatArray();
        int hits = 0;
        for (int i = 0; i < 10; i++) {
            int best = 0;
            for (int c = 1; c < 3; c++) if (probs[i * 3 + c] > probs[i * 3 + best]) best = c;
            predicted[i] = best;
            if (best == (int) d[1].get(i)) hits++;
        }
        // batches of 4, 4, 2: an unweighted mean of batch means would differ
        Map<String, Double> ev = t.evaluate(d[0], d[1], 4);
        assertEquals(expectedLoss, ev.get("loss"), 1e-6);
        assertEquals(hits / 10.0, ev.get("accuracy"), 1e-12);
        History h = t.fit(Batches.of(d[0], d[1], 4), quiet(2));
        assertEquals(expectedLoss, h.get("loss").get(0), 1e-6);
        assertEquals(expectedLoss, h.get("loss").get(1), 1e-6);
        assertEquals(hits / 10.0, h.get("accuracy").get(1), 1e-12);

        double unweighted = 0;
        for (int s = 0; s < 10; s += 4) {
            int len = Math.min(4, 10 - s);
            unweighted += new SparseCategoricalCrossentropy().apply(model.forward(d[0].narrow(0, s, len)), d[1].narrow(0, s, len)).item() / 3;
        }
        assertNotEquals(unweighted, expectedLoss, 1e-4, "the data should make weighting matter");
    }

    @Test
    void predictRunsInInferenceModeWithoutGradientsAndRestoresMode() {
        Tensor[] d = Toy.blobs(10, 9);
        Sequential model = Toy.classifierWithDropout(10);
        Trainer t = adamClassifier(model);
        model.train();
        Tensor p1 = t.predict(d[0], 3);
        Tensor p2 = t.predict(d[0], 10);
        assertArrayEquals(new int[] {10, 3}, p1.shape());
        assertFalse(p1.requiresGrad());
        assertTrue(model.isTraining(), "predict must restore the training mode");
        model.eval();
        Tensor reference = model.forward(d[0]);
        model.train();
        assertArrayEquals(reference.toFloatArray(), p1.toFloatArray(), 1e-6f);
        assertArrayEquals(p1.toFloatArray(), p2.toFloatArray(), 1e-6f);
        // in training mode dropout changes the output, so the equality above is not vacuous
        Tensor trainOut = model.forward(d[0]);
        assertFalse(java.util.Arrays.equals(reference.toFloatArray(), trainOut.toFloatArray()));
        assertArrayEquals(new int[] {4, 3}, t.predictOnBatch(d[0].narrow(0, 0, 4)).shape());
    }

    @Test
    void evaluateCanPrintKerasProgress() {
        Tensor[] d = Toy.blobs(12, 35);
        Trainer t = adamClassifier(Toy.classifier(36));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Map<String, Double> ev = t.evaluate(Batches.of(d[0], d[1], 4), 1, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String line = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(line.startsWith("3/3 [==============================] - "), line);
        assertTrue(line.endsWith("step - loss: " + dev.weft.zoo.progress.PyFormat.fixed(ev.get("loss"), 4)
                + " - accuracy: " + dev.weft.zoo.progress.PyFormat.fixed(ev.get("accuracy"), 4) + "\n"), line);
        assertEquals(ev, t.evaluate(Batches.of(d[0], d[1], 4)));
    }

    @Test
    void evaluateUsesInferenceMode() {
        Tensor[] d = Toy.blobs(12, 11);
        Sequential model = Toy.classifierWithDropout(12);
        Trainer t = adamClassifier(model);
        Map<String, Double> a = t.evaluate(d[0], d[1], 5), b = t.evaluate(d[0], d[1], 5);
        assertEquals(a, b, "no dropout noise in evaluate");
        model.eval();
        double expected = new SparseCategoricalCrossentropy().apply(model.forward(d[0]), d[1]).item();
        assertEquals(expected, a.get("loss"), 1e-6);
    }

    static History seededRun(long dataSeed) {
        Tensor[] d = Toy.blobs(40, 13);
        Sequential model = Toy.classifierWithDropout(14);
        Trainer t = adamClassifier(model);
        return t.fit(d[0], d[1], 8, quiet(3).shuffle(true, dataSeed).validationData(Batches.of(d[0], d[1], 16)));
    }

    @Test
    void sameSeedGivesBitIdenticalHistory() {
        History a = seededRun(21), b = seededRun(21), c = seededRun(22);
        for (String k : a.keys()) {
            List<Double> x = a.get(k), y = b.get(k);
            for (int i = 0; i < x.size(); i++)
                assertEquals(Double.doubleToRawLongBits(x.get(i)), Double.doubleToRawLongBits(y.get(i)), k + "[" + i + "]");
        }
        assertNotEquals(a.get("loss"), c.get("loss"), "another shuffle seed gives other batches");
    }

    @Test
    void stepsPerEpochAndStopFlagEndEpochsEarly() {
        Tensor[] d = Toy.blobs(40, 15);
        Sequential model = Toy.classifier(16);
        Trainer t = adamClassifier(model);
        List<Integer> steps = new ArrayList<>();
        dev.weft.zoo.callbacks.Callback count = new dev.weft.zoo.callbacks.Callback() {
            @Override public void onBatchEnd(int step, Map<String, Double> logs) { steps.add(step); }
        };
        t.fit(Batches.of(d[0], d[1], 4), quiet(2).stepsPerEpoch(3).callbacks(count));
        assertEquals(List.of(0, 1, 2, 0, 1, 2), steps);
        long before = t.optimizer().iterations();
        steps.clear();
        dev.weft.zoo.callbacks.Callback stopper = new dev.weft.zoo.callbacks.Callback() {
            Trainer tr;
            @Override public void setTrainer(Trainer trainer) { tr = trainer; }
            @Override public void onBatchEnd(int step, Map<String, Double> logs) { if (step == 1) tr.setStopTraining(true); }
        };
        History h = t.fit(Batches.of(d[0], d[1], 4), quiet(5).callbacks(stopper, count));
        assertEquals(List.of(0, 1), steps);
        assertEquals(1, h.get("loss").size(), "onEpochEnd still runs for the stopped epoch, then training ends");
        assertEquals(before + 2, t.optimizer().iterations());
    }

    @Test
    void customTrainStepWithRawLoop() {
        Tensor[] d = Toy.blobs(24, 17);
        Sequential model = Toy.classifier(18);
        Adam adam = new Adam(model.namedParameters(), 0.05f);
        MeanSquaredError mse = new MeanSquaredError();
        Tensor target = Tensor.full(1f / 3, 24, 3);
        Trainer t = new Trainer(model).compile(adam, (TrainStep) batch -> {
            Tensor y = Tensor.full(1f / 3, batch.size(), 3);
            float loss = RawLoop.step(model, adam, () -> mse.apply(model.forward(batch.x()), y));
            return Map.of("mse", (double) loss);
        });
        double before = mse.apply(model.forward(d[0]), target).item();
        History h = t.fit(Batches.of(d[0], null, 8), quiet(5));
        assertEquals(List.of("mse"), new ArrayList<>(h.keys()));
        double after = mse.apply(model.forward(d[0]), target).item();
        assertTrue(after < before * 0.5, before + " -> " + after);
        assertEquals(15, adam.iterations());
        assertThrows(IllegalStateException.class, () -> t.evaluate(d[0], d[1], 8));
    }

    @Test
    void customTestStepEvaluatesInInferenceModeAndValidates() {
        Tensor[] d = Toy.blobs(12, 33);
        Sequential model = Toy.classifierWithDropout(34);
        Adam adam = new Adam(model.namedParameters(), 0.01f);
        MeanSquaredError mse = new MeanSquaredError();
        List<Boolean> testModes = new ArrayList<>();
        Trainer t = new Trainer(model).compile(adam,
                batch -> Map.of("mse", (double) RawLoop.step(model, adam, () -> mse.apply(model.forward(batch.x()), Tensor.zeros(batch.size(), 3)))),
                batch -> {
                    testModes.add(model.isTraining() || dev.weft.engine.autograd.GradMode.isEnabled());
                    return Map.of("mse", (double) mse.apply(model.forward(batch.x()), Tensor.zeros(batch.size(), 3)).item());
                });
        History h = t.fit(Batches.of(d[0], null, 4), quiet(2).validationData(Batches.of(d[0], null, 5)));
        assertEquals(List.of("mse", "val_mse"), new ArrayList<>(h.keys()));
        assertFalse(testModes.isEmpty());
        assertFalse(testModes.contains(true), "test step runs in eval mode without gradients");
        model.eval();
        double expected = mse.apply(model.forward(d[0]), Tensor.zeros(12, 3)).item();
        assertEquals(expected, t.evaluate(Batches.of(d[0], null, 5)).get("mse"), 1e-6);   // 5, 5, 2 weighted
    }

    @Test
    void rawLoopStepMatchesHandWrittenLoop() {
        Tensor[] d = Toy.blobs(12, 19);
        Sequential a = Toy.classifier(20), b = Toy.classifier(20);
        SGD sa = new SGD(a.namedParameters(), 0.1f), sb = new SGD(b.namedParameters(), 0.1f);
        SparseCategoricalCrossentropy cce = new SparseCategoricalCrossentropy();
        for (int i = 0; i < 3; i++) {
            float la = RawLoop.step(a, sa, () -> cce.apply(a.forward(d[0]), d[1]));
            sb.zeroGrad();
            Tensor lb = cce.apply(b.forward(d[0]), d[1]);
            lb.backward();
            sb.step();
            assertEquals(lb.item(), la);
        }
        for (String k : a.namedParameters().keySet())
            assertArrayEquals(b.namedParameters().get(k).toFloatArray(), a.namedParameters().get(k).toFloatArray(), k);
    }

    @Test
    void trainOnBatchReturnsThatBatchsValues() {
        Tensor[] d = Toy.blobs(6, 23);
        Sequential model = Toy.classifier(24);
        Trainer t = new Trainer(model).compile(new SGD(model.namedParameters(), 0f), new SparseCategoricalCrossentropy(), Metrics.accuracy());
        double expected = new SparseCategoricalCrossentropy().apply(model.forward(d[0]), d[1]).item();
        assertEquals(expected, t.trainOnBatch(d[0], d[1]).get("loss"), 1e-6);
    }

    @Test
    void clearErrors() {
        Tensor[] d = Toy.blobs(6, 25);
        Sequential model = Toy.classifier(26);
        Trainer t = new Trainer(model);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.fit(Batches.of(d[0], d[1], 2), 1));
        assertTrue(e.getMessage().contains("compile"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> t.compile(new SGD(model.namedParameters()), new SparseCategoricalCrossentropy(), Metrics.accuracy(), Metrics.accuracy()));
        IllegalArgumentException b = assertThrows(IllegalArgumentException.class, () -> Batches.of(d[0], Tensor.zeros(5), 2));
        assertTrue(b.getMessage().contains("[6, 2]") && b.getMessage().contains("[5]"), b.getMessage());
        t.compile(new SGD(model.namedParameters()), new SparseCategoricalCrossentropy());
        BatchSource empty = epoch -> java.util.Collections.emptyIterator();
        assertThrows(IllegalStateException.class, () -> t.fit(empty, FitOptions.epochs(1).verbose(0)));
        assertThrows(IllegalArgumentException.class, () -> FitOptions.epochs(0));
    }

    @Test
    void optimizerCreatedBeforeTheModelWasBuiltIsReported() {
        Tensor[] d = Toy.blobs(6, 31);
        Sequential unbuilt = new Sequential(new dev.weft.nn.layers.Dense(3).activation("softmax"));
        Trainer t = new Trainer(unbuilt).compile(new SGD(unbuilt.namedParameters()), new SparseCategoricalCrossentropy());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.fit(Batches.of(d[0], d[1], 3), quiet(1)));
        assertTrue(e.getMessage().contains("before the model was built"), e.getMessage());
    }

    @Test
    void closesAutoCloseablePasses() {
        Tensor[] d = Toy.blobs(6, 27);
        Sequential model = Toy.classifier(28);
        Trainer t = adamClassifier(model);
        int[] closed = {0};
        BatchSource src = epoch -> {
            Iterator<LabeledBatch> inner = Batches.of(d[0], d[1], 3).open(epoch);
            class Closing implements Iterator<LabeledBatch>, AutoCloseable {
                public boolean hasNext() { return inner.hasNext(); }
                public LabeledBatch next() { return inner.next(); }
                public void close() { closed[0]++; }
            }
            return new Closing();
        };
        t.fit(src, quiet(2).validationData(src));
        t.predict(src);
        assertEquals(5, closed[0]);
    }

    @Test
    void verboseOutputGoesToTheGivenStream() {
        Tensor[] d = Toy.blobs(9, 29);
        Sequential model = Toy.classifier(30);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        long[] now = {0};
        adamClassifier(model).fit(Batches.of(d[0], d[1], 3), FitOptions.epochs(2).out(new PrintStream(bytes, true, StandardCharsets.UTF_8))
                .terminal(false).progressClock(() -> now[0] += 10_000_000L, 0));
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(4, lines.length, bytes.toString(StandardCharsets.UTF_8));
        assertEquals("Epoch 1/2", lines[0]);
        assertTrue(lines[1].startsWith("3/3 [==============================] - "), lines[1]);
        assertEquals("Epoch 2/2", lines[2]);
    }
}
