package dev.weft.engine;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * PyTorch-style printing (torch's default print options: precision 4, threshold 1000 elements,
 * 3 edge items, line width 80), checked against torch's own output by PrinterParityTest.
 *
 * <p>As in torch, one format is chosen for the whole tensor from its non-zero finite values (only
 * the printed ones when summarised): integers print as {@code 1.}, wide-ranging or very large/small
 * magnitudes in scientific notation, the rest with 4 decimals; every element is padded to the widest,
 * rows wrap at 80 characters and large tensors are summarised with {@code ...}. Decimal rounding is
 * round-half-even on the exact binary value, like Python's {@code format}.
 */
final class Printer {
    private Printer() {}

    private static final int THRESHOLD = 1000, EDGE = 3, LINE_WIDTH = 80, PRECISION = 4;
    private static final String PREFIX = "tensor(";

    /** Formats element {@code i} (row-major) of the tensor being printed. */
    private interface Elem {
        String format(int i);
    }

    static String format(Tensor t) {
        float[] v = t.toFloatArray();
        int[] shape = t.shape();
        List<String> suffixes = new ArrayList<>();
        if (t.gradFn() != null) suffixes.add("grad_fn=" + t.gradFn());
        else if (t.requiresGrad()) suffixes.add("requires_grad=True");
        if (v.length == 0) return empty(shape, suffixes);
        boolean summarise = v.length > THRESHOLD;
        FloatFormat f = FloatFormat.of(v, shownIndices(shape, summarise));
        String body = body(shape, summarise, i -> f.pad(v[i]), f.width);
        return addSuffixes(PREFIX + body, suffixes);
    }

    static String format(IntTensor t) {
        int[] v = t.data();
        int[] shape = t.shape();
        List<String> suffixes = List.of("dtype=int32");
        if (v.length == 0) return empty(shape, suffixes);
        boolean summarise = v.length > THRESHOLD;
        int width = 1;
        for (int i : shownIndices(shape, summarise)) width = Math.max(width, Integer.toString(v[i]).length());
        final int w = width;
        String body = body(shape, summarise, i -> pad(Integer.toString(v[i]), w), w);
        return addSuffixes(PREFIX + body, suffixes);
    }

    private static String empty(int[] shape, List<String> suffixes) {
        List<String> s = new ArrayList<>();
        if (shape.length != 1) {
            StringBuilder size = new StringBuilder("size=(");
            for (int i = 0; i < shape.length; i++) size.append(i > 0 ? ", " : "").append(shape[i]);
            s.add(size.append(")").toString());
        }
        s.addAll(suffixes);
        return addSuffixes(PREFIX + "[]", s);
    }

    // torch's _add_suffixes: a suffix goes on a new line when the current line would pass 80 chars.
    private static String addSuffixes(String str, List<String> suffixes) {
        StringBuilder sb = new StringBuilder(str);
        int lastLineLen = str.length() - str.lastIndexOf('\n') + 1;
        int indent = PREFIX.length();
        for (String suffix : suffixes) {
            if (lastLineLen + suffix.length() + 2 > LINE_WIDTH) {
                sb.append(",\n").append(" ".repeat(indent)).append(suffix);
                lastLineLen = indent + suffix.length();
            } else {
                sb.append(", ").append(suffix);
                lastLineLen += suffix.length() + 2;
            }
        }
        return sb.append(')').toString();
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }

    // ---------------------------------------------------------------- layout

    /** Row-major indices of the elements that will be printed (all, or the edges when summarised). */
    private static int[] shownIndices(int[] shape, boolean summarise) {
        List<Integer> out = new ArrayList<>();
        collect(shape, Shape.contiguousStrides(shape), 0, 0, summarise, out);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void collect(int[] shape, int[] strides, int d, int base, boolean summarise, List<Integer> out) {
        if (d == shape.length) {
            out.add(base);
            return;
        }
        int n = shape[d];
        for (int i = 0; i < n; i++) {
            if (summarise && n > 2 * EDGE && i == EDGE) i = n - EDGE;
            collect(shape, strides, d + 1, base + i * strides[d], summarise, out);
        }
    }

    private static String body(int[] shape, boolean summarise, Elem elem, int width) {
        if (shape.length == 0) return elem.format(0);
        return tensorStr(shape, Shape.contiguousStrides(shape), 0, 0, PREFIX.length(), summarise, elem, width);
    }

    // torch's _tensor_str_with_formatter: nested brackets, one blank line per extra dim between blocks.
    private static String tensorStr(int[] shape, int[] strides, int d, int base, int indent, boolean summarise, Elem elem, int width) {
        int n = shape[d];
        if (d == shape.length - 1) return vectorStr(n, strides[d], base, indent, summarise, elem, width);
        List<String> slices = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (summarise && n > 2 * EDGE && i == EDGE) {
                slices.add("...");
                i = n - EDGE;
            }
            slices.add(tensorStr(shape, strides, d + 1, base + i * strides[d], indent + 1, summarise, elem, width));
        }
        int dimsLeft = shape.length - d;
        String sep = "," + "\n".repeat(dimsLeft - 1) + " ".repeat(indent + 1);
        return "[" + String.join(sep, slices) + "]";
    }

