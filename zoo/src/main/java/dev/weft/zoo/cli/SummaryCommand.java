package dev.weft.zoo.cli;

import dev.weft.zoo.models.ZooModel;
import java.io.PrintStream;
import java.util.Set;

/** {@code ./weft summary <model>}: Keras' {@code model.summary()} of a freshly built model. */
final class SummaryCommand {
    private SummaryCommand() {}

    static String usage() {
        return "Usage: ./weft summary <model>\n\n"
                + "Prints the model's layers, output shapes and parameter counts, as Keras' model.summary().\n\n"
                + Cli.modelList();
    }

    static int run(String[] argv, PrintStream out) {
        Args args = new Args("summary", argv, Set.of());
        if (args.help()) {
            out.print(usage());
            return 0;
        }
        ZooModel model = Cli.model(args, "summary");
        out.print(model.summary(model.build(1)));
        out.flush();
        return 0;
    }
}
