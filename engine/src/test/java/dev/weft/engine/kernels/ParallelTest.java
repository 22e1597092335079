package dev.weft.engine.kernels;

import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The shared pool: every task runs exactly once, errors surface, nesting and a stalled helper do not hang a call. */
class ParallelTest {
    @AfterEach
    void resetThreads() { Parallel.setThreads(Runtime.getRuntime().availableProcessors()); }

    @Test
    void everyTaskRunsExactlyOnceForAnyThreadCount() {
        for (int threads = 1; threads <= 4; threads++) {
            Parallel.setThreads(threads);
            for (int tasks : new int[] {0, 1, 2, 3, 7, 64, 1000}) {
                for (int call = 0; call < 50; call++) {   // back-to-back calls reuse the same workers
                    AtomicIntegerArray runs = new AtomicIntegerArray(tasks);
                    Parallel.forEach(tasks, runs::incrementAndGet);
                    for (int i = 0; i < tasks; i++)
                        assertEquals(1, runs.get(i), "task " + i + " of " + tasks + " with " + threads + " threads");
                }
            }
        }
    }

    @Test
    void resultsWrittenByHelpersAreVisibleToTheCaller() {
        Parallel.setThreads(2);
        for (int call = 0; call < 200; call++) {
            long[] out = new long[64];
            int c = call;
            Parallel.forEach(out.length, i -> out[i] = (long) i * c + 1);
            for (int i = 0; i < out.length; i++) assertEquals((long) i * c + 1, out[i], "call " + call + " task " + i);
        }
    }

    @Test
    void theFirstTaskErrorIsRethrownAndThePoolStaysUsable() {
        Parallel.setThreads(2);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Parallel.forEach(100, i -> { if (i == 37) throw new IllegalStateException("task 37 failed"); }));
        assertEquals("task 37 failed", e.getMessage());
        Error err = assertThrows(AssertionError.class, () -> Parallel.forEach(10, i -> { throw new AssertionError("boom"); }));
        assertEquals("boom", err.getMessage());
        AtomicIntegerArray runs = new AtomicIntegerArray(10);
        Parallel.forEach(10, runs::incrementAndGet);
        for (int i = 0; i < 10; i++) assertEquals(1, runs.get(i), "task " + i + " after a failed call");
    }

    @Test
    void nestedCallsRunOnTheCallingThread() {
        Parallel.setThreads(2);
        AtomicIntegerArray runs = new AtomicIntegerArray(8 * 8);
        Parallel.forEach(8, i -> Parallel.forEach(8, j -> runs.incrementAndGet(i * 8 + j)));
        for (int k = 0; k < 64; k++) assertEquals(1, runs.get(k), "inner task " + k);
    }

    @Test
    void threadsAvailableIsOneInsideACallAndTheThreadCountOutside() {
        Parallel.setThreads(3);
        Parallel.forEach(2, i -> { }); // starts the pool
        assertEquals(3, Parallel.threadsAvailable());
        AtomicIntegerArray inside = new AtomicIntegerArray(4);
        Parallel.forEach(4, i -> inside.set(i, Parallel.threadsAvailable()));
        for (int i = 0; i < 4; i++) assertEquals(1, inside.get(i), "task " + i);
        assertEquals(3, Parallel.threadsAvailable());
    }

    /**
     * While one call's task blocks the only worker, a call from a second application thread (which
     * finds the pool busy) runs all its tasks on its own thread and returns.
     */
    @Test
    void aSecondThreadsCallCompletesWhileTheWorkerIsBlocked() throws Exception {
        Parallel.setThreads(2);
        CountDownLatch workerBlocked = new CountDownLatch(1), release = new CountDownLatch(1);
        Thread other = new Thread(() -> Parallel.forEach(64, i -> {
            try {
                if (!Thread.currentThread().getName().startsWith("weft-worker")) {
                    workerBlocked.await(10, TimeUnit.SECONDS);   // hold the caller until the worker has a task
                } else if (workerBlocked.getCount() > 0) {
                    workerBlocked.countDown();
                    release.await(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        other.start();
        try {
            assertTrue(workerBlocked.await(10, TimeUnit.SECONDS), "the worker took a task of the first call");
            AtomicIntegerArray runs = new AtomicIntegerArray(16);
            String me = Thread.currentThread().getName();
            boolean[] elsewhere = new boolean[1];
            Parallel.forEach(16, i -> {
                runs.incrementAndGet(i);
                if (!Thread.currentThread().getName().equals(me)) elsewhere[0] = true;
            });
            for (int i = 0; i < 16; i++) assertEquals(1, runs.get(i), "task " + i);
            assertFalse(elsewhere[0], "tasks of a call made while the pool is busy run on the calling thread");
        } finally {
            release.countDown();
        }
        other.join(10_000);
        assertFalse(other.isAlive(), "the first call finished once its worker was released");
    }

    @Test
    void rejectsNonPositiveThreadCounts() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Parallel.setThreads(0));
        assertTrue(e.getMessage().contains("Parallel.setThreads"), e.getMessage());
    }
}
