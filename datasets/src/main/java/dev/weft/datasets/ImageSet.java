package dev.weft.datasets;

import dev.weft.datasets.pipeline.Batch;
import dev.weft.datasets.pipeline.Dataset;
import dev.weft.datasets.pipeline.Example;
import dev.weft.engine.IntTensor;
import dev.weft.engine.Tensor;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A set of labelled 8-bit images held compactly as the files store them: one {@code byte[]} of
 * {@code [n, height, width, channels]} pixels (channels-last, like Keras) and an {@code int[]} of
 * labels, plus the class names. CIFAR-100 sets also carry coarse labels and names.
 *
 * <p>Pixels stay as bytes (a quarter of the float size); floats are made per example or per batch
 * with a {@link PixelScale}. {@link #slice} and {@link #select} return views that share the arrays,
 * so splitting never makes a second copy of the data.
 */
public final class ImageSet {
    private final String name;
    private final byte[] pixels;
    private final int[] labels;
    private final int[] coarse;
    private final List<String> classNames;
    private final List<String> coarseNames;
    private final int height, width, channels;
    /** Row i of this view is base row rows[i] when rows != null, else base row from + i. */
    private final int[] rows;
    private final int from, size;

    /**
     * Wraps arrays (not copied).
     *
     * @param pixels      {@code n * height * width * channels} bytes, row-major HWC per image
     * @param labels      {@code n} labels in {@code [0, classNames.size())}
     * @param coarse      CIFAR-100 coarse labels, or null
     * @param coarseNames names of the coarse classes, or null
     */
    public ImageSet(String name, byte[] pixels, int height, int width, int channels, int[] labels,
                    List<String> classNames, int[] coarse, List<String> coarseNames) {
        this.name = Objects.requireNonNull(name);
        if (height <= 0 || width <= 0 || channels <= 0) throw new IllegalArgumentException("bad image shape");
        if ((long) labels.length * height * width * channels != pixels.length)
            throw new IllegalArgumentException(labels.length + " labels do not match " + pixels.length + " pixel bytes");
        if (coarse != null && coarse.length != labels.length) throw new IllegalArgumentException("coarse labels length");
        this.pixels = pixels;
        this.labels = labels;
        this.coarse = coarse;
        this.classNames = List.copyOf(classNames);
        this.coarseNames = coarseNames == null ? null : List.copyOf(coarseNames);
        this.height = height;
        this.width = width;
        this.channels = channels;
        this.rows = null;
        this.from = 0;
        this.size = labels.length;
    }

    private ImageSet(ImageSet base, String name, int[] rows, int from, int size) {
        this.name = name;
        this.pixels = base.pixels;
        this.labels = base.labels;
        this.coarse = base.coarse;
        this.classNames = base.classNames;
        this.coarseNames = base.coarseNames;
        this.height = base.height;
        this.width = base.width;
        this.channels = base.channels;
        this.rows = rows;
        this.from = from;
        this.size = size;
    }

    /** A short description of where the images came from (e.g. "MNIST test"). */
    public String name() { return name; }
    /** Number of images. */
    public int size() { return size; }
    /** Image height in pixels. */
    public int height() { return height; }
    /** Image width in pixels. */
    public int width() { return width; }
    /** Channels per pixel (1 for MNIST, 3 for CIFAR). */
    public int channels() { return channels; }
    /** {@code [height, width, channels]}. */
    public int[] imageShape() { return new int[] {height, width, channels}; }
    /** Bytes (= values) per image. */
    public int imageSize() { return height * width * channels; }
    /** Number of classes ({@code classNames().size()}). */
    public int numClasses() { return classNames.size(); }
    /** Class names indexed by label. */
    public List<String> classNames() { return classNames; }
    /** Whether coarse (CIFAR-100 superclass) labels are present. */
    public boolean hasCoarseLabels() { return coarse != null; }
    /** Coarse class names, or an empty list. */
    public List<String> coarseClassNames() { return coarseNames == null ? List.of() : coarseNames; }

    private int base(int i) {
        Objects.checkIndex(i, size);
        return rows != null ? rows[i] : from + i;
    }

    /** The label of image {@code i}. */
    public int label(int i) { return labels[base(i)]; }

    /** The coarse label of image {@code i}; fails if there are none. */
    public int coarseLabel(int i) {
        if (coarse == null) throw new IllegalStateException(name + " has no coarse labels");
        return coarse[base(i)];
    }

    /** Pixel value 0..255 of image {@code i} at row {@code y}, column {@code x}, channel {@code c}. */
    public int pixel(int i, int y, int x, int c) {
        Objects.checkIndex(y, height);
        Objects.checkIndex(x, width);
        Objects.checkIndex(c, channels);
        return pixels[(int) ((long) base(i) * imageSize() + ((long) y * width + x) * channels + c)] & 0xFF;
    }

    /** A copy of image {@code i}'s raw bytes (HWC). */
    public byte[] imageBytes(int i) {
        int n = imageSize();
        long off = (long) base(i) * n;
        return Arrays.copyOfRange(pixels, (int) off, (int) off + n);
    }

    /** Writes image {@code i}, scaled, into {@code dst[off .. off + imageSize())}. */
    public void copyImage(int i, float[] dst, int off, PixelScale scale) {
        int n = imageSize();
        int src = Math.toIntExact((long) base(i) * n);
        switch (scale) {
            case UNIT: for (int k = 0; k < n; k++) dst[off + k] = (pixels[src + k] & 0xFF) / 255f; break;
            case SYMMETRIC: for (int k = 0; k < n; k++) dst[off + k] = (pixels[src + k] & 0xFF) / 127.5f - 1f; break;
            default: for (int k = 0; k < n; k++) dst[off + k] = pixels[src + k] & 0xFF;
        }
    }

    /** Image {@code i} as a new scaled float array (HWC). */
    public float[] image(int i, PixelScale scale) {
        float[] out = new float[imageSize()];
        copyImage(i, out, 0, scale);
        return out;
    }

    /** All images as one float tensor {@code [n, height, width, channels]} (allocates n·H·W·C floats). */
    public Tensor images(PixelScale scale) {
        long total = (long) size * imageSize();
        if (total > Integer.MAX_VALUE - 64) throw new IllegalStateException(name + ": too many values for one tensor; use batches");
        float[] out = new float[(int) total];
        for (int i = 0; i < size; i++) copyImage(i, out, i * imageSize(), scale);
        return Tensor.of(out, size, height, width, channels);
    }

    /** Images {@code [from, to)} as a float tensor {@code [to-from, H, W, C]}. */
    public Tensor images(int from, int to, PixelScale scale) { return slice(from, to).images(scale); }

    /** The labels as an int tensor {@code [n]} (a copy). */
    public IntTensor labels() { return IntTensor.of(labelArray(), size); }

    /** The labels as a new array. */
    public int[] labelArray() {
        int[] out = new int[size];
        for (int i = 0; i < size; i++) out[i] = labels[base(i)];
        return out;
    }

    /** The coarse labels as an int tensor {@code [n]}. */
    public IntTensor coarseLabels() {
        if (coarse == null) throw new IllegalStateException(name + " has no coarse labels");
        int[] out = new int[size];
        for (int i = 0; i < size; i++) out[i] = coarse[base(i)];
        return IntTensor.of(out, size);
    }

    /** How many images carry each label: {@code counts[label]}. */
    public int[] labelHistogram() {
        int[] h = new int[numClasses()];
        for (int i = 0; i < size; i++) h[labels[base(i)]]++;
        return h;
    }

    /** Images {@code [from, to)} as a view (no copy). */
    public ImageSet slice(int from, int to) {
        Objects.checkFromToIndex(from, to, size);
        if (rows != null) return new ImageSet(this, name, Arrays.copyOfRange(rows, from, to), 0, to - from);
        return new ImageSet(this, name, null, this.from + from, to - from);
    }

    /** The images at the given positions, in that order, as a view (no pixel copy). */
    public ImageSet select(int[] indices) {
        int[] r = new int[indices.length];
        for (int k = 0; k < indices.length; k++) r[k] = base(indices[k]);
        return new ImageSet(this, name, r, 0, r.length);
    }

    /** Splits into (train, validation) views. */
    public ImageSet[] split(TrainValSplit split) {
        return new ImageSet[] {select(split.train()), select(split.validation())};
    }

    /**
     * This set as a random-access pipeline source of {@link Example}s ({@code x} = scaled HWC floats,
     * {@code label}); combine with {@code shuffle}, {@code batch} and
     * {@link dev.weft.datasets.pipeline.Collate#images}.
     */
    public Dataset<Example> dataset(PixelScale scale) {
        return Dataset.indexed(size, i -> new Example(image(i, scale), label(i)));
    }

    /**
     * A collate function from example positions to a batch, reading the bytes straight into the batch
     * tensor (no per-example arrays): {@code Dataset.range(set.size()).shuffle(5000, seed).batch(32, false, set.collate(scale))}.
     */
    public Function<List<Integer>, Batch<Tensor>> collate(PixelScale scale) {
        return idx -> gather(idx, scale);
    }

    /** The images at the given positions as {@code Tensor [b, H, W, C]} with their labels {@code [b]}. */
    public Batch<Tensor> gather(List<Integer> positions, PixelScale scale) {
        int b = positions.size(), n = imageSize();
        float[] x = new float[Math.multiplyExact(b, n)];
        int[] y = new int[b];
        for (int k = 0; k < b; k++) {
            int i = positions.get(k);
            copyImage(i, x, k * n, scale);
            y[k] = label(i);
        }
        return new Batch<>(Tensor.of(x, b, height, width, channels), IntTensor.of(y, b));
    }

    @Override public String toString() {
        return name + ": " + size + " images " + height + "x" + width + "x" + channels + ", " + numClasses() + " classes";
    }
}
