package dev.weft.bench;

import dev.weft.engine.Tensor;
import dev.weft.engine.kernels.Parallel;
import java.util.concurrent.TimeUnit;
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

/**
 * JMH: one training step and one inference pass of each seed model at the seed's batch size (VGG 32,
 * ResNet-18 64, LSTM 64 x 100 ids, VAE 512), the same step {@link ModelCompare} times beside
 * PyTorch ({@link ModelCompare.Case}: the zoo's {@code Trainer.trainOnBatch} with Adam and the seed's
 * loss; {@code predictOnBatch} for inference). Scores are steps per second; the secondary metric
 * {@code samples} is samples per second (steps x batch).
 *
 * <pre>
 *   bench/compare/jmh.sh ModelBench -p model=lstm,vae -p threads=1,2
 *   bench/compare/jmh.sh ModelBench.train -p model=vgg -p threads=1 -wi 2 -i 3
 * </pre>
 *
 * VGG and ResNet training steps take seconds each, so iterations are long (5 s); pass
 * {@code -wi}/{@code -i}/{@code -r} to trade precision for time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ModelBench {
    /** Zoo model name. */
    @Param({"vgg", "resnet18", "lstm", "vae"})
    public String model;
    /** Kernel threads. */
    @Param({"1", "2"})
    public int threads;

    ModelCompare.Case c;

    /** Builds the model, its optimizer and the random batch once per fork. */
    @Setup(Level.Trial)
    public void setup() {
        Parallel.setThreads(threads);
        c = ModelCompare.Case.of(model);
    }

    /** Samples processed: reported by JMH as a rate next to the step rate. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Samples {
        /** Samples in the timed steps. */
        public long samples;
    }

    /** zeroGrad, forward (training mode), loss, backward, Adam step. */
    @Benchmark
    public void train(Samples s) {
        c.trainStep();
        s.samples += c.batch;
    }

    /** Forward pass in inference mode without gradients. */
    @Benchmark
    public Tensor infer(Samples s) {
        s.samples += c.batch;
        return c.infer();
    }
}
