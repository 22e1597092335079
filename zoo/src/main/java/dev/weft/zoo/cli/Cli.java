package dev.weft.zoo.cli;

import dev.weft.datasets.DatasetException;
import dev.weft.zoo.models.ZooModel;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Arrays;

/**
 * The model commands of {@code ./weft}: {@code summary}, {@code train}, {@code evaluate} and
 * {@code sample}. Each returns the process exit code; failures print one line
 * {@code weft: <reason>} on stderr (2 for bad arguments, 1 for missing data, unreadable weights or a
 * failed run), never a stack trace.
 */
public final class Cli {
    private Cli() {}

    /** The commands this class runs. */
    public static final java.util.List<String> COMMANDS = java.util.List.of("summary", "train", "evaluate", "sample");

    /** Whether {@code command} is one of {@link #COMMANDS}. */
    public static boolean handles(String command) { return COMMANDS.contains(command); }

    /** Runs {@code args[0]} (one of {@link #COMMANDS}) with the remaining arguments. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        String command = args[0];
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            switch (command) {
                case "summary": return SummaryCommand.run(rest, out);
                case "train": return TrainCommand.run(rest, out);
                case "evaluate": return EvaluateCommand.run(rest, out);
                case "sample": return SampleCommand.run(rest, out);
                default: throw CliException.usage("unknown command '" + command + "' (try ./weft help)");
            }
        } catch (CliException e) {
            return fail(err, e.getMessage(), e.exitCode());
        } catch (DatasetException e) {
            return fail(err, e.getMessage(), CliException.FAILURE);
        } catch (IOException e) {
            return fail(err, command + ": " + describe(e), CliException.FAILURE);
        } catch (UncheckedIOException e) {
            return fail(err, command + ": " + describe(e.getCause() != null ? e.getCause() : e), CliException.FAILURE);
        } catch (IllegalArgumentException e) {
            return fail(err, command + ": " + e.getMessage(), CliException.USAGE);
        } catch (RuntimeException e) {
            return fail(err, command + " failed: " + e.getClass().getSimpleName() + ": " + e.getMessage(), CliException.FAILURE);
        } catch (OutOfMemoryError e) {
            return fail(err, command + ": out of memory (raise the heap, e.g. WEFT_JAVA_OPTS=-Xmx8g, or lower --batch-size)", CliException.FAILURE);
        }
    }

    /**
     * What went wrong with a file: NIO's file-system exceptions carry only the path as their message
     * ({@code --out /etc/passwd} used to print just "/etc/passwd"), so say what the problem is.
     */
    static String describe(Throwable e) {
        if (!(e instanceof FileSystemException f) || f.getFile() == null) return String.valueOf(e.getMessage());
        String what;
        if (f instanceof FileAlreadyExistsException) what = "exists and is not a directory";
        else if (f instanceof NotDirectoryException) what = "is not a directory";
        else if (f instanceof NoSuchFileException) what = "no such file or directory";
        else if (f instanceof AccessDeniedException) what = "permission denied";
        else what = f.getReason() != null ? f.getReason() : f.getClass().getSimpleName();
        String other = f.getOtherFile() != null ? " (and " + f.getOtherFile() + ")" : "";
        return f.getFile() + other + ": " + what;
    }

    /** Prints {@code weft: <message>} as one line (line breaks of multi-line messages become "; "). */
    private static int fail(PrintStream err, String message, int code) {
        String oneLine = String.valueOf(message).strip().replaceAll(":\\s*\\R\\s*", ": ").replaceAll("\\s*\\R\\s*", "; ");
        err.println("weft: " + oneLine);
        err.flush();
        return code;
    }

    /** The model names for help texts, one per line with their descriptions. */
    static String modelList() {
        StringBuilder sb = new StringBuilder("Models:\n");
        for (ZooModel m : ZooModel.values())
            sb.append(String.format("  %-9s %s (batch %d)%n", m.id(), m.description(), m.batchSize()));
        return sb.toString();
    }

    /** The model named by the first positional argument; usage errors otherwise. */
    static ZooModel model(Args args, String command) {
        if (args.positional().isEmpty())
            throw CliException.usage(command + ": which model? (" + String.join(", ", ZooModel.names()) + ")");
        if (args.positional().size() > 1)
            throw CliException.usage(command + ": unexpected argument '" + args.positional().get(1) + "'");
        try {
            return ZooModel.byName(args.positional().get(0));
        } catch (IllegalArgumentException e) {
            throw CliException.usage(command + ": " + e.getMessage());
        }
    }

    /** Applies {@code --threads}. */
    static void threads(Args args) {
        if (args.has("threads")) dev.weft.engine.kernels.Parallel.setThreads(args.integer("threads", 1, 1));
    }
}
