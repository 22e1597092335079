package dev.weft.nn.optim.schedule;

import dev.weft.nn.optim.Optimizer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keras' {@code ReduceLROnPlateau} callback, driven by the caller: after each epoch call
 * {@link #update(float)} with the monitored metric. When it has not improved by more than
 * {@code minDelta} for {@code patience} epochs, the optimizer's learning rate is multiplied by
 * {@code factor} (not below {@code minLr}), then {@code cooldown} epochs pass before counting again.
 *
 * <p>Per epoch, as Keras: if cooling down, decrement the cooldown counter and reset the wait; if the
 * metric improved ({@code current < best − minDelta} in MIN mode, {@code > best + minDelta} in MAX
 * mode) record it and reset the wait; otherwise, when not cooling down, count the wait and reduce
 * once it reaches {@code patience} (only if the current rate is above {@code minLr}).
 * torch's {@code ReduceLROnPlateau} uses a relative threshold by default and counts "bad epochs"
 * slightly differently; this follows Keras.
 *
 * <p>The optimizer must use a constant learning rate (a schedule would override the reduction).
 */
public final class ReduceLROnPlateau {
    /** Whether smaller (loss) or larger (accuracy) metric values are better. */
    public enum Mode { MIN, MAX }

    private final Optimizer optimizer;
    private final Mode mode;
    private final float factor, minDelta, minLr;
    private final int patience, cooldown;

    private double best;
    private int wait, cooldownCounter;

    /** Keras' defaults: MIN mode, factor 0.1, patience 10, minDelta 1e-4, cooldown 0, minLr 0. */
    public ReduceLROnPlateau(Optimizer optimizer) { this(optimizer, Mode.MIN, 0.1f, 10, 1e-4f, 0, 0f); }

    /**
     * @param factor    multiplies the rate on a plateau, in [0, 1)
     * @param patience  epochs without improvement before reducing (&gt;= 0)
     * @param minDelta  the least change that counts as an improvement (&gt;= 0)
     * @param cooldown  epochs after a reduction before counting again (&gt;= 0)
     * @param minLr     the rate is never reduced below this (&gt;= 0)
     */
    public ReduceLROnPlateau(Optimizer optimizer, Mode mode, float factor, int patience, float minDelta, int cooldown, float minLr) {
        if (optimizer == null || mode == null) throw new IllegalArgumentException("ReduceLROnPlateau: optimizer and mode must not be null");
        if (optimizer instanceof dev.weft.nn.optim.AbstractOptimizer<?> a && a.schedule() != null)
            throw new IllegalArgumentException("ReduceLROnPlateau: the optimizer follows a learning-rate schedule; use a constant rate");
        if (!(factor >= 0 && factor < 1)) throw new IllegalArgumentException("ReduceLROnPlateau: factor must be in [0, 1), got " + factor);
        if (patience < 0 || cooldown < 0) throw new IllegalArgumentException("ReduceLROnPlateau: patience and cooldown must be >= 0");
        if (!(minDelta >= 0) || !(minLr >= 0)) throw new IllegalArgumentException("ReduceLROnPlateau: minDelta and minLr must be >= 0");
        this.optimizer = optimizer;
        this.mode = mode;
        this.factor = factor;
        this.patience = patience;
        this.minDelta = minDelta;
        this.cooldown = cooldown;
        this.minLr = minLr;
        this.best = mode == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    /**
     * Records one epoch's metric and reduces the learning rate if it has plateaued.
     *
     * @return the learning rate for the next epoch
     */
    public float update(float metric) {
        if (Float.isNaN(metric)) throw new IllegalArgumentException("ReduceLROnPlateau: monitored metric is NaN");
        if (cooldownCounter > 0) {
            cooldownCounter--;
            wait = 0;
        }
        boolean improved = mode == Mode.MIN ? metric < best - minDelta : metric > best + minDelta;
        if (improved) {
            best = metric;
            wait = 0;
        } else if (cooldownCounter <= 0) {
            wait++;
            if (wait >= patience) {
                float old = optimizer.learningRate();
                if (old > minLr) {
                    optimizer.setLearningRate(Math.max(old * factor, minLr));
                    cooldownCounter = cooldown;
                    wait = 0;
                }
            }
        }
        return optimizer.learningRate();
    }

    /** The best metric so far. */
    public double best() { return best; }

    /** Epochs without improvement so far. */
    public int waitCount() { return wait; }

    /** State for checkpoints: {@code best}, {@code wait}, {@code cooldown_counter} as strings. */
    public Map<String, String> state() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("best", Double.toString(best));
        s.put("wait", Integer.toString(wait));
        s.put("cooldown_counter", Integer.toString(cooldownCounter));
        return s;
    }

    /** Restores {@link #state()}; throws IllegalArgumentException naming a missing or malformed entry. */
    public void loadState(Map<String, String> s) {
        try {
            double b = Double.parseDouble(require(s, "best"));
            int w = Integer.parseInt(require(s, "wait")), c = Integer.parseInt(require(s, "cooldown_counter"));
            if (w < 0 || c < 0 || Double.isNaN(b)) throw new IllegalArgumentException("ReduceLROnPlateau.loadState: invalid values " + s);
            best = b;
            wait = w;
            cooldownCounter = c;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("ReduceLROnPlateau.loadState: malformed number in " + s, e);
        }
    }

    private static String require(Map<String, String> s, String key) {
        String v = s == null ? null : s.get(key);
        if (v == null) throw new IllegalArgumentException("ReduceLROnPlateau.loadState: missing '" + key + "'");
        return v;
    }
}
