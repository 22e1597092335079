package dev.weft.zoo.models;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.engine.Rng;
import dev.weft.nn.Layer;
import dev.weft.nn.Summary;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every zoo model's summary() totals against Keras' counting rules, derived by hand here:
 * Dense(in→out) = in·out + out; Conv2D(k×k, cin→cout) = k·k·cin·cout + cout;
 * BatchNormalization(C) = 4·C, of which 2·C (moving mean and variance) non-trainable;
 * LSTM(u) on d inputs = 4·u·(d + u + 1); Embedding(V, D) = V·D. The printed text must use Keras'
 * wording with thousands separators.
 */
class ZooModelSummaryTest {
    private static long conv(int k, int cin, int cout) { return (long) k * k * cin * cout + cout; }
    private static long dense(int in, int out) { return (long) in * out + out; }

    /** The head shared by every VGG: Flatten (512) → 4096 → 4096 → 100. */
    private static final long VGG_HEAD = dense(512, 4096) + dense(4096, 4096) + dense(4096, 100);   // 2,101,248 + 16,781,312 + 409,700

    private static void assertTotals(Summary s, long total, long trainable, long nonTrainable) {
        assertEquals(total, s.totalParams(), s::toString);
        assertEquals(trainable, s.trainableParams());
        assertEquals(nonTrainable, s.nonTrainableParams());
        String text = s.toString();
        assertTrue(text.contains("Total params: " + String.format(java.util.Locale.ROOT, "%,d", total) + "\n"), text);
        assertTrue(text.contains("Trainable params: " + String.format(java.util.Locale.ROOT, "%,d", trainable) + "\n"), text);
        assertTrue(text.contains("Non-trainable params: " + String.format(java.util.Locale.ROOT, "%,d", nonTrainable) + "\n"), text);
    }

