package dev.weft.datasets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where full datasets live on disk. Weft never downloads; the user puts the original files in a data
 * folder, chosen in this order:
 * <ol>
 *   <li>a folder given explicitly ({@link #of(Path)}, or a command-line option that calls it);</li>
 *   <li>the environment variable {@value #ENV};</li>
 *   <li>the default {@code ~/.weft/data}.</li>
 * </ol>
 * Files are recognised by their original names (e.g. {@code train-images-idx3-ubyte} or
 * {@code train-images-idx3-ubyte.gz}, {@code data_batch_1.bin}, {@code aclImdb_v1.tar.gz}), either
 * directly in the folder or in the sub-folder the official archive unpacks to (e.g.
 * {@code cifar-10-batches-bin/}). When nothing is found, {@link DatasetNotFoundException} lists every
 * path tried and the official source.
 */
public final class DataLocator {
    /** The environment variable naming the data folder. */
    public static final String ENV = "WEFT_DATA";

    private final Path root;
    private final String origin;

    private DataLocator(Path root, String origin) {
        this.root = root;
        this.origin = origin;
    }

    /** A locator for an explicitly given folder. */
    public static DataLocator of(Path folder) {
        return new DataLocator(Objects.requireNonNull(folder, "folder"), "given explicitly");
    }

    /** The folder from {@value #ENV} if set and non-empty, else {@code ~/.weft/data}. */
    public static DataLocator defaults() {
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) return new DataLocator(Paths.get(env), "from $" + ENV);
        return new DataLocator(Paths.get(System.getProperty("user.home"), ".weft", "data"), "default; set $" + ENV + " or pass a folder to change it");
    }

    /** {@link #of(Path)} if {@code folder} is non-null, else {@link #defaults()}. */
    public static DataLocator resolve(Path folder) {
        return folder != null ? of(folder) : defaults();
    }

    /**
     * The locator for command-line arguments: {@code --data <folder>} or {@code --data=<folder>}
     * selects the folder explicitly; without it, {@link #defaults()}.
     */
    public static DataLocator fromArgs(String... args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--data") && i + 1 < args.length) return of(Paths.get(args[i + 1]));
            if (args[i].startsWith("--data=")) return of(Paths.get(args[i].substring("--data=".length())));
        }
        return defaults();
    }

    /** The data folder. */
    public Path root() { return root; }

    /** How the folder was chosen (for messages). */
    public String origin() { return origin; }

    /** The candidate folders: {@code root/sub} for each sub ("" is the root itself), then {@code extra}. */
    public List<Path> folders(List<String> subfolders, List<Path> extra) {
        List<Path> out = new ArrayList<>();
        for (String s : subfolders) out.add(s.isEmpty() ? root : root.resolve(s));
        out.addAll(extra);
        return out;
    }

    /**
     * Finds one file: the first existing {@code folder/name} or {@code folder/name.gz} over the
     * candidate folders, or a {@link DatasetNotFoundException} listing all of them.
     */
    public Path find(String dataset, List<Path> folders, String name, String url) throws DatasetNotFoundException {
        List<String> tried = new ArrayList<>();
        Path hit = findOrNull(folders, name, tried);
        if (hit != null) return hit;
        throw notFound(dataset, tried, url);
    }

    /** Like {@link #find} but returns null when absent; appends the tried paths to {@code tried}. */
    public static Path findOrNull(List<Path> folders, String name, List<String> tried) {
        for (Path f : folders) {
            for (String n : new String[] {name, name + ".gz"}) {
                Path p = f.resolve(n);
                if (Files.isRegularFile(p)) return p;
                if (tried != null) tried.add(p.toString());
            }
        }
        return null;
    }

    /** The exception for missing files, mentioning the data folder and how it was chosen. */
    public DatasetNotFoundException notFound(String dataset, List<String> tried, String url) {
        return new DatasetNotFoundException(dataset, tried, url,
                "Data folder: " + root + " (" + origin + "). Files keep their original names; .gz versions are read too."
                        + " The bundled samples (dev.weft.datasets.Samples, artifact weft-samples) need no set-up.");
    }

    @Override public String toString() { return root + " (" + origin + ")"; }
}
