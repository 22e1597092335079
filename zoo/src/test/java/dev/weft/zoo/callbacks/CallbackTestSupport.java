package dev.weft.zoo.callbacks;

import dev.weft.engine.Tensor;
import dev.weft.nn.Sequential;
import dev.weft.nn.losses.SparseCategoricalCrossentropy;
import dev.weft.nn.optim.SGD;
import dev.weft.zoo.metrics.Metrics;
import dev.weft.zoo.train.Toy;
import dev.weft.zoo.train.Trainer;
import java.util.LinkedHashMap;
import java.util.Map;

/** A small compiled trainer for driving callbacks by hand, and weight helpers. */
final class CallbackTestSupport {
    private CallbackTestSupport() {}

    static Trainer trainer(long seed) {
        Sequential model = Toy.classifier(seed);
        return new Trainer(model).compile(new SGD(model.namedParameters(), 0.1f), new SparseCategoricalCrossentropy(), Metrics.accuracy());
    }

    /** Sets every weight of the model to {@code value} (a recognisable state per epoch). */
    static void fill(Trainer t, float value) {
        try (var noGrad = Tensor.noGrad()) {
            for (Tensor p : t.module().stateDict().values()) p.fill(value);
        }
    }

    /** Every weight's values, by name. */
    static Map<String, float[]> values(Map<String, Tensor> weights) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : weights.entrySet()) out.put(e.getKey(), e.getValue().toFloatArray());
        return out;
    }

    static Map<String, Double> logs(Object... kv) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], ((Number) kv[i + 1]).doubleValue());
        return m;
    }

    static boolean allEqual(Map<String, Tensor> weights, float value) {
        for (Tensor t : weights.values()) for (float v : t.toFloatArray()) if (v != value) return false;
        return true;
    }
}
