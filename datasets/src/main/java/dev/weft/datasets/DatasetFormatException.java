package dev.weft.datasets;

/**
 * A dataset file exists but cannot be read as what it claims to be: wrong magic number, truncated
 * data, a header whose sizes disagree with the file, absurd dimensions, a corrupt gzip or tar stream,
 * a label out of range, a review that is not UTF-8, an empty folder.
 *
 * <p>This is the only exception Weft's readers let escape for bad content: they never run out of
 * memory on a lying header (sizes are checked against the file length or a cap before anything is
 * allocated) and never throw {@code ArrayIndexOutOfBoundsException}. The message always starts with
 * the file (or archive entry) and then states the problem; both are also available separately.
 */
public class DatasetFormatException extends DatasetException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final String problem;

    /**
     * @param source  the file, resource or archive entry that is bad, as the user would recognise it
     * @param problem what is wrong with it
     */
    public DatasetFormatException(String source, String problem) {
        super(source + ": " + problem);
        this.source = source;
        this.problem = problem;
    }

    /** As {@link #DatasetFormatException(String, String)}, keeping the low-level cause (e.g. a ZipException). */
    public DatasetFormatException(String source, String problem, Throwable cause) {
        super(source + ": " + problem, cause);
        this.source = source;
        this.problem = problem;
    }

    /** The file, resource or archive entry that is bad. */
    public String source() { return source; }

    /** What is wrong with it. */
    public String problem() { return problem; }
}
