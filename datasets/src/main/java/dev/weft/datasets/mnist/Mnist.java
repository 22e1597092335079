package dev.weft.datasets.mnist;

import dev.weft.datasets.DataLocator;
import dev.weft.datasets.DatasetFormatException;
import dev.weft.datasets.ImageSet;
import dev.weft.datasets.Split;
import dev.weft.datasets.io.ByteSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * MNIST and Fashion-MNIST from their original IDX files (plain or {@code .gz}).
 *
 * <p>Files, by original name: {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
 * {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte}, each optionally with {@code .gz}.
 * MNIST is looked for in the data folder itself, then in {@code mnist/} and {@code MNIST/raw/};
 * Fashion-MNIST in {@code fashion-mnist/}, {@code fashion_mnist/}, {@code FashionMNIST/raw/} and the
 * Debian package's {@code /usr/share/datasets/fashion-mnist/}.
 *
 * <p>Result: an {@link ImageSet} of 28x28x1 images (shape {@code [n, 28, 28, 1]}, channels-last)
 * with labels 0..9; every label is checked to be below 10.
 */
public final class Mnist {
    private Mnist() {}

    /** The official MNIST page (the files are also mirrored at https://ossci-datasets.s3.amazonaws.com/mnist/). */
    public static final String MNIST_URL = "http://yann.lecun.com/exdb/mnist/ (mirror: https://ossci-datasets.s3.amazonaws.com/mnist/)";
    /** The official Fashion-MNIST source (or Debian: apt-get install dataset-fashion-mnist). */
    public static final String FASHION_URL = "https://github.com/zalandoresearch/fashion-mnist (files: http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/; Debian: apt-get install dataset-fashion-mnist)";

    /** MNIST class names: the digits "0".."9". */
    public static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    /** Fashion-MNIST class names, as published by Zalando Research. */
    public static final List<String> FASHION_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** The original file-name stem of the images of a split ({@code train-images-idx3-ubyte} / {@code t10k-...}). */
    public static String imagesFile(Split split) { return (split == Split.TRAIN ? "train" : "t10k") + "-images-idx3-ubyte"; }
    /** The original file-name stem of the labels of a split. */
    public static String labelsFile(Split split) { return (split == Split.TRAIN ? "train" : "t10k") + "-labels-idx1-ubyte"; }

    /** Loads an MNIST split from the data folder. */
    public static ImageSet load(DataLocator data, Split split) throws IOException {
        List<Path> folders = data.folders(List.of("", "mnist", "MNIST/raw", "mnist/MNIST/raw"), List.of());
        return loadFrom(data, folders, split, "MNIST", DIGITS, MNIST_URL);
    }

    /** Loads a Fashion-MNIST split from the data folder (or the Debian package's folder). */
    public static ImageSet loadFashion(DataLocator data, Split split) throws IOException {
        List<Path> folders = data.folders(List.of("fashion-mnist", "fashion_mnist", "FashionMNIST/raw", "fashion-mnist/FashionMNIST/raw"),
                List.of(Path.of("/usr/share/datasets/fashion-mnist")));
        return loadFrom(data, folders, split, "Fashion-MNIST", FASHION_CLASSES, FASHION_URL);
    }

    private static ImageSet loadFrom(DataLocator data, List<Path> folders, Split split, String dataset,
                                     List<String> names, String url) throws IOException {
        List<String> tried = new ArrayList<>();
        Path img = DataLocator.findOrNull(folders, imagesFile(split), tried);
        Path lab = DataLocator.findOrNull(folders, labelsFile(split), tried);
        if (img == null || lab == null) throw data.notFound(dataset + " " + split.name().toLowerCase(), tried, url);
        return read(ByteSource.of(img), ByteSource.of(lab), dataset + " " + split.name().toLowerCase(), names);
    }

    /**
     * Reads an images file and a labels file into an {@link ImageSet}.
     *
     * @throws DatasetFormatException if either file is malformed, the counts differ, or a label is not below {@code classNames.size()}
     */
    public static ImageSet read(ByteSource images, ByteSource labels, String name, List<String> classNames) throws IOException {
        Idx.Array im = Idx.read(images, 3);
        Idx.Array lb = Idx.read(labels, 1);
        int n = im.dims()[0];
        if (lb.dims()[0] != n)
            throw new DatasetFormatException(labels.name(), "holds " + lb.dims()[0] + " labels but " + images.name() + " holds " + n + " images");
        int[] y = new int[n];
        byte[] raw = lb.data();
        for (int i = 0; i < n; i++) {
            int v = raw[i] & 0xFF;
            if (v >= classNames.size())
                throw new DatasetFormatException(labels.name(), "label " + v + " at index " + i + " is out of range 0.." + (classNames.size() - 1));
            y[i] = v;
        }
        return new ImageSet(name, im.data(), im.dims()[1], im.dims()[2], 1, y, classNames, null, null);
    }
}
