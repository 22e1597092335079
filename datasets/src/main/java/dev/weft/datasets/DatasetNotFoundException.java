package dev.weft.datasets;

import java.util.List;

/**
 * The files of a dataset were not found. The message lists every path that was tried, the data
 * folders searched and how they were chosen, and the official source to download the files from
 * (Weft never downloads anything itself).
 */
public class DatasetNotFoundException extends DatasetException {
    private static final long serialVersionUID = 1L;

    private final String dataset;
    private final List<String> lookedFor;
    private final String sourceUrl;

    /**
     * @param dataset   the dataset's name, e.g. "MNIST"
     * @param lookedFor the paths (or resources) tried, in order
     * @param sourceUrl where to get the files
     * @param hint      extra advice appended to the message (may be empty)
     */
    public DatasetNotFoundException(String dataset, List<String> lookedFor, String sourceUrl, String hint) {
        super(message(dataset, lookedFor, sourceUrl, hint));
        this.dataset = dataset;
        this.lookedFor = List.copyOf(lookedFor);
        this.sourceUrl = sourceUrl;
    }

    private static String message(String dataset, List<String> lookedFor, String url, String hint) {
        StringBuilder sb = new StringBuilder(dataset).append(" not found. Looked for:");
        for (String p : lookedFor) sb.append("\n  ").append(p);
        if (url != null && !url.isEmpty()) sb.append("\nGet the files from ").append(url);
        if (hint != null && !hint.isEmpty()) sb.append("\n").append(hint);
        return sb.toString();
    }

    /** The dataset's name. */
    public String dataset() { return dataset; }

    /** The paths or resources that were tried. */
    public List<String> lookedFor() { return lookedFor; }

    /** The official source of the files. */
    public String sourceUrl() { return sourceUrl; }
}
