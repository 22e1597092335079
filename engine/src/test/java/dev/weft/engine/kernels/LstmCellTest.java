package dev.weft.engine.kernels;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LstmCellTest {
    @AfterEach
    void resetThreads() { Parallel.setThreads(Runtime.getRuntime().availableProcessors()); }

    static float[] rand(Random r, int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < a.length; i++) a[i] = (r.nextFloat() * 2 - 1) * scale;
        return a;
    }

    static void close(String what, float[] e, float[] a, double tol) {
        assertEquals(e.length, a.length, what);
        for (int i = 0; i < e.length; i++)
            if (Math.abs(e[i] - a[i]) > tol * (1 + Math.abs(e[i]))) fail(what + " at " + i + ": " + e[i] + " vs " + a[i]);
    }

    /** One step's inputs and outputs. */
    static final class Step {
        final int b, d, u;
        final float[] x, h0, c0, w, r, bias, dh, dc;
        float[] gates, c, tc, h, dx, dhp, dcp, dw, dr, db;

        Step(Random rnd, int b, int d, int u) {
            this.b = b; this.d = d; this.u = u;
            x = rand(rnd, b * d, 1f); h0 = rand(rnd, b * u, 1f); c0 = rand(rnd, b * u, 1f);
            w = rand(rnd, d * 4 * u, 0.5f); r = rand(rnd, u * 4 * u, 0.5f); bias = rand(rnd, 4 * u, 0.5f);
            dh = rand(rnd, b * u, 1f); dc = rand(rnd, b * u, 1f);
        }

        void run(boolean reference) {
            gates = new float[b * 4 * u]; c = new float[b * u]; tc = new float[b * u]; h = new float[b * u];
            dx = new float[b * d]; dhp = new float[b * u]; dcp = new float[b * u];
            dw = new float[d * 4 * u]; dr = new float[u * 4 * u]; db = new float[4 * u];
            java.util.Arrays.fill(dw, 0.25f); // accumulates
            if (reference) {
                LstmCellReference.forward(b, d, u, x, 0, h0, 0, c0, 0, w, 0, r, 0, bias, 0, gates, 0, c, 0, tc, 0, h, 0);
                LstmCellReference.backward(b, d, u, x, 0, h0, 0, c0, 0, w, 0, r, 0, gates, 0, tc, 0, dh, 0, dc, 0,
                        dx, 0, dhp, 0, dcp, 0, dw, 0, dr, 0, db, 0);
            } else {
                LstmCell.forward(b, d, u, x, 0, h0, 0, c0, 0, w, 0, r, 0, bias, 0, gates, 0, c, 0, tc, 0, h, 0);
                LstmCell.backward(b, d, u, x, 0, h0, 0, c0, 0, w, 0, r, 0, gates, 0, tc, 0, dh, 0, dc, 0,
                        dx, 0, dhp, 0, dcp, 0, dw, 0, dr, 0, db, 0);
            }
        }

        float[][] all() { return new float[][] {gates, c, tc, h, dx, dhp, dcp, dw, dr, db}; }
    }

    @Test
    void matchesReference() {
        Random rnd = new Random(1);
        int[][] shapes = {{1, 1, 1}, {3, 5, 7}, {16, 100, 64}, {8, 17, 16}, {2, 3, 15}};
        for (int[] s : shapes) {
            Step fast = new Step(new Random(s[0] * 31 + s[2]), s[0], s[1], s[2]);
            Step ref = new Step(new Random(s[0] * 31 + s[2]), s[0], s[1], s[2]);
            fast.run(false);
            ref.run(true);
            String[] names = {"gates", "c", "tanhC", "h", "dx", "dhPrev", "dcPrev", "dw", "dr", "db"};
            for (int i = 0; i < names.length; i++) close(names[i] + " " + java.util.Arrays.toString(s), ref.all()[i], fast.all()[i], 1e-4);
        }
        assertNotNull(rnd);
    }

    @Test
    void kerasGateOrder() {
        // B = D = U = 1, W = 0, R = 0: gates come from the bias alone, in order i, f, c, o
        float[] gates = new float[4], c = new float[1], tc = new float[1], h = new float[1];
        float[] bias = {0f, 100f, 0.5f, -100f};
        LstmCell.forward(1, 1, 1, new float[] {1}, 0, new float[] {0}, 0, new float[] {2}, 0, new float[4], 0, new float[4], 0,
                bias, 0, gates, 0, c, 0, tc, 0, h, 0);
        assertEquals(0.5f, gates[0], 1e-6);              // i = σ(0)
        assertEquals(1f, gates[1], 1e-6);                // f = σ(100)
        assertEquals((float) Math.tanh(0.5), gates[2], 1e-6);
        assertEquals(0f, gates[3], 1e-6);                // o = σ(-100)
        assertEquals(2f + 0.5f * (float) Math.tanh(0.5), c[0], 1e-6);
        assertEquals(0f, h[0], 1e-6);
    }

    /** L = sum(h·dh) + sum(c·dc); checks every gradient by central differences in double. */
    @Test
    void gradientsMatchFiniteDifferences() {
        Step s = new Step(new Random(2), 2, 3, 2);
        s.run(false);
        double eps = 1e-3;
        float[][] params = {s.x, s.h0, s.c0, s.w, s.r, s.bias};
        float[] dw0 = s.dw.clone();
        for (int j = 0; j < dw0.length; j++) dw0[j] -= 0.25f; // remove the pre-set accumulator
        float[][] grads = {s.dx, s.dhp, s.dcp, dw0, s.dr, s.db};
        String[] names = {"dx", "dhPrev", "dcPrev", "dw", "dr", "db"};
        for (int p = 0; p < params.length; p++) {
            float[] a = params[p];
            for (int i = 0; i < a.length; i++) {
                float keep = a[i];
                a[i] = keep + (float) eps; double lp = loss(s);
                a[i] = keep - (float) eps; double lm = loss(s);
                a[i] = keep;
                assertEquals((lp - lm) / (2 * eps), grads[p][i], 3e-3, names[p] + "[" + i + "]");
            }
        }
    }

    /** Forward in double. */
    static double loss(Step s) {
        int u = s.u, d = s.d;
        double l = 0;
        for (int row = 0; row < s.b; row++)
            for (int j = 0; j < u; j++) {
                double[] z = new double[4];
                for (int q = 0; q < 4; q++) {
                    double acc = s.bias[q * u + j];
                    for (int p = 0; p < d; p++) acc += (double) s.x[row * d + p] * s.w[p * 4 * u + q * u + j];
                    for (int p = 0; p < u; p++) acc += (double) s.h0[row * u + p] * s.r[p * 4 * u + q * u + j];
                    z[q] = acc;
                }
                double i = 1 / (1 + Math.exp(-z[0])), f = 1 / (1 + Math.exp(-z[1])), g = Math.tanh(z[2]), o = 1 / (1 + Math.exp(-z[3]));
                double c = f * s.c0[row * u + j] + i * g, h = o * Math.tanh(c);
                l += h * s.dh[row * u + j] + c * s.dc[row * u + j];
            }
        return l;
    }

    @Test
    void threadCountDoesNotChangeBits() {
        float[][] first = null;
        for (int t = 1; t <= 4; t++) {
            Parallel.setThreads(t);
            Step s = new Step(new Random(3), 16, 40, 33);
            s.run(false);
            if (first == null) first = s.all();
            else for (int i = 0; i < first.length; i++) assertArrayEquals(first[i], s.all()[i], "threads " + t + " output " + i);
        }
    }

    @Test
    void badArgumentsThrowIllegalArgument() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                LstmCell.forward(2, 3, 4, new float[5], 0, new float[8], 0, new float[8], 0, new float[48], 0, new float[64], 0,
                        new float[16], 0, new float[32], 0, new float[8], 0, new float[8], 0, new float[8], 0));
        assertTrue(e.getMessage().startsWith("LstmCell.forward") && e.getMessage().contains("batch 2, input 3, units 4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () ->
                LstmCell.forward(0, 3, 4, new float[6], 0, new float[8], 0, new float[8], 0, new float[48], 0, new float[64], 0,
                        new float[16], 0, new float[32], 0, new float[8], 0, new float[8], 0, new float[8], 0));
        assertThrows(IllegalArgumentException.class, () ->
                LstmCell.backward(2, 3, 4, new float[6], 0, new float[8], 0, new float[8], 0, new float[48], 0, new float[64], 0,
                        new float[32], 0, new float[8], 0, new float[8], 0, null, 0, new float[6], 0, new float[8], 0, new float[8], 0,
                        new float[48], 0, new float[64], 0, new float[15], 0));
    }
}
