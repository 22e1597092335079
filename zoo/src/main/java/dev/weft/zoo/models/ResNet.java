package dev.weft.zoo.models;

import static dev.weft.zoo.models.Vgg.scaled;
import static dev.weft.zoo.models.Vgg.seeded;

import dev.weft.engine.Rng;
import dev.weft.nn.Model;
import dev.weft.nn.Symbolic;
import dev.weft.nn.layers.Activation;
import dev.weft.nn.layers.Add;
import dev.weft.nn.layers.BatchNormalization;
import dev.weft.nn.layers.Conv2D;
import dev.weft.nn.layers.Dense;
import dev.weft.nn.layers.GlobalAveragePooling2D;
import dev.weft.nn.layers.MaxPooling2D;
import java.util.Arrays;

/**
 * ResNet with BasicBlocks for CIFAR-100, built from {@code layer_dims} with the functional API (the
 * shortcut is a second path through the graph that an {@link Add} merges).
 *
 * <pre>
 *   stem:   conv 3x3, 64, stride 1, valid (32 → 30) → BN → ReLU → maxpool 2x2 stride 1 same (stays 30)
 *   stages: 64, 128, 256, 512 filters, layerDims[s] BasicBlocks each; the first block of stages 2-4
 *           has stride 2 (30 → 15 → 8 → 4)
 *   head:   global average pool → Dense 100 (logits)
 *
 *   BasicBlock(filters, s):  y = BN(conv3x3(ReLU(BN(conv3x3_s(x)))))      (both convs 'same')
 *                            shortcut = conv1x1_s(x) without BN if s ≠ 1, else x
 *                            out = ReLU(y + shortcut)
 * </pre>
 *
 * Training recipe (the seed's): inputs scaled to [0, 1], categorical cross-entropy from logits on
 * one-hot labels, Adam with Keras defaults, batch 64, 80/20 train/validation split. ResNet-18 is
 * {@link #RESNET18} = [2, 2, 2, 2], ResNet-34 {@link #RESNET34} = [3, 4, 6, 3], by the same code.
 */
public final class ResNet {
    private ResNet() {}

    /** ResNet-18's blocks per stage. */
    public static final int[] RESNET18 = {2, 2, 2, 2};
    /** ResNet-34's blocks per stage. */
    public static final int[] RESNET34 = {3, 4, 6, 3};
    /** Filters of the four stages. */
    public static final int[] FILTERS = {64, 128, 256, 512};
    /** CIFAR-100 classes. */
    public static final int CLASSES = 100;
    /** Per-sample input shape {@code [32, 32, 3]}. */
    public static final int[] INPUT_SHAPE = {32, 32, 3};

    /** The full-size network with {@code layerDims} blocks per stage and 100 logits. */
    public static Model build(int[] layerDims, Rng rng) {
        return build(layerDims, 1.0, CLASSES, rng);
    }

    /**
     * A ResNet with {@code layerDims[s]} BasicBlocks in stage {@code s} (four stages), every filter
     * count multiplied by {@code width} (at least 1), and {@code classes} logits; input 32x32x3.
     */
    public static Model build(int[] layerDims, double width, int classes, Rng rng) {
        if (layerDims == null || layerDims.length != FILTERS.length)
            throw new IllegalArgumentException("ResNet: layerDims needs " + FILTERS.length + " entries, got " + Arrays.toString(layerDims));
        for (int d : layerDims)
            if (d < 1) throw new IllegalArgumentException("ResNet: every stage needs at least one block, got " + Arrays.toString(layerDims));
        Vgg.checkWidth("ResNet", width);
        if (classes < 1) throw new IllegalArgumentException("ResNet: classes must be >= 1, got " + classes);

        Symbolic in = Symbolic.input("input_layer", INPUT_SHAPE);              // [N, 32, 32, 3]
        Symbolic x = seeded(new Conv2D(scaled(64, width), 3), rng).call(in);     // valid: [N, 30, 30, 64]
        x = new BatchNormalization().call(x);
        x = new Activation("relu").call(x);
        x = new MaxPooling2D(2).strides(1).padding("same").call(x);            // stays [N, 30, 30, 64]
        for (int stage = 0; stage < FILTERS.length; stage++) {
            int filters = scaled(FILTERS[stage], width);
            for (int b = 0; b < layerDims[stage]; b++) {
                int stride = stage > 0 && b == 0 ? 2 : 1;                       // 30 → 15 → 8 → 4
                x = basicBlock(x, filters, stride, rng);
            }
        }
        x = new GlobalAveragePooling2D().call(x);                               // [N, 512]
        Symbolic logits = seeded(new Dense(classes), rng).call(x);              // [N, 100], no softmax
        Model model = new Model(in, logits);
        return (Model) model.named(Arrays.equals(layerDims, RESNET18) ? "resnet18" : Arrays.equals(layerDims, RESNET34) ? "resnet34" : "resnet");
    }

    /** One BasicBlock on {@code x} ({@code [N, H, W, C]} → {@code [N, ceil(H/s), ceil(W/s), filters]}). */
    static Symbolic basicBlock(Symbolic x, int filters, int stride, Rng rng) {
        Symbolic y = seeded(new Conv2D(filters, 3).strides(stride).padding("same"), rng).call(x);
        y = new BatchNormalization().call(y);
        y = new Activation("relu").call(y);
        y = seeded(new Conv2D(filters, 3).padding("same"), rng).call(y);
        y = new BatchNormalization().call(y);
        // the seed's shortcut: a strided 1x1 projection (no BN) when the block downsamples
        Symbolic shortcut = stride != 1 ? seeded(new Conv2D(filters, 1).strides(stride), rng).call(x) : x;
        return new Activation("relu").call(new Add().call(y, shortcut));
    }
}
