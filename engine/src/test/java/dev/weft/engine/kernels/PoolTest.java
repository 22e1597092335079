package dev.weft.engine.kernels;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.engine.kernels.Conv2dSpec.Padding;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PoolTest {
    @AfterEach
    void resetThreads() { Parallel.setThreads(Runtime.getRuntime().availableProcessors()); }

    static Pool2dSpec[] shapes() {
        return new Pool2dSpec[] {
            Pool2dSpec.of(2, 8, 8, 16, 2, 2, Padding.VALID),
            Pool2dSpec.of(2, 7, 7, 17, 2, 2, Padding.SAME),    // odd size: pad at the bottom/right
            Pool2dSpec.of(1, 30, 30, 16, 2, 1, Padding.SAME),  // ResNet stem pool: stays 30x30
            Pool2dSpec.of(3, 9, 15, 5, 3, 3, 2, 2, Padding.SAME),
            Pool2dSpec.of(1, 16, 17, 33, 3, 2, 2, 3, Padding.VALID),
            Pool2dSpec.of(2, 1, 1, 8, 2, 2, Padding.SAME),
            Pool2dSpec.of(1, 13, 13, 1, 3, 1, Padding.SAME),
        };
    }

    static float[] rand(Random r, long n) {
        float[] a = new float[(int) n];
        for (int i = 0; i < a.length; i++) a[i] = (r.nextInt(41) - 20) / 8f; // many ties
        return a;
    }

    @Test
    void maxAndAvgMatchReferenceAndFormula() {
        Random r = new Random(1);
        for (Pool2dSpec s : shapes()) {
            float[] x = rand(r, s.inputSize()), dy = rand(r, s.outputSize());
            float[] y = new float[(int) s.outputSize()], yr = new float[y.length];
            Pool.maxForward(s, x, 0, y, 0);
            PoolReference.maxForward(s, x, 0, yr, 0);
            assertArrayEquals(yr, y, "max " + s);
            float[] ymax = y.clone();
            float[] dx = new float[x.length], dxr = new float[x.length];
            Pool.maxBackward(s, x, 0, dy, 0, dx, 0);
            PoolReference.maxBackward(s, x, 0, dy, 0, dxr, 0);
            assertArrayEquals(dxr, dx, "max backward " + s);
            Pool.avgForward(s, x, 0, y, 0);
            PoolReference.avgForward(s, x, 0, yr, 0);
            assertArrayEquals(yr, y, 1e-6f, "avg " + s);
            Pool.avgBackward(s, dy, 0, dx, 0);
            PoolReference.avgBackward(s, dy, 0, dxr, 0);
            assertArrayEquals(dxr, dx, 1e-6f, "avg backward " + s);
            // naive formula with explicit Keras padding: padded cells ignored / not counted
            for (int n = 0; n < s.n; n++) for (int oy = 0; oy < s.oh; oy++) for (int ox = 0; ox < s.ow; ox++) for (int c = 0; c < s.c; c++) {
                double mx = Double.NEGATIVE_INFINITY, sum = 0;
                int cells = 0;
                for (int ky = 0; ky < s.ph; ky++) for (int kx = 0; kx < s.pw; kx++) {
                    int iy = oy * s.sh + ky - s.padTop, ix = ox * s.sw + kx - s.padLeft;
                    if (iy < 0 || ix < 0 || iy >= s.h || ix >= s.w) continue;
                    float v = x[((n * s.h + iy) * s.w + ix) * s.c + c];
                    mx = Math.max(mx, v);
                    sum += v;
                    cells++;
                }
                int o = ((n * s.oh + oy) * s.ow + ox) * s.c + c;
                assertEquals(mx, ymax[o], 0, "formula max " + s);
                assertEquals(sum / cells, y[o], 1e-5, "formula avg " + s);
            }
        }
    }

    @Test
    void kerasSamePaddingSizes() {
        Pool2dSpec s = Pool2dSpec.of(1, 30, 30, 1, 2, 1, Padding.SAME);
        assertEquals(30, s.oh);
        assertEquals(0, s.padTop); // total pad 1 goes to the bottom
        Pool2dSpec t = Pool2dSpec.of(1, 7, 7, 1, 2, 2, Padding.SAME);
        assertEquals(4, t.oh);
        // avg over the last row/column: only real cells counted
        float[] x = new float[49];
        java.util.Arrays.fill(x, 2f);
        float[] y = new float[16];
        Pool.avgForward(t, x, 0, y, 0);
        for (float v : y) assertEquals(2f, v);
        // max ignores pads even when everything is negative
        java.util.Arrays.fill(x, -3f);
        Pool.maxForward(t, x, 0, y, 0);
        for (float v : y) assertEquals(-3f, v);
    }

    @Test
    void maxBackwardGoesToFirstMaximum() {
        Pool2dSpec s = Pool2dSpec.of(1, 2, 2, 1, 2, 2, Padding.VALID);
        float[] x = {1, 5, 5, 0}, dx = new float[4];
        Pool.maxBackward(s, x, 0, new float[] {3}, 0, dx, 0);
        assertArrayEquals(new float[] {0, 3, 0, 0}, dx);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Random r = new Random(2);
        Pool2dSpec s = Pool2dSpec.of(1, 5, 5, 3, 3, 3, 2, 2, Padding.SAME);
        float[] x = new float[(int) s.inputSize()];
        for (int i = 0; i < x.length; i++) x[i] = r.nextFloat(); // distinct values: max is differentiable
        float[] g = new float[(int) s.outputSize()];
        for (int i = 0; i < g.length; i++) g[i] = r.nextFloat() - 0.5f;
        float[] dxMax = new float[x.length], dxAvg = new float[x.length];
        Pool.maxBackward(s, x, 0, g, 0, dxMax, 0);
        Pool.avgBackward(s, g, 0, dxAvg, 0);
        double eps = 1e-4;
        for (int i = 0; i < x.length; i++) {
            float keep = x[i];
            x[i] = keep + (float) eps; double mp = loss(s, x, g, true), ap = loss(s, x, g, false);
            x[i] = keep - (float) eps; double mm = loss(s, x, g, true), am = loss(s, x, g, false);
            x[i] = keep;
            assertEquals((mp - mm) / (2 * eps), dxMax[i], 1e-2, "max dx " + i);
            assertEquals((ap - am) / (2 * eps), dxAvg[i], 1e-2, "avg dx " + i);
        }
    }

    private static double loss(Pool2dSpec s, float[] x, float[] g, boolean max) {
        float[] y = new float[(int) s.outputSize()];
        if (max) PoolReference.maxForward(s, x, 0, y, 0);
        else PoolReference.avgForward(s, x, 0, y, 0);
        double l = 0;
        for (int i = 0; i < y.length; i++) l += (double) y[i] * g[i];
        return l;
    }

    @Test
    void globalAverage() {
        Random r = new Random(3);
        int[][] shapes = {{2, 4, 4, 64}, {3, 7, 5, 17}, {1, 1, 1, 1}};
        for (int[] sh : shapes) {
            int n = sh[0], h = sh[1], w = sh[2], c = sh[3];
            float[] x = rand(r, (long) n * h * w * c), dy = rand(r, (long) n * c);
            float[] y = new float[n * c], yr = new float[n * c], dx = new float[x.length], dxr = new float[x.length];
            Pool.globalAvgForward(n, h, w, c, x, 0, y, 0);
            PoolReference.globalAvgForward(n, h, w, c, x, 0, yr, 0);
            assertArrayEquals(yr, y, 1e-6f);
            for (int b = 0; b < n; b++) for (int ch = 0; ch < c; ch++) {
                double sum = 0;
                for (int p = 0; p < h * w; p++) sum += x[(b * h * w + p) * c + ch];
                assertEquals(sum / (h * w), y[b * c + ch], 1e-5);
            }
            Pool.globalAvgBackward(n, h, w, c, dy, 0, dx, 0);
            PoolReference.globalAvgBackward(n, h, w, c, dy, 0, dxr, 0);
            assertArrayEquals(dxr, dx);
        }
    }

    @Test
    void threadCountDoesNotChangeBits() {
        Random r = new Random(4);
        Pool2dSpec s = Pool2dSpec.of(5, 9, 9, 20, 3, 2, Padding.SAME);
        float[] x = rand(r, s.inputSize()), dy = rand(r, s.outputSize());
        float[] ref = null;
        for (int t = 1; t <= 4; t++) {
            Parallel.setThreads(t);
            float[] y = new float[(int) s.outputSize()], y2 = new float[y.length], dx = new float[x.length], dx2 = new float[x.length];
            Pool.maxForward(s, x, 0, y, 0);
            Pool.avgForward(s, x, 0, y2, 0);
            Pool.maxBackward(s, x, 0, dy, 0, dx, 0);
            Pool.avgBackward(s, dy, 0, dx2, 0);
            float[] all = concat(y, y2, dx, dx2);
            if (ref == null) ref = all;
            else assertArrayEquals(ref, all, "threads " + t);
        }
    }

    private static float[] concat(float[]... parts) {
        int len = 0;
        for (float[] p : parts) len += p.length;
        float[] out = new float[len];
        int o = 0;
        for (float[] p : parts) { System.arraycopy(p, 0, out, o, p.length); o += p.length; }
        return out;
    }

    @Test
    void badArgumentsThrowIllegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> Pool2dSpec.of(1, 2, 2, 1, 3, 1, Padding.VALID));
        assertThrows(IllegalArgumentException.class, () -> Pool2dSpec.of(1, 4, 4, 1, 2, 0, Padding.SAME));
        Pool2dSpec s = Pool2dSpec.of(1, 4, 4, 2, 2, 2, Padding.VALID);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pool.maxForward(s, new float[3], 0, new float[8], 0));
        assertTrue(e.getMessage().startsWith("Pool.maxForward") && e.getMessage().contains("[1, 4, 4, 2]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Pool.avgBackward(s, new float[8], 0, new float[31], 0));
        assertThrows(IllegalArgumentException.class, () -> Pool.globalAvgForward(1, 2, 2, 3, new float[12], 0, new float[2], 0));
        assertThrows(IllegalArgumentException.class, () -> Pool.globalAvgBackward(0, 2, 2, 3, new float[12], 0, new float[2], 0));
    }
}
