package dev.weft.zoo.train;

import dev.weft.zoo.callbacks.Callback;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@link Trainer#fit} returns, Keras' {@code History}: for every logged key ({@code loss},
 * {@code accuracy}, {@code val_loss}, {@code val_accuracy}, {@code learning_rate}, ...) the list of
 * its per-epoch values, in the order the epochs ran.
 *
 * <p>As in Keras, a key gets a value only in the epochs that logged it: with
 * {@code validationFreq(2)} the {@code val_*} lists are half as long as {@code loss}.
 * {@link #epochs()} lists the epoch numbers that ran (0-based).
 */
public final class History implements Callback {
    private final Map<String, List<Double>> values = new LinkedHashMap<>();
    private final List<Integer> epochs = new ArrayList<>();

    @Override public void onEpochEnd(int epoch, Map<String, Double> logs) {
        epochs.add(epoch);
        for (Map.Entry<String, Double> e : logs.entrySet())
            values.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
    }

    /** Every key with its per-epoch values (read-only). */
    public Map<String, List<Double>> history() {
        Map<String, List<Double>> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<Double>> e : values.entrySet()) out.put(e.getKey(), Collections.unmodifiableList(e.getValue()));
        return Collections.unmodifiableMap(out);
    }

    /** The keys in the order they were first logged. */
    public Set<String> keys() { return Collections.unmodifiableSet(values.keySet()); }

    /** The values of {@code key}; throws if it was never logged. */
    public List<Double> get(String key) {
        List<Double> v = values.get(key);
        if (v == null) throw new IllegalArgumentException("History: no metric '" + key + "' (logged: " + values.keySet() + ")");
        return Collections.unmodifiableList(v);
    }

    /** The last value of {@code key}. */
    public double last(String key) {
        List<Double> v = get(key);
        return v.get(v.size() - 1);
    }

    /** The epochs that ran (0-based). */
    public List<Integer> epochs() { return Collections.unmodifiableList(epochs); }

    @Override public String toString() { return values.toString(); }
}
