package dev.weft.zoo;

import dev.weft.zoo.cli.Cli;
import dev.weft.zoo.demo.SpiralDemo;
import java.io.PrintStream;

/** The {@code ./weft} command line. */
public final class Main {
    private Main() {}

    /** Entry point; exits non-zero with a one-line reason on bad arguments. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command; returns the process exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            out.print(usage());
            return 0;
        }
        if (Cli.handles(args[0])) return Cli.run(args, out, err);
        try {
            switch (args[0]) {
                case "demo":
                    SpiralDemo.run(parseSeed(args), 500, out);
                    return 0;
                default:
                    err.println("weft: unknown command '" + args[0] + "' (try ./weft help)");
                    return 2;
            }
        } catch (IllegalArgumentException e) {
            err.println("weft: " + e.getMessage());
            return 2;
        }
    }

    private static long parseSeed(String[] args) {
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--seed") && i + 1 < args.length) {
                try {
                    return Long.parseLong(args[i + 1]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--seed expects an integer, got '" + args[i + 1] + "'");
                }
            }
            throw new IllegalArgumentException("unknown option '" + args[i] + "' for demo");
        }
        return 0;
    }

    static String usage() {
        return String.join(System.lineSeparator(),
                "Usage: ./weft <command> [options]",
                "",
                "Commands:",
                "  summary <model>                     print the model's layers and parameter counts (Keras' summary)",
                "  train <model> [options]             train with the seed's recipe; weights, CSV and TensorBoard logs to --out",
                "  evaluate <model> --weights FILE     test loss and metrics of trained weights",
                "  sample vae --weights FILE           write a 10x10 grid of digits decoded from N(0, I)",
                "  demo [--seed N]                     train a two-layer network on a small spiral task, printing the loss",
                "  help                                this text",
                "",
                "Models: " + String.join(", ", dev.weft.zoo.models.ZooModel.names()),
                "Without --data-dir, train and evaluate use the embedded samples; ./weft <command> --help for options.",
                "");
    }
}
