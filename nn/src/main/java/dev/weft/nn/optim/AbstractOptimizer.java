package dev.weft.nn.optim;

import dev.weft.engine.Shape;
import dev.weft.engine.Tensor;
import dev.weft.engine.autograd.GradMode;
import dev.weft.engine.kernels.Parallel;
import dev.weft.engine.kernels.VectorSupport;
import dev.weft.nn.optim.schedule.LearningRateSchedule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The shared machinery of Keras-style optimizers: parameter bookkeeping, per-parameter slot arrays,
 * learning-rate schedules, gradient clipping and decoupled weight decay. A step follows Keras 3's
 * {@code BaseOptimizer.apply}:
 *
 * <ol>
 *   <li>{@code lr} = the schedule's value at {@link #iterations()} (or the constant rate);
 *   <li>gradients are clipped — {@code clipValue}: {@code clamp(g, −v, v)}; {@code clipNorm}:
 *       per tensor {@code g·c / max(‖g‖, c)}; {@code globalClipNorm}: all tensors by
 *       {@code c / max(‖G‖, c)} with {@code ‖G‖} over every gradient (only one of the three);
 *   <li>weight decay, decoupled: {@code w ← w − w·wd·lr} for parameters the filter accepts;
 *   <li>the optimizer's own update ({@link #update});
 *   <li>{@code iterations += 1}.
 * </ol>
 *
 * <p>Updates write the parameters' storage in place under {@link GradMode#noGrad()}; parameters
 * without a gradient are skipped (their slots stay as they were). Gradients themselves are not
 * modified: clipping is applied on the fly. Every parameter is cut into chunks of 2^15 elements,
 * and when a step updates 2^16 elements or more, the chunks of all parameters run on the shared
 * pool as one job. A step allocates nothing per element: only the no-grad scope object (and the
 * pool's job record); a gradient set to a non-contiguous view is copied first.
 *
 * @param <O> the concrete optimizer, so that configuration calls chain
 */
public abstract class AbstractOptimizer<O extends AbstractOptimizer<O>> implements Optimizer {
    // Parameters are updated in chunks of CHUNK elements, on the shared pool when a step updates at
    // least PARALLEL_THRESHOLD elements in all (the VAE's 209 k in 14 chunks).
    private static final int PARALLEL_THRESHOLD = 1 << 16, CHUNK = 1 << 15;

    private final String[] names;
    private final Tensor[] params;
    private final String[] slotNames;
    private final float[][][] slots; // [slot][param][element]

    private float learningRate;
    private LearningRateSchedule schedule;
    private long iterations;

    // The step's work list: task t updates elements [taskFrom[t], taskFrom[t] + CHUNK) of parameter
    // taskParam[t]; and the per-parameter values of the running step, read by its tasks.
    private final int[] taskParam, taskFrom;
    private final Tensor[] stepGrads;
    private final float[] stepScales, stepDecays;
    private float stepLr, stepClip;
    private final java.util.function.IntConsumer stepTask = this::runTask;

    private float clipValue = Float.NaN, clipNorm = Float.NaN, globalClipNorm = Float.NaN;
    private float weightDecay;
    private Predicate<String> decayFilter = name -> true;

    /**
     * @param params parameters by name (a Module's {@code namedParameters()}); contiguous leaf tensors
     * @param learningRate the constant learning rate
     * @param slotNames names of the per-parameter state arrays, e.g. {@code "m", "v"}
     * @param slotInit initial value of each slot (Adagrad's accumulator starts at 0.1)
     */
    protected AbstractOptimizer(Map<String, Tensor> params, float learningRate, String[] slotNames, float[] slotInit) {
        String kind = getClass().getSimpleName();
        if (params == null) throw new IllegalArgumentException(kind + ": parameters are null");
        this.names = new String[params.size()];
        this.params = new Tensor[params.size()];
        Map<Tensor, String> seen = new IdentityHashMap<>();
        int i = 0;
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            Tensor p = e.getValue();
            String n = e.getKey();
            if (n == null || p == null) throw new IllegalArgumentException(kind + ": parameter " + n + " is null or unnamed");
            if (!p.isLeaf()) throw new IllegalArgumentException(kind + ": parameter '" + n + "' is not a leaf tensor (it was computed by '" + p.gradFn().op() + "')");
            if (!p.isContiguous())
                throw new IllegalArgumentException(kind + ": parameter '" + n + "' of shape " + Shape.str(p.shape()) + " is a non-contiguous view; optimizers update contiguous storage");
            String other = seen.put(p, n);
            if (other != null) throw new IllegalArgumentException(kind + ": parameters '" + other + "' and '" + n + "' are the same tensor");
            names[i] = n;
            this.params[i++] = p;
        }
        this.slotNames = slotNames.clone();
        this.slots = new float[slotNames.length][this.params.length][];
        for (int s = 0; s < slotNames.length; s++)
            for (int k = 0; k < this.params.length; k++) {
                slots[s][k] = new float[this.params[k].numel()];
                if (slotInit[s] != 0) Arrays.fill(slots[s][k], slotInit[s]);
            }
        int tasks = 0;
        for (Tensor p : this.params) tasks += Math.max(1, (p.numel() + CHUNK - 1) / CHUNK);
        taskParam = new int[tasks];
        taskFrom = new int[tasks];
        for (int k = 0, t = 0; k < this.params.length; k++)
            for (int from = 0; from == 0 || from < this.params[k].numel(); from += CHUNK, t++) {
                taskParam[t] = k;
                taskFrom[t] = from;
            }
        stepGrads = new Tensor[this.params.length];
        stepScales = new float[this.params.length];
        stepDecays = new float[this.params.length];
        setLearningRate(learningRate);
    }

    /** Names parameters of a plain list by position: "0", "1", ... */
    protected static Map<String, Tensor> byPosition(List<Tensor> params) {
        if (params == null) throw new IllegalArgumentException("optimizer: parameters are null");
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) out.put(Integer.toString(i), params.get(i));
        return out;
    }

    @SuppressWarnings("unchecked")
    private O self() { return (O) this; }

    // ------------------------------------------------------------------ configuration

    /** Clips each gradient element to [−v, v] before the update (Keras {@code clipvalue}). */
    public O clipValue(float v) {
        requirePositive("clipValue", v);
        clearClipping();
        clipValue = v;
        return self();
    }

    /** Rescales each gradient tensor whose L2 norm exceeds {@code c} to norm {@code c} (Keras {@code clipnorm}). */
    public O clipNorm(float c) {
        requirePositive("clipNorm", c);
        clearClipping();
        clipNorm = c;
        return self();
    }

    /** Rescales all gradients together when their joint L2 norm exceeds {@code c} (Keras {@code global_clipnorm}). */
    public O globalClipNorm(float c) {
        requirePositive("globalClipNorm", c);
        clearClipping();
        globalClipNorm = c;
        return self();
    }

    /** Turns gradient clipping off. */
    public O noClipping() {
        clearClipping();
        return self();
    }

    private void clearClipping() { clipValue = clipNorm = globalClipNorm = Float.NaN; }

    /** Decoupled weight decay {@code w ← w − w·wd·lr} before each update (Keras {@code weight_decay}); 0 turns it off. */
    public O weightDecay(float wd) {
        if (!(wd >= 0) || Float.isInfinite(wd)) throw new IllegalArgumentException(kind() + ": weightDecay must be >= 0 and finite, got " + wd);
        weightDecay = wd;
        return self();
    }

    /** Applies weight decay only to parameters whose name passes {@code filter} (e.g. skip biases). */
    public O weightDecayFilter(Predicate<String> filter) {
        if (filter == null) throw new IllegalArgumentException(kind() + ": weightDecayFilter is null");
        decayFilter = filter;
        return self();
    }

    /** Uses {@code schedule(iterations)} as the learning rate of each step. */
    public O schedule(LearningRateSchedule schedule) {
        if (schedule == null) throw new IllegalArgumentException(kind() + ": schedule is null");
        this.schedule = schedule;
        return self();
    }

    /** The schedule, or null for a constant learning rate. */
    public LearningRateSchedule schedule() { return schedule; }

    /** The decoupled weight decay factor. */
    public float weightDecay() { return weightDecay; }

    /** Throws IllegalArgumentException unless {@code v} is positive and finite; {@code what} names the option. */
    protected static void requirePositive(String what, float v) {
        if (!(v > 0) || Float.isInfinite(v)) throw new IllegalArgumentException("optimizer: " + what + " must be positive and finite, got " + v);
    }

    /** The optimizer's class name, used in error messages and saved states. */
    protected final String kind() { return getClass().getSimpleName(); }

    // ------------------------------------------------------------------ Optimizer

    @Override public float learningRate() { return schedule == null ? learningRate : schedule.at(iterations); }

    @Override public void setLearningRate(float lr) {
        if (!(lr >= 0) || Float.isInfinite(lr)) throw new IllegalArgumentException(kind() + ": learning rate must be >= 0 and finite, got " + lr);
        learningRate = lr;
        schedule = null;
    }

    @Override public long iterations() { return iterations; }

    @Override public void zeroGrad() {
        for (Tensor p : params) p.zeroGrad();
    }

    /** Parameter names in update order. */
    public List<String> parameterNames() { return List.of(names); }

    @Override public void step() {
        float lr = learningRate();
        float globalScale = 1f;
        if (!Float.isNaN(globalClipNorm)) {
            double sq = 0;
            for (Tensor p : params) if (p.grad() != null) sq += sumOfSquares(p.grad());
            globalScale = clipScale(Math.sqrt(sq), globalClipNorm);
        }
        float cv = Float.isNaN(clipValue) ? Float.POSITIVE_INFINITY : clipValue;
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            // Per parameter (serially): its contiguous gradient, clipping scale and decay factor; then
            // the chunks of every parameter as one list of tasks (fixed at construction).
            long elements = 0;
            for (int k = 0; k < params.length; k++) {
                Tensor g = params[k].grad();
                stepGrads[k] = g == null || g.isContiguous() ? g : g.contiguous();
                if (g == null) continue;
                stepScales[k] = Float.isNaN(clipNorm) ? globalScale : clipScale(Math.sqrt(sumOfSquares(stepGrads[k])), clipNorm);
                stepDecays[k] = weightDecay != 0 && decayFilter.test(names[k]) ? weightDecay : 0f;
                elements += params[k].numel();
            }
            stepLr = lr;
            stepClip = cv;
            try {
                if (elements < PARALLEL_THRESHOLD) for (int t = 0; t < taskParam.length; t++) stepTask.accept(t);
                else Parallel.forEach(taskParam.length, stepTask); // elementwise: any split gives the same bits
            } finally {
                Arrays.fill(stepGrads, null); // do not keep the gradients alive between steps
            }
        }
        iterations++;
    }

    /** Task t of a step: decay, then update, of one chunk of one parameter (none if it has no gradient). */
    private void runTask(int t) {
        int k = taskParam[t];
        Tensor p = params[k], g = stepGrads[k];
        if (g == null) return;
        int from = taskFrom[t], to = Math.min(p.numel(), from + CHUNK);
        float[] w = p.storage();
        if (stepDecays[k] != 0) decay(w, p.offset(), from, to, stepDecays[k], stepLr);
        update(k, w, p.offset(), g.storage(), g.offset(), from, to, stepLr, stepScales[k], stepClip);
    }

    /** Decoupled weight decay of elements [from, to): {@code w ← w − w·wd·lr}, in Keras' order of operations. */
    static void decay(float[] w, int wOff, int from, int to, float wd, float lr) {
        if (VectorSupport.ENABLED && to - from >= Adam.VECTOR_MIN) from = OptimizerVector.decay(w, wOff, from, to, wd, lr);
        decayScalar(w, wOff, from, to, wd, lr);
    }

    /** The scalar loop of {@link #decay}: the reference for its vector body, and the tail. */
    static void decayScalar(float[] w, int wOff, int from, int to, float wd, float lr) {
        for (int i = wOff + from, e = wOff + to; i < e; i++) w[i] = w[i] - w[i] * wd * lr;
    }

    // Keras' clip_by_norm / clip_by_global_norm factor: c / max(norm, c), i.e. 1 when norm <= c.
    private static float clipScale(double norm, float c) { return norm > c ? (float) (c / norm) : 1f; }

    static double sumOfSquares(Tensor g) {
        float[] s = g.storage();
        if (g.isContiguous()) {
            double acc = 0;
            for (int i = g.offset(), e = g.offset() + g.numel(); i < e; i++) acc += (double) s[i] * s[i];
            return acc;
        }
        double acc = 0;
        for (float v : g.toFloatArray()) acc += (double) v * v;
        return acc;
    }

    /**
     * The gradient element after clipping: {@code clamp(g·scale, −clip, clip)}. Inline this in update loops.
     */
    protected static float clipped(float g, float scale, float clip) {
        float v = g * scale;
        return v > clip ? clip : (v < -clip ? -clip : v);
    }

    /**
     * One parameter's update, in place, for its elements {@code [from, to)} (large parameters are
     * split into chunks that may run on several threads; slot arrays are indexed like the elements).
     *
     * @param index the parameter's position (for {@link #slot})
     * @param w parameter storage: element i is {@code w[wOff + i]}
     * @param g gradient storage: element i is {@code g[gOff + i]}; use {@link #clipped}{@code (g[gOff+i], scale, clip)}
     * @param lr this step's learning rate
     * @param scale norm-clipping factor for this gradient (1 when not clipping)
     * @param clip value-clipping bound (+∞ when not clipping)
     */
    protected abstract void update(int index, float[] w, int wOff, float[] g, int gOff, int from, int to, float lr, float scale, float clip);

    /** The slot array {@code slot} (by position in the constructor's names) of parameter {@code index}. */
    protected final float[] slot(int slot, int index) { return slots[slot][index]; }

    // ------------------------------------------------------------------ state

    @Override public OptimizerState state() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int k = 0; k < params.length; k++)
            for (int s = 0; s < slotNames.length; s++)
                out.put(names[k] + "/" + slotNames[s], Tensor.of(slots[s][k].clone(), params[k].shape()));
        return new OptimizerState(kind(), iterations, learningRate, out);
    }

    @Override public List<String> stateProblems(OptimizerState state) {
        List<String> problems = new ArrayList<>();
        if (state == null) {
            problems.add("state is null");
            return problems;
        }
        if (!kind().equals(state.optimizer())) problems.add("state is from a " + state.optimizer() + " optimizer, this is " + kind());
        if (state.iterations() < 0) problems.add("negative iteration count " + state.iterations());
        if (!(state.learningRate() >= 0) || Float.isInfinite(state.learningRate())) problems.add("invalid learning rate " + state.learningRate());
        Map<String, Tensor> remaining = new LinkedHashMap<>(state.slots());
        for (int k = 0; k < params.length; k++)
            for (String slotName : slotNames) {
                String key = names[k] + "/" + slotName;
                Tensor t = remaining.remove(key);
                if (t == null) problems.add("missing slot '" + key + "'");
                else if (!Arrays.equals(t.shape(), params[k].shape()))
                    problems.add("slot '" + key + "' has shape " + Shape.str(t.shape()) + ", parameter has " + Shape.str(params[k].shape()));
            }
        for (String key : remaining.keySet()) problems.add("unexpected slot '" + key + "'");
        return problems;
    }

    @Override public void loadState(OptimizerState state) {
        List<String> problems = stateProblems(state);
        if (!problems.isEmpty())
            throw new IllegalArgumentException(kind() + ".loadState: " + problems.size() + " problem(s): " + String.join("; ", problems));
        for (int k = 0; k < params.length; k++)
            for (int s = 0; s < slotNames.length; s++) {
                float[] src = state.slots().get(names[k] + "/" + slotNames[s]).toFloatArray();
                System.arraycopy(src, 0, slots[s][k], 0, src.length);
            }
        iterations = state.iterations();
        learningRate = state.learningRate();
    }
}
