package dev.weft.zoo.cli;

import dev.weft.datasets.DataLocator;
import dev.weft.datasets.ImageSet;
import dev.weft.datasets.Labels;
import dev.weft.datasets.PixelScale;
import dev.weft.datasets.Samples;
import dev.weft.datasets.Split;
import dev.weft.datasets.TrainValSplit;
import dev.weft.datasets.cifar.Cifar;
import dev.weft.datasets.imdb.Imdb;
import dev.weft.datasets.imdb.ImdbData;
import dev.weft.datasets.imdb.ImdbOptions;
import dev.weft.datasets.imdb.ReviewSet;
import dev.weft.datasets.mnist.Mnist;
import dev.weft.datasets.pipeline.Dataset;
import dev.weft.datasets.pipeline.Seeds;
import dev.weft.engine.Tensor;
import dev.weft.zoo.models.LstmSentiment;
import dev.weft.zoo.models.ZooModel;
import dev.weft.zoo.train.BatchSource;
import dev.weft.zoo.train.LabeledBatch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * The data each zoo model trains and is evaluated on, as {@link BatchSource}s built with the
 * datasets pipeline ({@code positions → shuffle(5000) → batch → collate}, as the seed's
 * {@code tf.data} code, after a one-time seeded shuffle as Keras' {@code load_data} does). Without a data folder the embedded samples are used; with one, the full datasets under
 * their original file names.
 *
 * <ul>
 *   <li>CIFAR-100 (VGG, ResNet): samples = 1,000 training and 1,000 test images (10 per class);
 *       full = 50,000 + 10,000. ResNet holds out a seeded 20% of the training images for
 *       validation (the seed's 80/20 split); VGG validates on the test images.</li>
 *   <li>IMDB (LSTM): samples = 1,000 training + 1,000 test reviews; full = 25,000 + 25,000.
 *       Seeded 80/20 split of the training reviews; batches of 64 with the remainder dropped.</li>
 *   <li>MNIST (VAE): samples = the 10,000 MNIST test images, the first 8,000 for training and the
 *       last 2,000 as the test set; full = 60,000 training + 10,000 test images.</li>
 * </ul>
 */
final class ZooData {
    private ZooData() {}

    /** Shuffle buffer, as the seed's {@code shuffle(5000)}. */
    static final int SHUFFLE_BUFFER = 5000;

    /**
     * Training, validation and test batches, a description for the log, and for the VAE the first
     * 100 test images {@code [100, 28, 28, 1]} for the reconstruction grid.
     */
    record Sets(BatchSource train, BatchSource validation, BatchSource test, String description, Tensor firstTestImages) {}

    static Sets load(ZooModel model, Path dataDir, int batchSize, long seed) throws IOException {
        switch (model.task()) {
            case CIFAR100: return cifar100(model, dataDir, batchSize, seed);
            case IMDB: return imdb(dataDir, batchSize, seed);
            default: return mnist(model, dataDir, batchSize, seed);
        }
    }

    private static Sets cifar100(ZooModel model, Path dataDir, int batchSize, long seed) throws IOException {
        ImageSet train, test;
        if (dataDir == null) {
            train = Samples.cifar100Train();
            test = Samples.cifar100Test();
        } else {
            DataLocator data = DataLocator.of(dataDir);
            train = Cifar.load100(data, Split.TRAIN);
            test = Cifar.load100(data, Split.TEST);
        }
        ImageSet fit = train, val = test;
        if (model.id().startsWith("resnet")) {
            ImageSet[] parts = train.split(TrainValSplit.shuffled(train.size(), 0.2, seed));
            fit = parts[0];
            val = parts[1];
        }
        PixelScale scale = model.pixelScale();
        int classes = train.numClasses();
        String desc = String.format("%s: %,d training, %,d validation, %,d test images", train.name(), fit.size(), val.size(), test.size());
        return new Sets(images(fit, scale, batchSize, true, seed, classes), images(val, scale, batchSize, false, seed, classes),
                images(test, scale, batchSize, false, seed, classes), desc, null);
    }

    private static Sets imdb(Path dataDir, int batchSize, long seed) throws IOException {
        ImdbOptions options = ImdbOptions.topWords(LstmSentiment.VOCAB);
        ImdbData data = dataDir == null ? Samples.imdb(options) : Imdb.load(DataLocator.of(dataDir), options);
        ReviewSet[] parts = data.train().split(TrainValSplit.shuffled(data.train().size(), 0.2, seed));
        String desc = String.format("%s: %,d training, %,d validation, %,d test reviews", data.train().name(), parts[0].size(),
                parts[1].size(), data.test().size());
        return new Sets(reviews(parts[0], batchSize, true, seed), reviews(parts[1], batchSize, false, seed),
                reviews(data.test(), batchSize, false, seed), desc, null);
    }

    private static Sets mnist(ZooModel model, Path dataDir, int batchSize, long seed) throws IOException {
        ImageSet train, test;
        if (dataDir == null) {
            ImageSet all = Samples.mnistTest();
            train = all.slice(0, 8000);
            test = all.slice(8000, all.size());
        } else {
            DataLocator data = DataLocator.of(dataDir);
            train = Mnist.load(data, Split.TRAIN);
            test = Mnist.load(data, Split.TEST);
        }
        String desc = String.format("%s: %,d training, %,d test images", dataDir == null ? "MNIST test set (sample)" : "MNIST",
                train.size(), test.size());
        BatchSource testBatches = images(test, model.pixelScale(), batchSize, false, seed, 0);
        return new Sets(images(train, model.pixelScale(), batchSize, true, seed, 0), testBatches, testBatches, desc,
                test.images(0, Math.min(100, test.size()), model.pixelScale()));
    }

    /** Image batches {@code [b, H, W, C]} with one-hot labels {@code [b, classes]} (no labels when {@code classes == 0}). */
    private static BatchSource images(ImageSet set, PixelScale scale, int batchSize, boolean train, long seed, int classes) {
        Dataset<LabeledBatch> batches = order(set.size(), train, seed).batch(batchSize, false, set.collate(scale))
                .map(b -> classes > 0 ? new LabeledBatch(b.x(), Labels.oneHot(b.y(), classes)) : LabeledBatch.of(b.x()));
        return source(train ? batches.prefetch(2) : batches);
    }

    /** Review batches: ids {@code [b, 100]} as floats, labels {@code [b, 1]}; training batches drop the remainder. */
    private static BatchSource reviews(ReviewSet set, int batchSize, boolean train, long seed) {
        Dataset<LabeledBatch> batches = order(set.size(), train, seed).batch(batchSize, train, set.collate(LstmSentiment.MAXLEN))
                .map(b -> new LabeledBatch(b.x().toFloat(), b.y().toFloat().reshape(b.size(), 1)));
        return source(train ? batches.prefetch(2) : batches);
    }

    /**
     * The example positions of one pass. Training: a seeded permutation fixed for the run (what
     * Keras' {@code load_data} does before anything else) followed by the seed's per-epoch
     * {@code shuffle(5000)}. The first step matters: the files are sorted (IMDB: all positive
     * reviews, then all negative; the CIFAR samples: by class), and a 5,000-element buffer alone
     * would feed whole runs of one class. Evaluation: in file order.
     */
    static Dataset<Integer> order(int n, boolean train, long seed) {
        if (!train) return Dataset.range(n);
        int[] perm = Seeds.permutation(n, new SplittableRandom(seed));
        return Dataset.indexed(n, i -> perm[i]).shuffle(SHUFFLE_BUFFER, seed);
    }

    private static BatchSource source(Dataset<LabeledBatch> batches) {
        return new BatchSource() {
            @Override public Iterator<LabeledBatch> open(int epoch) { return batches.open(epoch); }
            @Override public long size() { return batches.size(); }
        };
    }

    /** At most {@code max} batches of {@code source} per pass ({@code max <= 0}: all). */
    static BatchSource limit(BatchSource source, int max) {
        if (max <= 0) return source;
        return new BatchSource() {
            @Override public Iterator<LabeledBatch> open(int epoch) {
                Iterator<LabeledBatch> it = source.open(epoch);
                return new LimitedIterator(it, max);
            }
            @Override public long size() {
                long s = source.size();
                return s < 0 ? max : Math.min(s, max);
            }
        };
    }

    private static final class LimitedIterator implements Iterator<LabeledBatch>, AutoCloseable {
        private final Iterator<LabeledBatch> it;
        private int left;

        LimitedIterator(Iterator<LabeledBatch> it, int max) {
            this.it = it;
            this.left = max;
        }

        @Override public boolean hasNext() { return left > 0 && it.hasNext(); }

        @Override public LabeledBatch next() {
            if (!hasNext()) throw new NoSuchElementException();
            left--;
            return it.next();
        }

        @Override public void close() throws Exception {
            if (it instanceof AutoCloseable c) c.close();
        }
    }
}
