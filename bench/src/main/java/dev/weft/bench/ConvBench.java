package dev.weft.bench;

import dev.weft.engine.kernels.Conv2d;
import dev.weft.engine.kernels.Conv2dSpec;
import dev.weft.engine.kernels.Parallel;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * JMH: Weft conv2d on the ResNet-18 3x3 layers at batch 64 (stride 1, 'same', bias), forward and
 * forward+backward (dx, dw, db). The {@code gflop} secondary result is GFLOP/s (forward flops
 * 2·N·OH·OW·Cout·KH·KW·Cin, forward+backward 3x).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ConvBench {
    /** Channels x spatial size. */
    @Param({"64x30", "128x15", "256x8", "512x4"})
    public String shape;
    /** Kernel threads. */
    @Param({"1", "2"})
    public int threads;

    Conv2dSpec s;
    float[] x, w, b, y, dy, dx, dw, db;

    /** GFLOP counter reported as a rate (GFLOP/s). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        /** GFLOP done. */
        public double gflop;
    }

    /** Allocates random inputs. */
    @Setup
    public void setup() {
        Parallel.setThreads(threads);
        int c = Integer.parseInt(shape.split("x")[0]), hw = Integer.parseInt(shape.split("x")[1]);
        s = Conv2dSpec.of(64, hw, hw, c, 3, 3, c, 1, Conv2dSpec.Padding.SAME);
        Random r = new Random(1);
        x = fill(r, s.inputSize()); w = fill(r, s.kernelSize()); b = fill(r, c); dy = fill(r, s.outputSize());
        y = new float[(int) s.outputSize()]; dx = new float[x.length]; dw = new float[w.length]; db = new float[c];
    }

    static float[] fill(Random r, long n) {
        float[] a = new float[(int) n];
        for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() - 0.5f;
        return a;
    }

    /** Forward only. */
    @Benchmark
    public float[] forward(Flops f) {
        Conv2d.forward(s, x, 0, w, 0, b, 0, y, 0);
        f.gflop += s.flops() / 1e9;
        return y;
    }

    /** Forward, input gradient, weight and bias gradient. */
    @Benchmark
    public float[] forwardBackward(Flops f) {
        Conv2d.forward(s, x, 0, w, 0, b, 0, y, 0);
        Conv2d.backwardInput(s, dy, 0, w, 0, dx, 0);
        Conv2d.backwardWeight(s, x, 0, dy, 0, dw, 0, db, 0);
        f.gflop += 3 * s.flops() / 1e9;
        return dw;
    }
}
