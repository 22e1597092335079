package dev.weft.engine.kernels;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
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
 *
 * <p>Cost per call: kernels call {@link #forEach} for problems of a few microseconds (an LSTM step's
 * GEMMs), so the pool's idle workers spin briefly ({@code -Dweft.spinMicros}, default 50) before
 * parking, and a call hands work over by writing one field instead of queueing futures. Tasks are
 * claimed from a shared counter, and a call returns as soon as every task has finished: it never
 * waits for a helper that has not started yet (a parked worker can take tens of microseconds to
 * wake, longer on a busy host), it just runs the tasks itself. A call made while the pool is busy
 * (from inside a task, or from a second application thread) runs its tasks on the calling thread,
 * so nesting cannot deadlock; the results are the same by the rule above.
 */
public final class Parallel {
    private Parallel() {}

    private static volatile int threads = initialThreads();
    private static volatile Pool pool; // written under Parallel.class
    private static final long SPIN_NANOS = 1000L * Long.getLong("weft.spinMicros", 50L);

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

    /**
     * The threads a call made now would get: 1 while the pool runs another call (a nested call runs
     * on its caller's thread), else {@link #threads()}. A tiling hint only: results never depend on it.
     */
    public static int threadsAvailable() {
        Pool p = pool;
        return p != null && p.busy.get() ? 1 : threads;
    }

    /** Sets the number of threads kernels may use; 1 runs everything on the caller's thread. */
    public static synchronized void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("Parallel.setThreads: thread count must be >= 1, got " + n);
        if (n != threads && pool != null) {
            pool.shutdown();
            pool = null;
        }
        threads = n;
    }

    private static synchronized Pool pool() {
        if (pool == null) pool = new Pool(Math.max(1, threads - 1));
        return pool;
    }

    /**
     * Runs {@code body.accept(i)} for every i in [0, tasks), spread over the pool. Returns when all
     * tasks are done; the first exception thrown by a task is rethrown (tasks not yet started are
     * skipped).
     */
    public static void forEach(int tasks, IntConsumer body) {
        int t = Math.min(threads, tasks);
        if (t > 1 && pool().tryRun(tasks, body, t - 1)) return;
        for (int i = 0; i < tasks; i++) body.accept(i);
    }

    /** One forEach call: tasks are claimed from a shared counter by the caller and the helpers. */
    private static final class Job {
        final int tasks;
        final IntConsumer body;
        final AtomicInteger next = new AtomicInteger();
        /** Tasks finished (run or skipped after an error); the job is over at {@code tasks}. */
        final AtomicInteger done = new AtomicInteger();
        final Thread owner;
        volatile Throwable error;

        Job(int tasks, IntConsumer body) {
            this.tasks = tasks;
            this.body = body;
            this.owner = Thread.currentThread();
        }

        /** Claims and runs tasks until none is left; a helper that finishes the last one wakes the owner. */
        void work() {
            int finished = 0;
            for (int i; (i = next.getAndIncrement()) < tasks; finished++) {
                if (error != null) continue; // skip what is left after a failure
                try {
                    body.accept(i);
                } catch (Throwable e) {
                    if (error == null) error = e;
                }
            }
            if (finished > 0 && done.addAndGet(finished) == tasks && Thread.currentThread() != owner) LockSupport.unpark(owner);
        }

        /** Waits for tasks still running on helpers: spins briefly (they usually end together with the caller's), then parks. */
        void awaitDone() {
            long start = System.nanoTime();
            while (done.get() < tasks) {
                if (System.nanoTime() - start < SPIN_NANOS) Thread.onSpinWait();
                else LockSupport.parkNanos(this, 100_000L);
            }
        }
    }

    /** A worker thread with a one-job mailbox. */
    private static final class Worker extends Thread {
        private static final VarHandle JOB;
        static {
            try {
                JOB = MethodHandles.lookup().findVarHandle(Worker.class, "job", Job.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        volatile Job job;
        volatile boolean parked;
        volatile boolean closed;

        Worker(int index) {
            super("weft-worker-" + index);
            setDaemon(true);
        }

        /** Posts a job; it replaces one not yet taken, which is then finished already (its owner returned). */
        void assign(Job j) {
            job = j;
            if (parked) LockSupport.unpark(this); // Dekker pairing with the re-check in run()
        }

        @Override public void run() {
            while (true) {
                Job j = job;
                if (j != null) {
                    JOB.compareAndSet(this, j, null); // fails only if a newer job was posted meanwhile: keep that one
                    j.work();
                    continue;
                }
                if (closed) return;
                long start = System.nanoTime();
                while (job == null && !closed && System.nanoTime() - start < SPIN_NANOS) Thread.onSpinWait();
                if (job == null && !closed) {
                    parked = true;
                    if (job == null && !closed) LockSupport.park(this);
                    parked = false;
                }
            }
        }
    }

    private static final class Pool {
        final Worker[] workers;
        final AtomicBoolean busy = new AtomicBoolean();
        volatile boolean closed;

        Pool(int size) {
            workers = new Worker[size];
            for (int i = 0; i < size; i++) {
                workers[i] = new Worker(i + 1);
                workers[i].start();
            }
        }

        /** Runs the job on the caller plus up to {@code helpers} workers; false if the pool is busy or closed. */
        boolean tryRun(int tasks, IntConsumer body, int helpers) {
            if (!busy.compareAndSet(false, true)) return false;
            try {
                if (closed) return false;
                Job j = new Job(tasks, body);
                for (int w = 0, h = Math.min(helpers, workers.length); w < h; w++) workers[w].assign(j);
                j.work();
                j.awaitDone();
                Throwable e = j.error;
                if (e instanceof RuntimeException r) throw r;
                if (e instanceof Error err) throw err;
                if (e != null) throw new RuntimeException(e);
                return true;
            } finally {
                busy.set(false);
            }
        }

        /**
         * Stops the workers once the running job (if any) is finished: takes the busy flag for good,
         * so no job can be handed to a worker that is exiting. (So setThreads must not be called from
         * inside a task.)
         */
        void shutdown() {
            while (!busy.compareAndSet(false, true)) Thread.onSpinWait();
            closed = true;
            for (Worker w : workers) {
                w.closed = true;
                LockSupport.unpark(w);
            }
        }
    }
}
