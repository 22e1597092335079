package dev.weft.bench;

import dev.weft.engine.kernels.Conv2d;
import dev.weft.engine.kernels.Conv2dSpec;
import dev.weft.engine.kernels.Parallel;
import dev.weft.engine.kernels.VectorSupport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Times Weft's conv2d on the ResNet-18 3x3 layer shapes (batch 64, stride 1, 'same', bias), forward
 * and forward+backward (dx, dw, db), the same method as bench/peers/conv_torch.py: a 6 s prime of
 * every shape (so the first row measured does not pay for C2's compilations), then per row: warm up ≥ 1 s,
 * then 9 samples of ≥ 0.2 s each; prints the median and min-max GFLOP/s as JSON on stdout.
 *
 * <p>Usage: {@code java --add-modules jdk.incubator.vector -cp ... dev.weft.bench.ConvCompare
 * [--threads 1,2] [--samples 9] [--batch 64] [--shapes 64x30,128x15,256x8,512x4] [--phases fwd,fwdbwd]
 * [--clock wall|cpu]}; phases {@code dx} and {@code dw} time the input and the weight(+bias) gradient
 * alone (Weft-only diagnostics, FLOPs = forward's). {@code --clock cpu} times 1-thread samples in the calling thread's CPU time
 * (an estimate of the unloaded speed on a shared machine; 2-thread runs always use wall time).
 */
public final class ConvCompare {
    private ConvCompare() {}

    /** Entry point; see the class comment for the flags. */
    public static void main(String[] args) {
        int[] threads = {1, 2};
        int samples = 9, batch = 64;
        String shapes = "64x30,128x15,256x8,512x4";
        String phases = "fwd,fwdbwd";
        boolean cpuClock = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--threads" -> threads = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--samples" -> samples = Integer.parseInt(args[++i]);
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--shapes" -> shapes = args[++i];
                case "--phases" -> phases = args[++i];
                case "--clock" -> cpuClock = args[++i].equals("cpu");
                default -> throw new IllegalArgumentException("ConvCompare: unknown flag " + args[i]);
            }
        }
        // Prime: C2 compiles the big kernel methods during the first seconds; without this the first
        // (shape, phase) measured paid for it (64ch forward read 36-55 instead of ~120 GFLOP/s).
        long primeEnd = System.nanoTime() + 6_000_000_000L;
        while (System.nanoTime() < primeEnd) {
            for (String shape : shapes.split(",")) {
                String[] p = shape.split("x");
                int c = Integer.parseInt(p[0]), hw = Integer.parseInt(p[1]);
                time(Conv2dSpec.of(batch, hw, hw, c, 3, 3, c, 1, Conv2dSpec.Padding.SAME), "fwdbwd", 0, false);
            }
        }
        List<String> rows = new ArrayList<>();
        for (int t : threads) {
            Parallel.setThreads(t);
            for (String shape : shapes.split(",")) {
                String[] p = shape.split("x");
                int c = Integer.parseInt(p[0]), hw = Integer.parseInt(p[1]);
                Conv2dSpec s = Conv2dSpec.of(batch, hw, hw, c, 3, 3, c, 1, Conv2dSpec.Padding.SAME);
                for (String phase : phases.split(",")) {
                    double[] g = time(s, phase, samples, cpuClock && t == 1);
                    String row = String.format(Locale.ROOT,
                            "{\"impl\": \"weft\", \"java\": \"%s\", \"vector\": %b, \"threads\": %d, \"channels\": %d, \"hw\": %d, "
                                    + "\"batch\": %d, \"phase\": \"%s\", \"gflops_median\": %.2f, \"gflops_min\": %.2f, \"gflops_max\": %.2f, \"clock\": \"%s\", \"loadavg\": %.1f}",
                            System.getProperty("java.version"), VectorSupport.ENABLED, t, c, hw, batch, phase, g[0], g[1], g[2], cpuClock && t == 1 ? "cpu" : "wall",
                            java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
                    System.err.println(row);
                    rows.add(row);
                }
            }
        }
        System.out.println("[\n  " + String.join(",\n  ", rows) + "\n]");
    }

    /** Returns {median, min, max} GFLOP/s over {@code samples} samples of ≥ 0.2 s each after ≥ 1 s warm-up. */
    static double[] time(Conv2dSpec s, String phase, int samples, boolean cpuClock) {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        java.util.function.LongSupplier clock = cpuClock ? mx::getCurrentThreadCpuTime : System::nanoTime;
        Random r = new Random(42);
        float[] x = fill(r, s.inputSize()), w = fill(r, s.kernelSize()), b = fill(r, s.cout), dy = fill(r, s.outputSize());
        float[] y = new float[(int) s.outputSize()], dx = new float[x.length], dw = new float[w.length], db = new float[s.cout];
        Runnable fwd = () -> Conv2d.forward(s, x, 0, w, 0, b, 0, y, 0);
        Runnable bwdInput = () -> Conv2d.backwardInput(s, dy, 0, w, 0, dx, 0);
        Runnable bwdWeight = () -> Conv2d.backwardWeight(s, x, 0, dy, 0, dw, 0, db, 0);
        double flopsPerCall = s.flops() * (phase.equals("fwdbwd") ? 3 : 1);
        Runnable call = switch (phase) {
            case "fwd" -> fwd;
            case "dx" -> bwdInput;
            case "dw" -> bwdWeight;
            case "fwdbwd" -> () -> { fwd.run(); bwdInput.run(); bwdWeight.run(); };
            default -> throw new IllegalArgumentException("ConvCompare: unknown phase " + phase + " (fwd, fwdbwd, dx, dw)");
        };
        long warmEnd = System.nanoTime() + 1_000_000_000L;
        int warm = 0;
        while (System.nanoTime() < warmEnd || warm < 3) { call.run(); warm++; }
        double[] g = new double[samples];
        for (int i = 0; i < samples; i++) {
            int calls = 0;
            long t0 = clock.getAsLong(), t1;
            do { call.run(); calls++; t1 = clock.getAsLong(); } while (t1 - t0 < 200_000_000L);
            g[i] = flopsPerCall * calls / ((t1 - t0) * 1e-9) / 1e9;
        }
        if (samples == 0) return new double[0]; // warm-up only
        Arrays.sort(g);
        return new double[] {g[samples / 2], g[0], g[samples - 1]};
    }

    private static float[] fill(Random r, long n) {
        float[] a = new float[(int) n];
        for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() - 0.5f;
        return a;
    }
}
