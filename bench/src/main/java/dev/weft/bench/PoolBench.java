package dev.weft.bench;

import dev.weft.engine.kernels.Conv2dSpec.Padding;
import dev.weft.engine.kernels.Parallel;
import dev.weft.engine.kernels.Pool;
import dev.weft.engine.kernels.Pool2dSpec;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * JMH: pooling at the seed models' shapes: ResNet-18 stem max pool 2x2 stride 1 'same' on
 * [64, 30, 30, 64], VGG max pool 2x2 stride 2 on [32, 32, 32, 64], and the ResNet global average
 * pool on [64, 4, 4, 512]; forward and backward.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class PoolBench {
    /** Kernel threads. */
    @Param({"1", "2"})
    public int threads;

    Pool2dSpec stem, vgg;
    float[] xs, ys, dxs, xv, yv, dxv, xg, yg, dxg;

    /** Allocates random inputs. */
    @Setup
    public void setup() {
        Parallel.setThreads(threads);
        stem = Pool2dSpec.of(64, 30, 30, 64, 2, 1, Padding.SAME);
        vgg = Pool2dSpec.of(32, 32, 32, 64, 2, 2, Padding.SAME);
        Random r = new Random(1);
        xs = ConvBench.fill(r, stem.inputSize()); ys = new float[(int) stem.outputSize()]; dxs = new float[xs.length];
        xv = ConvBench.fill(r, vgg.inputSize()); yv = new float[(int) vgg.outputSize()]; dxv = new float[xv.length];
        xg = ConvBench.fill(r, 64 * 16 * 512); yg = new float[64 * 512]; dxg = new float[xg.length];
    }

    /** ResNet stem max pool forward. */
    @Benchmark public float[] maxStemForward() { Pool.maxForward(stem, xs, 0, ys, 0); return ys; }
    /** ResNet stem max pool backward. */
    @Benchmark public float[] maxStemBackward() { Pool.maxBackward(stem, xs, 0, ys, 0, dxs, 0); return dxs; }
    /** VGG max pool forward. */
    @Benchmark public float[] maxVggForward() { Pool.maxForward(vgg, xv, 0, yv, 0); return yv; }
    /** VGG max pool backward. */
    @Benchmark public float[] maxVggBackward() { Pool.maxBackward(vgg, xv, 0, yv, 0, dxv, 0); return dxv; }
    /** Average pool forward (VGG shape). */
    @Benchmark public float[] avgForward() { Pool.avgForward(vgg, xv, 0, yv, 0); return yv; }
    /** Global average pool forward. */
    @Benchmark public float[] globalAvgForward() { Pool.globalAvgForward(64, 4, 4, 512, xg, 0, yg, 0); return yg; }
    /** Global average pool backward. */
    @Benchmark public float[] globalAvgBackward() { Pool.globalAvgBackward(64, 4, 4, 512, yg, 0, dxg, 0); return dxg; }
}
