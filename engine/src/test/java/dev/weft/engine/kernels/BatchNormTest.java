package dev.weft.engine.kernels;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatchNormTest {
    static final float EPS = 1e-3f;

    @AfterEach
    void resetThreads() { Parallel.setThreads(Runtime.getRuntime().availableProcessors()); }

    static float[] rand(Random r, int n, float scale, float shift) {
        float[] a = new float[n];
        for (int i = 0; i < a.length; i++) a[i] = (r.nextFloat() * 2 - 1) * scale + shift;
        return a;
    }

    static void close(String what, float[] e, float[] a, double tol) {
        for (int i = 0; i < e.length; i++)
            if (Math.abs(e[i] - a[i]) > tol * (1 + Math.abs(e[i]))) fail(what + " at " + i + ": " + e[i] + " vs " + a[i]);
    }

    /** [M, C] shapes: rank-2 (dense), rank-4 images flattened (N·H·W), edge sizes. */
    static final int[][] SHAPES = {{1, 1}, {7, 3}, {64, 100}, {2 * 9 * 9, 17}, {4 * 15 * 15, 64}, {33, 16}, {5000, 8}};

    @Test
    void matchesReference() {
        Random r = new Random(1);
        for (int[] sh : SHAPES) {
            int m = sh[0], c = sh[1];
            float[] x = rand(r, m * c, 2f, 3f), g = rand(r, c, 1f, 1f), b = rand(r, c, 1f, 0f), dy = rand(r, m * c, 1f, 0f);
            float[][] fast = run(false, m, c, x, g, b, dy), ref = run(true, m, c, x, g, b, dy);
            String[] names = {"y", "mean", "var", "invStd", "dx", "dgamma", "dbeta", "yInference"};
            for (int i = 0; i < names.length; i++) close(names[i] + " [" + m + ", " + c + "]", ref[i], fast[i], 2e-4);
        }
    }

    static float[][] run(boolean reference, int m, int c, float[] x, float[] g, float[] b, float[] dy) {
        float[] y = new float[m * c], mean = new float[c], var = new float[c], is = new float[c];
        float[] dx = new float[m * c], dg = new float[c], db = new float[c], yi = new float[m * c];
        float[] mm = new float[c], mv = new float[c];
        for (int j = 0; j < c; j++) { mm[j] = 0.1f * j; mv[j] = 1f + 0.5f * j; }
        if (reference) {
            BatchNormReference.forwardTraining(m, c, x, 0, g, 0, b, 0, EPS, y, 0, mean, 0, var, 0, is, 0);
            BatchNormReference.backward(m, c, x, 0, dy, 0, g, 0, mean, 0, is, 0, dx, 0, dg, 0, db, 0);
            BatchNormReference.forwardInference(m, c, x, 0, g, 0, b, 0, mm, 0, mv, 0, EPS, yi, 0);
        } else {
            BatchNorm.forwardTraining(m, c, x, 0, g, 0, b, 0, EPS, y, 0, mean, 0, var, 0, is, 0);
            BatchNorm.backward(m, c, x, 0, dy, 0, g, 0, mean, 0, is, 0, dx, 0, dg, 0, db, 0);
            BatchNorm.forwardInference(m, c, x, 0, g, 0, b, 0, mm, 0, mv, 0, EPS, yi, 0);
        }
        return new float[][] {y, mean, var, is, dx, dg, db, yi};
    }

    @Test
    void kerasSemanticsBiasedVarianceAndEps() {
        // x = [1, 2, 3, 4] on one channel: mean 2.5, biased var 1.25
        float[] x = {1, 2, 3, 4}, y = new float[4], mean = new float[1], var = new float[1], is = new float[1];
        BatchNorm.forwardTraining(4, 1, x, 0, new float[] {1}, 0, new float[] {0}, 0, EPS, y, 0, mean, 0, var, 0, is, 0);
        assertEquals(2.5f, mean[0], 1e-6);
        assertEquals(1.25f, var[0], 1e-6);
        assertEquals(1 / Math.sqrt(1.25 + 1e-3), is[0], 1e-6);
        assertEquals(-1.5 / Math.sqrt(1.251), y[0], 1e-5);
        float[] mm = {0}, mv = {1};
        BatchNorm.updateMoving(1, 0.99f, mm, 0, mv, 0, mean, 0, var, 0);
        assertEquals(0.025f, mm[0], 1e-6);
        assertEquals(0.99f + 0.0125f, mv[0], 1e-6);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Random r = new Random(2);
        int m = 6, c = 3;
        float[] x = rand(r, m * c, 1f, 0.5f), g = rand(r, c, 1f, 1f), b = rand(r, c, 1f, 0f), w = rand(r, m * c, 1f, 0f);
        float[] y = new float[m * c], mean = new float[c], var = new float[c], is = new float[c];
        float[] dx = new float[m * c], dg = new float[c], db = new float[c];
        BatchNorm.forwardTraining(m, c, x, 0, g, 0, b, 0, EPS, y, 0, mean, 0, var, 0, is, 0);
        BatchNorm.backward(m, c, x, 0, w, 0, g, 0, mean, 0, is, 0, dx, 0, dg, 0, db, 0);
        double h = 1e-3;
        for (int i = 0; i < x.length; i++) {
            double[] xd = toD(x);
            xd[i] += h; double lp = loss(m, c, xd, toD(g), toD(b), w);
            xd[i] -= 2 * h; double lm = loss(m, c, xd, toD(g), toD(b), w);
            assertEquals((lp - lm) / (2 * h), dx[i], 2e-3, "dx " + i);
        }
        for (int j = 0; j < c; j++) {
            double[] gd = toD(g);
            gd[j] += h; double lp = loss(m, c, toD(x), gd, toD(b), w);
            gd[j] -= 2 * h; double lm = loss(m, c, toD(x), gd, toD(b), w);
            assertEquals((lp - lm) / (2 * h), dg[j], 2e-3, "dgamma " + j);
            double[] bd = toD(b);
            bd[j] += h; lp = loss(m, c, toD(x), toD(g), bd, w);
            bd[j] -= 2 * h; lm = loss(m, c, toD(x), toD(g), bd, w);
            assertEquals((lp - lm) / (2 * h), db[j], 2e-3, "dbeta " + j);
        }
    }

    static double[] toD(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }

    /** L = sum w·BN(x) in double. */
    static double loss(int m, int c, double[] x, double[] g, double[] b, float[] w) {
        double l = 0;
        for (int j = 0; j < c; j++) {
            double mu = 0, v = 0;
            for (int r = 0; r < m; r++) mu += x[r * c + j];
            mu /= m;
            for (int r = 0; r < m; r++) v += (x[r * c + j] - mu) * (x[r * c + j] - mu);
            v /= m;
            for (int r = 0; r < m; r++) l += w[r * c + j] * (g[j] * (x[r * c + j] - mu) / Math.sqrt(v + EPS) + b[j]);
        }
        return l;
    }

    @Test
    void threadCountDoesNotChangeBits() {
        Random r = new Random(3);
        int m = 3 * 1000 + 7, c = 19;
        float[] x = rand(r, m * c, 1f, 2f), g = rand(r, c, 1f, 1f), b = rand(r, c, 1f, 0f), dy = rand(r, m * c, 1f, 0f);
        float[][] first = null;
        for (int t = 1; t <= 4; t++) {
            Parallel.setThreads(t);
            float[][] now = run(false, m, c, x, g, b, dy);
            if (first == null) first = now;
            else for (int i = 0; i < now.length; i++) assertArrayEquals(first[i], now[i], "threads " + t + " output " + i);
        }
    }

    @Test
    void badArgumentsThrowIllegalArgument() {
        float[] c4 = new float[4];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                BatchNorm.forwardTraining(3, 4, new float[11], 0, c4, 0, c4, 0, EPS, new float[12], 0, c4, 0, c4, 0, c4, 0));
        assertTrue(e.getMessage().startsWith("BatchNorm.forwardTraining") && e.getMessage().contains("[3, 4]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () ->
                BatchNorm.forwardTraining(0, 4, new float[12], 0, c4, 0, c4, 0, EPS, new float[12], 0, c4, 0, c4, 0, c4, 0));
        assertThrows(IllegalArgumentException.class, () ->
                BatchNorm.backward(3, 4, new float[12], 0, new float[12], 0, new float[3], 0, c4, 0, c4, 0, new float[12], 0, c4, 0, c4, 0));
        assertThrows(IllegalArgumentException.class, () ->
                BatchNorm.forwardInference(3, 4, new float[12], 0, c4, 0, c4, 0, c4, 0, c4, 1, EPS, new float[12], 0));
    }
}
