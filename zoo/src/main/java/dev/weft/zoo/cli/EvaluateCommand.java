package dev.weft.zoo.cli;

import dev.weft.nn.Layer;
import dev.weft.nn.Module;
import dev.weft.nn.io.Weights;
import dev.weft.nn.optim.Adam;
import dev.weft.zoo.models.Vae;
import dev.weft.zoo.models.VaeTraining;
import dev.weft.zoo.models.ZooModel;
import dev.weft.zoo.progress.PyFormat;
import dev.weft.zoo.train.BatchSource;
import dev.weft.zoo.train.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** {@code ./weft evaluate <model> --weights FILE [--data-dir DIR]}: test loss and metrics of saved weights. */
final class EvaluateCommand {
    private EvaluateCommand() {}

    static String usage() {
        return "Usage: ./weft evaluate <model> --weights FILE [--data-dir DIR] [--batch-size N] [--threads N] [--max-steps N]\n\n"
                + "Loads weights written by ./weft train and prints the loss and metrics on the test data, in\n"
                + "inference mode (dropout off, batch normalization with its moving statistics).\n\n"
                + "Options:\n"
                + "  --weights FILE   a .safetensors file written by ./weft train (best or last)\n"
                + "  --data-dir DIR   read the full dataset from DIR (original file names); default: the\n"
                + "                   embedded samples\n"
                + "  --batch-size N   evaluation batch size (default: the model's training batch size)\n"
                + "  --threads N      kernel threads (default: all processors)\n"
                + "  --max-steps N    evaluate on at most N batches\n\n"
                + Cli.modelList();
    }

    static int run(String[] argv, PrintStream out) throws IOException {
        Args args = new Args("evaluate", argv, Set.of("weights", "data-dir", "batch-size", "threads", "max-steps", "seed"));
        if (args.help()) {
            out.print(usage());
            return 0;
        }
        ZooModel model = Cli.model(args, "evaluate");
        Path weights = args.path("weights");
        if (weights == null) throw CliException.usage("evaluate: --weights FILE is required");
        int batchSize = args.integer("batch-size", model.batchSize(), 1);
        int maxSteps = args.integer("max-steps", 0, 1);
        long seed = args.longValue("seed", 1);
        Cli.threads(args);
        Layer net = model.build(seed);
        loadWeights(net, weights);
        ZooData.Sets data = ZooData.load(model, args.path("data-dir"), batchSize, seed);
        BatchSource test = ZooData.limit(data.test(), maxSteps);
        long start = System.nanoTime();
        Map<String, Double> result;
        if (net instanceof Vae vae) {
            result = VaeTraining.evaluate(vae, test, "");
        } else {
            Trainer trainer = new Trainer(net).compile(new Adam(net.namedParameters()), model.loss(), model.metrics());
            result = trainer.evaluate(test);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        out.println("Evaluated " + model.id() + " (" + weights + ") on " + data.description()
                + (maxSteps > 0 ? ", at most " + maxSteps + " test batches" : "") + String.format(" in %.1fs", seconds));
        out.println(format(result));
        return 0;
    }

    /** {@code loss: 0.6931 - accuracy: 0.5000}, Keras' number style. */
    static String format(Map<String, Double> logs) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Double> e : logs.entrySet()) {
            if (sb.length() > 0) sb.append(" - ");
            sb.append(e.getKey()).append(": ").append(PyFormat.fixed(e.getValue(), 4));
        }
        return sb.toString();
    }

    /** Loads a weights file into {@code net}; a missing, malformed or mismatching file is a one-line failure. */
    static void loadWeights(Module net, Path file) throws IOException {
        if (Files.isDirectory(file)) throw CliException.failure("weights file " + file + " is a directory (give the .safetensors file in it)");
        if (!Files.isRegularFile(file)) throw CliException.failure("weights file not found: " + file);
        try {
            Weights.load(net, file);
        } catch (NoSuchFileException e) {
            throw CliException.failure("weights file not found: " + file);
        } catch (dev.weft.nn.io.StateMismatchException e) {
            throw CliException.failure("the weights in " + file + " do not fit this model: " + e.getMessage());
        } catch (dev.weft.engine.io.SafetensorsException e) {
            throw CliException.failure(file + " is not a valid safetensors file: " + e.getMessage());
        }
    }
}
