package dev.weft.engine;

import java.util.Locale;
import java.util.function.IntFunction;

/** NumPy/PyTorch-style printing, summarised with "..." when a tensor has more than 1000 elements. */
final class Printer {
    private Printer() {}

    private static final int THRESHOLD = 1000, EDGE = 3;

    static String format(Tensor t) {
        float[] v = t.toFloatArray();
        int[] shape = t.shape();
        boolean summarise = v.length > THRESHOLD;
        String style = style(v);
        String body = nested(shape, summarise, i -> fmt(v[i], style), "tensor(".length());
        StringBuilder sb = new StringBuilder("tensor(").append(body);
        if (v.length == 0) sb.append(", size=").append(Shape.str(shape));
        if (t.gradFn() != null) sb.append(", grad_fn=").append(t.gradFn());
        else if (t.requiresGrad()) sb.append(", requires_grad=True");
        return sb.append(')').toString();
    }

    static String format(IntTensor t) {
        int[] v = t.data();
        String body = nested(t.shape(), v.length > THRESHOLD, i -> Integer.toString(v[i]), "tensor(".length());
        return "tensor(" + body + ", dtype=int32)";
    }

    // Integers print as "1.", small/large magnitudes in scientific notation, the rest with 4 decimals.
    private static String style(float[] v) {
        boolean ints = true;
        float maxAbs = 0, minAbs = Float.MAX_VALUE;
        for (float x : v) {
            if (!Float.isFinite(x)) continue;
            if (x != Math.rint(x)) ints = false;
            float a = Math.abs(x);
            maxAbs = Math.max(maxAbs, a);
            if (a > 0) minAbs = Math.min(minAbs, a);
        }
        if (ints && maxAbs < 1e8f) return "int";
        if (maxAbs >= 1e8f || (minAbs < 1e-4f && minAbs != Float.MAX_VALUE) || (maxAbs / minAbs > 1e3f && !ints && minAbs != Float.MAX_VALUE && maxAbs > 1e3f)) return "sci";
        return "fixed";
    }

    private static String fmt(float x, String style) {
        if (Float.isNaN(x)) return "nan";
        if (Float.isInfinite(x)) return x > 0 ? "inf" : "-inf";
        switch (style) {
            case "int": return String.format(Locale.ROOT, "%.0f.", x);
            case "sci": return String.format(Locale.ROOT, "%.4e", x);
            default: return String.format(Locale.ROOT, "%.4f", x);
        }
    }

    private static String nested(int[] shape, boolean summarise, IntFunction<String> elem, int indent) {
        if (shape.length == 0) return elem.apply(0);
        long n = Shape.numel(shape);
        int width = 0;
        // Pad every element to the widest one, as numpy does.
        for (int i = 0; i < n; i++) width = Math.max(width, elem.apply(i).length());
        StringBuilder sb = new StringBuilder();
        int[] strides = Shape.contiguousStrides(shape);
        build(sb, shape, strides, 0, 0, summarise, elem, width, indent);
        return sb.toString();
    }

    private static void build(StringBuilder sb, int[] shape, int[] strides, int d, int base, boolean summarise,
                              IntFunction<String> elem, int width, int indent) {
        sb.append('[');
        int n = shape[d];
        boolean cut = summarise && n > 2 * EDGE;
        for (int i = 0; i < n; i++) {
            if (cut && i == EDGE) {
                sb.append(d == shape.length - 1 ? "..., " : "...,\n" + " ".repeat(indent + d + 1));
                i = n - EDGE;
            }
            if (d == shape.length - 1) {
                String s = elem.apply(base + i * strides[d]);
                sb.append(" ".repeat(Math.max(0, width - s.length()))).append(s);
            } else {
                build(sb, shape, strides, d + 1, base + i * strides[d], summarise, elem, width, indent);
            }
            if (i < n - 1) {
                if (d == shape.length - 1) sb.append(", ");
                else sb.append(",").append("\n".repeat(shape.length - 1 - d)).append(" ".repeat(indent + d + 1));
            }
        }
        sb.append(']');
    }
}
