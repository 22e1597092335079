package dev.weft.zoo.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.zoo.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model commands end to end, in process through {@link Main#run}: summary totals, a short
 * training run writing weights, CSV, TensorBoard events and PNGs, evaluation and sampling from those
 * weights, and one-line errors with non-zero exit codes for bad arguments and missing data.
 */
class CliTest {
    /** What one command printed and returned. */
    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A failure: the given exit code, nothing on stdout, exactly one line on stderr starting "weft: ". */
    static String assertOneLineError(Result r, int code) {
        assertEquals(code, r.code(), () -> "exit code; stdout: " + r.out() + " stderr: " + r.err());
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), () -> "one line on stderr, got: " + r.err());
        assertTrue(lines.get(0).startsWith("weft: "), r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), "no stack trace: " + r.err());
        return lines.get(0);
    }

    @Test void summaryPrintsKerasTotals() {
        Result lstm = run("summary", "lstm");
        assertEquals(0, lstm.code(), lstm.err());
        // 20000·100 + 4·64·(100+64+1) + 4·64·(64+64+1) + 65
        assertTrue(lstm.out().contains("Total params: 2,075,329\n") && lstm.out().contains("Trainable params: 2,075,329\n")
                && lstm.out().contains("Non-trainable params: 0\n"), lstm.out());
        Result resnet = run("summary", "resnet18");
        assertEquals(0, resnet.code(), resnet.err());
        assertTrue(resnet.out().contains("Total params: 11,230,948") && resnet.out().contains("Non-trainable params: 7,808"), resnet.out());
        Result vae = run("summary", "VAE");
        assertTrue(vae.out().contains("Total params: 209,464"), vae.out());
    }

    @Test void trainVaeThenEvaluateAndSample(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("vae-run");
        Result train = run("train", "vae", "--epochs", "3", "--max-steps", "2", "--out", out.toString(), "--seed", "5");
        assertEquals(0, train.code(), train.err());
        assertTrue(train.out().contains("Training vae (209,464 parameters)"), train.out());
        for (String f : List.of("best.safetensors", "last.safetensors", "training.csv", "samples_epoch_001.png", "reconstructions_epoch_001.png"))
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        assertFalse(Files.exists(out.resolve("samples_epoch_002.png")), "--max-steps 2 ends training inside epoch 1 (2 steps of 512)");
        List<String> csv = Files.readAllLines(out.resolve("training.csv"));
        assertEquals(2, csv.size(), "header and one epoch: " + csv);
        assertTrue(csv.get(0).startsWith("epoch,") && csv.get(0).contains("kl_loss") && csv.get(0).contains("val_loss"), csv.get(0));
        assertTrue(eventFile(out.resolve("logs/train")).getFileName().toString().startsWith("events.out.tfevents."));

        Result eval = run("evaluate", "vae", "--weights", out.resolve("last.safetensors").toString(), "--max-steps", "1");
        assertEquals(0, eval.code(), eval.err());
        assertTrue(eval.out().contains("loss: ") && eval.out().contains("kl_loss: "), eval.out());

        Path samples = dir.resolve("samples");
        Result sample = run("sample", "vae", "--weights", out.resolve("best.safetensors").toString(), "--out", samples.toString());
        assertEquals(0, sample.code(), sample.err());
        byte[] png = Files.readAllBytes(samples.resolve("samples.png"));
        assertEquals((byte) 0x89, png[0]);
        assertEquals("PNG", new String(png, 1, 3, StandardCharsets.US_ASCII));

        // weights of one model do not load into another
        String line = assertOneLineError(run("evaluate", "lstm", "--weights", out.resolve("last.safetensors").toString()), 1);
        assertTrue(line.contains("do not fit"), line);
    }

    @Test void trainLstmOneStepThenEvaluate(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("lstm-run");
        Result train = run("train", "lstm", "--max-steps", "1", "--out", out.toString());
        assertEquals(0, train.code(), train.err());
        assertTrue(train.out().contains("accuracy") && train.out().contains("val_loss"), train.out());
        assertTrue(Files.size(out.resolve("best.safetensors")) > 2_075_329L * 4, "all weights as F32");
        assertTrue(Files.exists(eventFile(out.resolve("logs/validation"))));
        Result eval = run("evaluate", "lstm", "--weights", out.resolve("best.safetensors").toString(), "--max-steps", "1");
        assertEquals(0, eval.code(), eval.err());
        assertTrue(eval.out().contains("loss: ") && eval.out().contains("accuracy: "), eval.out());
    }

    @Test void trainResNet18OneSmallStepThenEvaluate(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("resnet-run");
        Result train = run("train", "resnet18", "--batch-size", "4", "--max-steps", "1", "--out", out.toString());
        assertEquals(0, train.code(), train.err());
        assertTrue(train.out().contains("800 training, 200 validation, 1,000 test images"), train.out());
        String header = Files.readAllLines(out.resolve("training.csv")).get(0);
        for (String col : List.of("loss", "accuracy", "top_k_categorical_accuracy", "val_loss", "val_accuracy"))
            assertTrue(List.of(header.split(",")).contains(col), col + " in " + header);
        Result eval = run("evaluate", "resnet18", "--weights", out.resolve("last.safetensors").toString(), "--batch-size", "4", "--max-steps", "1");
        assertEquals(0, eval.code(), eval.err());
        assertTrue(eval.out().contains("top_k_categorical_accuracy: "), eval.out());
    }

    @Test void badArgumentsGiveOneLineAndNonZeroExit(@TempDir Path dir) {
        assertTrue(assertOneLineError(run("train", "vgg12"), 2).contains("vgg, vgg11"));
        assertOneLineError(run("train"), 2);
        assertTrue(assertOneLineError(run("train", "vae", "--epochs", "0"), 2).contains("--epochs"));
        assertTrue(assertOneLineError(run("train", "vae", "--lr", "-1"), 2).contains("--lr"));
        assertTrue(assertOneLineError(run("train", "vae", "--threads", "0"), 2).contains("--threads"));
        assertTrue(assertOneLineError(run("train", "vae", "--batch-size", "x"), 2).contains("--batch-size"));
        assertTrue(assertOneLineError(run("train", "vae", "--frobnicate", "3"), 2).contains("--frobnicate"));
        assertTrue(assertOneLineError(run("train", "vae", "--epochs"), 2).contains("needs a value"));
        assertTrue(assertOneLineError(run("evaluate", "vae"), 2).contains("--weights"));
        assertTrue(assertOneLineError(run("sample", "lstm", "--weights", "x"), 2).contains("only the vae"));
        assertTrue(assertOneLineError(run("evaluate", "vae", "--weights", dir.resolve("none.safetensors").toString()), 1).contains("not found"));
        assertTrue(assertOneLineError(run("frobnicate"), 2).contains("unknown command"));
        assertTrue(assertOneLineError(run("evaluate", "vae", "--weights", dir.toString()), 1).contains("is a directory"));
    }

    @Test void anOutFolderThatIsAFileIsNamedWithTheProblem(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        String line = assertOneLineError(run("train", "vae", "--out", file.toString(), "--max-steps", "1"), 1);
        assertTrue(line.contains(file.toString()) && line.contains("exists and is not a directory"), line);
        String below = assertOneLineError(run("train", "vae", "--out", file.resolve("sub").toString(), "--max-steps", "1"), 1);
        assertTrue(below.contains(file.toString()) && below.toLowerCase(java.util.Locale.ROOT).contains("not a directory"), below);
    }

    @Test void fileSystemErrorsSayWhatIsWrong() {
        assertEquals("/x: no such file or directory", Cli.describe(new java.nio.file.NoSuchFileException("/x")));
        assertEquals("/x: permission denied", Cli.describe(new java.nio.file.AccessDeniedException("/x")));
        assertEquals("/x (and /y): disk full", Cli.describe(new java.nio.file.FileSystemException("/x", "/y", "disk full")));
        assertEquals("plain", Cli.describe(new java.io.IOException("plain")));
    }

    @Test void missingDataNamesTheFilesAndWhereToGetThem(@TempDir Path empty) {
        String mnist = assertOneLineError(run("train", "vae", "--data-dir", empty.toString(), "--out", empty.resolve("o").toString()), 1);
        assertTrue(mnist.contains("train-images-idx3-ubyte") && mnist.contains(empty.toString()), mnist);
        String cifar = assertOneLineError(run("evaluate", "resnet18", "--weights", "x.safetensors", "--data-dir", empty.toString()), 1);
        assertTrue(cifar.contains("not found"), cifar);
        String imdb = assertOneLineError(run("train", "lstm", "--data-dir", empty.toString(), "--out", empty.resolve("o").toString()), 1);
        assertTrue(imdb.contains("aclImdb") && imdb.contains("https://"), imdb);
    }

    @Test void helpForEveryCommand() {
        for (String c : List.of("summary", "train", "evaluate", "sample")) {
            Result r = run(c, "--help");
            assertEquals(0, r.code(), c);
            assertTrue(r.out().startsWith("Usage: ./weft " + c), r.out());
        }
        Result train = run("train", "--help");
        for (String opt : List.of("--epochs", "--batch-size", "--lr", "--data-dir", "--out", "--threads", "--seed", "--max-steps", "resnet34"))
            assertTrue(train.out().contains(opt), opt);
        Result main = run("help");
        assertTrue(main.out().contains("train <model>") && main.out().contains("demo"), main.out());
    }

    private static Path eventFile(Path folder) throws java.io.IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents.")).findFirst()
                    .orElseThrow(() -> new AssertionError("no event file in " + folder));
        }
    }
}
