package dev.weft.engine.kernels;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every conv2d path against PyTorch on small 3x3 stride-1 cases ({@code fixtures/conv/conv3x3.txt},
 * written by {@code engine/src/test/python/gen_conv_fixture.py}): Winograd is called directly (its
 * default thresholds keep it to large layers), the other paths through their classes, at 1 and 2 threads.
 */
class Conv2dTorchFixtureTest {
    @AfterEach
    void resetThreads() { Parallel.setThreads(Runtime.getRuntime().availableProcessors()); }

    record Case(String name, Conv2dSpec spec, Map<String, float[]> arrays) {
        float[] get(String tag) { return arrays.get(tag); }
    }

    static List<Case> cases() throws IOException {
        List<Case> cases = new ArrayList<>();
        try (InputStream in = Conv2dTorchFixtureTest.class.getResourceAsStream("/fixtures/conv/conv3x3.txt")) {
            assertNotNull(in, "missing fixtures/conv/conv3x3.txt; run gen_conv_fixture.py");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] t = line.split(" ");
                if (t[0].equals("case")) {
                    int[] v = new int[9];
                    for (int i = 0; i < 9; i++) v[i] = Integer.parseInt(t[2 + i]);
                    Conv2dSpec s = Conv2dSpec.explicit(v[0], v[1], v[2], v[3], 3, 3, v[4], 1, 1, 1, 1, v[5], v[6], v[7], v[8]);
                    cases.add(new Case(t[1], s, new HashMap<>()));
                } else {
                    float[] a = new float[t.length - 1];
                    for (int i = 0; i < a.length; i++) a[i] = Float.parseFloat(t[i + 1]);
                    cases.get(cases.size() - 1).arrays().put(t[0], a);
                }
            }
        }
        assertEquals(2, cases.size(), "fixture cases");
        return cases;
    }

    static void assertClose(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i], a = actual[i];
            if (!(Math.abs(e - a) <= 1e-4 * (1 + Math.abs(e)))) fail(what + " at " + i + ": torch " + e + ", Weft " + a);
        }
    }

    /** torch's output through a ReLU: what a fused forward must give. */
    private static float[] relu(float[] y) {
        float[] r = y.clone();
        for (int i = 0; i < r.length; i++) r[i] = Math.max(r[i], 0f);
        return r;
    }

    @Test
    void winogradMatchesTorch() throws IOException {
        assumeTrue(VectorSupport.ENABLED, "Winograd runs on the Vector API");
        for (Case c : cases()) {
            Conv2dSpec s = c.spec();
            assertTrue(Conv2dWinograd.applies(s), s.toString());
            for (int threads : new int[] {1, 2}) {
                Parallel.setThreads(threads);
                String at = c.name() + ", " + threads + " threads";
                float[] y = new float[c.get("y").length], dx = new float[c.get("dx").length], dw = new float[c.get("dw").length];
                Conv2dWinograd.forward(s, c.get("x"), 0, c.get("w"), 0, c.get("b"), 0, y, 0);
                assertClose("winograd y " + at, c.get("y"), y);
                Conv2dWinograd.forward(s, c.get("x"), 0, c.get("w"), 0, c.get("b"), 0, y, 0, true);
                assertClose("winograd fused relu(y) " + at, relu(c.get("y")), y);
                Conv2dWinograd.backwardInputAsForward(Conv2dTest.gradientSpec(s), c.get("r"), 0, c.get("w"), 0, dx, 0);
                assertClose("winograd dx " + at, c.get("dx"), dx);
                Conv2dWinograd.backwardWeight(s, c.get("x"), 0, c.get("r"), 0, dw, 0);
                assertClose("winograd dw " + at, c.get("dw"), dw);
            }
        }
    }

    @Test
    void otherPathsMatchTorch() throws IOException {
        for (Case c : cases()) {
            Conv2dSpec s = c.spec();
            float[] y = new float[c.get("y").length], dx = new float[c.get("dx").length];
            float[] dw = new float[c.get("dw").length], db = new float[c.get("db").length];
            Conv2d.forward(s, c.get("x"), 0, c.get("w"), 0, c.get("b"), 0, y, 0, true);
            assertClose("dispatch fused relu(y) " + c.name(), relu(c.get("y")), y);
            Conv2d.forward(s, c.get("x"), 0, c.get("w"), 0, c.get("b"), 0, y, 0);
            Conv2d.backwardInput(s, c.get("r"), 0, c.get("w"), 0, dx, 0);
            Conv2d.backwardWeight(s, c.get("x"), 0, c.get("r"), 0, dw, 0, db, 0);
            assertClose("dispatch y " + c.name(), c.get("y"), y);
            assertClose("dispatch dx " + c.name(), c.get("dx"), dx);
            assertClose("dispatch dw " + c.name(), c.get("dw"), dw);
            assertClose("dispatch db " + c.name(), c.get("db"), db);
            Conv2dGemm.forward(s, c.get("x"), 0, c.get("w"), 0, c.get("b"), 0, y, 0);
            Conv2dGemm.backwardInput(s, c.get("r"), 0, c.get("w"), 0, dx, 0);
            Conv2dGemm.backwardWeight(s, c.get("x"), 0, c.get("r"), 0, dw, 0);
            assertClose("im2col y " + c.name(), c.get("y"), y);
            assertClose("col2im dx " + c.name(), c.get("dx"), dx);
            assertClose("im2col dw " + c.name(), c.get("dw"), dw);
        }
    }
}
