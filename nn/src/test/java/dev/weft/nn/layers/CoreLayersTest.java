package dev.weft.nn.layers;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.engine.IntTensor;
import dev.weft.engine.Rng;
import dev.weft.engine.Tensor;
import dev.weft.nn.Sequential;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Layers that need no fused kernel, checked against hand-computed values. */
class CoreLayersTest {
    @Test void denseForwardAndBackwardByHand() {
        Dense d = new Dense(3);
        d.build(new int[] {2});
        try (var ignored = Tensor.noGrad()) {
            d.kernel().copyFrom(Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
            d.bias().copyFrom(Tensor.vector(0.5f, 0.5f, 0.5f));
        }
        Tensor x = Tensor.of(new float[] {1, 2}, 1, 2).requiresGrad(true);
        Tensor y = d.forward(x);
        // [1, 2] · [[1,2,3],[4,5,6]] + 0.5 = [9.5, 12.5, 15.5]
        assertArrayEquals(new float[] {9.5f, 12.5f, 15.5f}, y.toFloatArray());
        y.backward(Tensor.of(new float[] {1, 0, -1}, 1, 3));
        // dK = xᵀ g = [[1,0,-1],[2,0,-2]]; db = g; dx = g Kᵀ = [1-3, 4-6]
        assertArrayEquals(new float[] {1, 0, -1, 2, 0, -2}, d.kernel().grad().toFloatArray());
        assertArrayEquals(new float[] {1, 0, -1}, d.bias().grad().toFloatArray());
        assertArrayEquals(new float[] {-2, -2}, x.grad().toFloatArray());
        assertEquals(9, d.countParameters()); // 2·3 + 3
    }

    @Test void denseActivationAndRank3() {
        Dense d = new Dense(2).activation("relu").useBias(false);
        Tensor y = d.forward(Tensor.randn(new Rng(0), 4, 5, 3));
        assertArrayEquals(new int[] {4, 5, 2}, y.shape());
        for (float v : y.toFloatArray()) assertTrue(v >= 0);
        assertEquals(6, d.countParameters());
        assertNull(d.bias());
    }

    @Test void denseWrongFeaturesNamesLayerAndShapes() {
        Dense d = new Dense(4);
        d.named("head");
        d.forward(Tensor.zeros(2, 8));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.forward(Tensor.zeros(2, 7)));
        assertTrue(e.getMessage().contains("Dense 'head'") && e.getMessage().contains("(None, 7)") && e.getMessage().contains("8"), e.getMessage());
    }

    @Test void flattenReshapeShapes() {
        Tensor x = Tensor.arange(24).reshape(2, 3, 2, 2);
        Tensor f = new Flatten().forward(x);
        assertArrayEquals(new int[] {2, 12}, f.shape());
        assertArrayEquals(x.toFloatArray(), f.toFloatArray());
        assertArrayEquals(new int[] {2, 4, 3}, new Reshape(4, -1).forward(x).shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Reshape(5, -1).forward(x));
        assertTrue(e.getMessage().contains("Reshape") && e.getMessage().contains("(None, 3, 2, 2)"), e.getMessage());
    }

