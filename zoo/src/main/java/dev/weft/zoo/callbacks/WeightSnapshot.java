package dev.weft.zoo.callbacks;

import dev.weft.engine.Shape;
import dev.weft.engine.Tensor;
import dev.weft.nn.Module;
import java.util.LinkedHashMap;
import java.util.Map;

/** Copies of a module's weights (parameters and buffers) and their restoration. */
final class WeightSnapshot {
    private WeightSnapshot() {}

    /** A detached copy of every entry of the state dict. */
    static Map<String, Tensor> snapshot(Module module) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : module.stateDict().entrySet())
            out.put(e.getKey(), Tensor.of(e.getValue().toFloatArray(), e.getValue().shape()));
        return out;
    }

    /** Writes a snapshot back into the module's current tensors (in place, without recording gradients). */
    static void restore(Module module, Map<String, Tensor> snapshot) {
        Map<String, Tensor> current = module.stateDict();
        if (!current.keySet().equals(snapshot.keySet()))
            throw new IllegalStateException("restoring weights: the model's weights " + current.keySet()
                    + " differ from the saved ones " + snapshot.keySet());
        try (var noGrad = Tensor.noGrad()) {
            for (Map.Entry<String, Tensor> e : current.entrySet()) {
                Tensor saved = snapshot.get(e.getKey());
                if (!java.util.Arrays.equals(saved.shape(), e.getValue().shape()))
                    throw new IllegalStateException("restoring weights: '" + e.getKey() + "' is " + Shape.str(e.getValue().shape())
                            + " but was saved as " + Shape.str(saved.shape()));
                e.getValue().copyFrom(saved);
            }
        }
    }
}
