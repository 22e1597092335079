package dev.weft.nn.optim;

import dev.weft.engine.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An optimizer's resumable state: its kind, the completed step count, the constant learning rate
 * (schedules are functions of the step count, so they need nothing else), and its slot tensors
 * (moments, accumulators) keyed {@code "<parameter name>/<slot>"}, e.g. {@code "dense.kernel/m"}.
 *
 * @param optimizer the optimizer's kind, e.g. {@code "Adam"}; loading into another kind is refused
 * @param iterations completed steps
 * @param learningRate the constant learning rate (the initial one when a schedule is set)
 * @param slots slot tensors (copies, owned by this snapshot)
 */
public record OptimizerState(String optimizer, long iterations, float learningRate, Map<String, Tensor> slots) {
    public OptimizerState {
        if (optimizer == null || optimizer.isEmpty()) throw new IllegalArgumentException("OptimizerState: optimizer kind is empty");
        if (slots == null) throw new IllegalArgumentException("OptimizerState: slots map is null");
        slots = Collections.unmodifiableMap(new LinkedHashMap<>(slots));
    }
}
