package dev.weft.zoo.models;

import dev.weft.engine.Rng;
import dev.weft.engine.Shape;
import dev.weft.engine.Tensor;
import dev.weft.nn.optim.Optimizer;
import dev.weft.zoo.callbacks.Callback;
import dev.weft.zoo.callbacks.TensorBoard;
import dev.weft.zoo.logging.PngWriter;
import dev.weft.zoo.metrics.Mean;
import dev.weft.zoo.train.BatchSource;
import dev.weft.zoo.train.LabeledBatch;
import dev.weft.zoo.train.TrainStep;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The VAE's custom training loop and its per-epoch image grids.
 *
 * <p>{@link #step} is the seed's {@code tf.GradientTape} step written out: forward, loss, backward,
 * optimizer step. It plugs into {@code Trainer.compile(optimizer, step)} so that {@code fit} brings
 * the progress bar and the callbacks (CSV, TensorBoard, checkpoints); the step itself is the raw
 * loop and can be called in a plain {@code for} loop just as well.
 */
public final class VaeTraining {
    private VaeTraining() {}

    /** Grid side: 10x10 images per PNG, as the seed draws. */
    public static final int GRID = 10;

    /**
     * One update per batch ({@code x [N, 28, 28, 1]} or {@code [N, 784]} in [0, 1]); logs
     * {@code loss}, {@code reconstruction_loss} and {@code kl_loss}.
     */
    public static TrainStep step(Vae vae, Optimizer optimizer) {
        return batch -> {
            Tensor x = flat(batch.x(), vae.inputSize());        // [N, 784]
            // with tf.GradientTape() as tape:                  — autograd records the forward pass
            vae.train();
            optimizer.zeroGrad();
            Vae.Output out = vae.run(x);                        //     mean, log_var, logits = model(x)
            Vae.Losses loss = vae.loss(out, x);                 //     loss = reconstruction + kl
            loss.total().backward();                            // grads = tape.gradient(loss, variables)
            optimizer.step();                                   // optimizer.apply_gradients(zip(grads, variables))
            return logs(loss, "");
        };
    }

    /** The mean loss terms over {@code data} without updating anything (the noise still samples z, as the seed's test loss). */
    public static Map<String, Double> evaluate(Vae vae, BatchSource data, String prefix) {
        Mean total = new Mean("loss"), rec = new Mean("reconstruction_loss"), kl = new Mean("kl_loss");
        boolean was = vae.isTraining();
        vae.eval();
        Iterator<LabeledBatch> it = data.open(0);
        try (var noGrad = Tensor.noGrad()) {
            while (it.hasNext()) {
                Tensor x = flat(it.next().x(), vae.inputSize());
                Vae.Losses l = vae.loss(vae.run(x), x);
                int n = x.size(0);
                total.update(l.total().item(), n);
                rec.update(l.reconstruction().item(), n);
                kl.update(l.kl().item(), n);
            }
        } finally {
            if (it instanceof AutoCloseable c) {
                try { c.close(); } catch (Exception e) { throw new IllegalStateException("VAE evaluation: closing the data failed: " + e.getMessage(), e); }
            }
            if (was) vae.train();
        }
        if (total.count() == 0) throw new IllegalStateException("VAE evaluation: the data yielded no batch");
        Map<String, Double> out = new LinkedHashMap<>();
        out.put(prefix + "loss", total.result());
        out.put(prefix + "reconstruction_loss", rec.result());
        out.put(prefix + "kl_loss", kl.result());
        return out;
    }

    private static Map<String, Double> logs(Vae.Losses l, String prefix) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(prefix + "loss", (double) l.total().item());
        m.put(prefix + "reconstruction_loss", (double) l.reconstruction().item());
        m.put(prefix + "kl_loss", (double) l.kl().item());
        return m;
    }

    /** Images decoded from {@code z [K, latent]}: sigmoid of the logits, {@code [K, 784]}; inference mode, no gradients. */
    public static Tensor samples(Vae vae, Tensor z) {
        boolean was = vae.isTraining();
        vae.eval();
        try (var noGrad = Tensor.noGrad()) {
            return vae.decode(z).sigmoid();
        } finally {
            if (was) vae.train();
        }
    }

    /** Reconstructions of {@code x [K, 784]} through the whole model (z sampled, as the seed): sigmoid of the logits. */
    public static Tensor reconstructions(Vae vae, Tensor x) {
        boolean was = vae.isTraining();
        vae.eval();
        try (var noGrad = Tensor.noGrad()) {
            return vae.run(flat(x, vae.inputSize())).logits().sigmoid();
        } finally {
            if (was) vae.train();
        }
    }

    /** A 10x10 grid (28x28 tiles, 1 px apart) of the first 100 rows of {@code images [>=100, 784]} in [0, 1]. */
    public static PngWriter.Image grid(Tensor images) {
        int count = GRID * GRID;
        if (images.dim() != 2 || images.size(0) < count || images.size(1) != 28 * 28)
            throw new IllegalArgumentException("VaeTraining.grid: expects at least 100 images [N, 784], got " + Shape.str(images.shape()));
        return PngWriter.tile(images.narrow(0, 0, count).contiguous().toFloatArray(), count, 28, 28, 1, GRID, 1);
    }

    /**
     * After every epoch: adds the test losses ({@code val_loss}, ...) to the logs when
     * {@code validation} is given, and writes {@code samples_epoch_NNN.png} (decoded from a fixed
     * N(0, I) draw of 100 latents) and {@code reconstructions_epoch_NNN.png} (of the first 100
     * images of {@code testImages}) into {@code outDir} and, if given, into TensorBoard as images
     * {@code samples} and {@code reconstructions} at step = epoch. Put it first in the callback list
     * so the validation values reach the CSV, TensorBoard and checkpoint callbacks.
     */
    public static Callback epochEnd(Vae vae, Tensor testImages, BatchSource validation, Path outDir, TensorBoard tensorBoard, long seed) {
        Tensor test = flat(testImages, vae.inputSize());
        if (test.size(0) < GRID * GRID)
            throw new IllegalArgumentException("VaeTraining: the reconstruction grid needs 100 test images, got " + test.size(0));
        Tensor firstHundred = test.narrow(0, 0, GRID * GRID).contiguous();
        Tensor z = Tensor.randn(new Rng(seed), GRID * GRID, vae.latent());   // the same latents every epoch
        return new Callback() {
            @Override public void onEpochEnd(int epoch, Map<String, Double> logs) {
                if (validation != null) logs.putAll(evaluate(vae, validation, "val_"));
                PngWriter.Image samples = grid(samples(vae, z));
                PngWriter.Image recon = grid(reconstructions(vae, firstHundred));
                if (outDir != null) {
                    try {
                        Files.createDirectories(outDir);
                        PngWriter.write(outDir.resolve(String.format(Locale.ROOT, "samples_epoch_%03d.png", epoch + 1)), samples);
                        PngWriter.write(outDir.resolve(String.format(Locale.ROOT, "reconstructions_epoch_%03d.png", epoch + 1)), recon);
                    } catch (IOException e) {
                        throw new UncheckedIOException("VAE: cannot write the image grids into " + outDir + ": " + e.getMessage(), e);
                    }
                }
                if (tensorBoard != null) {
                    tensorBoard.image("samples", samples, epoch);
                    tensorBoard.image("reconstructions", recon, epoch);
                }
            }
        };
    }

    /** {@code [N, 28, 28, 1]} (or any {@code [N, ...]} of {@code size} values per row) as {@code [N, size]}. */
    static Tensor flat(Tensor x, int size) {
        if (x.dim() < 2 || x.numel() != (long) x.size(0) * size)
            throw new IllegalArgumentException("VAE: expects a batch of " + size + "-value images, got " + Shape.str(x.shape()));
        return x.dim() == 2 ? x : x.reshape(x.size(0), size);
    }
}