    private static Summary.Row row(Summary s, String name) {
        return s.rows().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError("no row " + name + "\n" + s));
    }

    @Test void headIsHandSummed() {
        assertEquals(2_101_248 + 16_781_312 + 409_700, VGG_HEAD);
    }

    @Test void seedVggAndVgg19() {
        long convs = conv(3, 3, 64) + conv(3, 64, 64)                 //     1,792 +    36,928
                + conv(3, 64, 128) + conv(3, 128, 128)                //    73,856 +   147,584
                + conv(3, 128, 256) + 3 * conv(3, 256, 256)           //   295,168 + 3·590,080
                + conv(3, 256, 512) + 3 * conv(3, 512, 512)           // 1,180,160 + 3·2,359,808
                + 4 * conv(3, 512, 512);                              // 4·2,359,808
        assertEquals(20_024_384, convs);
        for (ZooModel m : List.of(ZooModel.VGG, ZooModel.VGG19)) {
            Layer model = m.build(1);
            Summary s = m.summary(model);
            assertTotals(s, 39_316_644, 39_316_644, 0);
            assertEquals("(None, 32, 32, 64)", row(s, "conv2d").shapeString());
            assertEquals("(None, 1, 1, 512)", row(s, "max_pooling2d_4").shapeString());   // 32→16→8→4→2→1
            assertEquals("(None, 100)", row(s, "dense_2").shapeString());
            assertEquals(16 + 5 + 1 + 3, s.rows().size(), "16 convs, 5 pools, flatten, 3 dense");
        }
    }

    @Test void vgg11() {
        long convs = conv(3, 3, 64) + conv(3, 64, 128) + conv(3, 128, 256) + conv(3, 256, 256)
                + conv(3, 256, 512) + conv(3, 512, 512) + 2 * conv(3, 512, 512);
        assertEquals(9_220_480, convs);  // 1,792 + 73,856 + 295,168 + 590,080 + 1,180,160 + 3·2,359,808
        assertTotals(ZooModel.VGG11.summary(ZooModel.VGG11.build(1)), convs + VGG_HEAD, convs + VGG_HEAD, 0);
    }

    @Test void vgg13() {
        long convs = conv(3, 3, 64) + conv(3, 64, 64) + conv(3, 64, 128) + conv(3, 128, 128) + conv(3, 128, 256)
                + conv(3, 256, 256) + conv(3, 256, 512) + conv(3, 512, 512) + 2 * conv(3, 512, 512);
        assertEquals(9_404_992, convs);
        assertTotals(ZooModel.VGG13.summary(ZooModel.VGG13.build(1)), 28_697_252, 28_697_252, 0);
        assertEquals(convs + VGG_HEAD, 28_697_252);
    }

    @Test void vgg16() {
        long convs = conv(3, 3, 64) + conv(3, 64, 64) + conv(3, 64, 128) + conv(3, 128, 128) + conv(3, 128, 256)
                + 2 * conv(3, 256, 256) + conv(3, 256, 512) + 2 * conv(3, 512, 512) + 3 * conv(3, 512, 512);
        assertEquals(14_714_688, convs);
        assertTotals(ZooModel.VGG16.summary(ZooModel.VGG16.build(1)), 34_006_948, 34_006_948, 0);
        assertEquals(convs + VGG_HEAD, 34_006_948);
    }

    @Test void resnet18() {
        Summary s = ZooModel.RESNET18.summary(ZooModel.RESNET18.build(1));
        // stem 2,048; stages 148,736 + 526,976 + 2,102,528 + 8,399,360; head 51,300
        assertTotals(s, 11_230_948, 11_223_140, 7_808);
        assertEquals("InputLayer", s.rows().get(0).type());
        assertEquals("(None, 30, 30, 64)", row(s, "conv2d").shapeString());         // valid 3x3: 32 → 30
        assertEquals("(None, 30, 30, 64)", row(s, "max_pooling2d").shapeString());  // stride 1 same: stays 30
        assertEquals("(None, 4, 4, 512)", row(s, "add_7").shapeString());           // 30 → 15 → 8 → 4
        assertEquals("(None, 100)", row(s, "dense").shapeString());
        assertEquals(conv(1, 64, 128), row(s, "conv2d_7").params(), "first shortcut: 1x1 projection 64→128 (8,320)");
    }

    @Test void resnet34() {
        long stem = conv(3, 3, 64) + 4 * 64;                                                          // 2,048
        long stage1 = 3 * (2 * conv(3, 64, 64) + 2 * 4 * 64);                                         // 223,104
        long stage2 = conv(3, 64, 128) + conv(3, 128, 128) + 2 * 4 * 128 + conv(1, 64, 128)
                + 3 * (2 * conv(3, 128, 128) + 2 * 4 * 128);                                          // 230,784 + 888,576
        long stage3 = conv(3, 128, 256) + conv(3, 256, 256) + 2 * 4 * 256 + conv(1, 128, 256)
                + 5 * (2 * conv(3, 256, 256) + 2 * 4 * 256);                                          // 920,320 + 5,911,040
        long stage4 = conv(3, 256, 512) + conv(3, 512, 512) + 2 * 4 * 512 + conv(1, 256, 512)
                + 2 * (2 * conv(3, 512, 512) + 2 * 4 * 512);                                          // 3,675,648 + 9,447,424
        long total = stem + stage1 + stage2 + stage3 + stage4 + dense(512, 100);
        assertEquals(21_350_244, total);
        long nonTrainable = 2 * 64 + 2 * 2 * (3 * 64 + 4 * 128 + 6 * 256 + 3 * 512);                  // 128 + 15,104
        assertEquals(15_232, nonTrainable);
        Summary s = ZooModel.RESNET34.summary(ZooModel.RESNET34.build(1));
        assertTotals(s, total, total - nonTrainable, nonTrainable);
        assertEquals("(None, 4, 4, 512)", row(s, "add_15").shapeString());
    }

    @Test void lstmSentiment() {
        Summary s = ZooModel.LSTM.summary(ZooModel.LSTM.build(1));
        // 20000·100 + 4·64·(100+64+1) + 4·64·(64+64+1) + (64+1) = 2,000,000 + 42,240 + 33,024 + 65
        assertTotals(s, 2_075_329, 2_075_329, 0);
        assertEquals("(None, 100, 100)", row(s, "embedding").shapeString());
        assertEquals("(None, 100, 64)", row(s, "lstm").shapeString());
        assertEquals("(None, 64)", row(s, "lstm_1").shapeString());
        assertEquals("(None, 1)", row(s, "dense").shapeString());
    }

    @Test void vae() {
        Summary s = ZooModel.VAE.summary(ZooModel.VAE.build(1));
        long expected = dense(784, 128) + 2 * dense(128, 20) + dense(20, 128) + dense(128, 784);
        assertEquals(209_464, expected, "100,480 + 2·2,580 + 2,688 + 101,136");
        assertTotals(s, expected, expected, 0);
        assertEquals(List.of("encoder", "mean", "log_var", "decoder_hidden", "decoder_out"), s.rows().stream().map(Summary.Row::name).toList());
        assertEquals("(None, 20)", row(s, "log_var").shapeString());
        assertEquals("(None, 784)", row(s, "decoder_out").shapeString());
    }

    @Test void widthMultiplierScalesTheSameCodePath() {
        // VGG at width 1/8: filters 8,16,32,64,64 and Dense 512; same layer sequence as the full model
        Layer small = Vgg.build(Vgg.Config.SEED.convsPerBlock(), 0.125, 100, new Rng(1));
        Layer full = ZooModel.VGG.build(1);
        assertEquals(ZooModel.VGG.summary(full).rows().stream().map(Summary.Row::type).toList(),
                Summary.of(small, 32, 32, 3).rows().stream().map(Summary.Row::type).toList());
        long convs = conv(3, 3, 8) + conv(3, 8, 8) + conv(3, 8, 16) + conv(3, 16, 16) + conv(3, 16, 32) + 3 * conv(3, 32, 32)
                + conv(3, 32, 64) + 3 * conv(3, 64, 64) + 4 * conv(3, 64, 64);
        assertEquals(convs + dense(64, 512) + dense(512, 512) + dense(512, 100), small.countParameters());
    }

    @Test void sameSeedSameWeights() {
        Layer a = ZooModel.LSTM.build(7), b = ZooModel.LSTM.build(7), c = ZooModel.LSTM.build(8);
        String k = "lstm.cell.kernel";
        assertArrayEquals(a.stateDict().get(k).toFloatArray(), b.stateDict().get(k).toFloatArray());
        assertFalse(java.util.Arrays.equals(a.stateDict().get(k).toFloatArray(), c.stateDict().get(k).toFloatArray()));
    }

    @Test void badArgumentsNameTheModel() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ZooModel.byName("vgg12"));
        assertTrue(e.getMessage().contains("vgg12") && e.getMessage().contains("resnet34"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ResNet.build(new int[] {2, 2}, new Rng(1)));
        assertThrows(IllegalArgumentException.class, () -> Vgg.build(new int[] {1, 1, 1, 1, 0}, 1, 100, new Rng(1)));
        assertThrows(IllegalArgumentException.class, () -> Vgg.build(Vgg.Config.VGG11.convsPerBlock(), 2.0, 100, new Rng(1)));
        IllegalArgumentException v = assertThrows(IllegalArgumentException.class, () -> new Vae(1).forward(dev.weft.engine.Tensor.zeros(2, 100)));
        assertTrue(v.getMessage().contains("784"), v.getMessage());
    }
}
