package dev.weft.datasets;

import dev.weft.datasets.cifar.Cifar;
import dev.weft.datasets.imdb.Imdb;
import dev.weft.datasets.imdb.ImdbData;
import dev.weft.datasets.imdb.ImdbOptions;
import dev.weft.datasets.io.ByteSource;
import dev.weft.datasets.mnist.Mnist;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * The real data samples bundled in the separate artifact {@code dev.weft:weft-samples}, read from the
 * class path, so every zoo model runs with no set-up:
 * <ul>
 *   <li>{@link #mnistTest()}: the full MNIST test set, 10,000 images (original t10k IDX .gz files);</li>
 *   <li>{@link #cifar10()}: the first 200 records of CIFAR-10's data_batch_1;</li>
 *   <li>{@link #cifar100Train()} / {@link #cifar100Test()}: 1,000 CIFAR-100 records each, 10 per fine class;</li>
 *   <li>{@link #imdb(ImdbOptions)}: 2,000 aclImdb reviews (ids 0..499 of train/test × pos/neg), streamed from the tarball.</li>
 * </ul>
 * Provenance, checksums and terms of use: {@code META-INF/NOTICE} in the samples jar. If the jar is
 * not on the class path, every method throws a {@link DatasetNotFoundException} saying which
 * dependency to add.
 */
public final class Samples {
    private Samples() {}

    /** The class-path folder of the samples. */
    public static final String ROOT = "dev/weft/samples/";

    /** Resource paths, relative to {@link #ROOT}. */
    public static final String MNIST_IMAGES = "mnist/t10k-images-idx3-ubyte.gz",
            MNIST_LABELS = "mnist/t10k-labels-idx1-ubyte.gz",
            CIFAR10 = "cifar-10/data_batch_1_first200.bin",
            CIFAR10_META = "cifar-10/batches.meta.txt",
            CIFAR100_TRAIN = "cifar-100/train_subset_10per_class.bin",
            CIFAR100_TEST = "cifar-100/test_subset_10per_class.bin",
            CIFAR100_FINE = "cifar-100/fine_label_names.txt",
            CIFAR100_COARSE = "cifar-100/coarse_label_names.txt",
            IMDB = "imdb/aclImdb_small.tar.gz";

    /** Whether the samples jar is on the class path. */
    public static boolean available() { return loader().getResource(ROOT + MNIST_LABELS) != null; }

    /** The MNIST test set: 10,000 images {@code [10000, 28, 28, 1]}, labels 0..9. */
    public static ImageSet mnistTest() throws IOException {
        return Mnist.read(resource(MNIST_IMAGES), resource(MNIST_LABELS), "MNIST test (sample)", Mnist.DIGITS);
    }

    /** The first 200 CIFAR-10 training images {@code [200, 32, 32, 3]}. */
    public static ImageSet cifar10() throws IOException {
        return Cifar.read10(List.of(resource(CIFAR10)), "CIFAR-10 train, first 200 (sample)", Cifar.readNames(resource(CIFAR10_META), 10));
    }

    /** 1,000 CIFAR-100 training images (10 per fine class) {@code [1000, 32, 32, 3]}, fine and coarse labels. */
    public static ImageSet cifar100Train() throws IOException { return cifar100(CIFAR100_TRAIN, "CIFAR-100 train, 10 per class (sample)"); }

    /** 1,000 CIFAR-100 test images (10 per fine class). */
    public static ImageSet cifar100Test() throws IOException { return cifar100(CIFAR100_TEST, "CIFAR-100 test, 10 per class (sample)"); }

    private static ImageSet cifar100(String file, String name) throws IOException {
        return Cifar.read100(List.of(resource(file)), name, Cifar.readNames(resource(CIFAR100_FINE), 100),
                Cifar.readNames(resource(CIFAR100_COARSE), 20));
    }

    /** 2,000 IMDB reviews: 1,000 train and 1,000 test, half positive; vocabulary from the 1,000 training reviews. */
    public static ImdbData imdb(ImdbOptions options) throws IOException {
        return Imdb.readTarball(resource(IMDB), options);
    }

    /**
     * A sample file as a {@link ByteSource} ({@code path} relative to {@link #ROOT}).
     *
     * @throws DatasetNotFoundException if the samples jar is not on the class path
     */
    public static ByteSource resource(String path) throws DatasetNotFoundException {
        return resource(path, loader());
    }

    /** {@link #resource(String)} from a given class loader. */
    static ByteSource resource(String path, ClassLoader cl) throws DatasetNotFoundException {
        String full = ROOT + path;
        if (cl.getResource(full) == null)
            throw new DatasetNotFoundException("Weft sample '" + path + "'", List.of("classpath:" + full), "",
                    "The samples ship in a separate jar: add the dependency dev.weft:weft-samples (same version as weft-datasets)"
                            + " to the class path, or read the full dataset from a data folder (DataLocator).");
        return ByteSource.resource(cl, full);
    }

    /** Opens a sample file's raw bytes. */
    public static InputStream open(String path) throws IOException { return resource(path).open(); }

    private static ClassLoader loader() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        if (cl != null && cl.getResource(ROOT + MNIST_LABELS) != null) return cl;
        ClassLoader own = Samples.class.getClassLoader();
        return own != null ? own : ClassLoader.getSystemClassLoader();
    }
}
