package dev.weft.zoo.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The arguments of one command: positional words and {@code --name value} (or {@code --name=value})
 * options, checked against the options the command accepts. Every problem is a
 * {@link CliException#usage} naming the command and the option.
 */
final class Args {
    private final String command;
    private final List<String> positional = new java.util.ArrayList<>();
    private final Map<String, String> options = new LinkedHashMap<>();
    private final boolean help;

    /** Parses {@code args} (the words after the command name) for {@code command}, which takes {@code allowed} options. */
    Args(String command, String[] args, Set<String> allowed) {
        this.command = command;
        boolean wantsHelp = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                wantsHelp = true;
                continue;
            }
            if (a.startsWith("--")) {
                String name = a.substring(2), value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                if (!allowed.contains(name))
                    throw CliException.usage("unknown option '--" + name + "' for " + command + " (try ./weft " + command + " --help)");
                if (value == null) {
                    if (i + 1 >= args.length || args[i + 1].startsWith("--"))
                        throw CliException.usage(command + ": option --" + name + " needs a value");
                    value = args[++i];
                }
                if (options.put(name, value) != null) throw CliException.usage(command + ": option --" + name + " given twice");
            } else if (a.startsWith("-") && a.length() > 1 && !isNumber(a)) {
                throw CliException.usage("unknown option '" + a + "' for " + command + " (try ./weft " + command + " --help)");
            } else {
                positional.add(a);
            }
        }
        this.help = wantsHelp;
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    boolean help() { return help; }

    List<String> positional() { return positional; }

    boolean has(String name) { return options.containsKey(name); }

    String string(String name, String fallback) { return options.getOrDefault(name, fallback); }

    Path path(String name) {
        String v = options.get(name);
        if (v == null) return null;
        if (v.isBlank()) throw CliException.usage(command + ": --" + name + " needs a non-empty path");
        try {
            return Path.of(v);
        } catch (java.nio.file.InvalidPathException e) {
            throw CliException.usage(command + ": --" + name + " is not a valid path: '" + v + "'");
        }
    }

    /** An integer option of at least {@code min}, or {@code fallback} when absent. */
    int integer(String name, int fallback, int min) {
        String v = options.get(name);
        if (v == null) return fallback;
        int n;
        try {
            n = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw CliException.usage(command + ": --" + name + " expects an integer, got '" + v + "'");
        }
        if (n < min) throw CliException.usage(command + ": --" + name + " must be >= " + min + ", got " + n);
        return n;
    }

    long longValue(String name, long fallback) {
        String v = options.get(name);
        if (v == null) return fallback;
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw CliException.usage(command + ": --" + name + " expects an integer, got '" + v + "'");
        }
    }

    /** A positive finite number, or {@code fallback} when absent. */
    double positive(String name, double fallback) {
        String v = options.get(name);
        if (v == null) return fallback;
        double d;
        try {
            d = Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw CliException.usage(command + ": --" + name + " expects a number, got '" + v + "'");
        }
        if (!(d > 0) || Double.isInfinite(d)) throw CliException.usage(command + ": --" + name + " must be a positive number, got " + v);
        return d;
    }
}
