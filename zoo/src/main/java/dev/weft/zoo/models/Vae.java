package dev.weft.zoo.models;

import dev.weft.engine.Rng;
import dev.weft.engine.Shape;
import dev.weft.engine.Tensor;
import dev.weft.nn.Layer;
import dev.weft.nn.layers.Dense;
import dev.weft.nn.losses.GaussianKl;
import dev.weft.nn.losses.Reduction;
import dev.weft.nn.losses.SigmoidCrossEntropyWithLogits;
import java.util.List;

/**
 * The seed's variational autoencoder for MNIST, in the subclassed-model style: sublayers registered
 * in the constructor, the forward pass written by hand.
 *
 * <pre>
 *   x [N, 784] in [0, 1]
 *   h       = Dense(128)(x)                    (no activation, as the seed)
 *   mean    = Dense(20)(h),  logVar = Dense(20)(h)          (two separate layers)
 *   z       = mean + eps · exp(0.5 · logVar),  eps ~ N(0, I) from a seeded generator
 *   logits  = Dense(784)(ReLU(Dense(128)(z)))
 *   loss    = Σ sigmoidCE(logits, x) / N  +  Σ −0.5·(logVar + 1 − mean² − exp(logVar)) / N
 * </pre>
 *
 * 209,464 parameters. Trained with a custom loop (see {@link VaeTraining}), batch 512, Adam.
 * {@link #forward} returns the logits, so the model can be summarised like any layer.
 */
public final class Vae extends Layer {
    /** Flattened image size. */
    public static final int INPUT = 784;
    /** Encoder/decoder hidden width. */
    public static final int HIDDEN = 128;
    /** Latent size. */
    public static final int LATENT = 20;

    /** What one pass computes: the decoder's logits and the encoder's Gaussian. */
    public record Output(Tensor logits, Tensor mean, Tensor logVar) {}

    /** The loss and its two terms (per-batch means of per-sample sums). */
    public record Losses(Tensor total, Tensor reconstruction, Tensor kl) {}

    private final int input, latent;
    private final Dense encoder, mean, logVar, decoderHidden, decoderOut;
    private final Rng eps;
    private final SigmoidCrossEntropyWithLogits reconstructionLoss = new SigmoidCrossEntropyWithLogits(Reduction.SUM);
    private final GaussianKl klLoss = new GaussianKl();   // SUM_OVER_BATCH_SIZE: Σ over latents, mean over batch

    /** The seed's sizes (784 → 128 → 20 → 128 → 784); weights from {@code init}, the noise eps from {@code eps}. */
    public Vae(Rng init, Rng eps) { this(INPUT, HIDDEN, LATENT, init, eps); }

    /** The seed's sizes; weights from {@code Rng(seed)}, the noise from a second generator (seed mixed with a constant so the two streams differ). */
    public Vae(long seed) {
        this(new Rng(seed), new Rng(seed ^ 0x5DEECE66DL));
    }

    /** Other sizes, for tests and experiments. */
    public Vae(int input, int hidden, int latent, Rng init, Rng eps) {
        if (input < 1 || hidden < 1 || latent < 1)
            throw new IllegalArgumentException("Vae: sizes must be >= 1, got " + input + ", " + hidden + ", " + latent);
        this.input = input;
        this.latent = latent;
        this.eps = eps == null ? new Rng(0) : eps;
        encoder = registerModule("encoder", Vgg.seeded(new Dense(hidden), init));
        mean = registerModule("mean", Vgg.seeded(new Dense(latent), init));
        logVar = registerModule("log_var", Vgg.seeded(new Dense(latent), init));
        decoderHidden = registerModule("decoder_hidden", Vgg.seeded(new Dense(hidden).activation("relu"), init));
        decoderOut = registerModule("decoder_out", Vgg.seeded(new Dense(input), init));
        named("vae");
        build(new int[] {input});
    }

    /** Latent size. */
    public int latent() { return latent; }

    /** Input (and output) size. */
    public int inputSize() { return input; }

    /** The generator of the reparameterisation noise. */
    public Rng noise() { return eps; }

    @Override protected int[] computeOutputShape(int[][] in) {
        int[] s = single(in, 2);
        if (s[0] != input)
            throw new IllegalArgumentException(describe() + ": expects inputs of shape (None, " + input + "), got " + batchShapeString(s));
        return new int[] {input};
    }

    @Override protected void doBuild(int[][] in) {
        encoder.build(in[0]);                       // sublayers exist now, so the optimizer sees them
        mean.build(new int[] {encoder.units()});
        logVar.build(new int[] {encoder.units()});
        decoderHidden.build(new int[] {latent});
        decoderOut.build(new int[] {decoderHidden.units()});
    }

    @Override protected Tensor compute(List<Tensor> inputs) { return run(inputs.get(0)).logits(); }

    /** Encodes, samples z and decodes: {@code x [N, 784]} → logits {@code [N, 784]}, mean and logVar {@code [N, 20]}. */
    public Output run(Tensor x) {
        checkInput(x);
        Tensor h = encoder.forward(x);                                  // [N, 128]
        Tensor mu = mean.forward(h), lv = logVar.forward(h);            // [N, 20] each
        Tensor noise = Tensor.randn(eps, mu.shape());                   // eps ~ N(0, I)
        Tensor z = mu.add(noise.mul(lv.mul(0.5f).exp()));               // reparameterisation trick
        return new Output(decode(z), mu, lv);
    }

    /** The decoder: {@code z [N, 20]} → logits {@code [N, 784]} (apply sigmoid for pixel values). */
    public Tensor decode(Tensor z) {
        if (z == null || z.dim() != 2 || z.size(1) != latent)
            throw new IllegalArgumentException("Vae.decode: expects z of shape [N, " + latent + "], got "
                    + (z == null ? "null" : Shape.str(z.shape())));
        return decoderOut.forward(decoderHidden.forward(z));
    }

    /** The seed's loss on one pass: reconstruction (sigmoid CE summed per sample) plus KL, both averaged over the batch. */
    public Losses loss(Output out, Tensor x) {
        int n = x.size(0);
        Tensor rec = reconstructionLoss.apply(out.logits(), x).div(n);   // Σ sigmoidCE / N
        Tensor kl = klLoss.apply(out.mean(), out.logVar());              // Σ −0.5(1 + lv − μ² − e^lv) / N
        return new Losses(rec.add(kl), rec, kl);
    }

    private void checkInput(Tensor x) {
        if (x == null || x.dim() != 2 || x.size(1) != input)
            throw new IllegalArgumentException("Vae: expects x of shape [N, " + input + "] (flattened images in [0, 1]), got "
                    + (x == null ? "null" : Shape.str(x.shape())));
    }
}
