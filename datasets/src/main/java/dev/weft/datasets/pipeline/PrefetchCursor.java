package dev.weft.datasets.pipeline;

import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The cursor behind {@link Dataset#prefetch}: a producer daemon thread and a bounded queue. */
final class PrefetchCursor<T> implements Cursor<T> {
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final Object END = new Object();

    /** Wraps an upstream failure so it can travel through the queue. */
    private record Failure(Throwable error) {}

    private final BlockingQueue<Object> queue;
    private final Thread thread;
    private volatile boolean closed;
    private Object pending;
    private boolean finished;

    PrefetchCursor(Dataset<T> up, long epoch, int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(() -> produce(up, epoch), "weft-prefetch-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
        thread.start();
    }

    private void produce(Dataset<T> up, long epoch) {
        Object last = END;
        try (Cursor<T> c = up.open(epoch)) {
            while (!closed && c.hasNext()) {
                T t = c.next();
                if (t == null) throw new NullPointerException("datasets must not contain null elements");
                queue.put(t);
            }
        } catch (InterruptedException e) {
            return; // closed by the consumer
        } catch (Throwable e) {
            last = new Failure(e);
        }
        if (closed) return;
        try {
            queue.put(last);
        } catch (InterruptedException ignored) {
            // closed while delivering the end marker
        }
    }

    @Override public boolean hasNext() {
        if (finished) return false;
        if (pending != null) return true;
        try {
            Object o = queue.take();
            if (o == END) { finished = true; join(); return false; }
            if (o instanceof Failure f) {
                finished = true;
                join();
                Throwable e = f.error();
                if (e instanceof RuntimeException re) throw re;
                if (e instanceof Error err) throw err;
                throw new IllegalStateException(e);
            }
            pending = o;
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while waiting for the prefetch thread", e);
        }
    }

    @Override @SuppressWarnings("unchecked")
    public T next() {
        if (!hasNext()) throw new NoSuchElementException();
        Object o = pending;
        pending = null;
        return (T) o;
    }

    /** Number of elements waiting in the queue (for tests of the memory bound). */
    int queued() { return queue.size(); }

    /** Whether the producer thread is still running. */
    boolean producerAlive() { return thread.isAlive(); }

    @Override public void close() {
        if (closed) return;
        closed = true;
        finished = true;
        pending = null;
        thread.interrupt();
        queue.clear();
        join();
    }

    private void join() {
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