    @Test void addAndConcatenate() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2), b = Tensor.of(new float[] {10, 20, 30, 40}, 2, 2);
        assertArrayEquals(new float[] {11, 22, 33, 44}, new Add().forward(a, b).toFloatArray());
        assertArrayEquals(new float[] {1, 2, 10, 20, 3, 4, 30, 40}, new Concatenate().forward(a, b).toFloatArray());
        Tensor c = new Concatenate(1).forward(a.reshape(2, 2, 1), b.reshape(2, 2, 1)); // [2, 4, 1]
        assertArrayEquals(new int[] {2, 4, 1}, c.shape());
        assertArrayEquals(new float[] {1, 2, 10, 20, 3, 4, 30, 40}, c.toFloatArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Add().forward(a, Tensor.zeros(2, 3)));
        assertTrue(e.getMessage().contains("Add") && e.getMessage().contains("(None, 2)") && e.getMessage().contains("(None, 3)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Concatenate().forward(a, Tensor.zeros(2, 3, 1)));
    }

    @Test void activationLayerMatchesFormulas() {
        Tensor x = Tensor.vector(-2f, 0f, 3f).reshape(1, 3);
        assertArrayEquals(new float[] {0, 0, 3}, new Activation("relu").forward(x).toFloatArray());
        float[] sp = new Activation("softplus").forward(x).toFloatArray();
        assertEquals(Math.log1p(Math.exp(-2)), sp[0], 1e-6);
        assertEquals(Math.log(2), sp[1], 1e-6);
        float[] sm = new Activation("softmax").forward(x).toFloatArray();
        double z = Math.exp(-2) + 1 + Math.exp(3);
        assertEquals(Math.exp(3) / z, sm[2], 1e-6);
        float[] elu = new Activation("elu").forward(x).toFloatArray();
        assertEquals(Math.exp(-2) - 1, elu[0], 1e-6);
        assertEquals(3, elu[2], 1e-6);
        assertThrows(IllegalArgumentException.class, () -> new Activation("nope"));
    }

    @Test void dropoutTrainEvalAndSeed() {
        Tensor x = Tensor.ones(100, 100);
        Dropout d = new Dropout(0.3, 7);
        float[] y = d.forward(x).toFloatArray();
        int zeros = 0;
        for (float v : y) {
            if (v == 0) zeros++;
            else assertEquals(1 / 0.7f, v, 1e-6);
        }
        assertEquals(0.3, zeros / 10000.0, 0.02);
        assertArrayEquals(y, new Dropout(0.3, 7).forward(x).toFloatArray(), "same seed, same mask");
        d.eval();
        assertSame(x, d.forward(x), "identity in inference mode");
    }

    @Test void embeddingLookupGradAndErrors() {
        Embedding e = new Embedding(5, 2);
        Tensor ids = Tensor.of(new float[] {0, 3, 3, 4}, 2, 2);
        Tensor y = e.forward(ids);
        assertArrayEquals(new int[] {2, 2, 2}, y.shape());
        float[] table = e.embeddings().toFloatArray();
        for (float v : table) assertTrue(Math.abs(v) <= 0.05f);
        assertEquals(table[6], y.get(0, 1, 0));
        assertEquals(table[9], y.get(1, 1, 1));
        y.sum().backward();
        // row 3 looked up twice, rows 0 and 4 once, rows 1 and 2 never
        assertArrayEquals(new float[] {1, 1, 0, 0, 0, 0, 2, 2, 1, 1}, e.embeddings().grad().toFloatArray());
        assertArrayEquals(y.toFloatArray(), e.lookup(IntTensor.of(new int[] {0, 3, 3, 4}, 2, 2)).toFloatArray());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> e.forward(Tensor.of(new float[] {5}, 1, 1)));
        assertTrue(bad.getMessage().contains("Embedding") && bad.getMessage().contains("5"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> e.forward(Tensor.of(new float[] {1.5f}, 1, 1)));
    }

    @Test void sequentialNamesAndChains() {
        Sequential m = new Sequential(new Dense(4), new Dense(4).activation("tanh"), new Flatten()).input(3);
        assertEquals(List.of("dense.kernel", "dense.bias", "dense_1.kernel", "dense_1.bias"), List.copyOf(m.namedParameters().keySet()));
        assertArrayEquals(new int[] {5, 4}, m.forward(Tensor.zeros(5, 3)).shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.forward(Tensor.zeros(5, 2)));
        assertTrue(e.getMessage().contains("Dense 'dense'") && e.getMessage().contains("(None, 2)"), e.getMessage());
    }

    @Test void initIsDeterministicPerRng() {
        Dense a = (Dense) new Dense(8).withRng(new Rng(3));
        Dense b = (Dense) new Dense(8).withRng(new Rng(3));
        a.build(new int[] {4});
        b.build(new int[] {4});
        assertArrayEquals(a.kernel().toFloatArray(), b.kernel().toFloatArray());
    }
}
