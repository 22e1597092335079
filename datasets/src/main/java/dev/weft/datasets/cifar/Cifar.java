package dev.weft.datasets.cifar;

import dev.weft.datasets.DataLocator;
import dev.weft.datasets.DatasetFormatException;
import dev.weft.datasets.ImageSet;
import dev.weft.datasets.Split;
import dev.weft.datasets.io.ByteSource;
import dev.weft.datasets.io.Inputs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * CIFAR-10 and CIFAR-100 from the "binary version" files (plain or gzipped).
 *
 * <p>Record formats: CIFAR-10 = 1 label byte + 3072 pixel bytes; CIFAR-100 = coarse label byte +
 * fine label byte + 3072 pixel bytes. Pixels are stored as planes (1024 R, 1024 G, 1024 B, each 32x32
 * row-major) and are converted while reading to channels-last {@code [n, 32, 32, 3]}.
 *
 * <p>Files, by original name: CIFAR-10 {@code data_batch_1.bin} .. {@code data_batch_5.bin} (train),
 * {@code test_batch.bin} (test), {@code batches.meta.txt} (names) in the data folder, in
 * {@code cifar-10-batches-bin/} or {@code cifar-10/cifar-10-batches-bin/}; CIFAR-100 {@code train.bin},
 * {@code test.bin}, {@code fine_label_names.txt}, {@code coarse_label_names.txt} in
 * {@code cifar-100-binary/} or {@code cifar-100/cifar-100-binary/}. Class-name files are optional:
 * when absent the official names ({@link #CIFAR10_CLASSES}, {@link #CIFAR100_FINE},
 * {@link #CIFAR100_COARSE}) are used. The official archives {@code cifar-10-binary.tar.gz} and
 * {@code cifar-100-binary.tar.gz} are also read directly, without unpacking ({@link #readTarball}).
 *
 * <p>Checks: a plain file's length must be a positive multiple of the record size (before any
 * allocation); a gzipped file must end on a record boundary; labels must be below 10 (CIFAR-10),
 * 100 (fine) and 20 (coarse).
 */
public final class Cifar {
    private Cifar() {}

    /** Official page; binary archives: cifar-10-binary.tar.gz and cifar-100-binary.tar.gz (unpack them). */
    public static final String URL = "https://www.cs.toronto.edu/~kriz/cifar.html (https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz, https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz)";

    /** Pixel bytes per image (32 x 32 x 3). */
    public static final int PIXELS = 3072;

    /** The ten CIFAR-10 class names in label order. */
    public static final List<String> CIFAR10_CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer",
            "dog", "frog", "horse", "ship", "truck");

    /** The 100 CIFAR-100 fine class names in label order. */
    public static final List<String> CIFAR100_FINE = List.of(
            "apple", "aquarium_fish", "baby", "bear", "beaver", "bed", "bee", "beetle", "bicycle", "bottle",
            "bowl", "boy", "bridge", "bus", "butterfly", "camel", "can", "castle", "caterpillar", "cattle",
            "chair", "chimpanzee", "clock", "cloud", "cockroach", "couch", "crab", "crocodile", "cup", "dinosaur",
            "dolphin", "elephant", "flatfish", "forest", "fox", "girl", "hamster", "house", "kangaroo", "keyboard",
            "lamp", "lawn_mower", "leopard", "lion", "lizard", "lobster", "man", "maple_tree", "motorcycle", "mountain",
            "mouse", "mushroom", "oak_tree", "orange", "orchid", "otter", "palm_tree", "pear", "pickup_truck", "pine_tree",
            "plain", "plate", "poppy", "porcupine", "possum", "rabbit", "raccoon", "ray", "road", "rocket",
            "rose", "sea", "seal", "shark", "shrew", "skunk", "skyscraper", "snail", "snake", "spider",
            "squirrel", "streetcar", "sunflower", "sweet_pepper", "table", "tank", "telephone", "television", "tiger", "tractor",
            "train", "trout", "tulip", "turtle", "wardrobe", "whale", "willow_tree", "wolf", "woman", "worm");

    /** The 20 CIFAR-100 coarse (superclass) names in label order. */
    public static final List<String> CIFAR100_COARSE = List.of(
            "aquatic_mammals", "fish", "flowers", "food_containers", "fruit_and_vegetables",
            "household_electrical_devices", "household_furniture", "insects", "large_carnivores",
            "large_man-made_outdoor_things", "large_natural_outdoor_scenes", "large_omnivores_and_herbivores",
            "medium_mammals", "non-insect_invertebrates", "people", "reptiles", "small_mammals", "trees",
            "vehicles_1", "vehicles_2");

    // ------------------------------------------------------------------ loading from the data folder

    /** Loads CIFAR-10 train (all five batches) or test from the data folder. */
    public static ImageSet load10(DataLocator data, Split split) throws IOException {
        List<Path> folders = data.folders(List.of("", "cifar-10-batches-bin", "cifar-10/cifar-10-batches-bin", "cifar-10"), List.of());
        List<String> names = split == Split.TRAIN
                ? List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin")
                : List.of("test_batch.bin");
        List<String> tried = new ArrayList<>();
        List<ByteSource> files = new ArrayList<>();
        boolean missing = false;
        for (String n : names) {
            Path p = DataLocator.findOrNull(folders, n, tried);
            if (p == null) missing = true; else files.add(ByteSource.of(p));
        }
        if (missing) {
            Path tar = DataLocator.findOrNull(data.folders(List.of("", "cifar-10"), List.of()), "cifar-10-binary.tar", tried);
            if (tar != null) return readTarball(ByteSource.of(tar), split, false);
            throw data.notFound("CIFAR-10 " + split.name().toLowerCase(), tried, URL);
        }
        Path meta = DataLocator.findOrNull(folders, "batches.meta.txt", null);
        List<String> classes = meta == null ? CIFAR10_CLASSES : readNames(ByteSource.of(meta), 10);
        return read10(files, "CIFAR-10 " + split.name().toLowerCase(), classes);
    }

    /** Loads CIFAR-100 train or test from the data folder. */
    public static ImageSet load100(DataLocator data, Split split) throws IOException {
        List<Path> folders = data.folders(List.of("cifar-100-binary", "cifar-100/cifar-100-binary", "cifar-100"), List.of());
        List<String> tried = new ArrayList<>();
        Path p = DataLocator.findOrNull(folders, split == Split.TRAIN ? "train.bin" : "test.bin", tried);
        if (p == null) {
            Path tar = DataLocator.findOrNull(data.folders(List.of("", "cifar-100"), List.of()), "cifar-100-binary.tar", tried);
            if (tar != null) return readTarball(ByteSource.of(tar), split, true);
            throw data.notFound("CIFAR-100 " + split.name().toLowerCase(), tried, URL);
        }
        Path fine = DataLocator.findOrNull(folders, "fine_label_names.txt", null);
        Path coarse = DataLocator.findOrNull(folders, "coarse_label_names.txt", null);
        return read100(List.of(ByteSource.of(p)), "CIFAR-100 " + split.name().toLowerCase(),
                fine == null ? CIFAR100_FINE : readNames(ByteSource.of(fine), 100),
                coarse == null ? CIFAR100_COARSE : readNames(ByteSource.of(coarse), 20));
    }

    // ------------------------------------------------------------------ readers

    /** Reads CIFAR-10 record files, in order, into one set. */
    public static ImageSet read10(List<ByteSource> files, String name, List<String> classes) throws IOException {
        if (classes.size() != 10) throw new IllegalArgumentException("CIFAR-10 has 10 classes");
        Records r = readRecords(files, false);
        return new ImageSet(name, r.pixels, 32, 32, 3, r.fine, classes, null, null);
    }

    /** Reads CIFAR-100 record files, in order, into one set with fine labels and coarse labels. */
    public static ImageSet read100(List<ByteSource> files, String name, List<String> fine, List<String> coarse) throws IOException {
        if (fine.size() != 100 || coarse.size() != 20) throw new IllegalArgumentException("CIFAR-100 has 100 fine and 20 coarse classes");
        Records r = readRecords(files, true);
        return new ImageSet(name, r.pixels, 32, 32, 3, r.fine, fine, r.coarse, coarse);
    }

    private record Records(byte[] pixels, int[] fine, int[] coarse) {}

    /**
     * Reads a split straight from the official archive {@code cifar-10-binary.tar.gz} or
     * {@code cifar-100-binary.tar.gz} (or the plain {@code .tar}), with nothing extracted: a first
     * streaming pass learns the record files' sizes (and reads the class-name files), a second fills
     * one exactly-sized array in the official file order (data_batch_1..5).
     *
     * @param hundred true for CIFAR-100
     */
    public static ImageSet readTarball(ByteSource tarball, Split split, boolean hundred) throws IOException {
        List<String> wanted = hundred ? List.of(split == Split.TRAIN ? "train.bin" : "test.bin")
                : split == Split.TRAIN ? List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin")
                : List.of("test_batch.bin");
        int rec = (hundred ? 2 : 1) + PIXELS;
        String arch = tarball.name();
        long[] sizes = new long[wanted.size()];
        java.util.Map<String, byte[]> nameFiles = new java.util.HashMap<>();
        List<String> nameFileNames = hundred ? List.of("fine_label_names.txt", "coarse_label_names.txt") : List.of("batches.meta.txt");
        try (dev.weft.datasets.io.TarReader tar = new dev.weft.datasets.io.TarReader(Inputs.open(tarball).stream(), arch)) {
            dev.weft.datasets.io.TarReader.Entry e;
            while ((e = tar.next()) != null) {
                if (!e.isFile()) continue;
                String base = e.name().substring(e.name().lastIndexOf('/') + 1);
                int k = wanted.indexOf(base);
                if (k >= 0) {
                    if (sizes[k] != 0) throw new DatasetFormatException(tar.where(), "second copy of " + base + " in the archive");
                    if (e.size() == 0 || e.size() % rec != 0)
                        throw new DatasetFormatException(tar.where(), e.size() + " bytes is not a whole number of " + rec + "-byte records");
                    sizes[k] = e.size();
                } else if (nameFileNames.contains(base)) {
                    nameFiles.put(base, tar.readEntry(1 << 16));
                }
            }
        } catch (IOException ex) {
            throw Inputs.wrap(ex, arch);
        }
        long total = 0;
        long[] start = new long[sizes.length];
        for (int k = 0; k < sizes.length; k++) {
            if (sizes[k] == 0) throw new DatasetFormatException(arch, "the archive holds no " + wanted.get(k) + " (is it the binary version?)");
            start[k] = total;
            total += sizes[k] / rec;
        }
        if (total > Inputs.MAX_ARRAY / PIXELS) throw new DatasetFormatException(arch, "too many records for one array: " + total);
        int n = (int) total;
        Records r = new Records(new byte[n * PIXELS], new int[n], hundred ? new int[n] : null);
        boolean[] done = new boolean[sizes.length];
        byte[] buf = new byte[rec];
        try (dev.weft.datasets.io.TarReader tar = new dev.weft.datasets.io.TarReader(Inputs.open(tarball).stream(), arch)) {
            dev.weft.datasets.io.TarReader.Entry e;
            while ((e = tar.next()) != null) {
                if (!e.isFile()) continue;
                int k = wanted.indexOf(e.name().substring(e.name().lastIndexOf('/') + 1));
                if (k < 0) continue;
                if (done[k] || e.size() != sizes[k]) throw new DatasetFormatException(tar.where(), "the archive changed while it was read");
                InputStream in = tar.entryStream();
                int count = (int) (sizes[k] / rec);
                for (int j = 0; j < count; j++) {
                    Inputs.readFully(in, buf, 0, rec, tar.where(), "record " + j);
                    putRecord(buf, hundred, r, (int) start[k] + j, tar.where(), j);
                }
                done[k] = true;
            }
        } catch (IOException ex) {
            throw Inputs.wrap(ex, arch);
        }
        for (int k = 0; k < done.length; k++)
            if (!done[k]) throw new DatasetFormatException(arch, "the archive changed while it was read (" + wanted.get(k) + " missing)");
        String name = (hundred ? "CIFAR-100 " : "CIFAR-10 ") + split.name().toLowerCase();
        if (hundred) {
            byte[] f = nameFiles.get("fine_label_names.txt"), c = nameFiles.get("coarse_label_names.txt");
            return new ImageSet(name, r.pixels, 32, 32, 3, r.fine,
                    f == null ? CIFAR100_FINE : readNames(ByteSource.of(arch + "!fine_label_names.txt", f), 100), r.coarse,
                    c == null ? CIFAR100_COARSE : readNames(ByteSource.of(arch + "!coarse_label_names.txt", c), 20));
        }
        byte[] m = nameFiles.get("batches.meta.txt");
        return new ImageSet(name, r.pixels, 32, 32, 3, r.fine,
                m == null ? CIFAR10_CLASSES : readNames(ByteSource.of(arch + "!batches.meta.txt", m), 10), null, null);
    }

    /** Checks one record's labels and stores it (pixels to HWC) at position {@code at}. */
    private static void putRecord(byte[] buf, boolean hundred, Records r, int at, String name, int inFile) throws DatasetFormatException {
        if (hundred) {
            int c = buf[0] & 0xFF, fl = buf[1] & 0xFF;
            if (c >= 20) throw new DatasetFormatException(name, "coarse label " + c + " in record " + inFile + " is out of range 0..19");
            if (fl >= 100) throw new DatasetFormatException(name, "fine label " + fl + " in record " + inFile + " is out of range 0..99");
            r.coarse[at] = c;
            r.fine[at] = fl;
        } else {
            int l = buf[0] & 0xFF;
            if (l >= 10) throw new DatasetFormatException(name, "label " + l + " in record " + inFile + " is out of range 0..9");
            r.fine[at] = l;
        }
        planesToHwc(buf, hundred ? 2 : 1, r.pixels, at * PIXELS);
    }

    private static Records readRecords(List<ByteSource> files, boolean hundred) throws IOException {
        if (files.isEmpty()) throw new IllegalArgumentException("no files");
        int labelBytes = hundred ? 2 : 1;
        int rec = labelBytes + PIXELS;
        long known = 0;
        for (ByteSource f : files) {
            long len = f.length();
            if (len < 0 || isGzip(f)) { known = -1; break; }
            if (len == 0) throw new DatasetFormatException(f.name(), "empty file");
            if (len % rec != 0)
                throw new DatasetFormatException(f.name(), len + " bytes is not a whole number of " + rec + "-byte "
                        + (hundred ? "CIFAR-100" : "CIFAR-10") + " records (truncated or not a CIFAR file)");
            known += len / rec;
        }
        if (known > (Inputs.MAX_ARRAY / PIXELS))
            throw new DatasetFormatException(files.get(0).name(), "too many records for one array: " + known);
        int cap = known >= 0 ? (int) known : 1024;
        byte[] pixels = new byte[Math.multiplyExact(cap, PIXELS)];
        int[] fine = new int[cap];
        int[] coarse = hundred ? new int[cap] : null;
        int n = 0;
        byte[] buf = new byte[rec];
        for (ByteSource f : files) {
            String name = f.name();
            int inFile = 0;
            try (InputStream in = Inputs.open(f).stream()) {
                while (true) {
                    int got = Inputs.readUpTo(in, buf, 0, rec);
                    if (got == 0) break;
                    if (got < rec)
                        throw new DatasetFormatException(name, "truncated: file ends inside record " + inFile + " (" + got + " of " + rec + " bytes)");
                    if (n == cap) {
                        if (known >= 0) throw new DatasetFormatException(name, "more records than its length announced");
                        long grown = Math.min(2L * cap, Inputs.MAX_ARRAY / PIXELS);
                        if (grown <= cap) throw new DatasetFormatException(name, "too many records for one array");
                        cap = (int) grown;
                        pixels = Arrays.copyOf(pixels, cap * PIXELS);
                        fine = Arrays.copyOf(fine, cap);
                        if (coarse != null) coarse = Arrays.copyOf(coarse, cap);
                    }
                    if (hundred) {
                        int c = buf[0] & 0xFF, fl = buf[1] & 0xFF;
                        if (c >= 20) throw new DatasetFormatException(name, "coarse label " + c + " in record " + inFile + " is out of range 0..19");
                        if (fl >= 100) throw new DatasetFormatException(name, "fine label " + fl + " in record " + inFile + " is out of range 0..99");
                        coarse[n] = c;
                        fine[n] = fl;
                    } else {
                        int l = buf[0] & 0xFF;
                        if (l >= 10) throw new DatasetFormatException(name, "label " + l + " in record " + inFile + " is out of range 0..9");
                        fine[n] = l;
                    }
                    planesToHwc(buf, labelBytes, pixels, n * PIXELS);
                    n++;
                    inFile++;
                }
            } catch (IOException e) {
                throw Inputs.wrap(e, name);
            }
            if (inFile == 0) throw new DatasetFormatException(name, "no records (empty file)");
        }
        if (n != cap) {
            pixels = Arrays.copyOf(pixels, n * PIXELS);
            fine = Arrays.copyOf(fine, n);
            if (coarse != null) coarse = Arrays.copyOf(coarse, n);
        }
        return new Records(pixels, fine, coarse);
    }

    /** R, G, B planes of 1024 bytes each to interleaved HWC. */
    static void planesToHwc(byte[] src, int off, byte[] dst, int dstOff) {
        for (int p = 0; p < 1024; p++) {
            int d = dstOff + 3 * p;
            dst[d] = src[off + p];
            dst[d + 1] = src[off + 1024 + p];
            dst[d + 2] = src[off + 2048 + p];
        }
    }

    private static boolean isGzip(ByteSource f) throws IOException {
        try (InputStream in = f.open()) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    /**
     * Reads a class-names file: UTF-8, one name per line (blank lines ignored, trailing newline optional).
     *
     * @throws DatasetFormatException if it is not UTF-8, larger than 64 KiB, or does not hold exactly {@code expected} names
     */
    public static List<String> readNames(ByteSource src, int expected) throws IOException {
        byte[] bytes;
        try (InputStream in = Inputs.open(src).stream()) {
            bytes = new byte[1 << 16];
            int n = Inputs.readUpTo(in, bytes, 0, bytes.length);
            if (n == bytes.length && in.read() >= 0) throw new DatasetFormatException(src.name(), "larger than 64 KiB: not a class-names file");
            bytes = Arrays.copyOf(bytes, n);
        } catch (IOException e) {
            throw Inputs.wrap(e, src.name());
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new DatasetFormatException(src.name(), "not valid UTF-8 text", e);
        }
        List<String> names = new ArrayList<>();
        for (String line : text.split("\r?\n")) {
            String t = line.strip();
            if (!t.isEmpty()) names.add(t);
        }
        if (names.size() != expected)
            throw new DatasetFormatException(src.name(), "holds " + names.size() + " class names, expected " + expected);
        return List.copyOf(names);
    }
}
