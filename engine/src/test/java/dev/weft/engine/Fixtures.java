package dev.weft.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the text fixtures written by {@code engine/src/test/python/gen_op_fixtures.py} (format
 * described in that script's header) and compares tensors with a stated tolerance.
 */
final class Fixtures {
    private Fixtures() {}

    /** One op case: inputs (kind g/c/i), projection r, torch's output and input gradients. */
    record OpCase(String name, List<Character> kinds, List<Tensor> inputs, Tensor r, Tensor out, Map<Integer, Tensor> grads) {}

    /** Lines of a resource under /fixtures/ops/, without comments and blank lines. */
    static List<String> lines(String file) {
        String path = "/fixtures/ops/" + file;
        try (InputStream in = Fixtures.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException("missing test resource " + path + "; run gen_op_fixtures.py");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<String> out = new ArrayList<>();
            for (String l; (l = r.readLine()) != null; ) if (!l.isBlank() && !l.startsWith("#")) out.add(l);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** All cases of ops.txt, by name in file order. */
    static Map<String, OpCase> opCases() {
        Map<String, OpCase> cases = new LinkedHashMap<>();
        String name = null;
        List<Character> kinds = null;
        List<Tensor> inputs = null;
        Map<Integer, Tensor> grads = null;
        Tensor r = null, out = null;
        for (String line : lines("ops.txt")) {
            String[] tok = line.split(" ", -1);
            switch (tok[0]) {
                case "case" -> {
                    name = tok[1];
                    kinds = new ArrayList<>();
                    inputs = new ArrayList<>();
                    grads = new LinkedHashMap<>();
                    r = out = null;
                }
                case "in" -> {
                    kinds.add(tok[1].charAt(0));
                    inputs.add(tensor(tok, 2));
                }
                case "r" -> r = tensor(tok, 1);
                case "out" -> out = tensor(tok, 1);
                case "grad" -> grads.put(Integer.parseInt(tok[1]), tensor(tok, 2));
                case "end" -> cases.put(name, new OpCase(name, kinds, inputs, r, out, grads));
                default -> throw new IllegalStateException("ops.txt: unexpected line " + line);
            }
        }
        return cases;
    }

    /** Parses "{@code [3,1,4] v v v ...}" starting at token {@code at}. */
    static Tensor tensor(String[] tok, int at) {
        int[] shape = shape(tok[at]);
        float[] v = new float[tok.length - at - 1];
        for (int i = 0; i < v.length; i++) v[i] = parse(tok[at + 1 + i]);
        return Tensor.of(v, shape);
    }

    private static float parse(String s) {
        return switch (s) {
            case "nan" -> Float.NaN;
            case "inf" -> Float.POSITIVE_INFINITY;
            case "-inf" -> Float.NEGATIVE_INFINITY;
            default -> Float.parseFloat(s);
        };
    }

    static int[] shape(String s) {
        String body = s.substring(1, s.length() - 1);
        return body.isEmpty() ? new int[0] : Arrays.stream(body.split(",")).mapToInt(Integer::parseInt).toArray();
    }

    /** Asserts same shape and |actual - expected| <= atol + rtol·|expected| everywhere (NaN matches NaN). */
    static void assertClose(Tensor expected, Tensor actual, double rtol, double atol, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        float[] e = expected.toFloatArray(), a = actual.toFloatArray();
        for (int i = 0; i < e.length; i++) {
            if (Float.isNaN(e[i]) && Float.isNaN(a[i])) continue;
            if (e[i] == a[i]) continue;  // equal infinities
            double err = Math.abs((double) a[i] - e[i]);
            if (!(err <= atol + rtol * Math.abs(e[i])))
                fail(what + ": element " + i + " of " + Shape.str(expected.shape()) + ": expected " + e[i] + ", got " + a[i]
                        + " (|diff| " + err + " > atol " + atol + " + rtol " + rtol + "·|expected|)");
        }
    }
}
