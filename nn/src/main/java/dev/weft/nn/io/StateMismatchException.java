package dev.weft.nn.io;

import java.io.IOException;
import java.util.List;

/**
 * A well-formed weight or checkpoint file does not fit the objects it is loaded into: missing or
 * unexpected names, other shapes or dtypes, an optimizer of another kind, missing or malformed
 * checkpoint fields. Every problem found is listed ({@link #problems()}), and nothing was changed.
 */
public class StateMismatchException extends IOException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    /** @param source the file (or description) being loaded  @param problems every mismatch found */
    public StateMismatchException(String source, List<String> problems) {
        super(source + ": " + problems.size() + " mismatch(es), nothing was loaded:\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Each mismatch, one line each. */
    public List<String> problems() { return problems; }
}
