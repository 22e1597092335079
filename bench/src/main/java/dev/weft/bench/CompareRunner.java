package dev.weft.bench;

import dev.weft.engine.kernels.Gemm;
import dev.weft.engine.kernels.Parallel;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * The Weft side of the side-by-side comparison ({@code bench/compare/compare.py} drives it).
 *
 * <p>A long-lived worker, so the JIT stays warm while the driver interleaves Weft and peer samples.
 * It reads one request per line on stdin and answers one line on stdout:
 * <pre>
 *   request: run kind=gemm m=256 n=256 k=256 ta=0 tb=0 threads=1 samples=3 mintime=0.1 [clock=cpu]
 *   answer:  ok flops=3.3554432E7 times=0.000412,0.000409,0.000415   (seconds per call)
 *   request: info      answer: ok jdk=... gemm=...
 *   request: prime seconds=3    (runs assorted GEMMs so C2 compiles the kernels; answer: ok rounds=N)
 *   request: quit
 * </pre>
 * A sample calls the op repeatedly for at least {@code mintime} seconds and reports seconds per call.
 *
 * <p>To add a row kind (a conv, a training step), register a factory in {@link #KINDS} that turns
 * the request's parameters into a {@link Case}; the python peer ({@code peer.py}) registers the same
 * kind name.
 */
public final class CompareRunner {
    private CompareRunner() {}

    /** One benchmark case: the op to time and the floating-point operations one call performs. */
    public interface Case {
        void run();

        double flops();
    }

    /** Case factories by kind name; parameters are the request's key=value pairs. */
    public static final Map<String, Function<Map<String, String>, Case>> KINDS = new LinkedHashMap<>();

    static {
        KINDS.put("gemm", CompareRunner::gemmCase);
    }

    /** C[m,n] = op(A)·op(B) with alpha 1, beta 0; transposed operands are stored transposed. */
    static Case gemmCase(Map<String, String> p) {
        int m = Integer.parseInt(p.get("m")), n = Integer.parseInt(p.get("n")), k = Integer.parseInt(p.get("k"));
        boolean ta = "1".equals(p.getOrDefault("ta", "0")), tb = "1".equals(p.getOrDefault("tb", "0"));
        Random rnd = new Random(42);
        float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
        for (int i = 0; i < a.length; i++) a[i] = rnd.nextFloat() - 0.5f;
        for (int i = 0; i < b.length; i++) b[i] = rnd.nextFloat() - 0.5f;
        int lda = ta ? m : k, ldb = tb ? k : n;
        return new Case() {
            @Override public void run() { Gemm.sgemm(ta, tb, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, n); }
            @Override public double flops() { return 2.0 * m * n * k; }
        };
    }

    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    /**
     * Times {@code samples} samples of at least {@code minTime} seconds each; returns seconds per call.
     * With {@code cpuClock} the time is this thread's CPU time (meaningful for 1 thread only: it
     * leaves out the time a busy machine's scheduler takes the core away).
     */
    static double[] time(Case c, int samples, double minTime, boolean cpuClock) {
        double[] out = new double[samples];
        for (int s = 0; s < samples; s++) {
            long calls = 0;
            long start = now(cpuClock), now;
            long limit = (long) (minTime * 1e9);
            do {
                c.run();
                calls++;
                now = now(cpuClock);
            } while (now - start < limit);
            out[s] = (now - start) / 1e9 / calls;
        }
        return out;
    }

    private static long now(boolean cpuClock) {
        return cpuClock ? MX.getCurrentThreadCpuTime() : System.nanoTime();
    }

    static Map<String, String> parse(String[] tokens) {
        Map<String, String> p = new HashMap<>();
        for (int i = 1; i < tokens.length; i++) {
            int eq = tokens[i].indexOf('=');
            if (eq > 0) p.put(tokens[i].substring(0, eq), tokens[i].substring(eq + 1));
        }
        return p;
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        Map<String, Case> cache = new HashMap<>();
        for (String line; (line = in.readLine()) != null; ) {
            String[] tok = line.trim().split("\\s+");
            try {
                switch (tok[0]) {
                    case "quit":
                        return;
                    case "info":
                        out.println("ok jdk=" + Runtime.version() + " vm=" + System.getProperty("java.vm.name").replace(' ', '_')
                                + " cpus=" + Runtime.getRuntime().availableProcessors()
                                + " gemm=" + Gemm.describe().replace(' ', '_'));
                        break;
                    case "prime": {
                        // JIT warm-up before any timing: the Vector API runs boxed and very slowly
                        // until C2 has compiled the kernels, which takes seconds on a busy machine.
                        Map<String, String> p = parse(tok);
                        long end = System.nanoTime() + (long) (Double.parseDouble(p.getOrDefault("seconds", "3")) * 1e9);
                        Map<String, String> shape = new HashMap<>();
                        int round = 0;
                        while (System.nanoTime() < end) {
                            int[][] sizes = {{192, 160, 300}, {64, 256, 100}, {37, 45, 70}};
                            int[] s3 = sizes[round % sizes.length];
                            shape.put("m", "" + s3[0]); shape.put("n", "" + s3[1]); shape.put("k", "" + s3[2]);
                            shape.put("ta", "" + (round / 3) % 2); shape.put("tb", "" + (round / 6) % 2);
                            Case c = cache.computeIfAbsent("prime" + shape, x -> gemmCase(shape));
                            for (int i = 0; i < 20; i++) c.run();
                            round++;
                        }
                        out.println("ok rounds=" + round);
                        break;
                    }
                    case "run": {
                        Map<String, String> p = parse(tok);
                        String kind = p.get("kind");
                        Function<Map<String, String>, Case> factory = KINDS.get(kind);
                        if (factory == null) throw new IllegalArgumentException("unknown kind " + kind);
                        Parallel.setThreads(Integer.parseInt(p.getOrDefault("threads", "1")));
                        // Cases are keyed by their parameters minus the timing ones, so data is built once.
                        Map<String, String> key = new HashMap<>(p);
                        key.remove("threads"); key.remove("samples"); key.remove("mintime"); key.remove("clock");
                        Case c = cache.computeIfAbsent(key.toString(), x -> factory.apply(p));
                        double[] t = time(c, Integer.parseInt(p.getOrDefault("samples", "1")),
                                Double.parseDouble(p.getOrDefault("mintime", "0.1")), "cpu".equals(p.get("clock")));
                        StringBuilder sb = new StringBuilder("ok flops=").append(c.flops()).append(" times=");
                        for (int i = 0; i < t.length; i++) sb.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.9g", t[i]));
                        out.println(sb);
                        break;
                    }
                    default:
                        out.println("error unknown command " + tok[0]);
                }
            } catch (RuntimeException e) {
                out.println("error " + e.toString().replace('\n', ' '));
            }
        }
    }
}
