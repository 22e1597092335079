package dev.weft.engine.kernels;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The one thread pool all kernels share.
 *
 * <p>Determinism rule: work is split into tasks whose number and boundaries depend on the problem
 * size only, never on the thread count, and each task writes its own outputs. Reductions combine
 * per-task partial results in task order. So the same inputs give bit-identical outputs for any
 * thread count.
 *
 * <p>The thread count defaults to the number of available processors and can be set with
 * {@code -Dweft.threads=N} or {@link #setThreads(int)}.
 */
public final class Parallel {
    private Parallel() {}

    private static volatile int threads = initialThreads();
    private static ExecutorService pool;

    private static int initialThreads() {
        String p = System.getProperty("weft.threads");
        if (p != null) {
            try {
                int n = Integer.parseInt(p.trim());
                if (n >= 1) return n;
            } catch (NumberFormatException ignored) {
                // fall through to the default
            }
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /** The number of threads kernels may use (the caller's thread included). */
    public static int threads() { return threads; }

    /** Sets the number of threads kernels may use; 1 runs everything on the caller's thread. */
    public static synchronized void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("Parallel.setThreads: thread count must be >= 1, got " + n);
        if (n != threads && pool != null) {
            pool.shutdown();
            pool = null;
        }
        threads = n;
    }

    private static synchronized ExecutorService pool() {
        if (pool == null) {
            pool = Executors.newFixedThreadPool(Math.max(1, threads - 1), r -> {
                Thread t = new Thread(r, "weft-worker");
                t.setDaemon(true);
                return t;
            });
        }
        return pool;
    }

    /**
     * Runs {@code body.accept(i)} for every i in [0, tasks), spread over the pool. Returns when all
     * tasks are done; the first exception thrown by a task is rethrown.
     */
    public static void forEach(int tasks, IntConsumer body) {
        int t = Math.min(threads, tasks);
        if (t <= 1) {
            for (int i = 0; i < tasks; i++) body.accept(i);
            return;
        }
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            for (int i; (i = next.getAndIncrement()) < tasks; ) body.accept(i);
        };
        ExecutorService ex = pool();
        @SuppressWarnings("unchecked")
        Future<?>[] futures = new Future<?>[t - 1];
        for (int w = 0; w < t - 1; w++) futures[w] = ex.submit(worker);
        RuntimeException first = null;
        try {
            worker.run();
        } catch (RuntimeException e) {
            first = e;
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                if (first == null) first = e.getCause() instanceof RuntimeException r ? r : new RuntimeException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (first == null) first = new IllegalStateException("Parallel.forEach interrupted", e);
            }
        }
        if (first != null) throw first;
    }
}
