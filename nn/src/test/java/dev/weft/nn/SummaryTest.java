package dev.weft.nn;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.engine.Rng;
import dev.weft.engine.Tensor;
import dev.weft.nn.layers.Activation;
import dev.weft.nn.layers.Add;
import dev.weft.nn.layers.BatchNormalization;
import dev.weft.nn.layers.Conv2D;
import dev.weft.nn.layers.Dense;
import dev.weft.nn.layers.Embedding;
import dev.weft.nn.layers.Flatten;
import dev.weft.nn.layers.GlobalAveragePooling2D;
import dev.weft.nn.layers.LSTM;
import dev.weft.nn.layers.MaxPooling2D;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * summary() parameter counts for the four seed models against the Keras formulas, derived by hand
 * here: Dense(in→out) = in·out + out; Conv2D(k×k, cin→cout) = k·k·cin·cout + cout;
 * BatchNormalization(C) = 4·C of which 2·C non-trainable; LSTM(u) on d = 4·u·(d + u + 1);
 * Embedding(V, D) = V·D.
 */
class SummaryTest {
    private static long conv(int k, int cin, int cout) { return (long) k * k * cin * cout + cout; }
    private static long dense(int in, int out) { return (long) in * out + out; }

    private static Summary.Row row(Summary s, String name) {
        return s.rows().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError("no row " + name + "\n" + s));
    }

    @Test void lstmSentimentModelMatchesKeras() {
        Sequential m = new Sequential(
                new Embedding(20000, 100),
                new LSTM(64).returnSequences(true).dropout(0.5),
                new LSTM(64).dropout(0.5),
                new Dense(1).activation("sigmoid")).input(100);
        Summary s = m.summary();
        // 20000·100 + 4·64·(100+64+1) + 4·64·(64+64+1) + (64+1) = 2,000,000 + 42,240 + 33,024 + 65
        assertEquals(2_075_329, s.totalParams());
        assertEquals(2_075_329, s.trainableParams());
        assertEquals(0, s.nonTrainableParams());
        assertEquals(42_240, row(s, "lstm").params());
        assertEquals(33_024, row(s, "lstm_1").params());
        assertEquals("(None, 100, 100)", row(s, "embedding").shapeString());
        assertEquals("(None, 100, 64)", row(s, "lstm").shapeString());
        assertEquals("(None, 64)", row(s, "lstm_1").shapeString());
        assertEquals("(None, 1)", row(s, "dense").shapeString());
        String text = s.toString();
        assertTrue(text.contains("Total params: 2,075,329\n"), text);
        assertTrue(text.contains("Trainable params: 2,075,329\n"), text);
        assertTrue(text.contains("Non-trainable params: 0\n"), text);
        assertTrue(text.contains("embedding (Embedding)") && text.contains("2,000,000") && text.contains("Output Shape") && text.contains("Param #"), text);
    }

    @Test void seedVggMatchesKeras() {
        Sequential m = new Sequential();
        int[][] blocks = {{64, 64}, {128, 128}, {256, 256, 256, 256}, {512, 512, 512, 512}, {512, 512, 512, 512}};
        for (int[] block : blocks) {
            for (int f : block) m.add(new Conv2D(f, 3).padding("same").activation("relu"));
            m.add(new MaxPooling2D(2).strides(2).padding("same"));
        }
        m.add(new Flatten());
        m.add(new Dense(4096).activation("relu"));
        m.add(new Dense(4096).activation("relu"));
        m.add(new Dense(100).activation("softmax"));
        m.withRng(new Rng(1));
        m.input(32, 32, 3);
        Summary s = m.summary();
        long expected = conv(3, 3, 64) + conv(3, 64, 64)                 //     1,792 +    36,928
                + conv(3, 64, 128) + conv(3, 128, 128)                   //    73,856 +   147,584
                + conv(3, 128, 256) + 3 * conv(3, 256, 256)              //   295,168 + 3·590,080
                + conv(3, 256, 512) + 3 * conv(3, 512, 512)              // 1,180,160 + 3·2,359,808
                + 4 * conv(3, 512, 512)                                  // 4·2,359,808
                + dense(512, 4096) + dense(4096, 4096) + dense(4096, 100); // 32→16→8→4→2→1, flatten 512
        // 1,792 + 36,928 + 73,856 + 147,584 + 295,168 + 1,770,240 + 1,180,160 + 7,079,424 + 9,439,232
        // + 2,101,248 + 16,781,312 + 409,700
        assertEquals(39_316_644L, expected, "hand sum of the terms above");
        assertEquals(expected, s.totalParams());
        assertEquals(0, s.nonTrainableParams());
        assertEquals("(None, 1, 1, 512)", row(s, "max_pooling2d_4").shapeString());
        assertEquals("(None, 512)", row(s, "flatten").shapeString());
        assertEquals("(None, 100)", row(s, "dense_2").shapeString());
        assertTrue(s.toString().contains("Total params: 39,316,644"));
    }

    /** ResNet-18 with the seed's stem (DESIGN.md §3), written with the functional API. */
    static Model resnet(int[] layerDims, int classes) {
        Symbolic in = Symbolic.input(32, 32, 3);
        Symbolic x = new Conv2D(64, 3).call(in);                                  // 32 → 30, valid
        x = new BatchNormalization().call(x);
        x = new Activation("relu").call(x);
        x = new MaxPooling2D(2).strides(1).padding("same").call(x);              // stays 30
        int[] filters = {64, 128, 256, 512};
        for (int stage = 0; stage < 4; stage++) {
            for (int b = 0; b < layerDims[stage]; b++) {
                int stride = stage > 0 && b == 0 ? 2 : 1;
                Symbolic y = new Conv2D(filters[stage], 3).strides(stride).padding("same").call(x);
                y = new BatchNormalization().call(y);
                y = new Activation("relu").call(y);
                y = new Conv2D(filters[stage], 3).padding("same").call(y);
                y = new BatchNormalization().call(y);
                Symbolic shortcut = stride != 1 ? new Conv2D(filters[stage], 1).strides(stride).call(x) : x;
                x = new Activation("relu").call(new Add().call(y, shortcut));
            }
        }
        x = new GlobalAveragePooling2D().call(x);
        return new Model(in, new Dense(classes).call(x));
    }

    @Test void resnet18MatchesKeras() {
        Rng.manualSeed(5);
        Model m = resnet(new int[] {2, 2, 2, 2}, 100);
        Summary s = m.summary();
        long bn64 = 4 * 64, bn128 = 4 * 128, bn256 = 4 * 256, bn512 = 4 * 512;
        long stem = conv(3, 3, 64) + bn64;                                                   // 1,792 + 256
        long stage1 = 2 * (2 * conv(3, 64, 64) + 2 * bn64);                                 // 148,736
        long stage2 = conv(3, 64, 128) + conv(3, 128, 128) + 2 * bn128 + conv(1, 64, 128)   // first block: 230,784
                + 2 * conv(3, 128, 128) + 2 * bn128;                                          // second: 296,192
        long stage3 = conv(3, 128, 256) + conv(3, 256, 256) + 2 * bn256 + conv(1, 128, 256)
                + 2 * conv(3, 256, 256) + 2 * bn256;                                          // 920,320 + 1,182,208
        long stage4 = conv(3, 256, 512) + conv(3, 512, 512) + 2 * bn512 + conv(1, 256, 512)
                + 2 * conv(3, 512, 512) + 2 * bn512;                                          // 3,675,648 + 4,723,712
        long expected = stem + stage1 + stage2 + stage3 + stage4 + dense(512, 100);
        assertEquals(11_230_948L, expected, "hand sum");
        // non-trainable: moving mean + variance of every BN = 2·C each: stem 64, 4 BNs per stage
        long nonTrainable = 2 * 64 + 4 * 2 * (64 + 128 + 256 + 512);
        assertEquals(7_808, nonTrainable);
        assertEquals(expected, s.totalParams());
        assertEquals(nonTrainable, s.nonTrainableParams());
        assertEquals(expected - nonTrainable, s.trainableParams());
        assertEquals("(None, 30, 30, 64)", row(s, "max_pooling2d").shapeString());
        assertEquals("(None, 4, 4, 512)", row(s, "add_7").shapeString());  // 30 → 15 → 8 → 4
        assertEquals("(None, 100)", row(s, "dense").shapeString());
        assertEquals("InputLayer", s.rows().get(0).type());
        // the first shortcut: the block's last BN plus the stem's pooling output
        assertEquals(List.of("batch_normalization_2[0][0]", "max_pooling2d[0][0]"), row(s, "add").connectedTo());
        assertEquals(List.of("input_layer[0][0]"), row(s, "conv2d").connectedTo());
        String text = s.toString();
        assertTrue(text.contains("Connected to"), text);
        assertTrue(text.contains("Total params: 11,230,948") && text.contains("Trainable params: 11,223,140")
                && text.contains("Non-trainable params: 7,808"), text);
    }

    /** The seed's VAE as a subclassed model: summary traces the sublayers' shapes. */
    static final class Vae extends Layer {
        final Dense encoder = registerModule("encoder", new Dense(128));
        final Dense mean = registerModule("mean", new Dense(20));
        final Dense logVar = registerModule("log_var", new Dense(20));
        final Dense decoderHidden = registerModule("decoder_hidden", new Dense(128).activation("relu"));
        final Dense decoderOut = registerModule("decoder_out", new Dense(784));
        final Rng eps = new Rng(3);

        @Override protected int[] computeOutputShape(int[][] in) { return new int[] {784}; }

        @Override protected Tensor compute(List<Tensor> inputs) {
            Tensor h = encoder.forward(inputs.get(0));
            Tensor mu = mean.forward(h), lv = logVar.forward(h);
            Tensor z = mu.add(Tensor.randn(eps, mu.shape()).mul(lv.mul(0.5f).exp()));  // reparameterisation
            return decoderOut.forward(decoderHidden.forward(z));
        }
    }

    @Test void vaeSubclassedMatchesKeras() {
        Vae vae = new Vae();
        Summary s = Summary.of(vae, 784);
        long expected = dense(784, 128) + 2 * dense(128, 20) + dense(20, 128) + dense(128, 784);
        assertEquals(209_464L, expected, "100,480 + 2·2,580 + 2,688 + 101,136");
        assertEquals(expected, s.totalParams());
        assertEquals(List.of("encoder", "mean", "log_var", "decoder_hidden", "decoder_out"), s.rows().stream().map(Summary.Row::name).toList());
        assertEquals("(None, 20)", row(s, "log_var").shapeString());
        assertEquals("(None, 784)", row(s, "decoder_out").shapeString());
        assertEquals(2_580, row(s, "mean").params());
        assertTrue(vae.isTraining(), "tracing restores training mode");
        assertTrue(s.toString().contains("Total params: 209,464"));
    }

    @Test void unbuiltModelSaysHowToBuild() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new Sequential(new Dense(3)).summary());
        assertTrue(e.getMessage().contains("input(shape)"), e.getMessage());
    }

    @Test void groupedNumbers() {
        assertEquals("0", Summary.grouped(0));
        assertEquals("1,234,567", Summary.grouped(1_234_567));
    }
}
