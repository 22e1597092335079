package dev.weft.zoo.util;

/**
 * Argument checks for the zoo's public API, in the project's one style: a null argument is a
 * caller's mistake, reported as an {@link IllegalArgumentException} that names the method and the
 * parameter ({@code "Trainer.compile: optimizer is null"}), never as a bare NullPointerException
 * from deep inside.
 */
public final class Require {
    private Require() {}

    /**
     * Returns {@code value}, or throws {@code IllegalArgumentException("<where>: <name> is null")}.
     *
     * @param where the method or constructor, e.g. {@code "FitOptions.out"}
     * @param name  the parameter, e.g. {@code "out"}
     */
    public static <T> T nonNull(T value, String where, String name) {
        if (value == null) throw new IllegalArgumentException(where + ": " + name + " is null");
        return value;
    }

    /** {@link #nonNull} for an array and each of its elements ({@code "<where>: <name>[2] is null"}). */
    public static <T> T[] noNulls(T[] values, String where, String name) {
        nonNull(values, where, name);
        for (int i = 0; i < values.length; i++)
            if (values[i] == null) throw new IllegalArgumentException(where + ": " + name + "[" + i + "] is null");
        return values;
    }
}
