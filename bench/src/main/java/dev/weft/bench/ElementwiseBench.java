package dev.weft.bench;

import dev.weft.engine.Tensor;
import dev.weft.engine.kernels.Parallel;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * JMH: the generic elementwise ops and reductions as a training step uses them, at a conv
 * activation shape x [64, 16, 16, 64] (1M floats): bias add x + b[64], residual add x + x,
 * ReLU forward, ReLU forward+backward through autograd (g·step(x)), x·s, sigmoid, exp, the bias
 * gradient (sum over N, H, W), a last-dim row sum of [1024, 1024], and [4096, 256] + [1].
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
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
}