    // torch's _vector_str: elements joined by ", ", wrapped so a line holds floor((80 - indent) / (width + 2)).
    private static String vectorStr(int n, int stride, int base, int indent, boolean summarise, Elem elem, int width) {
        List<String> data = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (summarise && n > 2 * EDGE && i == EDGE) {
                data.add(" ...");
                i = n - EDGE;
            }
            data.add(elem.format(base + i * stride));
        }
        int perLine = Math.max(1, (LINE_WIDTH - indent) / (width + 2));
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < data.size(); i += perLine)
            lines.add(String.join(", ", data.subList(i, Math.min(data.size(), i + perLine))));
        return "[" + String.join(",\n" + " ".repeat(indent + 1), lines) + "]";
    }

    // ---------------------------------------------------------------- number format

    /** torch's _Formatter for floating tensors: integer, fixed or scientific mode, and a common width. */
    private static final class FloatFormat {
        enum Mode { INT, FIXED, SCI }

        final Mode mode;
        final int width;

        private FloatFormat(Mode mode, int width) {
            this.mode = mode;
            this.width = width;
        }

        static FloatFormat of(float[] v, int[] shown) {
            boolean ints = true, any = false;
            float maxAbs = 0, minAbs = Float.MAX_VALUE;
            for (int i : shown) {
                float x = v[i];
                if (!Float.isFinite(x) || x == 0f) continue;
                any = true;
                if (x != (float) Math.ceil(x)) ints = false;
                float a = Math.abs(x);
                maxAbs = Math.max(maxAbs, a);
                minAbs = Math.min(minAbs, a);
            }
            if (!any) return new FloatFormat(Mode.INT, 1);
            // float32 arithmetic, as torch does these comparisons on float tensors
            boolean wide = maxAbs / minAbs > 1000f || maxAbs > 1e8f;
            Mode mode = ints ? (wide ? Mode.SCI : Mode.INT) : (wide || minAbs < 1e-4f ? Mode.SCI : Mode.FIXED);
            FloatFormat f = new FloatFormat(mode, 1);
            int width = 1;
            for (int i : shown) {
                float x = v[i];
                if (!Float.isFinite(x) || x == 0f) continue;
                width = Math.max(width, f.raw(x).length());
            }
            return new FloatFormat(mode, width);
        }

        String pad(float x) { return Printer.pad(raw(x), width); }

        String raw(float x) {
            if (Float.isNaN(x)) return "nan";
            if (Float.isInfinite(x)) return x > 0 ? "inf" : "-inf";
            String sign = (Float.floatToRawIntBits(x) < 0) ? "-" : "";
            BigDecimal a = new BigDecimal(Math.abs((double) x));
            switch (mode) {
                case INT: return sign + a.setScale(0, RoundingMode.HALF_EVEN).toPlainString() + ".";
                case FIXED: return sign + a.setScale(PRECISION, RoundingMode.HALF_EVEN).toPlainString();
                default: return sign + scientific(a);
            }
        }

        // Python's '{:.4e}': mantissa d.dddd, exponent with sign and at least two digits.
        private static String scientific(BigDecimal a) {
            if (a.signum() == 0) return "0." + "0".repeat(PRECISION) + "e+00";
            BigDecimal r = a.round(new MathContext(PRECISION + 1, RoundingMode.HALF_EVEN));
            int exp = r.precision() - r.scale() - 1;
            String digits = r.unscaledValue().toString();
            digits = (digits + "0".repeat(PRECISION + 1)).substring(0, PRECISION + 1);
            String e = Integer.toString(Math.abs(exp));
            return digits.charAt(0) + "." + digits.substring(1) + "e" + (exp < 0 ? "-" : "+") + (e.length() < 2 ? "0" + e : e);
        }
    }
}
