package dev.weft.zoo.cli;

/**
 * A command failed for a reason the user can fix; {@link Cli} prints {@code weft: <message>} on one
 * line and exits with {@link #exitCode()} (2 for bad arguments, 1 for missing data or files).
 */
public final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Exit code for bad arguments. */
    public static final int USAGE = 2;
    /** Exit code for failures at run time (missing data, unreadable weights). */
    public static final int FAILURE = 1;

    private final int exitCode;

    /** A failure with this exit code and message. */
    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    /** A bad-argument failure (exit code 2). */
    public static CliException usage(String message) { return new CliException(USAGE, message); }

    /** A run-time failure (exit code 1). */
    public static CliException failure(String message) { return new CliException(FAILURE, message); }

    /** The process exit code. */
    public int exitCode() { return exitCode; }
}
