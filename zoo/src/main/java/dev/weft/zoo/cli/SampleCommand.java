package dev.weft.zoo.cli;

import dev.weft.engine.Rng;
import dev.weft.engine.Tensor;
import dev.weft.zoo.logging.PngWriter;
import dev.weft.zoo.models.Vae;
import dev.weft.zoo.models.VaeTraining;
import dev.weft.zoo.models.ZooModel;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/** {@code ./weft sample vae --weights FILE [--out DIR] [--seed N]}: a 10x10 grid of digits decoded from N(0, I). */
final class SampleCommand {
    private SampleCommand() {}

    static String usage() {
        return "Usage: ./weft sample vae --weights FILE [--out DIR] [--seed N]\n\n"
                + "Decodes 100 latent vectors drawn from N(0, I) with the trained VAE and writes them as a 10x10\n"
                + "PNG grid, samples.png, into the output folder.\n\n"
                + "Options:\n"
                + "  --weights FILE  weights written by ./weft train vae (best.safetensors or last.safetensors)\n"
                + "  --out DIR       output folder (default: the current folder)\n"
                + "  --seed N        seed of the latent draw (default 1)\n";
    }

    static int run(String[] argv, PrintStream out) throws IOException {
        Args args = new Args("sample", argv, Set.of("weights", "out", "seed"));
        if (args.help()) {
            out.print(usage());
            return 0;
        }
        ZooModel model = Cli.model(args, "sample");
        if (model != ZooModel.VAE) throw CliException.usage("sample: only the vae generates images, not " + model.id());
        Path weights = args.path("weights");
        if (weights == null) throw CliException.usage("sample: --weights FILE is required");
        Path dir = args.path("out");
        if (dir == null) dir = Path.of(".");
        long seed = args.longValue("seed", 1);
        Vae vae = (Vae) model.build(seed);
        EvaluateCommand.loadWeights(vae, weights);
        Tensor z = Tensor.randn(new Rng(seed), VaeTraining.GRID * VaeTraining.GRID, vae.latent());   // z ~ N(0, I): [100, 20]
        PngWriter.Image grid = VaeTraining.grid(VaeTraining.samples(vae, z));
        Files.createDirectories(dir);
        Path png = dir.resolve("samples.png");
        PngWriter.write(png, grid);
        out.println("Wrote " + png + " (10x10 samples decoded from N(0, I), seed " + seed + ")");
        return 0;
    }

}
