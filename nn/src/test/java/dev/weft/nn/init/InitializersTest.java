package dev.weft.nn.init;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.engine.Rng;
import dev.weft.engine.Tensor;
import org.junit.jupiter.api.Test;

/** Statistics of large draws against the Keras formulas (expected values derived by hand below). */
class InitializersTest {
    private static double[] stats(Tensor t) {
        float[] d = t.toFloatArray();
        double s = 0, ss = 0, min = Double.MAX_VALUE, max = -Double.MAX_VALUE;
        for (float v : d) { s += v; ss += (double) v * v; min = Math.min(min, v); max = Math.max(max, v); }
        double mean = s / d.length;
        return new double[] {mean, Math.sqrt(ss / d.length - mean * mean), min, max};
    }

    @Test void fansFollowKeras() {
        assertEquals(new Fans(300, 100), Fans.of(300, 100));
        // conv kernel [3, 3, 16, 32]: receptive field 9 → fanIn 144, fanOut 288
        assertEquals(new Fans(144, 288), Fans.of(3, 3, 16, 32));
        assertEquals(new Fans(7, 7), Fans.of(7));
    }

    @Test void glorotUniformBoundsAndStd() {
        // [200, 300]: limit = sqrt(6 / 500) = 0.10954; std of U(-l, l) = l / sqrt(3) = 0.063246
        double[] st = stats(Initializers.glorotUniform().init(new Rng(1), 200, 300));
        double limit = Math.sqrt(6.0 / 500);
        assertTrue(st[2] >= -limit && st[3] <= limit, "bounds");
        assertTrue(st[3] > 0.99 * limit && st[2] < -0.99 * limit, "fills the range");
        assertEquals(0, st[0], 0.002);
        assertEquals(limit / Math.sqrt(3), st[1], 0.01 * limit);
    }

    @Test void heNormalConvUsesTruncatedNormalWithKerasScale() {
        // [3, 3, 64, 64]: fanIn = 576; target std sqrt(2/576) = 0.058926 (the /0.8796 correction restores it after truncation)
        Tensor w = Initializers.heNormal().init(new Rng(2), 3, 3, 64, 64);
        double[] st = stats(w);
        double std = Math.sqrt(2.0 / 576);
        assertEquals(std, st[1], 0.02 * std);
        assertEquals(0, st[0], 0.002);
        double cut = 2 * std / .87962566103423978; // truncation at 2 stddev of the un-corrected normal
        assertTrue(st[3] <= cut + 1e-6 && st[2] >= -cut - 1e-6, "truncated at two stddev");
    }

    @Test void glorotNormalAndLecunAndHeUniform() {
        double[] g = stats(Initializers.glorotNormal().init(new Rng(3), 256, 256)); // var 2/512
        assertEquals(Math.sqrt(2.0 / 512), g[1], 0.02 * Math.sqrt(2.0 / 512));
        double[] l = stats(Initializers.lecunNormal().init(new Rng(4), 400, 100)); // var 1/400
        assertEquals(0.05, l[1], 0.001);
        double[] lu = stats(Initializers.lecunUniform().init(new Rng(5), 300, 100)); // limit sqrt(3/300) = 0.1
        assertTrue(lu[3] <= 0.1 && lu[2] >= -0.1 && lu[3] > 0.099);
        double[] hu = stats(Initializers.heUniform().init(new Rng(6), 600, 100)); // limit sqrt(6/600) = 0.1
        assertTrue(hu[3] <= 0.1 && hu[2] >= -0.1 && hu[3] > 0.099);
    }

    @Test void simpleDistributions() {
        double[] u = stats(Initializers.uniform(-0.05f, 0.05f).init(new Rng(7), 100_000));
        assertTrue(u[2] >= -0.05 && u[3] <= 0.05);
        assertEquals(0.1 / Math.sqrt(12), u[1], 5e-4);
        double[] n = stats(Initializers.normal(1f, 2f).init(new Rng(8), 100_000));
        assertEquals(1, n[0], 0.03);
        assertEquals(2, n[1], 0.03);
        double[] t = stats(Initializers.truncatedNormal(0f, 0.05f).init(new Rng(9), 100_000));
        assertTrue(t[3] <= 0.1 + 1e-7 && t[2] >= -0.1 - 1e-7);
        assertEquals(0.05 * 0.87962566103423978, t[1], 1e-3); // std of a normal truncated at ±2σ
        assertArrayEquals(new float[] {0, 0}, Initializers.zeros().init(null, 2).toFloatArray());
        assertArrayEquals(new float[] {1, 1}, Initializers.ones().init(null, 2).toFloatArray());
        assertArrayEquals(new float[] {3.5f}, Initializers.constant(3.5f).init(null, 1).toFloatArray());
    }

    @Test void orthogonalSquareTallAndWide() {
        for (int[] shape : new int[][] {{32, 32}, {50, 20}, {16, 64}, {3, 3, 4, 8}}) {
            Tensor w = Initializers.orthogonal().init(new Rng(10), shape);
            int cols = shape[shape.length - 1];
            Tensor m = w.reshape(-1, cols);
            // columns orthonormal when tall (QᵀQ = I), rows orthonormal when wide (QQᵀ = I)
            Tensor gram = m.size(0) >= cols ? m.t().matmul(m) : m.matmul(m.t());
            assertTrue(gram.allClose(Tensor.eye(gram.size(0)), 0, 1e-5f), "orthonormal for shape " + java.util.Arrays.toString(shape));
        }
        Tensor g = Initializers.orthogonal(2f).init(new Rng(11), 8, 8);
        assertTrue(g.t().matmul(g).allClose(Tensor.eye(8).mul(4f), 0, 1e-4f));
        assertThrows(IllegalArgumentException.class, () -> Initializers.orthogonal().init(new Rng(1), 5));
    }

    @Test void sameSeedSameBits() {
        assertArrayEquals(Initializers.glorotNormal().init(new Rng(42), 10, 10).toFloatArray(),
                Initializers.glorotNormal().init(new Rng(42), 10, 10).toFloatArray());
        assertArrayEquals(Initializers.orthogonal().init(new Rng(42), 10, 40).toFloatArray(),
                Initializers.orthogonal().init(new Rng(42), 10, 40).toFloatArray());
    }
}
