package dev.weft.bench;

import dev.weft.engine.Tensor;
import dev.weft.engine.kernels.Parallel;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.*;

/**
 * JMH: the generic elementwise ops and reductions as a training step uses them, at a conv
 * activation shape x [64, 16, 16, 64] (1M floats): bias add x + b[64], residual add x + x,
 * ReLU forward, ReLU forward+backward through autograd (g·step(x)), x·s, sigmoid, exp, the bias
 * gradient (sum over N, H, W), a last-dim row sum of [1024, 1024], and [4096, 256] + [1].
 *
 * <p>On a machine shared with other heavy jobs wall-clock times scatter widely; {@link #main} runs
 * the same cases on one thread timed by the thread's CPU clock (median of rounds), e.g.
 * {@code java --add-modules jdk.incubator.vector -Xms2g -Xmx2g -XX:+AlwaysPreTouch -cp <bench classpath>
 * dev.weft.bench.ElementwiseBench 9}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
// A fixed, pre-touched heap: each op allocates a fresh 4 MB output, and first-touch page faults
// of newly committed heap otherwise add up to 20x to single iterations.
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class ElementwiseBench {
    /** Kernel threads. */
    @Param({"1", "2"})
    public int threads;

    Tensor x, y, bias, g, square, wide, one;

    /** Allocates random inputs. */
    @Setup
    public void setup() {
        Parallel.setThreads(threads);
        Random r = new Random(1);
        x = Tensor.of(ConvBench.fill(r, 64 * 16 * 16 * 64), 64, 16, 16, 64);
        y = Tensor.of(ConvBench.fill(r, 64 * 16 * 16 * 64), 64, 16, 16, 64);
        g = Tensor.of(ConvBench.fill(r, 64 * 16 * 16 * 64), 64, 16, 16, 64);
        bias = Tensor.of(ConvBench.fill(r, 64), 64);
        square = Tensor.of(ConvBench.fill(r, 1024 * 1024), 1024, 1024);
        wide = Tensor.of(ConvBench.fill(r, 4096 * 256), 4096, 256);
        one = Tensor.of(new float[] {0.5f}, 1);
    }

    /** x + b: [N, H, W, C] + [C]. */
    @Benchmark public Tensor biasAdd() { return x.add(bias); }
    /** x + y, same shape. */
    @Benchmark public Tensor residualAdd() { return x.add(y); }
    /** [4096, 256] + [1]. */
    @Benchmark public Tensor scalarBroadcastAdd() { return wide.add(one); }
    /** x·0.5. */
    @Benchmark public Tensor mulScalar() { return x.mul(0.5f); }
    /** relu(x). */
    @Benchmark public Tensor relu() { return x.relu(); }
    /** relu(x) forward and backward with upstream gradient g (autograd). */
    @Benchmark public Tensor reluForwardBackward() {
        Tensor xg = x.detach().requiresGrad(true);
        xg.relu().backward(g);
        return xg.grad();
    }
    /** sigmoid(x). */
    @Benchmark public Tensor sigmoid() { return x.sigmoid(); }
    /** exp(x). */
    @Benchmark public Tensor exp() { return x.exp(); }
    /** Bias gradient: sum of x over N, H, W. */
    @Benchmark public Tensor biasGrad() { return x.sum(new int[] {0, 1, 2}, false); }
    /** Row sums over the last dim of [1024, 1024]. */
    @Benchmark public Tensor rowSum() { return square.sum(new int[] {1}, false); }
    /** Sum of everything. */
    @Benchmark public Tensor sumAll() { return x.sum(); }

    /** CPU-clock runner, one thread: prints the median and minimum CPU microseconds per call of each case over {@code args[0]} rounds (default 9). */
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        ElementwiseBench b = new ElementwiseBench();
        b.threads = 1;
        b.setup();
        Map<String, Supplier<Tensor>> cases = new LinkedHashMap<>();
        cases.put("biasAdd", b::biasAdd);
        cases.put("residualAdd", b::residualAdd);
        cases.put("scalarBroadcastAdd", b::scalarBroadcastAdd);
        cases.put("mulScalar", b::mulScalar);
        cases.put("relu", b::relu);
        cases.put("reluForwardBackward", b::reluForwardBackward);
        cases.put("sigmoid", b::sigmoid);
        cases.put("exp", b::exp);
        cases.put("biasGrad", b::biasGrad);
        cases.put("rowSum", b::rowSum);
        cases.put("sumAll", b::sumAll);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        // Warm every case up before timing any: they share code paths, whose compilation would
        // otherwise be charged to the first case timed.
        for (Supplier<Tensor> f : cases.values()) {
            long warm = mx.getCurrentThreadCpuTime();
            while (mx.getCurrentThreadCpuTime() - warm < 1_000_000_000L) f.get();
        }
        for (Map.Entry<String, Supplier<Tensor>> c : cases.entrySet()) {
            Supplier<Tensor> f = c.getValue();
            double[] us = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                int calls = 0;
                long t0 = mx.getCurrentThreadCpuTime(), t;
                do { f.get(); calls++; } while ((t = mx.getCurrentThreadCpuTime()) - t0 < 200_000_000L);
                us[r] = (t - t0) / 1e3 / calls;
            }
            Arrays.sort(us);
            System.out.printf("%-22s cpu us/call median %9.1f  min %9.1f  max %9.1f%n", c.getKey(), us[rounds / 2], us[0], us[rounds - 1]);
        }
    }
}
