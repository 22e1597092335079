package dev.weft.bench;

import dev.weft.engine.kernels.BatchNorm;
import dev.weft.engine.kernels.Parallel;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/** JMH: fused batch norm (training forward, backward, inference forward) at ResNet-18 activation shapes, batch 64. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class BatchNormBench {
    /** Channels x spatial size. */
    @Param({"64x30", "512x4"})
    public String shape;
    /** Kernel threads. */
    @Param({"1", "2"})
    public int threads;

    int m, c;
    float[] x, y, dy, dx, gamma, beta, mean, var, invStd, dgamma, dbeta;

    /** Allocates random inputs. */
    @Setup
    public void setup() {
        Parallel.setThreads(threads);
        c = Integer.parseInt(shape.split("x")[0]);
        int hw = Integer.parseInt(shape.split("x")[1]);
        m = 64 * hw * hw;
        Random r = new Random(1);
        x = ConvBench.fill(r, (long) m * c); dy = ConvBench.fill(r, (long) m * c);
        y = new float[m * c]; dx = new float[m * c];
        gamma = ConvBench.fill(r, c); beta = ConvBench.fill(r, c);
        mean = new float[c]; var = new float[c]; invStd = new float[c]; dgamma = new float[c]; dbeta = new float[c];
        java.util.Arrays.fill(var, 1f);
    }

    /** Training forward (batch statistics). */
    @Benchmark
    public float[] forwardTraining() {
        BatchNorm.forwardTraining(m, c, x, 0, gamma, 0, beta, 0, 1e-3f, y, 0, mean, 0, var, 0, invStd, 0);
        return y;
    }

    /** Backward (dx, dgamma, dbeta). */
    @Benchmark
    public float[] backward() {
        BatchNorm.backward(m, c, x, 0, dy, 0, gamma, 0, mean, 0, invStd, 0, dx, 0, dgamma, 0, dbeta, 0);
        return dx;
    }

    /** Inference forward with moving statistics. */
    @Benchmark
    public float[] forwardInference() {
        BatchNorm.forwardInference(m, c, x, 0, gamma, 0, beta, 0, mean, 0, var, 0, 1e-3f, y, 0);
        return y;
    }
}
