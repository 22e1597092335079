package dev.weft.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.weft.engine.Rng;
import dev.weft.engine.Tensor;
import dev.weft.engine.kernels.Gemm;
import dev.weft.engine.kernels.Parallel;
import dev.weft.engine.kernels.VectorSupport;
import dev.weft.nn.Layer;
import dev.weft.nn.optim.Adam;
import dev.weft.zoo.models.LstmSentiment;
import dev.weft.zoo.models.Vae;
import dev.weft.zoo.models.VaeTraining;
import dev.weft.zoo.models.ZooModel;
import dev.weft.zoo.train.Trainer;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Weft against PyTorch on the four seed models, side by side: one training step and one inference
 * pass at the seed's batch sizes, 1 and 2 threads (run through {@code bench/compare-models.sh}).
 *
 * <p><b>Driver</b> (default mode): for every model, thread count and phase it runs one Weft JVM
 * ({@code --worker}) and one PyTorch process ({@code bench/peers/models_torch.py}), alternating
 * which goes first, each measuring with the same method; then prints a Markdown table with the
 * median samples/s (min–max) per side, the ratio, the Weft JVM's heap, the load average, and writes
 * every step time to a JSON file.
 *
 * <p><b>Method</b> (both sides): random inputs made once; warm-up ≥ 3 steps and ≥ 3 s (Weft: and
 * until its heap has settled, three collections without a new peak of the committed heap, at most
 * the timing cap); then steps
 * timed one by one until ≥ 9 steps and ≥ 10 s (stop at 60 s, with at least 3 steps). Each step
 * records wall time; the timed window's process CPU time (all threads) is recorded too.
 * samples/s = batch / step time; a cell shows the median step and the spread of single steps. The
 * table gives three ratios (Weft / PyTorch): of the medians; of the means (total samples / total
 * step time, which counts steps slowed by a GC fully); and, for 1 thread, of samples per process
 * CPU-second. {@code --quick}: warm-up ≥ 2 steps and ≥ 1 s, ≥ 5 steps and ≥ 3 s, cap 20 s.
 * {@code --from FILE} re-prints the table of an earlier run's JSON.
 *
 * <p><b>Weft's step</b> is the zoo's: {@link Trainer#trainOnBatch} compiled with Adam (Keras
 * defaults) and the seed's loss (the VAE: {@link VaeTraining#step}, its GradientTape-style loop) —
 * training mode, zeroGrad, forward, loss, backward, Adam step; no metrics (PyTorch computes none).
 * Inference is {@link Trainer#predictOnBatch}: inference mode, no gradients.
 *
 * <p><b>Heap</b> (training workers): the peak used heap (largest heap use seen just before a GC or
 * after a step), the live heap after a full GC at the end of warm-up (step k) and after step
 * n ≥ 2k (flat if the two agree), the bytes allocated per step, GC count and time in the timed
 * window, and the process' peak resident memory (VmHWM).
 *
 * <p><b>Profile</b> ({@code --profile}): a JFR recording of the timed steps (execution samples
 * every 10 ms, allocation samples); prints where the samples fall by Weft op (forward / backward /
 * optimizer), by kernel and by innermost method, and the sampled allocated bytes by innermost Weft
 * method and class ({@code float[]} or {@code Float512Vector} allocated in a kernel method: its vectors
 * are boxed, the kernel is not fully C2-compiled).
 *
 * <pre>
 * driver: ModelCompare [--models vgg,resnet18,lstm,vae] [--threads 1,2] [--phases train,infer] [--quick]
 *         [--clock wall|cpu] [--json FILE] [--java BIN] [--cp CLASSPATH] [--jvm-opt OPT]...
 *         [--python /usr/bin/python3] [--torch-script bench/peers/models_torch.py] [--no-torch]
 * worker: ModelCompare --worker --model vgg --threads 1 --phase train [--quick] [--profile]
 * </pre>
 */
public final class ModelCompare {
    private ModelCompare() {}

    /** The models, by the zoo's names, in table order. */
    public static final List<String> MODELS = List.of("vgg", "resnet18", "lstm", "vae");

    /** Entry point: the driver, or with {@code --worker} one measurement. */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--worker")) Worker.main(Arrays.copyOfRange(args, 1, args.length));
        else Driver.main(args);
    }

    // ============================================================================ what is timed

    /** Collections without a new peak of the committed heap after which Weft's warm-up may end. */
    static final int SETTLED_COLLECTIONS = 3;

    /** The collector the Weft workers run with unless a --jvm-opt selects another (the launcher's default too). */
    static final String DEFAULT_GC = "-XX:+UseParallelGC";

    /** A seed model with random inputs (made once) and its training/inference step. */
    public static final class Case {
        /** Zoo name. */
        public final String name;
        /** The seed's batch size. */
        public final int batch;
        /** The network. */
        public final Layer net;
        /** The zoo's training front end, compiled with Adam and the seed's loss (or the VAE's step). */
        public final Trainer trainer;
        /** Inputs {@code [batch, ...]} and targets (null for the VAE). */
        public final Tensor x, y;

        private Case(String name, int batch, Layer net, Trainer trainer, Tensor x, Tensor y) {
            this.name = name;
            this.batch = batch;
            this.net = net;
            this.trainer = trainer;
            this.x = x;
            this.y = y;
        }

        /** One training step: training mode, zeroGrad, forward, loss, backward, Adam step. */
        public void trainStep() { trainer.trainOnBatch(x, y); }

        /** One inference pass (inference mode, no gradients): VGG softmax, ResNet logits, LSTM sigmoid, VAE logits. */
        public Tensor infer() { return trainer.predictOnBatch(x); }

        /** Trainable parameters. */
        public long params() { return net.countParameters(); }

        /** Builds {@code name} (vgg, resnet18, lstm, vae) with seeded weights and random data of the seed's shapes. */
        public static Case of(String name) {
            ZooModel zm = ZooModel.byName(name);
            int n = zm.batchSize();
            Layer net = zm.build(42);
            Rng rng = new Rng(7);
            Tensor x, y;
            switch (zm) {
                case VGG:                                                          // [32, 32, 32, 3] in [-1, 1]
                    x = Tensor.uniform(rng, -1f, 1f, n, 32, 32, 3);
                    y = oneHot(rng, n, 100);
                    break;
                case RESNET18:                                                     // [64, 32, 32, 3] in [0, 1]
                    x = Tensor.uniform(rng, 0f, 1f, n, 32, 32, 3);
                    y = oneHot(rng, n, 100);
                    break;
                case LSTM: {                                                       // ids [64, 100] as whole floats
                    float[] ids = new float[n * LstmSentiment.MAXLEN];
                    for (int i = 0; i < ids.length; i++) ids[i] = rng.nextInt(LstmSentiment.VOCAB);
                    x = Tensor.of(ids, n, LstmSentiment.MAXLEN);
                    float[] labels = new float[n];
                    for (int i = 0; i < n; i++) labels[i] = rng.nextInt(2);
                    y = Tensor.of(labels, n, 1);
                    break;
                }
                case VAE:                                                          // [512, 784] in [0, 1]
                    x = Tensor.uniform(rng, 0f, 1f, n, Vae.INPUT);
                    y = null;
                    break;
                default:
                    throw new IllegalArgumentException("ModelCompare: no benchmark case for '" + name + "'; models: " + MODELS);
            }
            Adam adam = new Adam(net.namedParameters());
            Trainer trainer = new Trainer(net);
            if (zm == ZooModel.VAE) trainer.compile(adam, VaeTraining.step((Vae) net, adam));
            else trainer.compile(adam, zm.loss());
            return new Case(zm.id(), n, net, trainer, x, y);
        }

        private static Tensor oneHot(Rng rng, int n, int classes) {
            float[] v = new float[n * classes];
            for (int i = 0; i < n; i++) v[i * classes + rng.nextInt(classes)] = 1f;
            return Tensor.of(v, n, classes);
        }
    }

    /** Warm-up and timing limits, the same for both sides. */
    static final class Limits {
        final int warmupSteps, minSteps;
        final double warmupS, minS, capS;

        Limits(int warmupSteps, double warmupS, int minSteps, double minS, double capS) {
            this.warmupSteps = warmupSteps;
            this.warmupS = warmupS;
            this.minSteps = minSteps;
            this.minS = minS;
            this.capS = capS;
        }

        static final Limits FULL = new Limits(3, 3, 9, 10, 60);
        static final Limits QUICK = new Limits(2, 1, 5, 3, 20);

        List<String> args() {
            return List.of("--warmup-steps", "" + warmupSteps, "--warmup-s", "" + warmupS, "--min-steps", "" + minSteps,
                    "--min-s", "" + minS, "--cap-s", "" + capS);
        }
    }

    // ============================================================================ worker

    /** One measurement in this JVM; prints one JSON object on stdout. */
    static final class Worker {
        private static final com.sun.management.OperatingSystemMXBean OS =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        private static final com.sun.management.ThreadMXBean THREADS =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

        static void main(String[] args) throws Exception {
            String model = null, phase = "train";
            int threads = 1;
            boolean profile = false;
            Limits lim = Limits.FULL;
            int warmupSteps = -1, minSteps = -1;
            double warmupS = -1, minS = -1, capS = -1;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--model": model = args[++i]; break;
                    case "--threads": threads = Integer.parseInt(args[++i]); break;
                    case "--phase": phase = args[++i]; break;
                    case "--quick": lim = Limits.QUICK; break;
                    case "--profile": profile = true; break;
                    case "--warmup-steps": warmupSteps = Integer.parseInt(args[++i]); break;
                    case "--warmup-s": warmupS = Double.parseDouble(args[++i]); break;
                    case "--min-steps": minSteps = Integer.parseInt(args[++i]); break;
                    case "--min-s": minS = Double.parseDouble(args[++i]); break;
                    case "--cap-s": capS = Double.parseDouble(args[++i]); break;
                    default: throw new IllegalArgumentException("ModelCompare --worker: unknown flag " + args[i]);
                }
            }
            if (model == null) throw new IllegalArgumentException("ModelCompare --worker: --model is required");
            if (!phase.equals("train") && !phase.equals("infer"))
                throw new IllegalArgumentException("ModelCompare --worker: --phase must be train or infer, got " + phase);
            lim = new Limits(warmupSteps >= 0 ? warmupSteps : lim.warmupSteps, warmupS >= 0 ? warmupS : lim.warmupS,
                    minSteps >= 0 ? minSteps : lim.minSteps, minS >= 0 ? minS : lim.minS, capS >= 0 ? capS : lim.capS);
            Parallel.setThreads(threads);
            Case c = Case.of(model);
            boolean train = phase.equals("train");
            Runnable step = train ? c::trainStep : () -> c.infer();
            HeapWatch heap = new HeapWatch();
            double load0 = OS.getSystemLoadAverage();

            // Warm-up: the steps and seconds of the method, and until the heap has settled: three
            // collections without a new peak of the committed heap (at most the timing cap). The
            // parallel collector grows the young generation at every second collection until its
            // maximum, and on these VMs a page touched for the first time costs ~10x a warm one:
            // each growth slowed a whole eden cycle of steps by up to 10x (bench/MODELS.md).
            int warm = 0;
            long t0 = System.nanoTime(), committed = -1, gcAtChange = -1;
            boolean settled;
            while (true) {
                step.run();
                heap.afterStep();
                warm++;
                long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
                if (now > committed) { committed = now; gcAtChange = gcCount(); } // a new peak: fresh pages
                settled = gcCount() >= gcAtChange + SETTLED_COLLECTIONS;
                double s = (System.nanoTime() - t0) / 1e9;
                if (warm >= lim.warmupSteps && s >= lim.warmupS && (settled || s >= lim.capS)) break;
            }
            double warmS = (System.nanoTime() - t0) / 1e9;
            long liveAtK = train ? liveHeapAfterFullGc() : -1;
            Profiler prof = profile ? Profiler.start() : null;

            // timed steps
            List<Double> wall = new ArrayList<>(), cpu = new ArrayList<>();
            long gcCount0 = gcCount(), gcMs0 = gcMillis(), alloc0 = allocatedBytes();
            long start = System.nanoTime(), cpuStart = OS.getProcessCpuTime();
            while (true) {
                long w0 = System.nanoTime(), c0 = OS.getProcessCpuTime();
                step.run();
                long c1 = OS.getProcessCpuTime(), w1 = System.nanoTime();
                heap.afterStep();
                wall.add((w1 - w0) / 1e9);
                cpu.add((c1 - c0) / 1e9);
                double elapsed = (w1 - start) / 1e9;
                if (wall.size() >= lim.minSteps && elapsed >= lim.minS) break;
                if (elapsed >= lim.capS && wall.size() >= 3) break;
            }
            double cpuWindowS = (OS.getProcessCpuTime() - cpuStart) / 1e9;
            long allocPerStep = (allocatedBytes() - alloc0) / wall.size();
            long gcCount = gcCount() - gcCount0, gcMs = gcMillis() - gcMs0;
            double timedS = (System.nanoTime() - start) / 1e9;
            Map<String, Object> profileOut = prof != null ? prof.stopAndSummarize(15) : null;

            // heap at step n >= 2k: run untimed steps if the timed ones did not get there
            int stepsDone = warm + wall.size();
            long liveAtN = -1;
            if (train) {
                while (stepsDone < 2 * warm) { step.run(); heap.afterStep(); stepsDone++; }
                liveAtN = liveHeapAfterFullGc();
            }
            double load1 = OS.getSystemLoadAverage();

            Map<String, Object> r = new LinkedHashMap<>();
            r.put("impl", "weft");
            r.put("model", c.name);
            r.put("phase", phase);
            r.put("threads", threads);
            r.put("batch", c.batch);
            r.put("params", c.params());
            r.put("warmup_steps", warm);
            r.put("warmup_s", warmS);
            r.put("heap_settled", settled);         // false: warm-up hit the cap with the heap still growing
            r.put("wall_s", wall);
            r.put("cpu_s", cpu);                    // per step; the JVM reports process CPU time in 10 ms ticks
            r.put("cpu_window_s", cpuWindowS);      // process CPU time (all threads, GC and JIT included) of the timed steps
            r.put("timed_s", timedS);
            r.put("loadavg_before", load0);
            r.put("loadavg_after", load1);
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("peak_used_mb", mb(heap.peak()));
            h.put("max_heap_mb", mb(Runtime.getRuntime().maxMemory()));
            h.put("peak_committed_mb", mb(heap.peakCommitted));
            if (train) {
                h.put("live_after_gc_step_k", warm);
                h.put("live_after_gc_k_mb", mb(liveAtK));
                h.put("live_after_gc_step_n", stepsDone);
                h.put("live_after_gc_n_mb", mb(liveAtN));
            }
            h.put("allocated_mb_per_step", mb(allocPerStep));
            h.put("gc_count_timed", gcCount);
            h.put("gc_ms_timed", gcMs);
            h.put("vm_hwm_mb", vmHwmMb());
            r.put("heap", h);
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("jdk", Runtime.version().toString());
            v.put("vm", System.getProperty("java.vm.name"));
            v.put("vector", VectorSupport.ENABLED);
            v.put("gemm", Gemm.describe());
            v.put("jvm_args", ManagementFactory.getRuntimeMXBean().getInputArguments());
            r.put("versions", v);
            if (profileOut != null) r.put("profile", profileOut);
            heap.close();
            System.out.println(Json.write(r));
        }

        private static long liveHeapAfterFullGc() {
            System.gc();
            System.gc();   // a second pass picks up what the first one only made unreachable (finalizable, soft)
            // what the last collection left in each heap pool: with the parallel collector the heap's
            // heap "used" read right after System.gc() came out ~24 MB above these (VAE: 23 -> 47 MB where G1 said 7 -> 7)
            long live = 0;
            for (java.lang.management.MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                java.lang.management.MemoryUsage after = pool.getCollectionUsage();
                if (pool.getType() == java.lang.management.MemoryType.HEAP && after != null) live += after.getUsed();
            }
            return live > 0 ? live : ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        }

        private static long gcCount() {
            long n = 0;
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) n += Math.max(0, gc.getCollectionCount());
            return n;
        }

        private static long gcMillis() {
            long n = 0;
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) n += Math.max(0, gc.getCollectionTime());
            return n;
        }

        /** Bytes allocated so far by all live threads (the caller and the kernel pool). */
        private static long allocatedBytes() {
            long sum = 0;
            for (long b : THREADS.getThreadAllocatedBytes(THREADS.getAllThreadIds())) sum += Math.max(0, b);
            return sum;
        }

        private static double vmHwmMb() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/status")))
                    if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            } catch (IOException | RuntimeException e) {
                return -1;
            }
            return -1;
        }
    }

    static double mb(long bytes) { return bytes < 0 ? -1 : Math.round(bytes / 1048576.0 * 10) / 10.0; }

    /** Tracks the largest heap use: used heap before every GC (from GC notifications) and after every step. */
    static final class HeapWatch implements AutoCloseable {
        private volatile long peakBeforeGc;
        private long peakAfterStep;
        long peakCommitted;
        private final List<NotificationEmitter> emitters = new ArrayList<>();
        private final javax.management.NotificationListener listener = (notification, handback) -> {
            if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) return;
            GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
            long used = 0;
            for (MemoryUsage u : info.getGcInfo().getMemoryUsageBeforeGc().values()) used += u.getUsed();
            synchronized (this) { if (used > peakBeforeGc) peakBeforeGc = used; }
        };

        HeapWatch() {
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc instanceof NotificationEmitter e) {
                    e.addNotificationListener(listener, null, null);
                    emitters.add(e);
                }
            }
        }

        void afterStep() {
            MemoryUsage u = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            peakAfterStep = Math.max(peakAfterStep, u.getUsed());
            peakCommitted = Math.max(peakCommitted, u.getCommitted());
        }

        /** Before-GC totals include non-heap pools of none: GC notifications list heap pools (and, for G1, nothing else). */
        synchronized long peak() { return Math.max(peakBeforeGc, peakAfterStep); }

        @Override public void close() {
            for (NotificationEmitter e : emitters) {
                try { e.removeNotificationListener(listener); } catch (javax.management.ListenerNotFoundException ignored) { /* gone */ }
            }
        }
    }

    /** JFR execution samples of the timed steps, summarised by Weft op, kernel and innermost method. */
    static final class Profiler {
        private final jdk.jfr.Recording rec;

        private Profiler(jdk.jfr.Recording rec) { this.rec = rec; }

        static Profiler start() {
            jdk.jfr.Recording r = new jdk.jfr.Recording();
            r.enable("jdk.ExecutionSample").withPeriod(java.time.Duration.ofMillis(10)).withStackTrace();
            // allocation samples too: a kernel that C2 did not compile fully boxes its vectors and
            // shows up here as a site of float[] (vector payload) or Float*Vector allocations
            r.enable("jdk.ObjectAllocationSample").with("throttle", "300/s").withStackTrace();
            r.setToDisk(true);
            r.start();
            return new Profiler(r);
        }

        Map<String, Object> stopAndSummarize(int top) throws IOException {
            rec.stop();
            Path file = Files.createTempFile("weft-model-profile", ".jfr");
            try {
                rec.dump(file);
                rec.close();
                Map<String, Integer> byOp = new HashMap<>(), byKernel = new HashMap<>(), bySelf = new HashMap<>(),
                        byEntry = new HashMap<>();
                Map<String, Long> allocBySite = new HashMap<>();
                int total = 0;
                long allocTotal = 0;
                for (jdk.jfr.consumer.RecordedEvent e : jdk.jfr.consumer.RecordingFile.readAllEvents(file)) {
                    jdk.jfr.consumer.RecordedStackTrace st = e.getStackTrace();
                    if (st == null || st.getFrames().isEmpty()) continue;
                    List<jdk.jfr.consumer.RecordedFrame> frames = st.getFrames();   // innermost first
                    if (e.getEventType().getName().equals("jdk.ObjectAllocationSample")) {
                        long bytes = e.getLong("weight");
                        String cls = e.getClass("objectClass").getName();
                        String site = "?";
                        for (jdk.jfr.consumer.RecordedFrame f : frames) {
                            if (f.getMethod().getType().getName().startsWith("dev.weft.")) { site = frameName(f); break; }
                        }
                        allocBySite.merge(site + " " + cls.substring(cls.lastIndexOf('.') + 1), bytes, Long::sum);
                        allocTotal += bytes;
                        continue;
                    }
                    total++;
                    bySelf.merge(frameName(frames.get(0)), 1, Integer::sum);
                    String kernel = null, op = null, entry = null;
                    String phase = "forward";
                    for (jdk.jfr.consumer.RecordedFrame f : frames) {
                        String cls = f.getMethod().getType().getName();
                        if (kernel == null && cls.startsWith("dev.weft.engine.kernels.") && !cls.endsWith("Parallel")
                                && !cls.contains("Parallel$")) kernel = frameName(f);
                        if (cls.startsWith("dev.weft.engine.kernels.") && !cls.contains("Parallel")
                                && !f.getMethod().getName().startsWith("lambda$")) entry = frameName(f); // outermost kernel call
                        if (op == null && (cls.startsWith("dev.weft.engine.ops.") || cls.startsWith("dev.weft.nn.optim.")
                                || cls.startsWith("dev.weft.engine.autograd.") || cls.equals("dev.weft.engine.Tensor"))) op = frameName(f);
                        if (cls.startsWith("dev.weft.nn.optim.")) phase = "optimizer";
                        else if (cls.equals("dev.weft.engine.autograd.Graph") && !phase.equals("optimizer")) phase = "backward";
                    }
                    byKernel.merge(kernel == null ? "(no kernel frame)" : kernel, 1, Integer::sum);
                    if (kernel != null) byEntry.merge(kernel + " < " + entry, 1, Integer::sum);
                    byOp.merge(phase + " " + (op == null ? "(outside engine ops)" : op), 1, Integer::sum);
                }
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("samples", total);
                out.put("by_op", topShares(byOp, total, top));
                out.put("by_kernel", topShares(byKernel, total, top));
                out.put("by_method", topShares(bySelf, total, top));
                out.put("by_kernel_entry", topShares(byEntry, total, top));
                // allocation: percent of the sampled bytes by innermost Weft frame and class
                Map<String, Integer> allocShares = new HashMap<>();
                allocBySite.forEach((k, v) -> allocShares.merge(k, (int) Math.min(Integer.MAX_VALUE, v >> 10), Integer::sum));
                out.put("alloc_sampled_mb", allocTotal >> 20);
                out.put("alloc_by_site", topShares(allocShares, (int) Math.min(Integer.MAX_VALUE, allocTotal >> 10), 10));
                return out;
            } finally {
                Files.deleteIfExists(file);
            }
        }

        private static String frameName(jdk.jfr.consumer.RecordedFrame f) {
            String cls = f.getMethod().getType().getName();
            cls = cls.substring(cls.lastIndexOf('.') + 1);
            return cls + "." + f.getMethod().getName();
        }

        private static Map<String, Double> topShares(Map<String, Integer> counts, int total, int top) {
            Map<String, Double> out = new LinkedHashMap<>();
            counts.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(top)
                    .forEach(e -> out.put(e.getKey(), Math.round(1000.0 * e.getValue() / Math.max(1, total)) / 10.0));
            return out;
        }
    }

    // ============================================================================ driver

    /** Runs the workers of both sides, alternating, and prints the table. */
    static final class Driver {
        static void main(String[] args) throws Exception {
            List<String> models = MODELS, phases = List.of("train", "infer");
            int[] threads = {1, 2};
            boolean quick = false, torch = true, profile = false;
            int repeat = 1;
            String clock = "wall", json = "model-compare.json", java = javaBinary(), cp = System.getProperty("java.class.path");
            String python = "/usr/bin/python3", script = "bench/peers/models_torch.py";
            List<String> jvmOpts = new ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--models": models = List.of(args[++i].split(",")); break;
                    case "--threads": threads = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray(); break;
                    case "--phases": phases = List.of(args[++i].split(",")); break;
                    case "--quick": quick = true; break;
                    case "--clock": clock = args[++i]; break;
                    case "--json": json = args[++i]; break;
                    case "--java": java = args[++i]; break;
                    case "--cp": cp = args[++i]; break;
                    case "--jvm-opt": jvmOpts.add(args[++i]); break;
                    case "--python": python = args[++i]; break;
                    case "--torch-script": script = args[++i]; break;
                    case "--no-torch": torch = false; break;
                    case "--profile": profile = true; break;
                    case "--repeat": repeat = Integer.parseInt(args[++i]); break;
                    case "--from": {   // re-print the table of an earlier run's JSON
                        @SuppressWarnings("unchecked") Map<String, Object> old = (Map<String, Object>) Json.parse(Files.readString(Path.of(args[++i])));
                        @SuppressWarnings("unchecked") List<Map<String, Object>> oldRows = (List<Map<String, Object>>) old.get("rows");
                        System.out.println(table(oldRows, clock));
                        String runs = repeatTable(oldRows, clock);
                        if (!runs.isEmpty()) System.out.println(runs);
                        return;
                    }
                    default: throw new IllegalArgumentException("ModelCompare: unknown flag " + args[i]
                            + " (--models --threads --phases --quick --clock --json --java --cp --jvm-opt --python --torch-script --no-torch --profile --repeat N --from FILE)");
                }
            }
            if (repeat < 1) throw new IllegalArgumentException("ModelCompare: --repeat must be >= 1, got " + repeat);
            if (!clock.equals("wall") && !clock.equals("cpu"))
                throw new IllegalArgumentException("ModelCompare: --clock must be wall or cpu, got " + clock);
            for (String m : models)
                if (!MODELS.contains(m)) throw new IllegalArgumentException("ModelCompare: unknown model " + m + "; models: " + MODELS);
            if (torch && !new File(script).isFile())
                throw new IllegalArgumentException("ModelCompare: PyTorch script not found: " + script + " (run from the repository root or pass --torch-script)");
            Limits lim = quick ? Limits.QUICK : Limits.FULL;

            PrintStream out = System.out;
            out.printf(Locale.ROOT, "# Weft vs PyTorch, seed models; %s; clock %s; %s%n", quick ? "quick" : "full", clock,
                    Instant.now());
            List<Map<String, Object>> rows = new ArrayList<>();
            long t0 = System.nanoTime();
            Sides sides = new Sides(java, cp, jvmOpts, lim, profile, torch ? python : null, script);
            // Repeats are the outer loop, so the runs of one row lie minutes apart (the host's slow phases last minutes).
            for (int run = 1; run <= repeat; run++) {
                int pairIndex = 0;
                for (String model : models) {
                    for (int t : threads) {
                        for (String phase : phases) {
                            // alternate who runs first, and flip the pattern each run so every row gets both orders
                            boolean weftFirst = (pairIndex++ + run - 1) % 2 == 0;
                            Map<String, Object> row = sides.measure(model, t, phase, run, weftFirst);
                            rows.add(row);
                            out.println(rowLine(row, clock));
                            out.flush();
                        }
                    }
                }
            }
            double minutes = (System.nanoTime() - t0) / 60e9;
            out.println();
            out.println(table(rows, clock));
            if (repeat > 1) out.println(repeatTable(rows, clock));
            Map<String, Object> all = new LinkedHashMap<>();
            all.put("date", Instant.now().toString());
            all.put("command", String.join(" ", args));
            all.put("clock", clock);
            all.put("limits", lim.args());
            all.put("machine", machine());
            all.put("wall_minutes", minutes);
            all.put("rows", rows);
            Files.writeString(Path.of(json), Json.write(all) + "\n");
            out.printf(Locale.ROOT, "%nJSON written to %s (%.1f min)%n", json, minutes);
        }

        /** How to start each side's worker (python null: Weft only). */
        record Sides(String java, String cp, List<String> jvmOpts, Limits lim, boolean profile, String python, String script) {
            /** One row: a Weft worker and a PyTorch worker for the same model, thread count and phase, in the given order. */
            Map<String, Object> measure(String model, int t, String phase, int run, boolean weftFirst) throws IOException, InterruptedException {
                List<String> workerArgs = new ArrayList<>(List.of("--model", model, "--threads", "" + t, "--phase", phase));
                workerArgs.addAll(lim.args());
                List<String> weftCmd = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector", "-Dweft.threads=" + t));
                // the launcher's collector (./weft) unless --jvm-opt picks one: with G1's default
                // sizing, ResNet-18 training ran at half speed on 2 threads (bench/MODELS.md)
                if (jvmOpts.stream().noneMatch(o -> o.matches("-XX:\\+Use\\w+GC"))) weftCmd.add(DEFAULT_GC);
                weftCmd.addAll(jvmOpts);
                weftCmd.addAll(List.of("-cp", cp, ModelCompare.class.getName(), "--worker"));
                weftCmd.addAll(workerArgs);
                if (profile) weftCmd.add("--profile");
                List<String> torchCmd = new ArrayList<>(List.of(String.valueOf(python), script));
                torchCmd.addAll(workerArgs);
                Map<String, Object> w = null, p = null;
                double uptime = loadAverage();
                for (int k = 0; k < 2; k++) {
                    boolean runWeft = (k == 0) == weftFirst;
                    if (runWeft) w = run(weftCmd, Map.of());
                    else if (python != null) p = run(torchCmd, torchEnv(t));   // null: --no-torch
                }
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("model", model);
                row.put("threads", t);
                row.put("phase", phase);
                row.put("run", run);
                row.put("first", weftFirst ? "weft" : "torch");
                row.put("loadavg_at_start", uptime);
                row.put("weft", w);
                row.put("torch", p);
                return row;
            }
        }

        static String javaBinary() {
            return Path.of(System.getProperty("java.home"), "bin", "java").toString();
        }

        static Map<String, String> torchEnv(int threads) {
            Map<String, String> env = new HashMap<>();
            env.put("OPENBLAS_NUM_THREADS", "" + threads);
            env.put("OMP_NUM_THREADS", "" + threads);
            return env;
        }

        /** Runs one worker; returns its JSON answer parsed, or a map with "error". */
        static Map<String, Object> run(List<String> cmd, Map<String, String> extraEnv) throws IOException, InterruptedException {
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().remove("OPENBLAS_CORETYPE");
            pb.environment().remove("OPENBLAS_L2_SIZE");
            pb.environment().putAll(extraEnv);
            pb.redirectErrorStream(false);
            Process proc = pb.start();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread errPump = new Thread(() -> pump(proc.getErrorStream(), err));
            errPump.start();
            String stdout = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!proc.waitFor(15, TimeUnit.MINUTES)) proc.destroyForcibly();
            errPump.join();
            String last = "";
            for (String line : stdout.split("\n")) if (line.startsWith("{")) last = line;
            if (proc.exitValue() != 0 || last.isEmpty()) {
                String e = err.toString(StandardCharsets.UTF_8).replace("WARNING: Using incubator modules: jdk.incubator.vector", "").trim();
                System.err.println("worker failed (exit " + proc.exitValue() + "): " + String.join(" ", cmd) + "\n" + e);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("error", e.length() > 2000 ? e.substring(e.length() - 2000) : e);
                return m;
            }
            @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) Json.parse(last);
            return m;
        }

        private static void pump(InputStream in, ByteArrayOutputStream sink) {
            try { in.transferTo(sink); } catch (IOException e) { throw new UncheckedIOException(e); }
        }

        static double loadAverage() { return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(); }

        /**
         * {median, min, max} samples/s of a worker's steps, or null. By {@code wall} clock: of the
         * single steps. By {@code cpu}: the timed window's process CPU time over its steps (a mean;
         * min = max = mean), as the JVM's process CPU clock ticks in 10 ms.
         */
        static double[] throughput(Map<String, Object> r, String clock) {
            if (r == null || r.containsKey("error")) return null;
            @SuppressWarnings("unchecked") List<Object> times = (List<Object>) r.get("wall_s");
            double batch = ((Number) r.get("batch")).doubleValue();
            if (clock.equals("cpu")) {
                double v = batch * times.size() / Math.max(1e-9, num(r.get("cpu_window_s")));
                return new double[] {v, v, v};
            }
            double[] v = times.stream().mapToDouble(o -> batch / Math.max(1e-9, ((Number) o).doubleValue())).sorted().toArray();
            if (v.length == 0) return null;
            double med = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
            return new double[] {med, v[0], v[v.length - 1]};
        }

        static String cell(double[] s) {
            if (s == null) return "–";
            if (s[1] == s[2]) return fmt(s[0]);
            return String.format(Locale.ROOT, "%s (%s–%s)", fmt(s[0]), fmt(s[1]), fmt(s[2]));
        }

        static String fmt(double v) {
            if (v >= 1000) return String.format(Locale.ROOT, "%,.0f", v);
            if (v >= 100) return String.format(Locale.ROOT, "%.0f", v);
            return String.format(Locale.ROOT, "%.1f", v);
        }

        /** samples/s over the whole timed window by wall clock (total samples / total step time): counts slow steps (GC) fully. */
        static double[] meanThroughput(Map<String, Object> r) {
            if (r == null || r.containsKey("error")) return null;
            @SuppressWarnings("unchecked") List<Object> times = (List<Object>) r.get("wall_s");
            double sum = 0;
            for (Object o : times) sum += ((Number) o).doubleValue();
            double v = ((Number) r.get("batch")).doubleValue() * times.size() / Math.max(1e-9, sum);
            return new double[] {v, v, v};
        }

        static String ratio(double[] a, double[] b) {
            return a == null || b == null ? "–" : String.format(Locale.ROOT, "%.2f×", a[0] / b[0]);
        }

        @SuppressWarnings("unchecked")
        static String heapCell(Map<String, Object> w) {
            if (w == null || !w.containsKey("heap")) return "–";
            Map<String, Object> h = (Map<String, Object>) w.get("heap");
            String s = String.format(Locale.ROOT, "%.0f MB", num(h.get("peak_used_mb")));
            if (h.containsKey("live_after_gc_k_mb"))
                s += String.format(Locale.ROOT, "; live %.0f → %.0f MB (step %d → %d)", num(h.get("live_after_gc_k_mb")),
                        num(h.get("live_after_gc_n_mb")), (long) num(h.get("live_after_gc_step_k")), (long) num(h.get("live_after_gc_step_n")));
            return s;
        }

        static double num(Object o) { return o == null ? Double.NaN : ((Number) o).doubleValue(); }

        static String load(Map<String, Object> r) {
            if (r == null || r.containsKey("error")) return "–";
            return String.format(Locale.ROOT, "%.1f", (num(r.get("loadavg_before")) + num(r.get("loadavg_after"))) / 2);
        }

        @SuppressWarnings("unchecked")
        static String rowLine(Map<String, Object> row, String clock) {
            Map<String, Object> w = (Map<String, Object>) row.get("weft"), p = (Map<String, Object>) row.get("torch");
            double[] sw = throughput(w, clock), sp = throughput(p, clock);
            String line = String.format(Locale.ROOT, "%s%-8s %dt %-5s weft %s | torch %s | %s | heap %s | load %s/%s",
                    runOf(row) > 1 ? "run " + runOf(row) + " " : "", row.get("model"), (int) num(row.get("threads")), row.get("phase"), cell(sw), cell(sp), ratio(sw, sp), heapCell(w),
                    load(w), load(p));
            if (w != null && w.containsKey("profile")) line += "\n  profile " + Json.write(w.get("profile"));
            return line;
        }

        /** The 1-based run of a row ({@code --repeat}); rows of runs before the flag existed are run 1. */
        static int runOf(Map<String, Object> row) {
            Object r = row.get("run");
            return r == null ? 1 : (int) num(r);
        }

        /**
         * With {@code --repeat N}: per model, thread count and phase, the ratio of the medians (Weft /
         * PyTorch) of each run, summarised as their median with min–max, beside each side's median
         * samples/s over the runs. Empty when every row has one run.
         */
        @SuppressWarnings("unchecked")
        static String repeatTable(List<Map<String, Object>> rows, String clock) {
            Map<String, List<Map<String, Object>>> byKey = new LinkedHashMap<>();
            for (Map<String, Object> r : rows)
                byKey.computeIfAbsent(r.get("model") + "|" + (int) num(r.get("threads")) + "|" + r.get("phase"), k -> new ArrayList<>()).add(r);
            if (byKey.values().stream().allMatch(l -> l.size() < 2)) return "";
            StringBuilder sb = new StringBuilder();
            sb.append("| model | threads | phase | runs | ratio: median of runs (min–max) | Weft samples/s: median of runs (min–max) | PyTorch samples/s: median of runs (min–max) |\n");
            sb.append("|---|---|---|---|---|---|---|\n");
            for (Map.Entry<String, List<Map<String, Object>>> e : byKey.entrySet()) {
                List<Double> ratios = new ArrayList<>(), weft = new ArrayList<>(), torch = new ArrayList<>();
                for (Map<String, Object> r : e.getValue()) {
                    double[] sw = throughput((Map<String, Object>) r.get("weft"), clock), sp = throughput((Map<String, Object>) r.get("torch"), clock);
                    if (sw != null) weft.add(sw[0]);
                    if (sp != null) torch.add(sp[0]);
                    if (sw != null && sp != null) ratios.add(sw[0] / sp[0]);
                }
                String[] k = e.getKey().split("\\|");
                sb.append("| ").append(k[0]).append(" | ").append(k[1]).append(" | ").append(k[2]).append(" | ").append(e.getValue().size())
                        .append(" | ").append(spread(ratios, "%.2f×")).append(" | ").append(spread(weft, null)).append(" | ").append(spread(torch, null)).append(" |\n");
            }
            return sb.toString();
        }

        // "median (min–max)" of the values, each printed with format (or fmt when null); "–" when empty.
        static String spread(List<Double> v, String format) {
            if (v.isEmpty()) return "–";
            double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double med = a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
            java.util.function.DoubleFunction<String> f = x -> format == null ? fmt(x) : String.format(Locale.ROOT, format, x);
            return a.length == 1 ? f.apply(med) : f.apply(med) + " (" + f.apply(a[0]) + "–" + f.apply(a[a.length - 1]) + ")";
        }

        /** The Markdown table: one line per model and thread count (and run, with --repeat), training then inference. */
        @SuppressWarnings("unchecked")
        static String table(List<Map<String, Object>> rows, String clock) {
            StringBuilder sb = new StringBuilder();
            sb.append("| model | threads | Weft train samples/s | PyTorch train samples/s | ratio | ratio of means | cpu-time ratio"
                    + " | Weft infer samples/s | PyTorch infer samples/s | ratio | ratio of means | cpu-time ratio"
                    + " | Weft heap: peak used; live after GC | load avg (weft/torch, train) |\n");
            sb.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            Map<String, Map<String, Map<String, Object>>> byKey = new LinkedHashMap<>();
            for (Map<String, Object> r : rows)
                byKey.computeIfAbsent(r.get("model") + "|" + (int) num(r.get("threads")) + "|" + runOf(r), k -> new HashMap<>()).put((String) r.get("phase"), r);
            boolean runs = byKey.keySet().stream().anyMatch(key -> !key.endsWith("|1"));
            for (Map.Entry<String, Map<String, Map<String, Object>>> e : byKey.entrySet()) {
                String[] k = e.getKey().split("\\|");
                sb.append("| ").append(k[0]).append(" | ").append(k[1]).append(runs ? " (run " + k[2] + ")" : "").append(" | ");
                for (String phase : List.of("train", "infer")) {
                    Map<String, Object> r = e.getValue().get(phase);
                    Map<String, Object> w = r == null ? null : (Map<String, Object>) r.get("weft");
                    Map<String, Object> p = r == null ? null : (Map<String, Object>) r.get("torch");
                    double[] sw = throughput(w, clock), sp = throughput(p, clock);
                    // the CPU-time ratio means something for 1 thread only (2 threads add up both threads' time)
                    String cpuRatio = k[1].equals("1") ? ratio(throughput(w, "cpu"), throughput(p, "cpu")) : "–";
                    sb.append(cell(sw)).append(" | ").append(cell(sp)).append(" | ").append(ratio(sw, sp)).append(" | ")
                            .append(ratio(meanThroughput(w), meanThroughput(p))).append(" | ").append(cpuRatio).append(" | ");
                }
                Map<String, Object> tr = e.getValue().get("train");
                Map<String, Object> w = tr == null ? null : (Map<String, Object>) tr.get("weft");
                Map<String, Object> p = tr == null ? null : (Map<String, Object>) tr.get("torch");
                sb.append(heapCell(w)).append(" | ").append(load(w)).append(" / ").append(load(p)).append(" |\n");
            }
            return sb.toString();
        }

        static Map<String, Object> machine() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cpus", Runtime.getRuntime().availableProcessors());
            try {
                String info = Files.readString(Path.of("/proc/cpuinfo"));
                Matcher mm = Pattern.compile("model name\\s*:\\s*(.*)").matcher(info);
                if (mm.find()) m.put("model_name", mm.group(1).trim());
                Matcher fl = Pattern.compile("flags\\s*:\\s*(.*)").matcher(info);
                if (fl.find()) {
                    List<String> simd = new ArrayList<>();
                    for (String f : fl.group(1).split(" "))
                        if (f.equals("avx2") || f.equals("fma") || f.startsWith("avx512")) simd.add(f);
                    m.put("simd", simd);
                }
            } catch (IOException e) {
                m.put("cpuinfo", "unreadable");
            }
            m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
            m.put("driver_jdk", Runtime.version().toString());
            return m;
        }
    }

    // ============================================================================ tiny JSON

    /** Just enough JSON for the worker protocol: maps, lists, strings, numbers, booleans, null. */
    static final class Json {
        private Json() {}

        static String write(Object o) {
            StringBuilder sb = new StringBuilder();
            write(o, sb);
            return sb.toString();
        }

        @SuppressWarnings("unchecked")
        private static void write(Object o, StringBuilder sb) {
            if (o == null) sb.append("null");
            else if (o instanceof Map<?, ?> m) {
                sb.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!first) sb.append(", ");
                    first = false;
                    write(String.valueOf(e.getKey()), sb);
                    sb.append(": ");
                    write(e.getValue(), sb);
                }
                sb.append('}');
            } else if (o instanceof List<?> l) {
                sb.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) sb.append(", ");
                    write(l.get(i), sb);
                }
                sb.append(']');
            } else if (o instanceof String s) {
                sb.append('"');
                for (char c : s.toCharArray()) {
                    if (c == '"' || c == '\\') sb.append('\\').append(c);
                    else if (c == '\n') sb.append("\\n");
                    else if (c < 0x20) sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    else sb.append(c);
                }
                sb.append('"');
            } else if (o instanceof Double d) {
                sb.append(d.isNaN() || d.isInfinite() ? "null" : Double.toString(d));   // e.g. 1.5E-4: valid JSON
            } else if (o instanceof Number || o instanceof Boolean) sb.append(o);
            else write(o.toString(), sb);
        }

        static Object parse(String s) {
            int[] pos = {0};
            Object v = value(s, pos);
            skip(s, pos);
            if (pos[0] != s.length()) throw new IllegalArgumentException("JSON: trailing text at " + pos[0]);
            return v;
        }

        private static void skip(String s, int[] p) {
            while (p[0] < s.length() && Character.isWhitespace(s.charAt(p[0]))) p[0]++;
        }

        private static Object value(String s, int[] p) {
            skip(s, p);
            if (p[0] >= s.length()) throw new IllegalArgumentException("JSON: unexpected end");
            char c = s.charAt(p[0]);
            if (c == '{') {
                Map<String, Object> m = new LinkedHashMap<>();
                p[0]++;
                skip(s, p);
                if (s.charAt(p[0]) == '}') { p[0]++; return m; }
                while (true) {
                    skip(s, p);
                    String k = (String) value(s, p);
                    skip(s, p);
                    expect(s, p, ':');
                    m.put(k, value(s, p));
                    skip(s, p);
                    if (s.charAt(p[0]) == ',') { p[0]++; continue; }
                    expect(s, p, '}');
                    return m;
                }
            }
            if (c == '[') {
                List<Object> l = new ArrayList<>();
                p[0]++;
                skip(s, p);
                if (s.charAt(p[0]) == ']') { p[0]++; return l; }
                while (true) {
                    l.add(value(s, p));
                    skip(s, p);
                    if (s.charAt(p[0]) == ',') { p[0]++; continue; }
                    expect(s, p, ']');
                    return l;
                }
            }
            if (c == '"') {
                StringBuilder sb = new StringBuilder();
                p[0]++;
                while (s.charAt(p[0]) != '"') {
                    char ch = s.charAt(p[0]++);
                    if (ch == '\\') {
                        char esc = s.charAt(p[0]++);
                        switch (esc) {
                            case 'n': sb.append('\n'); break;
                            case 't': sb.append('\t'); break;
                            case 'r': sb.append('\r'); break;
                            case 'b': sb.append('\b'); break;
                            case 'f': sb.append('\f'); break;
                            case 'u': sb.append((char) Integer.parseInt(s.substring(p[0], p[0] + 4), 16)); p[0] += 4; break;
                            default: sb.append(esc);
                        }
                    } else sb.append(ch);
                }
                p[0]++;
                return sb.toString();
            }
            if (s.startsWith("true", p[0])) { p[0] += 4; return Boolean.TRUE; }
            if (s.startsWith("false", p[0])) { p[0] += 5; return Boolean.FALSE; }
            if (s.startsWith("null", p[0])) { p[0] += 4; return null; }
            if (s.startsWith("NaN", p[0])) { p[0] += 3; return Double.NaN; }
            int start = p[0];
            while (p[0] < s.length() && "+-0123456789.eE".indexOf(s.charAt(p[0])) >= 0) p[0]++;
            if (start == p[0]) throw new IllegalArgumentException("JSON: unexpected '" + c + "' at " + start);
            return Double.parseDouble(s.substring(start, p[0]));
        }

        private static void expect(String s, int[] p, char c) {
            if (p[0] >= s.length() || s.charAt(p[0]) != c) throw new IllegalArgumentException("JSON: expected '" + c + "' at " + p[0]);
            p[0]++;
        }
    }
}
