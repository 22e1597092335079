package dev.weft.bench;

import dev.weft.engine.kernels.LstmCell;
import dev.weft.engine.kernels.Parallel;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * JMH: one fused LSTM step at the seed model's shapes (batch 64, units 64, input 100 for the first
 * layer and 64 for the second), forward and forward+backward.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class LstmBench {
    /** Input width D. */
    @Param({"100", "64"})
    public int inputDim;
    /** Kernel threads. */
    @Param({"1", "2"})
    public int threads;

    static final int B = 64, U = 64;
    float[] x, h0, c0, w, r, bias, gates, c, tc, h, dh, dc, dx, dhp, dcp, dw, dr, db;

    /** Allocates random inputs. */
    @Setup
    public void setup() {
        Parallel.setThreads(threads);
        int d = inputDim;
        Random rnd = new Random(1);
        x = ConvBench.fill(rnd, B * d); h0 = ConvBench.fill(rnd, B * U); c0 = ConvBench.fill(rnd, B * U);
        w = ConvBench.fill(rnd, d * 4 * U); r = ConvBench.fill(rnd, U * 4 * U); bias = ConvBench.fill(rnd, 4 * U);
        gates = new float[B * 4 * U]; c = new float[B * U]; tc = new float[B * U]; h = new float[B * U];
        dh = ConvBench.fill(rnd, B * U); dc = ConvBench.fill(rnd, B * U);
        dx = new float[B * d]; dhp = new float[B * U]; dcp = new float[B * U];
        dw = new float[d * 4 * U]; dr = new float[U * 4 * U]; db = new float[4 * U];
    }

    /** Forward step. */
    @Benchmark
    public float[] forward() {
        LstmCell.forward(B, inputDim, U, x, 0, h0, 0, c0, 0, w, 0, r, 0, bias, 0, gates, 0, c, 0, tc, 0, h, 0);
        return h;
    }

    /** Forward then backward step. */
    @Benchmark
    public float[] forwardBackward() {
        LstmCell.forward(B, inputDim, U, x, 0, h0, 0, c0, 0, w, 0, r, 0, bias, 0, gates, 0, c, 0, tc, 0, h, 0);
        LstmCell.backward(B, inputDim, U, x, 0, h0, 0, c0, 0, w, 0, r, 0, gates, 0, tc, 0, dh, 0, dc, 0,
                dx, 0, dhp, 0, dcp, 0, dw, 0, dr, 0, db, 0);
        return dw;
    }
}
