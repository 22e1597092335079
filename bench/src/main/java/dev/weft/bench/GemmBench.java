package dev.weft.bench;

import dev.weft.engine.kernels.Gemm;
import dev.weft.engine.kernels.Parallel;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * JMH benchmark of {@link Gemm#sgemm} (C = A·B, alpha 1, beta 0, row-major, no transposes) on the
 * shapes Weft's models produce. The benchmark of record for GEMM speed.
 *
 * <p>Shapes are {@code MxK*KxN}. JMH reports ops/s (one op = one sgemm call); the {@code gflops}
 * secondary metric reports 2·m·n·k·ops/1e9 directly, so no conversion by hand is needed. Thread
 * count: {@code -p threads=1,2}. See bench/README.md for the command line.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class GemmBench {

    /** {@code MxK*KxN}: square, conv-shaped (im2col), LSTM-shaped and VAE-shaped. */
    @Param({
        "128x128*128x128", "256x256*256x256", "512x512*512x512", "1024x1024*1024x1024", "2048x2048*2048x2048",
        "1024x576*576x64", "256x1152*1152x128", "64x2304*2304x256", "16x4608*4608x512",
        "64x100*100x256", "64x64*64x256",
        "512x784*784x128"})
    public String shape;

    /** Threads {@link Parallel} may use. */
    @Param({"1"})
    public int threads;

    int m, n, k;
    float[] a, b, c;

    @Setup(Level.Trial)
    public void setup() {
        String[] ops = shape.split("\\*");
        String[] left = ops[0].split("x"), right = ops[1].split("x");
        m = Integer.parseInt(left[0]);
        k = Integer.parseInt(left[1]);
        n = Integer.parseInt(right[1]);
        if (Integer.parseInt(right[0]) != k) throw new IllegalArgumentException("inner sizes differ in " + shape);
        Random rnd = new Random(42);
        a = new float[m * k];
        b = new float[k * n];
        c = new float[m * n];
        for (int i = 0; i < a.length; i++) a[i] = rnd.nextFloat() - 0.5f;
        for (int i = 0; i < b.length; i++) b[i] = rnd.nextFloat() - 0.5f;
        Parallel.setThreads(threads);
        System.out.println("# Weft GEMM: " + Gemm.describe() + ", threads " + threads + ", JDK " + Runtime.version());
    }

    /** Counts floating-point operations so JMH prints GFLOP/s beside ops/s. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        /** Accumulated GFLOP; JMH divides by time, giving GFLOP/s. */
        public double gflops;
    }

    @Benchmark
    public float[] sgemm(Flops flops) {
        Gemm.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
        flops.gflops += 2e-9 * m * n * k;
        return c;
    }
}
