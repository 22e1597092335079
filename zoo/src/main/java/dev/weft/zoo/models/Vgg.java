package dev.weft.zoo.models;

import dev.weft.engine.Rng;
import dev.weft.nn.Layer;
import dev.weft.nn.Sequential;
import dev.weft.nn.layers.Conv2D;
import dev.weft.nn.layers.Dense;
import dev.weft.nn.layers.Flatten;
import dev.weft.nn.layers.MaxPooling2D;
import java.util.Arrays;

/**
 * VGG for CIFAR-100 (32x32x3 → 100 classes), written in the Sequential style as the seed does.
 *
 * <p>Five blocks of 3x3 {@code same} convolutions with ReLU ({@link #FILTERS} 64, 128, 256, 512,
 * 512 filters), each block closed by a 2x2 max-pool with stride 2 and {@code same} padding
 * (32 → 16 → 8 → 4 → 2 → 1), then Flatten (512), Dense 4096 ReLU, Dense 4096 ReLU and Dense 100
 * softmax. The configurations differ only in the number of convolutions per block:
 *
 * <pre>
 *   seed  (vgg)   2-2-4-4-4   the seed's layout (DESIGN.md §3) — the same as configuration E
 *   VGG11 (A)     1-1-2-2-2
 *   VGG13 (B)     2-2-2-2-2
 *   VGG16 (D)     2-2-3-3-3
 *   VGG19 (E)     2-2-4-4-4
 * </pre>
 *
 * Training recipe (the seed's): inputs scaled to [-1, 1], categorical cross-entropy on one-hot
 * labels, Adam with Keras defaults, batch 32. A width multiplier scales every filter count and the
 * 4096-unit layers for quick experiments and tests; 1.0 is the real network.
 */
public final class Vgg {
    private Vgg() {}

    /** Filters of the five blocks. */
    public static final int[] FILTERS = {64, 128, 256, 512, 512};
    /** Units of the two hidden Dense layers. */
    public static final int DENSE_UNITS = 4096;
    /** CIFAR-100 classes. */
    public static final int CLASSES = 100;
    /** Per-sample input shape {@code [32, 32, 3]}. */
    public static final int[] INPUT_SHAPE = {32, 32, 3};

    /** The layouts: convolutions per block. */
    public enum Config {
        /** The seed's 2-2-4-4-4 network. */
        SEED(2, 2, 4, 4, 4),
        /** Configuration A. */
        VGG11(1, 1, 2, 2, 2),
        /** Configuration B. */
        VGG13(2, 2, 2, 2, 2),
        /** Configuration D. */
        VGG16(2, 2, 3, 3, 3),
        /** Configuration E. */
        VGG19(2, 2, 4, 4, 4);

        private final int[] convsPerBlock;

        Config(int... convsPerBlock) { this.convsPerBlock = convsPerBlock; }

        /** Convolutions in each of the five blocks. */
        public int[] convsPerBlock() { return convsPerBlock.clone(); }
    }

    /** The full-size network of {@code config}, weights drawn from {@code rng}. */
    public static Sequential build(Config config, Rng rng) {
        Sequential model = build(config.convsPerBlock, 1.0, CLASSES, rng);
        model.named(config == Config.SEED ? "vgg" : config.name().toLowerCase(java.util.Locale.ROOT));
        return model;
    }

    /**
     * A VGG with {@code convsPerBlock[b]} convolutions in block {@code b} (five blocks), every width
     * multiplied by {@code width} (at least 1 unit), and {@code classes} outputs; built for 32x32x3.
     */
    public static Sequential build(int[] convsPerBlock, double width, int classes, Rng rng) {
        if (convsPerBlock == null || convsPerBlock.length != FILTERS.length)
            throw new IllegalArgumentException("Vgg: convsPerBlock needs " + FILTERS.length + " entries, got "
                    + Arrays.toString(convsPerBlock));
        for (int c : convsPerBlock)
            if (c < 1) throw new IllegalArgumentException("Vgg: every block needs at least one convolution, got " + Arrays.toString(convsPerBlock));
        checkWidth("Vgg", width);
        if (classes < 1) throw new IllegalArgumentException("Vgg: classes must be >= 1, got " + classes);
        Sequential model = new Sequential();
        for (int block = 0; block < FILTERS.length; block++) {
            int filters = scaled(FILTERS[block], width);
            for (int i = 0; i < convsPerBlock[block]; i++)
                model.add(seeded(new Conv2D(filters, 3).padding("same").activation("relu"), rng));
            model.add(new MaxPooling2D(2).strides(2).padding("same"));       // halves H and W (rounding up)
        }
        model.add(new Flatten());                                             // [N, 1, 1, C] → [N, C]
        model.add(seeded(new Dense(scaled(DENSE_UNITS, width)).activation("relu"), rng));
        model.add(seeded(new Dense(scaled(DENSE_UNITS, width)).activation("relu"), rng));
        model.add(seeded(new Dense(classes).activation("softmax"), rng));
        return model.input(INPUT_SHAPE);                                      // builds: weights drawn in layer order
    }

    static int scaled(int units, double width) { return Math.max(1, (int) Math.round(units * width)); }

    static void checkWidth(String who, double width) {
        if (!(width > 0 && width <= 1))
            throw new IllegalArgumentException(who + ": width multiplier must be in (0, 1], got " + width);
    }

    static <L extends Layer> L seeded(L layer, Rng rng) {
        if (rng != null) layer.withRng(rng);
        return layer;
    }
}
