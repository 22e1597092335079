package dev.weft.nn.layers;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.engine.Rng;
import dev.weft.engine.Tensor;
import org.junit.jupiter.api.Test;

/** Bad inputs name the layer and the shapes; training vs inference behaviour of BN and LSTM dropout. */
class ShapeErrorsAndModesTest {
    private static void message(Runnable r, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        for (String p : parts) assertTrue(e.getMessage().contains(p), "'" + p + "' missing from: " + e.getMessage());
    }

    @Test void badInputsNameLayerAndShapes() {
        Conv2D conv = new Conv2D(8, 3);
        conv.named("c1");
        conv.forward(Tensor.zeros(1, 8, 8, 3));
        message(() -> conv.forward(Tensor.zeros(1, 8, 8, 4)), "Conv2D 'c1'", "(None, 8, 8, 4)", "3");
        message(() -> new Conv2D(8, 3).forward(Tensor.zeros(1, 8, 8)), "Conv2D", "rank 4", "(None, 8, 8)");
        message(() -> new Conv2D(8, 5).forward(Tensor.zeros(1, 3, 3, 1)), "Conv2D", "(None, 3, 3, 1)");
        message(() -> new MaxPooling2D().forward(Tensor.zeros(2, 4, 4)), "MaxPooling2D", "(None, 4, 4)");
        message(() -> new GlobalAveragePooling2D().forward(Tensor.zeros(2, 4)), "GlobalAveragePooling2D", "(None, 4)");
        message(() -> new LSTM(4).forward(Tensor.zeros(2, 5)), "LSTM", "rank 3", "(None, 5)");
        LSTM l = new LSTM(4);
        l.forward(Tensor.zeros(2, 3, 6));
        message(() -> l.forward(Tensor.zeros(2, 3, 7)), "LSTM", "(None, 3, 7)", "6");
        BatchNormalization bn = new BatchNormalization();
        bn.forward(Tensor.zeros(4, 3));
        message(() -> bn.forward(Tensor.zeros(4, 5)), "BatchNormalization", "(None, 5)", "3");
        message(() -> new Conv2D(4, 3).padding("full"), "padding", "full");
        LSTMCell cell = new LSTMCell(3);
        message(() -> cell.step(Tensor.zeros(2, 4), new LSTMCell.State(Tensor.zeros(2, 2), Tensor.zeros(2, 3))), "LSTMCell", "(None, 2)");
    }

    @Test void lstmWithoutUnitsNamesTheLayerTheUserBuilt() {
        // the user built an LSTM: the message must say LSTM, not the LSTMCell it creates inside
        for (int units : new int[] {0, -3}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LSTM(units));
            assertTrue(e.getMessage().startsWith("LSTM: "), e.getMessage());
            assertTrue(e.getMessage().contains("units") && e.getMessage().contains(String.valueOf(units)), e.getMessage());
        }
        message(() -> new LSTMCell(0), "LSTMCell", "units", "0");
    }

    @Test void nullArgumentsNameTheLayerAndParameter() {
        message(() -> new Reshape((int[]) null), "Reshape", "targetShape is null");
        message(() -> new LSTMCell.State(Tensor.zeros(2, 3), null), "LSTMCell.State", "c null");
        message(() -> new LSTMCell(3).step(Tensor.zeros(2, 4), null), "LSTMCell", "state s is null");
    }

    @Test void lstmKerasInitialisation() {
        LSTMCell cell = new LSTMCell(8);
        cell.withRng(new Rng(9));
        cell.buildFor(5);
        float[] b = cell.bias().toFloatArray();
        for (int i = 0; i < 32; i++) assertEquals(i >= 8 && i < 16 ? 1f : 0f, b[i], "unit_forget_bias: gate order i, f, c, o");
        Tensor u = cell.recurrentKernel(); // [8, 32]: orthonormal rows
        assertTrue(u.matmul(u.t()).allClose(Tensor.eye(8), 0, 1e-5f));
        assertEquals(4 * 8 * (5 + 8 + 1), cell.countParameters());
    }

    @Test void lstmInputDropoutUsesOneMaskPerSequence() {
        int n = 40, t = 4, d = 10;
        LSTM lstm = new LSTM(3).returnSequences(true).dropout(0.5).dropoutSeed(5);
        Tensor x = Tensor.randn(new Rng(6), n, t, d).requiresGrad(true);
        lstm.forward(x).sum().backward();
        // a dropped (sample, feature) has zero gradient at every step, a kept one at none
        float[] g = x.grad().toFloatArray();
        int dropped = 0;
        for (int s = 0; s < n; s++)
            for (int f = 0; f < d; f++) {
                int zeros = 0;
                for (int step = 0; step < t; step++) if (g[(s * t + step) * d + f] == 0f) zeros++;
                assertTrue(zeros == 0 || zeros == t, "mask differs across steps at sample " + s + " feature " + f);
                if (zeros == t) dropped++;
            }
        assertEquals(0.5, dropped / (double) (n * d), 0.08);
        // inference: no dropout, equal to a dropout-free LSTM with the same weights
        lstm.eval();
        LSTM plain = new LSTM(3).returnSequences(true);
        plain.build(new int[] {t, d});
        try (var ignored = Tensor.noGrad()) {
            plain.cell().kernel().copyFrom(lstm.cell().kernel());
            plain.cell().recurrentKernel().copyFrom(lstm.cell().recurrentKernel());
            plain.cell().bias().copyFrom(lstm.cell().bias());
        }
        Tensor xe = x.detach();
        assertArrayEquals(plain.forward(xe).toFloatArray(), lstm.forward(xe).toFloatArray());
        // recurrent dropout changes the training output and is off in eval
        LSTM rec = new LSTM(3).returnSequences(true).recurrentDropout(0.5).dropoutSeed(1);
        rec.build(new int[] {t, d});
        try (var ignored = Tensor.noGrad()) {
            rec.cell().kernel().copyFrom(plain.cell().kernel());
            rec.cell().recurrentKernel().copyFrom(plain.cell().recurrentKernel());
            rec.cell().bias().copyFrom(plain.cell().bias());
        }
        assertFalse(java.util.Arrays.equals(plain.forward(xe).toFloatArray(), rec.forward(xe).toFloatArray()));
        rec.eval();
        assertArrayEquals(plain.forward(xe).toFloatArray(), rec.forward(xe).toFloatArray());
    }

    @Test void batchNormMovingAveragesConvergeOverSteps() {
        BatchNormalization bn = new BatchNormalization().momentum(0.5);
        Tensor x = Tensor.of(new float[] {1, 10, 3, 20}, 2, 2); // channel 0: {1, 3}, channel 1: {10, 20}
        bn.forward(x);
        // one step: 0.5·init + 0.5·batch; batch mean (2, 15), biased var (1, 25)
        assertArrayEquals(new float[] {1f, 7.5f}, bn.movingMean().toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {1f, 13f}, bn.movingVariance().toFloatArray(), 1e-5f);
        bn.eval();
        Tensor y = bn.forward(x);
        // eval: (x - moving_mean)/sqrt(moving_var + 1e-3)
        assertEquals((1 - 1) / Math.sqrt(1.001), y.get(0, 0), 1e-5);
        assertEquals((20 - 7.5) / Math.sqrt(13.001), y.get(1, 1), 1e-5);
        assertEquals(4 * 2, bn.countParameters() + bn.countBuffers());
        assertEquals(2 * 2, bn.countBuffers());
    }
}
