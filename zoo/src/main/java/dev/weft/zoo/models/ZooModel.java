package dev.weft.zoo.models;

import dev.weft.datasets.PixelScale;
import dev.weft.engine.Rng;
import dev.weft.nn.Layer;
import dev.weft.nn.Summary;
import dev.weft.nn.losses.BinaryCrossentropy;
import dev.weft.nn.losses.CategoricalCrossentropy;
import dev.weft.nn.losses.Loss;
import dev.weft.zoo.metrics.Metric;
import dev.weft.zoo.metrics.Metrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The zoo's networks by command-line name, each with the seed's training recipe: the dataset, the
 * input scaling, the batch size, the loss and the metrics. {@link #build} makes a fresh full-size
 * model; the classes {@link Vgg}, {@link ResNet}, {@link LstmSentiment} and {@link Vae} take more
 * options.
 */
public enum ZooModel {
    /** The seed's VGG (2-2-4-4-4) on CIFAR-100. */
    VGG("vgg", "the seed's VGG, 2-2-4-4-4 convolutions, CIFAR-100", Task.CIFAR100, 32),
    /** VGG11 (configuration A) on CIFAR-100. */
    VGG11("vgg11", "VGG11 (configuration A, 1-1-2-2-2), CIFAR-100", Task.CIFAR100, 32),
    /** VGG13 (configuration B) on CIFAR-100. */
    VGG13("vgg13", "VGG13 (configuration B, 2-2-2-2-2), CIFAR-100", Task.CIFAR100, 32),
    /** VGG16 (configuration D) on CIFAR-100. */
    VGG16("vgg16", "VGG16 (configuration D, 2-2-3-3-3), CIFAR-100", Task.CIFAR100, 32),
    /** VGG19 (configuration E) on CIFAR-100: the seed's layout. */
    VGG19("vgg19", "VGG19 (configuration E, 2-2-4-4-4: the seed's layout), CIFAR-100", Task.CIFAR100, 32),
    /** ResNet-18 on CIFAR-100. */
    RESNET18("resnet18", "ResNet-18, BasicBlocks [2,2,2,2], the seed's stem, CIFAR-100", Task.CIFAR100, 64),
    /** ResNet-34 on CIFAR-100. */
    RESNET34("resnet34", "ResNet-34, BasicBlocks [3,4,6,3], the seed's stem, CIFAR-100", Task.CIFAR100, 64),
    /** The two-layer LSTM sentiment classifier on IMDB. */
    LSTM("lstm", "Embedding(20000,100) + 2 x LSTM(64) sentiment classifier, IMDB", Task.IMDB, 64),
    /** The variational autoencoder on MNIST. */
    VAE("vae", "variational autoencoder 784-128-20, custom training loop, MNIST", Task.MNIST, 512);

    /** The data a model trains on. */
    public enum Task {
        /** CIFAR-100, 32x32x3, 100 fine classes. */
        CIFAR100,
        /** IMDB reviews, 20,000 words, length 100. */
        IMDB,
        /** MNIST digits, 28x28x1. */
        MNIST
    }

    private final String id;
    private final String description;
    private final Task task;
    private final int batchSize;

    ZooModel(String id, String description, Task task, int batchSize) {
        this.id = id;
        this.description = description;
        this.task = task;
        this.batchSize = batchSize;
    }

    /** The command-line name, e.g. {@code resnet18}. */
    public String id() { return id; }

    /** One line for help texts. */
    public String description() { return description; }

    /** The dataset. */
    public Task task() { return task; }

    /** The seed's batch size. */
    public int batchSize() { return batchSize; }

    /** True for the models trained on CIFAR-100 with {@code fit}. */
    public boolean isImageClassifier() { return task == Task.CIFAR100; }

    /** How pixels are scaled: [-1, 1] for VGG, [0, 1] for ResNet and the VAE (unused for IMDB). */
    public PixelScale pixelScale() {
        return id.startsWith("vgg") ? PixelScale.SYMMETRIC : PixelScale.UNIT;
    }

    /** Per-sample input shape. */
    public int[] inputShape() {
        switch (task) {
            case CIFAR100: return new int[] {32, 32, 3};
            case IMDB: return new int[] {LstmSentiment.MAXLEN};
            default: return new int[] {Vae.INPUT};
        }
    }

    /** A fresh full-size model, weights (and dropout masks / VAE noise) from generators seeded with {@code seed}. */
    public Layer build(long seed) {
        Rng rng = new Rng(seed);
        switch (this) {
            case VGG: return Vgg.build(Vgg.Config.SEED, rng);
            case VGG11: return Vgg.build(Vgg.Config.VGG11, rng);
            case VGG13: return Vgg.build(Vgg.Config.VGG13, rng);
            case VGG16: return Vgg.build(Vgg.Config.VGG16, rng);
            case VGG19: return Vgg.build(Vgg.Config.VGG19, rng);
            case RESNET18: return ResNet.build(ResNet.RESNET18, rng);
            case RESNET34: return ResNet.build(ResNet.RESNET34, rng);
            case LSTM: return LstmSentiment.build(rng);
            default: return new Vae(seed);
        }
    }

    /** Keras' {@code summary()} of a model built by {@link #build}. */
    public Summary summary(Layer model) {
        return Summary.of(model, inputShape());
    }

    /**
     * The seed's loss: categorical cross-entropy on softmax outputs (VGG), from logits (ResNet),
     * binary cross-entropy (LSTM); null for the VAE, whose loss is {@link Vae#loss}.
     */
    public Loss loss() {
        switch (task) {
            case CIFAR100: return new CategoricalCrossentropy(id.startsWith("resnet"));
            case IMDB: return new BinaryCrossentropy();
            default: return null;
        }
    }

    /** The metrics logged during training: accuracy (and top-5 accuracy on CIFAR-100); none for the VAE. */
    public Metric[] metrics() {
        switch (task) {
            case CIFAR100: return new Metric[] {Metrics.accuracy(), Metrics.topK(5)};
            case IMDB: return new Metric[] {Metrics.accuracy()};
            default: return new Metric[0];
        }
    }

    /** The model named {@code name} (case-insensitive); the exception lists the names. */
    public static ZooModel byName(String name) {
        if (name != null) {
            String n = name.toLowerCase(Locale.ROOT);
            for (ZooModel m : values()) if (m.id.equals(n)) return m;
        }
        throw new IllegalArgumentException("unknown model '" + name + "'; models: " + String.join(", ", names()));
    }

    /** The command-line names in order. */
    public static List<String> names() {
        List<String> out = new ArrayList<>();
        for (ZooModel m : values()) out.add(m.id);
        return out;
    }
}
