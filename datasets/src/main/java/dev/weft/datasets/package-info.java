/**
 * Weft's datasets: readers for the original file formats, text utilities, and a deterministic
 * input pipeline. Runtime dependency: the JDK (and weft-engine for tensors).
 *
 * <h2>Where the data comes from</h2>
 * <ul>
 *   <li>{@link dev.weft.datasets.Samples}: real samples bundled in the separate {@code weft-samples}
 *       jar (MNIST test set, 200 CIFAR-10 and 2x1,000 CIFAR-100 images, 2,000 IMDB reviews);</li>
 *   <li>{@link dev.weft.datasets.DataLocator}: full datasets from a data folder (explicit,
 *       {@code --data}, {@code $WEFT_DATA} or {@code ~/.weft/data}), files recognised by their
 *       original names; a {@link dev.weft.datasets.DatasetNotFoundException} lists what was looked
 *       for and where to download it.</li>
 * </ul>
 *
 * <h2>Readers</h2>
 * {@link dev.weft.datasets.mnist.Mnist} (MNIST, Fashion-MNIST; IDX, gz or not),
 * {@link dev.weft.datasets.cifar.Cifar} (CIFAR-10/100 binary files or the official tarballs),
 * {@link dev.weft.datasets.imdb.Imdb} (aclImdb folder or tarball, streamed). Images come back as an
 * {@link dev.weft.datasets.ImageSet} (uint8, {@code [n, H, W, C]}), reviews as a
 * {@link dev.weft.datasets.imdb.ReviewSet} of Keras-convention word ids.
 *
 * <h2>Errors</h2>
 * Bad content is always a {@link dev.weft.datasets.DatasetFormatException} (a checked
 * {@code IOException}) whose message starts with the file or archive entry: sizes are validated
 * before allocation, so lying headers cause neither {@code OutOfMemoryError} nor
 * {@code ArrayIndexOutOfBoundsException}.
 *
 * <h2>Pipeline</h2>
 * {@link dev.weft.datasets.pipeline.Dataset} (map, seeded shuffle, batch, prefetch) and
 * {@link dev.weft.datasets.pipeline.DataLoader}; randomness from {@code java.util.SplittableRandom}
 * seeded per epoch ({@link dev.weft.datasets.pipeline.Seeds}).
 */
package dev.weft.datasets;
