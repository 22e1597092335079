package dev.weft.zoo.callbacks;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.engine.Tensor;
import dev.weft.nn.Sequential;
import dev.weft.nn.losses.MeanSquaredError;
import dev.weft.nn.optim.SGD;
import dev.weft.zoo.train.BatchSource;
import dev.weft.zoo.train.Batches;
import dev.weft.zoo.train.FitOptions;
import dev.weft.zoo.train.History;
import dev.weft.zoo.train.LabeledBatch;
import dev.weft.zoo.train.Toy;
import dev.weft.zoo.train.Trainer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TerminateOnNaNTest {
    @Test
    void stopsAtTheFirstNonFiniteLossAndNamesEpochAndStep() {
        Tensor[] d = Toy.blobs(12, 1);
        Tensor target = Tensor.zeros(12, 3);
        Sequential model = Toy.classifier(2);
        Trainer t = new Trainer(model).compile(new SGD(model.namedParameters(), 0.01f), new MeanSquaredError());
        // epoch 1 (0-based), batch 2 (0-based) holds a NaN input
        BatchSource data = epoch -> {
            List<LabeledBatch> batches = new ArrayList<>();
            for (int b = 0; b < 4; b++) {
                Tensor x = d[0].narrow(0, 3 * b, 3).contiguous();
                if (epoch == 1 && b == 2) x = Tensor.of(new float[] {1, Float.NaN, 0, 0, 0, 0}, 3, 2);
                batches.add(new LabeledBatch(x, target.narrow(0, 3 * b, 3)));
            }
            return batches.iterator();
        };
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TerminateOnNaN nan = new TerminateOnNaN();
        List<Integer> steps = new ArrayList<>();
        Callback count = new Callback() {
            @Override public void onBatchEnd(int step, java.util.Map<String, Double> logs) { steps.add(step); }
        };
        History h = t.fit(data, FitOptions.epochs(5).verbose(1).terminal(true).callbacks(nan, count)
                .out(new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        String expected = "TerminateOnNaN: epoch 2, step 3: loss is NaN; terminating training";
        assertEquals(expected, nan.message());
        assertEquals(1, nan.stoppedEpoch());
        assertEquals(2, nan.stoppedStep());
        assertEquals(List.of(0, 1, 2, 3, 0, 1, 2), steps);
        assertEquals(2, h.get("loss").size());
        assertTrue(Double.isNaN(h.get("loss").get(1)));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("\n" + expected + "\n"), "message on its own line: " + out);
        assertFalse(out.contains("Epoch 3/5"));
    }

    @Test
    void infiniteMetricValuesAlsoStop() {
        Trainer t = CallbackTestSupport.trainer(3);
        TerminateOnNaN nan = new TerminateOnNaN();
        nan.setTrainer(t);
        nan.onTrainBegin(CallbackTestSupport.logs());
        nan.onEpochBegin(0, CallbackTestSupport.logs());
        nan.onBatchEnd(0, CallbackTestSupport.logs("loss", 1.0, "accuracy", 0.5));
        assertFalse(t.isStopTraining());
        nan.onBatchEnd(1, CallbackTestSupport.logs("loss", Double.POSITIVE_INFINITY));
        assertTrue(t.isStopTraining());
        assertEquals("TerminateOnNaN: epoch 1, step 2: loss is Infinity; terminating training", nan.message());
    }
}
