package dev.weft.nn;

import dev.weft.engine.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keras' {@code model.summary()}: one row per layer (name and type, output shape with {@code None}
 * for the batch, parameter count), then total, trainable and non-trainable parameter counts.
 * Buffers (BatchNormalization's moving statistics) count as non-trainable parameters, as in Keras.
 *
 * <pre>{@code
 * Model: "sequential"
 * _________________________________________________________________
 *  Layer (type)                    Output Shape             Param #
 * =================================================================
 *  dense (Dense)                   (None, 64)                50,240
 * ...
 * =================================================================
 * Total params: 55,050
 * Trainable params: 55,050
 * Non-trainable params: 0
 * _________________________________________________________________
 * }</pre>
 */
public final class Summary {
    /**
     * One table row; {@code connectedTo} lists the producing layers of a functional model's call in
     * Keras' {@code name[0][0]} form (empty for Sequential and subclassed models).
     */
    public record Row(String name, String type, int[] outputShape, long params, List<String> connectedTo) {
        /** The output shape as Keras prints it, e.g. {@code (None, 30, 30, 64)}; "?" when unknown. */
        public String shapeString() { return outputShape == null ? "?" : Layer.batchShapeString(outputShape); }
    }

    private final String modelName;
    private final boolean functional;
    private final List<Row> rows;
    private final long trainable, nonTrainable;

    private Summary(String modelName, List<Row> rows, long trainable, long nonTrainable) {
        this.modelName = modelName;
        this.functional = rows.stream().anyMatch(r -> !r.connectedTo().isEmpty());
        this.rows = List.copyOf(rows);
        this.trainable = trainable;
        this.nonTrainable = nonTrainable;
    }

    /**
     * Summarises {@code model}. A {@link Sequential} or functional {@link Model} is described from its
     * structure; any other layer (a subclassed model) is traced by running it once, in inference mode
     * and without gradients, on a zero batch of one sample of {@code inputShapes} (building it on the
     * way). Without input shapes the model must already be built.
     */
    public static Summary ofShapes(Layer model, int[][] inputShapes) {
        if (model == null) throw new IllegalArgumentException("Summary: model is null");
        if (inputShapes != null && inputShapes.length > 0) {
            if (!(model instanceof Sequential || model instanceof Model)) return traced(model, inputShapes);
            model.build(inputShapes);
        } else if (!model.isBuilt()) {
            throw new IllegalStateException(model.describe() + ": summary() needs a built model; call input(shape) / build(shape) or pass the input shape");
        }
        List<Row> rows = new ArrayList<>();
        if (model instanceof Sequential seq) {
            int[] s = model.builtInputShapes()[0];
            for (Layer l : seq.layers()) {
                s = l.outputShape(s);
                rows.add(row(l, s));
            }
        } else if (model instanceof Model m) {
            Map<Symbolic, String> inputNames = new IdentityHashMap<>();
            for (int i = 0; i < m.inputs().size(); i++) {
                Symbolic in = m.inputs().get(i);
                String name = in.inputName() != null ? in.inputName() : i == 0 ? "input_layer" : "input_layer_" + i;
                inputNames.put(in, name);
                rows.add(new Row(name, "InputLayer", in.shape(), 0, List.of()));
            }
            Set<Layer> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Symbolic n : m.nodes()) {
                if (!seen.add(n.layer())) continue;
                List<String> from = new ArrayList<>();
                for (Symbolic src : n.inputs()) from.add((src.isInput() ? inputNames.get(src) : src.layer().name()) + "[0][0]");
                Layer l = n.layer();
                rows.add(new Row(l.name(), l.typeName(), n.shape(), l.countParameters() + l.countBuffers(), List.copyOf(from)));
            }
        } else {
            return traced(model, model.builtInputShapes());
        }
        return new Summary(model.name() == null ? model.defaultNamePrefix() : model.name(), rows, model.countParameters(), model.countBuffers());
    }

    /** Summarises a model with one input of per-sample shape {@code inputShape} (see {@link #ofShapes}). */
    public static Summary of(Layer model, int... inputShape) {
        return ofShapes(model, inputShape == null || inputShape.length == 0 ? null : new int[][] {inputShape});
    }

    private static Summary traced(Layer model, int[][] inputShapes) {
        Tensor[] zeros = new Tensor[inputShapes.length];
        for (int i = 0; i < zeros.length; i++) {
            int[] s = new int[inputShapes[i].length + 1];
            s[0] = 1;
            System.arraycopy(inputShapes[i], 0, s, 1, inputShapes[i].length);
            zeros[i] = Tensor.zeros(s);
        }
        boolean wasTraining = model.isTraining();
        model.eval();
        Map<Layer, int[]> shapes;
        try (var ignored = Tensor.noGrad()) {
            shapes = Layer.trace(() -> model.forward(zeros));
        } finally {
            if (wasTraining) model.train();
        }
        List<Row> rows = new ArrayList<>();
        for (var e : model.children().entrySet()) {
            Module child = e.getValue();
            String type = child instanceof Layer l ? l.typeName() : child.getClass().getSimpleName();
            int[] shape = child instanceof Layer l ? shapes.get(l) : null;
            rows.add(new Row(e.getKey(), type, shape, child.countParameters() + child.countBuffers(), List.of()));
        }
        return new Summary(model.name() == null ? model.defaultNamePrefix() : model.name(), rows, model.countParameters(), model.countBuffers());
    }

    private static Row row(Layer l, int[] shape) {
        return new Row(l.name(), l.typeName(), shape, l.countParameters() + l.countBuffers(), List.of());
    }

    /** The rows in order. */
    public List<Row> rows() { return rows; }
    /** Trainable + non-trainable. */
    public long totalParams() { return trainable + nonTrainable; }
    /** Scalars optimizers update. */
    public long trainableParams() { return trainable; }
    /** Buffers (e.g. moving statistics). */
    public long nonTrainableParams() { return nonTrainable; }

    /** Formats with thousands separators, as Keras does: {@code 2,075,329}. */
    public static String grouped(long n) { return String.format(java.util.Locale.ROOT, "%,d", n); }

    @Override public String toString() {
        int w0 = "Layer (type)".length(), w1 = "Output Shape".length(), w2 = "Param #".length();
        for (Row r : rows) {
            w0 = Math.max(w0, r.name().length() + r.type().length() + 3);
            w1 = Math.max(w1, r.shapeString().length());
            w2 = Math.max(w2, grouped(r.params()).length());
        }
        w0 = Math.max(w0, 32); w1 = Math.max(w1, 24); w2 = Math.max(w2, 9);
        int w3 = 0;
        if (functional) {
            w3 = "Connected to".length();
            for (Row r : rows) for (String c : r.connectedTo()) w3 = Math.max(w3, c.length() + 1);
        }
        int width = w0 + w1 + w2 + 5 + (functional ? w3 + 2 : 0);
        StringBuilder sb = new StringBuilder();
        sb.append("Model: \"").append(modelName).append("\"\n");
        sb.append("_".repeat(width)).append('\n');
        sb.append(' ').append(pad("Layer (type)", w0)).append(' ').append(pad("Output Shape", w1)).append(' ').append(lpad("Param #", w2));
        if (functional) sb.append("  ").append("Connected to");
        sb.append('\n');
        sb.append("=".repeat(width)).append('\n');
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            sb.append(' ').append(pad(r.name() + " (" + r.type() + ")", w0)).append(' ').append(pad(r.shapeString(), w1))
                    .append(' ').append(lpad(grouped(r.params()), w2));
            List<String> from = r.connectedTo();
            if (functional && from.isEmpty()) sb.append("  -");
            for (int k = 0; k < from.size(); k++) {
                String sep = k + 1 < from.size() ? "," : "";
                if (k == 0) sb.append("  ").append(from.get(k)).append(sep);
                else sb.append('\n').append(" ".repeat(w0 + w1 + w2 + 5)).append(from.get(k)).append(sep);
            }
            sb.append('\n');
            if (i + 1 < rows.size()) sb.append('\n');
        }
        sb.append("=".repeat(width)).append('\n');
        sb.append("Total params: ").append(grouped(totalParams())).append('\n');
        sb.append("Trainable params: ").append(grouped(trainable)).append('\n');
        sb.append("Non-trainable params: ").append(grouped(nonTrainable)).append('\n');
        sb.append("_".repeat(width)).append('\n');
        return sb.toString();
    }

    private static String pad(String s, int w) { return s.length() >= w ? s : s + " ".repeat(w - s.length()); }
    private static String lpad(String s, int w) { return s.length() >= w ? s : " ".repeat(w - s.length()) + s; }
}
