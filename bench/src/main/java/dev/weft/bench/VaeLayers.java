package dev.weft.bench;

import dev.weft.engine.Rng;
import dev.weft.engine.Tensor;
import dev.weft.engine.kernels.Gemm;
import dev.weft.engine.kernels.Parallel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where the VAE's inference pass spends its time: the whole pass (as ModelCompare times it) beside
 * each of its Dense layers alone, at the seed's batch of 512, so a gap to PyTorch can be put on a
 * part. bench/peers/vae_layers_torch.py times the same parts in PyTorch. The one part only Weft
 * has, {@code decoder_out_reused}, runs the decoder's GEMM into an output array made once: the
 * difference to {@code decoder_out} is what a freshly allocated (so zeroed, cold) 1.6 MB output costs.
 *
 * <p>Method: parts run in turn, {@code --rounds} rounds; in each round every part is warmed up by
 * 30 calls and timed over 200 calls, each timed alone; the round's value is their median. Prints
 * one JSON row per part (median and min-max over rounds, milliseconds) on stdout.
 *
 * <p>Usage: {@code java --add-modules jdk.incubator.vector -XX:+UseParallelGC -cp ... dev.weft.bench.VaeLayers
 * [--threads 1] [--rounds 7]}
 */
public final class VaeLayers {
    private VaeLayers() {}

    /** Entry point; see the class comment for the flags. */
    public static void main(String[] args) {
        int threads = 1, rounds = 7;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("VaeLayers: unknown flag " + args[i]);
            }
        }
        Parallel.setThreads(threads);
        ModelCompare.Case pass = ModelCompare.Case.of("vae");
        Rng rng = new Rng(3);
        int n = 512;
        Tensor x = Tensor.uniform(rng, 0f, 1f, n, 784);                      // x: [512, 784]
        Tensor h = Tensor.uniform(rng, -1f, 1f, n, 128);                     // h: [512, 128]
        Tensor z = Tensor.randn(rng, n, 20);                                 // z: [512, 20]
        Tensor wEnc = weight(rng, 784, 128), bEnc = weight(rng, 128);
        Tensor wMean = weight(rng, 128, 20), bMean = weight(rng, 20);
        Tensor wLogVar = weight(rng, 128, 20), bLogVar = weight(rng, 20);
        Tensor wHid = weight(rng, 20, 128), bHid = weight(rng, 128);
        Tensor wOut = weight(rng, 128, 784), bOut = weight(rng, 784);
        float[] reused = new float[n * 784];

        Map<String, Runnable> parts = new LinkedHashMap<>();
        parts.put("pass", pass::infer);
        parts.put("encoder", () -> x.linear(wEnc, bEnc));                                 // [512, 784] -> [512, 128]
        parts.put("mean_logvar", () -> { h.linear(wMean, bMean); h.linear(wLogVar, bLogVar); }); // 2 x [512, 20]
        parts.put("decoder_hidden", () -> z.linearRelu(wHid, bHid));                      // [512, 20] -> [512, 128], ReLU fused as in Dense
        parts.put("decoder_out", () -> h.linear(wOut, bOut));                             // [512, 128] -> [512, 784]
        parts.put("decoder_out_reused", () -> Gemm.sgemmBias(false, false, n, 784, 128, 1f, h.storage(), 0, 128,
                wOut.storage(), 0, 784, bOut.storage(), 0, reused, 0, 784));

        Map<String, double[]> perRound = new LinkedHashMap<>();
        for (String p : parts.keySet()) perRound.put(p, new double[rounds]);
        try (var noGrad = Tensor.noGrad()) {
            for (int r = 0; r < rounds; r++) {
                for (var e : parts.entrySet()) {
                    for (int i = 0; i < 30; i++) e.getValue().run();
                    perRound.get(e.getKey())[r] = medianMs(e.getValue(), 200);
                }
            }
        }
        List<String> rows = new ArrayList<>();
        for (var e : perRound.entrySet()) {
            double[] v = e.getValue().clone();
            Arrays.sort(v);
            rows.add(String.format(Locale.ROOT, "{\"impl\": \"weft\", \"java\": \"%s\", \"threads\": %d, \"part\": \"%s\", "
                            + "\"ms_median\": %.4f, \"ms_min\": %.4f, \"ms_max\": %.4f, \"rounds\": %d}",
                    System.getProperty("java.version"), threads, e.getKey(), v[v.length / 2], v[0], v[v.length - 1], rounds));
        }
        System.out.println("[\n  " + String.join(",\n  ", rows) + "\n]");
    }

    private static Tensor weight(Rng rng, int... shape) { return Tensor.uniform(rng, -0.1f, 0.1f, shape); }

    private static double medianMs(Runnable r, int calls) {
        long[] t = new long[calls];
        for (int i = 0; i < calls; i++) {
            long t0 = System.nanoTime();
            r.run();
            t[i] = System.nanoTime() - t0;
        }
        Arrays.sort(t);
        return t[calls / 2] / 1e6;
    }
}
