package dev.weft.zoo.cli;

import dev.weft.engine.Rng;
import dev.weft.nn.Layer;
import dev.weft.nn.optim.Adam;
import dev.weft.zoo.callbacks.CSVLogger;
import dev.weft.zoo.callbacks.Callback;
import dev.weft.zoo.callbacks.ModelCheckpoint;
import dev.weft.zoo.callbacks.Monitor;
import dev.weft.zoo.callbacks.TensorBoard;
import dev.weft.zoo.callbacks.TerminateOnNaN;
import dev.weft.zoo.models.Vae;
import dev.weft.zoo.models.VaeTraining;
import dev.weft.zoo.models.ZooModel;
import dev.weft.zoo.train.FitOptions;
import dev.weft.zoo.train.History;
import dev.weft.zoo.train.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./weft train <model> [options]}: trains with the seed's recipe (Adam, the seed's loss and
 * batch size) and writes into the output folder:
 *
 * <pre>
 *   best.safetensors   weights of the epoch with the lowest val_loss
 *   last.safetensors   weights after the last epoch
 *   training.csv       one row per epoch (Keras' CSVLogger)
 *   logs/train, logs/validation   TensorBoard event files (tensorboard --logdir &lt;out&gt;/logs)
 *   samples_epoch_NNN.png, reconstructions_epoch_NNN.png   (VAE only) 10x10 grids after each epoch
 * </pre>
 */
final class TrainCommand {
    private TrainCommand() {}

    /** Epochs when {@code --epochs} is not given. */
    static final int DEFAULT_EPOCHS = 5;

    static String usage() {
        return "Usage: ./weft train <model> [--epochs N] [--batch-size N] [--lr X] [--data-dir DIR] [--out DIR]\n"
                + "                          [--threads N] [--seed N] [--max-steps N]\n\n"
                + "Trains a model with the seed's recipe (Adam with Keras defaults, the seed's loss and batch size)\n"
                + "and writes best.safetensors, last.safetensors, training.csv and TensorBoard logs (logs/) into the\n"
                + "output folder; the VAE also writes 10x10 PNG grids of samples and reconstructions every epoch.\n\n"
                + "Options:\n"
                + "  --epochs N       epochs (default " + DEFAULT_EPOCHS + ")\n"
                + "  --batch-size N   batch size (default: the seed's, listed below)\n"
                + "  --lr X           Adam learning rate (default 0.001)\n"
                + "  --data-dir DIR   read the full dataset from DIR by its original file names (MNIST IDX .gz,\n"
                + "                   cifar-100-binary, aclImdb_v1.tar.gz); default: the embedded samples\n"
                + "  --out DIR        output folder (default runs/<model>-<yyyyMMdd-HHmmss>)\n"
                + "  --threads N      kernel threads (default: all processors)\n"
                + "  --seed N         seed of the weights, data order, dropout and noise (default 1)\n"
                + "  --max-steps N    stop after N training batches in all (and validate on at most N batches):\n"
                + "                   a quick smoke run\n\n"
                + Cli.modelList();
    }

    static int run(String[] argv, PrintStream out) throws IOException {
        Args args = new Args("train", argv, Set.of("epochs", "batch-size", "lr", "data-dir", "out", "threads", "seed", "max-steps"));
        if (args.help()) {
            out.print(usage());
            return 0;
        }
        ZooModel model = Cli.model(args, "train");
        int epochs = args.integer("epochs", DEFAULT_EPOCHS, 1);
        int batchSize = args.integer("batch-size", model.batchSize(), 1);
        float lr = (float) args.positive("lr", 1e-3);
        long seed = args.longValue("seed", 1);
        int maxSteps = args.integer("max-steps", 0, 1);
        Path dataDir = args.path("data-dir");
        Path outDir = args.path("out");
        if (outDir == null)
            outDir = Path.of("runs", model.id() + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Cli.threads(args);
        Rng.manualSeed(seed);   // anything not given its own generator draws from the global one

        ZooData.Sets data = ZooData.load(model, dataDir, batchSize, seed);
        Layer net = model.build(seed);
        Files.createDirectories(outDir);
        out.printf("Training %s (%s parameters) on %s%n", model.id(), String.format("%,d", net.countParameters() + net.countBuffers()),
                data.description());
        out.printf("batch %d, Adam lr %s, %d epoch(s)%s, %d kernel thread(s); writing to %s%n", batchSize, lr, epochs,
                maxSteps > 0 ? ", at most " + maxSteps + " step(s)" : "", dev.weft.engine.kernels.Parallel.threads(), outDir);

        Adam optimizer = new Adam(net.namedParameters(), lr);
        Trainer trainer = new Trainer(net);
        TensorBoard tensorBoard = new TensorBoard(outDir.resolve("logs"));
        List<Callback> callbacks = new ArrayList<>();
        FitOptions options = FitOptions.epochs(epochs).out(out);
        if (net instanceof Vae vae) {
            trainer.compile(optimizer, VaeTraining.step(vae, optimizer));
            // first, so that its val_* losses reach the CSV, TensorBoard and checkpoint callbacks
            callbacks.add(VaeTraining.epochEnd(vae, data.firstTestImages(), ZooData.limit(data.validation(), maxSteps), outDir,
                    tensorBoard, seed));
        } else {
            trainer.compile(optimizer, model.loss(), model.metrics());
            options.validationData(ZooData.limit(data.validation(), maxSteps));
        }
        callbacks.add(new CSVLogger(outDir.resolve("training.csv")));
        callbacks.add(tensorBoard);
        callbacks.add(ModelCheckpoint.best(outDir.resolve("best.safetensors"), "val_loss", Monitor.MIN));
        callbacks.add(ModelCheckpoint.last(outDir.resolve("last.safetensors")));
        TerminateOnNaN nan = new TerminateOnNaN();
        callbacks.add(nan);
        if (maxSteps > 0) {
            options.stepsPerEpoch(maxSteps);
            callbacks.add(new StepLimit(maxSteps));
        }
        options.callbacks(callbacks);

        long start = System.nanoTime();
        History history;
        try {
            history = trainer.fit(data.train(), options);
        } finally {
            tensorBoard.close();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (nan.message() != null) throw CliException.failure(nan.message());
        Map<String, Double> last = new LinkedHashMap<>();
        for (String k : history.keys()) last.put(k, history.last(k));
        out.printf("Done: %d epoch(s) in %.1fs; last epoch %s%n", history.epochs().size(), seconds, EvaluateCommand.format(last));
        out.println("Weights: " + outDir.resolve("best.safetensors") + " (lowest val_loss), " + outDir.resolve("last.safetensors"));
        return 0;
    }

    /** Ends training after {@code max} batches in all, across epochs. */
    private static final class StepLimit implements Callback {
        private final long max;
        private long done;
        private Trainer trainer;

        StepLimit(long max) { this.max = max; }

        @Override public void setTrainer(Trainer trainer) { this.trainer = trainer; }

        @Override public void onTrainBegin(Map<String, Double> logs) { done = 0; }

        @Override public void onBatchEnd(int step, Map<String, Double> logs) {
            if (++done >= max) trainer.setStopTraining(true);
        }
    }
}
