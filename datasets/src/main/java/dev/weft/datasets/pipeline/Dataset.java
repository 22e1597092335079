package dev.weft.datasets.pipeline;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A lazy, re-iterable, deterministic sequence of elements, in the spirit of {@code tf.data}:
 * sources ({@link #indexed}, {@link #of}, {@link #range}, {@link #fromIterable}) and stages
 * ({@link #map}, {@link #mapRandom}, {@link #shuffle}, {@link #shuffleAll}, {@link #batch},
 * {@link #take}, {@link #prefetch}). Nothing runs until a pass is {@linkplain #open opened}.
 *
 * <p><b>Determinism.</b> A pass is opened for an epoch number. Random stages draw from
 * {@code SplittableRandom(Seeds.derive(seed, epoch))}: the same seed and epoch give the same order
 * on every run (like tf.data's {@code reshuffle_each_iteration=True} with a fixed seed: each epoch
 * differs, every run repeats). Stages run in order on a single thread (the consumer's, or the
 * prefetch thread), so the result does not depend on timing.
 *
 * <p><b>Memory.</b> Streaming stages hold only what they need: {@code shuffle(k)} holds {@code k}
 * elements, {@code batch(b)} one batch, {@code prefetch(q)} at most {@code q} finished elements.
 * {@code shuffleAll} on a random-access dataset permutes indices (no element copies); on a
 * streaming one it must buffer every element (documented on the method).
 *
 * <p>Elements must not be null. Exceptions thrown by user functions reach the consumer unchanged.
 *
 * @param <T> element type
 */
public abstract class Dataset<T> {

    /** Opens a pass over the elements for the given epoch (0, 1, 2, ...). Close it when done. */
    public abstract Cursor<T> open(long epoch);

    /** Number of elements if known without iterating, else -1. */
    public long size() { return -1; }

    /** Opens epoch 0. */
    public Cursor<T> open() { return open(0); }

    /** Collects one epoch into a list (for tests and small data). */
    public List<T> toList(long epoch) {
        List<T> out = new ArrayList<>();
        try (Cursor<T> c = open(epoch)) {
            while (c.hasNext()) out.add(c.next());
        }
        return out;
    }

    // ------------------------------------------------------------------ sources

    /** A random-access dataset of {@code size} elements produced on demand by {@code get}. */
    public static <T> Dataset<T> indexed(int size, IntFunction<T> get) {
        if (size < 0) throw new IllegalArgumentException("Dataset.indexed: size must be >= 0, got " + size);
        Objects.requireNonNull(get);
        return new Indexed<>() {
            @Override public int count() { return size; }
            @Override public T get(int i) { return get.apply(i); }
        };
    }

    /** The elements of a list (not copied), random access. */
    public static <T> Dataset<T> of(List<T> items) {
        return indexed(items.size(), items::get);
    }

    /** {@code 0, 1, ..., n-1}. */
    public static Dataset<Integer> range(int n) { return indexed(n, i -> i); }

    /** A streaming source: each pass calls {@code iterators.get()} (e.g. to re-open a file). */
    public static <T> Dataset<T> fromIterable(Supplier<? extends Iterator<T>> iterators) {
        Objects.requireNonNull(iterators);
        return new Dataset<>() {
            @Override public Cursor<T> open(long epoch) {
                Iterator<T> it = iterators.get();
                return new Cursor<>() {
                    @Override public boolean hasNext() { return it.hasNext(); }
                    @Override public T next() { return it.next(); }
                    @Override public void close() {
                        if (it instanceof AutoCloseable ac) {
                            try { ac.close(); } catch (Exception e) { throw new IllegalStateException(e); }
                        }
                    }
                };
            }
        };
    }

    // ------------------------------------------------------------------ stages

    /** Applies {@code f} to each element. Random access is kept. */
    public <R> Dataset<R> map(Function<? super T, ? extends R> f) {
        Objects.requireNonNull(f);
        Dataset<T> up = this;
        if (up instanceof Indexed<T> ix) {
            return new Indexed<>() {
                @Override public int count() { return ix.count(); }
                @Override public R get(int i) { return f.apply(ix.get(i)); }
            };
        }
        return new Dataset<>() {
            @Override public long size() { return up.size(); }
            @Override public Cursor<R> open(long epoch) {
                Cursor<T> c = up.open(epoch);
                return new Cursor<>() {
                    @Override public boolean hasNext() { return c.hasNext(); }
                    @Override public R next() { return f.apply(c.next()); }
                    @Override public void close() { c.close(); }
                };
            }
        };
    }

    /**
     * Applies {@code f} with a random generator, for augmentation. Each pass uses one generator,
     * {@code Seeds.random(seed, epoch)}, drawn from in element order: the same seed and epoch give the
     * same augmentations.
     */
    public <R> Dataset<R> mapRandom(long seed, BiFunction<? super T, SplittableRandom, ? extends R> f) {
        Objects.requireNonNull(f);
        Dataset<T> up = this;
        return new Dataset<>() {
            @Override public long size() { return up.size(); }
            @Override public Cursor<R> open(long epoch) {
                Cursor<T> c = up.open(epoch);
                SplittableRandom rng = Seeds.random(seed, epoch);
                return new Cursor<>() {
                    @Override public boolean hasNext() { return c.hasNext(); }
                    @Override public R next() { return f.apply(c.next(), rng); }
                    @Override public void close() { c.close(); }
                };
            }
        };
    }

    /** Keeps the elements for which {@code keep} is true. */
    public Dataset<T> filter(Predicate<? super T> keep) {
        Objects.requireNonNull(keep);
        Dataset<T> up = this;
        return new Dataset<>() {
            @Override public Cursor<T> open(long epoch) {
                Cursor<T> c = up.open(epoch);
                return new Cursor<>() {
                    T pending;
                    @Override public boolean hasNext() {
                        while (pending == null && c.hasNext()) {
                            T t = c.next();
                            if (keep.test(t)) pending = t;
                        }
                        return pending != null;
                    }
                    @Override public T next() {
                        if (!hasNext()) throw new NoSuchElementException();
                        T t = pending;
                        pending = null;
                        return t;
                    }
                    @Override public void close() { c.close(); }
                };
            }
        };
    }

    /** The first {@code n} elements. */
    public Dataset<T> take(long n) {
        if (n < 0) throw new IllegalArgumentException("Dataset.take: n must be >= 0, got " + n);
        Dataset<T> up = this;
        return new Dataset<>() {
            @Override public long size() { long s = up.size(); return s < 0 ? -1 : Math.min(s, n); }
            @Override public Cursor<T> open(long epoch) {
                Cursor<T> c = up.open(epoch);
                return new Cursor<>() {
                    long left = n;
                    @Override public boolean hasNext() { return left > 0 && c.hasNext(); }
                    @Override public T next() {
                        if (!hasNext()) throw new NoSuchElementException();
                        left--;
                        return c.next();
                    }
                    @Override public void close() { c.close(); }
                };
            }
        };
    }

    /**
     * A streaming shuffle with a buffer of {@code bufferSize} elements, exactly like
     * {@code tf.data.Dataset.shuffle(bufferSize, seed)}: fill the buffer, then repeatedly emit a
     * uniformly chosen buffered element and put the next input in its place; when the input ends,
     * drain the buffer in random order. {@code bufferSize >= size} gives a uniform shuffle.
     * Reshuffles every epoch (see class doc). Holds at most {@code bufferSize} elements.
     */
    public Dataset<T> shuffle(int bufferSize, long seed) {
        if (bufferSize < 1) throw new IllegalArgumentException("Dataset.shuffle: bufferSize must be >= 1, got " + bufferSize);
        Dataset<T> up = this;
        return new Dataset<>() {
            @Override public long size() { return up.size(); }
            @Override public Cursor<T> open(long epoch) {
                Cursor<T> c = up.open(epoch);
                SplittableRandom rng = Seeds.random(seed, epoch);
                return new Cursor<>() {
                    final ArrayList<T> buf = new ArrayList<>(Math.min(bufferSize, 1 << 16));
                    boolean filled;
                    private void fill() {
                        if (filled) return;
                        while (buf.size() < bufferSize && c.hasNext()) buf.add(c.next());
                        filled = true;
                    }
                    @Override public boolean hasNext() { fill(); return !buf.isEmpty(); }
                    @Override public T next() {
                        if (!hasNext()) throw new NoSuchElementException();
                        int j = rng.nextInt(buf.size());
                        T out = buf.get(j);
                        if (c.hasNext()) buf.set(j, c.next());
                        else {
                            int last = buf.size() - 1;
                            buf.set(j, buf.get(last));
                            buf.remove(last);
                        }
                        return out;
                    }
                    @Override public void close() { buf.clear(); c.close(); }
                };
            }
        };
    }

    /**
     * A full uniform shuffle, different every epoch, same for the same seed. On a random-access
     * dataset this permutes indices (Fisher-Yates over {@code Seeds.random(seed, epoch)}) and copies
     * no element; on a streaming dataset it is {@code shuffle(Integer.MAX_VALUE, seed)}, which buffers
     * the whole epoch.
     */
    public Dataset<T> shuffleAll(long seed) {
        if (!(this instanceof Indexed<T> ix)) return shuffle(Integer.MAX_VALUE, seed);
        return new Dataset<>() {
            @Override public long size() { return ix.count(); }
            @Override public Cursor<T> open(long epoch) {
                int[] perm = Seeds.permutation(ix.count(), Seeds.random(seed, epoch));
                return new Cursor<>() {
                    int i;
                    @Override public boolean hasNext() { return i < perm.length; }
                    @Override public T next() {
                        if (i >= perm.length) throw new NoSuchElementException();
                        return ix.get(perm[i++]);
                    }
                    @Override public void close() { i = perm.length; }
                };
            }
        };
    }

    /**
     * Groups consecutive elements into lists of {@code batchSize}; the last, smaller batch is kept
     * unless {@code dropRemainder}.
     */
    public Dataset<List<T>> batch(int batchSize, boolean dropRemainder) {
        if (batchSize < 1) throw new IllegalArgumentException("Dataset.batch: batchSize must be >= 1, got " + batchSize);
        Dataset<T> up = this;
        return new Dataset<>() {
            @Override public long size() {
                long s = up.size();
                if (s < 0) return -1;
                return dropRemainder ? s / batchSize : (s + batchSize - 1) / batchSize;
            }
            @Override public Cursor<List<T>> open(long epoch) {
                Cursor<T> c = up.open(epoch);
                return new Cursor<>() {
                    List<T> pending;
                    private void advance() {
                        if (pending != null) return;
                        List<T> b = new ArrayList<>(batchSize);
                        while (b.size() < batchSize && c.hasNext()) b.add(c.next());
                        if (b.isEmpty() || (dropRemainder && b.size() < batchSize)) return;
                        pending = b;
                    }
                    @Override public boolean hasNext() { advance(); return pending != null; }
                    @Override public List<T> next() {
                        if (!hasNext()) throw new NoSuchElementException();
                        List<T> b = pending;
                        pending = null;
                        return b;
                    }
                    @Override public void close() { c.close(); }
                };
            }
        };
    }

    /** {@link #batch(int, boolean)} followed by {@code map(collate)}, e.g. {@code Collate.images(28, 28, 1)}. */
    public <B> Dataset<B> batch(int batchSize, boolean dropRemainder, Function<? super List<T>, ? extends B> collate) {
        return batch(batchSize, dropRemainder).map(collate);
    }

    /**
     * Runs everything upstream on a background daemon thread that stays at most {@code capacity}
     * finished elements ahead of the consumer (a bounded queue). Closing the cursor stops and joins
     * the thread; an exception upstream is rethrown to the consumer.
     */
    public Dataset<T> prefetch(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("Dataset.prefetch: capacity must be >= 1, got " + capacity);
        Dataset<T> up = this;
        return new Dataset<>() {
            @Override public long size() { return up.size(); }
            @Override public Cursor<T> open(long epoch) { return new PrefetchCursor<>(up, epoch, capacity); }
        };
    }

    /** A dataset whose elements can be fetched by position. */
    abstract static class Indexed<T> extends Dataset<T> {
        abstract int count();
        abstract T get(int i);

        @Override public long size() { return count(); }

        @Override public Cursor<T> open(long epoch) {
            return new Cursor<>() {
                int i;
                @Override public boolean hasNext() { return i < count(); }
                @Override public T next() {
                    if (i >= count()) throw new NoSuchElementException();
                    return get(i++);
                }
                @Override public void close() { i = Integer.MAX_VALUE; }
            };
        }
    }
}
