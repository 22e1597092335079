package dev.weft.zoo.train;

import dev.weft.engine.Shape;
import dev.weft.engine.Tensor;
import dev.weft.nn.Layer;
import dev.weft.nn.Module;
import dev.weft.nn.losses.Loss;
import dev.weft.nn.optim.AbstractOptimizer;
import dev.weft.nn.optim.Optimizer;
import dev.weft.zoo.callbacks.Callback;
import dev.weft.zoo.metrics.Mean;
import dev.weft.zoo.metrics.Metric;
import dev.weft.zoo.progress.ProgressBar;
import dev.weft.zoo.progress.ProgressLogger;
import dev.weft.zoo.util.Require;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Keras' {@code compile}/{@code fit}/{@code evaluate}/{@code predict} around a model. (Keras calls
 * this class {@code Model}; in Weft {@code dev.weft.nn.Model} is the functional-API graph, so the
 * training front end is a separate object holding any model.)
 *
 * <pre>{@code
 * Sequential model = new Sequential(new Dense(64).activation("relu"), new Dense(10).activation("softmax"))
 *         .input(784);   // build first, so the optimizer sees the weights
 * Trainer trainer = new Trainer(model)
 *         .compile(new Adam(model.namedParameters()), new SparseCategoricalCrossentropy(), Metrics.accuracy());
 * History h = trainer.fit(Batches.shuffled(xTrain, yTrain, 32, 42), FitOptions.epochs(5)
 *         .validationData(Batches.of(xVal, yVal, 256))
 *         .callbacks(new EarlyStopping("val_loss", 2).restoreBestWeights(true)));
 * Map<String, Double> test = trainer.evaluate(Batches.of(xTest, yTest, 256));   // {loss=..., accuracy=...}
 * Tensor probs = trainer.predict(xTest, 256);
 * }</pre>
 *
 * <p><b>One training step</b> (per batch): training mode ({@link TrainingModes#enterTraining}: a
 * sublayer the user put in a mode of its own, such as a frozen BatchNormalization, keeps it),
 * {@code zeroGrad}, forward, loss, {@code backward}, {@code optimizer.step()} — the loop
 * {@link RawLoop} documents. Then the loss and
 * the metrics (on the detached output) are accumulated. <b>Logged values</b> are means over the
 * samples seen so far in the epoch: each batch's mean loss weighted by its size, like Keras'
 * loss tracker; so {@code loss} in the History is the epoch's sample-weighted mean of the
 * training-mode batch losses, each taken before that batch's update (not the loss of the final
 * weights: use {@link #evaluate} for that). Keys: {@code loss}, then each metric's name, then
 * {@code val_} versions when validation runs.
 *
 * <p>{@link #evaluate} and {@link #predict} run in inference mode (dropout off, BatchNormalization
 * with moving statistics) without recording gradients, and restore every module's previous mode
 * ({@link TrainingModes#restore}), as {@code fit} does when it ends.
 *
 * <p>Not thread-safe; one fit at a time.
 */
public final class Trainer {
    private final Module module;
    private final Function<Tensor, Tensor> forward;
    private Optimizer optimizer;
    private Loss loss;
    private List<Metric> metrics = List.of();
    private TrainStep customStep;
    private TrainStep customTest;
    private final Mean lossTracker = new Mean("loss");
    private final Map<String, Mean> customTrackers = new LinkedHashMap<>();
    private boolean stopTraining;
    private PrintStream out = System.out;
    private ProgressLogger progress;
    private boolean checkedOptimizer;

    /** Trains a layer (a {@code Sequential}, a functional {@code Model}, a subclassed layer). */
    public Trainer(Layer model) {
        this(Require.nonNull(model, "Trainer", "model"), x -> model.forward(x));
    }

    /** Trains {@code module}, whose forward pass is {@code forward}. */
    public Trainer(Module module, Function<Tensor, Tensor> forward) {
        this.module = Require.nonNull(module, "Trainer", "module");
        this.forward = Require.nonNull(forward, "Trainer", "forward");
    }

    // ------------------------------------------------------------------ compile

    /**
     * Sets the optimizer, the loss and the metrics (Keras' {@code compile}); returns this.
     *
     * @param loss    {@code loss.apply(yPred, yTrue)} must give a scalar
     * @param metrics e.g. {@code Metrics.accuracy()}; names must be distinct and not {@code loss}
     */
    public Trainer compile(Optimizer optimizer, Loss loss, Metric... metrics) {
        this.optimizer = Require.nonNull(optimizer, "Trainer.compile", "optimizer");
        this.loss = Require.nonNull(loss, "Trainer.compile", "loss");
        Require.noNulls(metrics, "Trainer.compile", "metrics");
        Set<String> names = new HashSet<>();
        names.add("loss");
        for (Metric m : metrics) {
            if (!names.add(m.name()))
                throw new IllegalArgumentException("Trainer.compile: two metrics are named '" + m.name() + "' (or one is named 'loss')");
        }
        this.metrics = List.of(metrics);
        this.customStep = null;
        this.customTest = null;
        return this;
    }

    /**
     * Compiles with a custom training step (Keras' overridden {@code train_step}), e.g. the VAE's raw
     * loop. {@code fit} logs what the step returns; {@link #evaluate} needs a loss, so compile with
     * {@link #compile(Optimizer, Loss, Metric...)} for that.
     */
    public Trainer compile(Optimizer optimizer, TrainStep step) {
        return compile(optimizer, step, null);
    }

    /**
     * Compiles with custom training and evaluation steps (Keras' overridden {@code train_step} and
     * {@code test_step}). {@code test} computes a batch's values without updating anything; it runs
     * in inference mode without gradients, for {@link #evaluate} and for validation in {@code fit}
     * ({@code val_*} keys).
     */
    public Trainer compile(Optimizer optimizer, TrainStep train, TrainStep test) {
        this.optimizer = Require.nonNull(optimizer, "Trainer.compile", "optimizer");
        this.customStep = Require.nonNull(train, "Trainer.compile", "train");
        this.customTest = test;
        this.loss = null;
        this.metrics = List.of();
        return this;
    }

    /** The model's module (parameters, buffers, train/eval mode). */
    public Module module() { return module; }

    /** The compiled optimizer, or null. */
    public Optimizer optimizer() { return optimizer; }

    /** The compiled loss, or null. */
    public Loss loss() { return loss; }

    /** The compiled metrics. */
    public List<Metric> metrics() { return metrics; }

    // ------------------------------------------------------------------ stopping and messages

    /** Asks {@code fit} to stop after the current batch (Keras' {@code model.stop_training = True}). */
    public void setStopTraining(boolean stop) { this.stopTraining = stop; }

    /** True once a stop was requested during the current fit. */
    public boolean isStopTraining() { return stopTraining; }

    /** Where the current fit prints (progress and callback messages). */
    public PrintStream out() { return out; }

    /** Prints a line for a callback, on a fresh line if a progress bar is being drawn. */
    public void message(String line) {
        if (progress != null) progress.interrupt();
        out.println(line);
        out.flush();
    }

    // ------------------------------------------------------------------ fit

    /** {@code fit} for {@code epochs} epochs with default options (verbose 1, no validation). */
    public History fit(BatchSource train, int epochs) { return fit(train, FitOptions.epochs(epochs)); }

    /**
     * Keras' {@code fit(x, y, batch_size, ...)}: batches of {@code batchSize} rows, reshuffled every
     * epoch unless {@link FitOptions#shuffle(boolean, long)} says otherwise.
     */
    public History fit(Tensor x, Tensor y, int batchSize, FitOptions options) {
        Require.nonNull(options, "Trainer.fit", "options");
        BatchSource data = options.shuffle ? Batches.shuffled(x, y, batchSize, options.seed) : Batches.of(x, y, batchSize);
        return fit(data, options);
    }

    /**
     * Trains for {@code options.epochs()} epochs; returns the per-epoch logs.
     *
     * <p>Per epoch: metrics reset, {@code onEpochBegin}, then per batch {@code onBatchBegin}, the
     * training step and {@code onBatchEnd} with the running logs; the epoch stops early after a
     * batch that set {@link #setStopTraining stopTraining} or after {@code stepsPerEpoch} batches.
     * Then validation when due ({@code val_*} keys), {@code onEpochEnd}, and training ends if a stop
     * was requested. Callbacks run in the given order, then the {@link History}, then the progress
     * bar. If anything throws, {@code onTrainEnd} is skipped (as in Keras) but callbacks that are
     * {@link AutoCloseable} (the CSV and TensorBoard loggers) are closed before the exception
     * propagates.
     *
     * @throws IllegalStateException if not compiled, or an epoch yields no batch
     */
    public History fit(BatchSource train, FitOptions options) {
        Require.nonNull(train, "Trainer.fit", "train");
        Require.nonNull(options, "Trainer.fit", "options");
        if (optimizer == null) throw new IllegalStateException("Trainer.fit: call compile(...) first");
        History history = new History();
        List<Callback> callbacks = new ArrayList<>(options.callbacks);
        callbacks.add(history);
        this.out = options.out;
        this.progress = null;
        if (options.verbose > 0) {
            long known = train.size();
            long steps = options.stepsPerEpoch > 0 && known > 0 ? Math.min(known, options.stepsPerEpoch)
                    : options.stepsPerEpoch > 0 ? options.stepsPerEpoch : known;
            int target = steps > 0 && steps <= Integer.MAX_VALUE ? (int) steps : -1;
            progress = new ProgressLogger(options.verbose, options.epochs, () -> target, out, options.redrawInPlace(),
                    options.nanoClock, options.progressInterval);
            callbacks.add(progress);
        }
        stopTraining = false;
        checkedOptimizer = false;
        TrainingModes modes = TrainingModes.record(module);
        for (Callback c : callbacks) c.setTrainer(this);
        try {
            Map<String, Double> lastLogs = new LinkedHashMap<>();
            for (Callback c : callbacks) c.onTrainBegin(lastLogs);
            for (int epoch = options.initialEpoch; epoch < options.epochs; epoch++) {
                resetTrackers();
                Map<String, Double> beginLogs = new LinkedHashMap<>();
                for (Callback c : callbacks) c.onEpochBegin(epoch, beginLogs);
                Map<String, Double> logs = runTrainEpoch(train, epoch, options, callbacks);
                if (options.validateAt(epoch)) {
                    Map<String, Double> val = evaluate(options.validationData);
                    for (Map.Entry<String, Double> e : val.entrySet()) logs.put("val_" + e.getKey(), e.getValue());
                }
                for (Callback c : callbacks) c.onEpochEnd(epoch, logs);
                lastLogs = logs;
                if (stopTraining) break;
            }
            for (Callback c : callbacks) c.onTrainEnd(lastLogs);
        } catch (RuntimeException | Error e) {
            // onTrainEnd does not run (as in Keras), but open log files must not leak
            for (Callback c : callbacks) {
                if (c instanceof AutoCloseable ac) {
                    try { ac.close(); } catch (Exception suppressed) { e.addSuppressed(suppressed); }
                }
            }
            throw e;
        } finally {
            modes.restore();
            progress = null;
        }
        return history;
    }

    private Map<String, Double> runTrainEpoch(BatchSource train, int epoch, FitOptions options, List<Callback> callbacks) {
        Iterator<LabeledBatch> it = train.open(epoch);
        int step = 0;
        Map<String, Double> logs = new LinkedHashMap<>();
        try {
            TrainingModes.enterTraining(module);
            while ((options.stepsPerEpoch < 0 || step < options.stepsPerEpoch) && it.hasNext()) {
                LabeledBatch batch = it.next();
                Map<String, Double> begin = new LinkedHashMap<>();
                for (Callback c : callbacks) c.onBatchBegin(step, begin);
                trainBatch(batch);
                if (!checkedOptimizer) checkOptimizerSeesParameters();
                logs = currentLogs();
                for (Callback c : callbacks) c.onBatchEnd(step, logs);
                step++;
                if (stopTraining) break;
            }
        } finally {
            closeQuietly(it);
        }
        if (step == 0) throw new IllegalStateException("Trainer.fit: the training data yielded no batch in epoch " + epoch);
        return new LinkedHashMap<>(logs);
    }

    /**
     * Fails fast on a common trap: an optimizer built from {@code model.namedParameters()} before the
     * model was built (a layer creates its weights on first use), so it holds no parameters and
     * training would silently do nothing.
     */
    private void checkOptimizerSeesParameters() {
        checkedOptimizer = true;
        if (optimizer instanceof AbstractOptimizer<?> a && a.parameterNames().isEmpty() && module.countParameters() > 0)
            throw new IllegalStateException("Trainer.fit: the optimizer updates no parameters but the model has "
                    + module.countParameters() + "; it was probably created before the model was built. Build the model first "
                    + "(e.g. Sequential.input(shape) or one forward pass), then create the optimizer from model.namedParameters()");
    }

    /** One step on one batch (training mode, update, accumulate); the running logs are then {@link #currentLogs()}. */
    private void trainBatch(LabeledBatch batch) {
        int n = batch.size();
        if (customStep != null) {
            TrainingModes.enterTraining(module);
            Map<String, Double> values = customStep.run(batch);
            if (values == null) throw new IllegalStateException("Trainer.fit: the custom TrainStep returned null");
            for (Map.Entry<String, Double> e : values.entrySet())
                customTrackers.computeIfAbsent(e.getKey(), Mean::new).update(e.getValue(), n);
            return;
        }
        if (batch.y() == null) throw new IllegalArgumentException("Trainer.fit: a batch has no targets (y); the compiled loss needs them");
        TrainingModes.enterTraining(module);
        module.zeroGrad();
        Tensor yPred = forward.apply(batch.x());
        Tensor l = computeLoss(yPred, batch.y());
        l.backward();
        optimizer.step();
        lossTracker.update(l.item(), n);
        updateMetrics(yPred.detach(), batch.y());
    }

    private Tensor computeLoss(Tensor yPred, Tensor yTrue) {
        Tensor l = loss.apply(yPred, yTrue);
        if (l == null || l.numel() != 1)
            throw new IllegalStateException("Trainer: the loss must reduce to a scalar, got "
                    + (l == null ? "null" : Shape.str(l.shape())) + " (use a reduction other than NONE)");
        return l;
    }

    private void updateMetrics(Tensor yPred, Tensor yTrue) {
        for (Metric m : metrics) m.update(yPred, yTrue);
    }

    /**
     * One training step on one batch, Keras' {@code train_on_batch}: returns that batch's loss and
     * metrics (the running state is reset first).
     */
    public Map<String, Double> trainOnBatch(Tensor x, Tensor y) {
        Require.nonNull(x, "Trainer.trainOnBatch", "x");
        if (optimizer == null) throw new IllegalStateException("Trainer.trainOnBatch: call compile(...) first");
        TrainingModes modes = TrainingModes.record(module);
        resetTrackers();
        try {
            trainBatch(new LabeledBatch(x, y));
        } finally {
            modes.restore();
        }
        return currentLogs();
    }

    private void resetTrackers() {
        lossTracker.reset();
        for (Metric m : metrics) m.reset();
        customTrackers.clear();
    }

    /** The running values: {@code loss} then the metrics, or the custom step's keys. */
    private Map<String, Double> currentLogs() {
        Map<String, Double> logs = new LinkedHashMap<>();
        if (customStep != null) {
            for (Mean m : customTrackers.values()) logs.put(m.name(), m.result());
            return logs;
        }
        logs.put("loss", lossTracker.result());
        for (Metric m : metrics) logs.put(m.name(), m.result());
        return logs;
    }

    // ------------------------------------------------------------------ evaluate and predict

    /**
     * Keras' {@code evaluate(..., return_dict=True)}: the loss and metrics over all batches (each
     * batch's mean loss weighted by its size), in inference mode without gradients.
     *
     * @return {@code loss} then each metric, by name
     */
    public Map<String, Double> evaluate(BatchSource data) { return evaluate(data, null); }

    /**
     * {@link #evaluate(BatchSource)} with Keras' progress output: verbose 1 a bar (redrawn in place
     * when {@code out} is a terminal's {@code System.out}, else one final line), verbose 2 one
     * summary line, 0 nothing.
     */
    public Map<String, Double> evaluate(BatchSource data, int verbose, PrintStream out) {
        Require.nonNull(data, "Trainer.evaluate", "data");
        if (verbose == 0) return evaluate(data, null);
        Require.nonNull(out, "Trainer.evaluate", "out");
        long known = data == null ? -1 : data.size();
        boolean dynamic = out == System.out && FitOptions.stdoutIsTerminal();
        return evaluate(data, new ProgressBar(known > 0 && known <= Integer.MAX_VALUE ? (int) known : -1, verbose, out, dynamic));
    }

    private Map<String, Double> evaluate(BatchSource data, ProgressBar bar) {
        Require.nonNull(data, "Trainer.evaluate", "data");
        if (loss == null && customTest == null)
            throw new IllegalStateException("Trainer.evaluate: nothing to evaluate with: compile(optimizer, loss, metrics...) "
                    + "or compile(optimizer, trainStep, testStep) first");
        TrainingModes modes = TrainingModes.record(module);
        Map<String, Mean> means = new LinkedHashMap<>();
        for (Metric m : metrics) m.reset();
        Iterator<LabeledBatch> it = data.open(0);
        module.eval();
        try (var noGrad = Tensor.noGrad()) {
            int batches = 0;
            while (it.hasNext()) {
                LabeledBatch b = it.next();
                if (customTest != null) {
                    Map<String, Double> values = customTest.run(b);
                    if (values == null) throw new IllegalStateException("Trainer.evaluate: the custom test step returned null");
                    for (Map.Entry<String, Double> e : values.entrySet())
                        means.computeIfAbsent(e.getKey(), Mean::new).update(e.getValue(), b.size());
                } else {
                    if (b.y() == null) throw new IllegalArgumentException("Trainer.evaluate: a batch has no targets (y)");
                    Tensor yPred = forward.apply(b.x());
                    means.computeIfAbsent("loss", Mean::new).update(computeLoss(yPred, b.y()).item(), b.size());
                    updateMetrics(yPred, b.y());
                }
                batches++;
                if (bar != null) bar.update(batches, evalLogs(means), false);
            }
            if (batches == 0) throw new IllegalStateException("Trainer.evaluate: the data yielded no batch");
            if (bar != null) bar.update(batches, evalLogs(means), true);
        } finally {
            closeQuietly(it);
            modes.restore();
        }
        return evalLogs(means);
    }

    private Map<String, Double> evalLogs(Map<String, Mean> means) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Mean m : means.values()) out.put(m.name(), m.result());
        if (customTest == null) for (Metric m : metrics) out.put(m.name(), m.result());
        return out;
    }

    /** {@link #evaluate(BatchSource)} over {@code x, y} in order, {@code batchSize} rows at a time. */
    public Map<String, Double> evaluate(Tensor x, Tensor y, int batchSize) {
        return evaluate(Batches.of(x, y, batchSize));
    }

    /** The model's outputs for every batch, concatenated along the first dim; inference mode, no gradients. */
    public Tensor predict(BatchSource data) {
        Require.nonNull(data, "Trainer.predict", "data");
        TrainingModes modes = TrainingModes.record(module);
        List<Tensor> outs = new ArrayList<>();
        Iterator<LabeledBatch> it = data.open(0);
        module.eval();
        try (var noGrad = Tensor.noGrad()) {
            while (it.hasNext()) outs.add(forward.apply(it.next().x()).detach());
        } finally {
            closeQuietly(it);
            modes.restore();
        }
        if (outs.isEmpty()) throw new IllegalStateException("Trainer.predict: the data yielded no batch");
        return outs.size() == 1 ? outs.get(0) : Tensor.concat(outs, 0);
    }

    /** Predicts {@code x [N, ...]} in batches of {@code batchSize} rows. */
    public Tensor predict(Tensor x, int batchSize) { return predict(Batches.of(x, null, batchSize)); }

    /** Predicts one batch (Keras' {@code predict_on_batch}). */
    public Tensor predictOnBatch(Tensor x) { return predict(Batches.of(List.of(LabeledBatch.of(x)))); }

    private static void closeQuietly(Iterator<?> it) {
        if (it instanceof AutoCloseable ac) {
            try {
                ac.close();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("Trainer: closing the data pass failed: " + e.getMessage(), e);
            }
        }
    }
}
