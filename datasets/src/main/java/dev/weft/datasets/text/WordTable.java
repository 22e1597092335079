package dev.weft.datasets.text;

import java.util.Arrays;

/**
 * An insertion-ordered set of words giving each a dense id (0, 1, 2, ... in order of first sight),
 * looked up straight from a character range so that counting millions of tokens allocates nothing
 * for words already seen. Open addressing with linear probing; each slot packs the word's hash and
 * id into one {@code long}, and the characters of all words live in one pool, so a lookup touches
 * about two cache lines.
 */
public final class WordTable {
    private long[] slots = new long[1 << 12];   // (hash << 32) | (id + 1); 0 = empty
    private char[] pool = new char[1 << 16];
    private int poolUsed;
    private int[] offsets = new int[1 << 10];
    private int[] lengths = new int[1 << 10];
    private int size;

    /** An empty table. */
    public WordTable() {}

    /** Number of distinct words. */
    public int size() { return size; }

    /** The word with id {@code id}. */
    public String word(int id) {
        if (id < 0 || id >= size) throw new IndexOutOfBoundsException(id);
        return new String(pool, offsets[id], lengths[id]);
    }

    /** The words in id order. */
    public String[] words() {
        String[] out = new String[size];
        for (int i = 0; i < size; i++) out[i] = word(i);
        return out;
    }

    /** The id of {@code buf[start, end)}, adding it if new. */
    public int idOf(char[] buf, int start, int end) {
        int h = 0;
        for (int i = start; i < end; i++) h = 31 * h + buf[i];
        int len = end - start;
        int mask = slots.length - 1;
        int idx = mix(h) & mask;
        while (true) {
            long s = slots[idx];
            if (s == 0) break;
            if ((int) (s >>> 32) == h) {
                int id = (int) s - 1;
                if (lengths[id] == len && same(offsets[id], buf, start, len)) return id;
            }
            idx = (idx + 1) & mask;
        }
        int id = size++;
        if (id == offsets.length) {
            offsets = Arrays.copyOf(offsets, 2 * id);
            lengths = Arrays.copyOf(lengths, 2 * id);
        }
        if (poolUsed + len > pool.length) pool = Arrays.copyOf(pool, Math.max(2 * pool.length, poolUsed + len));
        System.arraycopy(buf, start, pool, poolUsed, len);
        offsets[id] = poolUsed;
        lengths[id] = len;
        poolUsed += len;
        slots[idx] = ((long) h << 32) | (id + 1L);
        if (size * 2 > slots.length) grow();
        return id;
    }

    /** The id of {@code word}, adding it if new. */
    public int idOf(String word) {
        char[] c = word.toCharArray();
        return idOf(c, 0, c.length);
    }

    private boolean same(int off, char[] buf, int start, int len) {
        char[] p = pool;
        for (int i = 0; i < len; i++) if (p[off + i] != buf[start + i]) return false;
        return true;
    }

    private static int mix(int h) {
        h *= 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    private void grow() {
        long[] n = new long[slots.length * 2];
        int mask = n.length - 1;
        for (long s : slots) {
            if (s == 0) continue;
            int idx = mix((int) (s >>> 32)) & mask;
            while (n[idx] != 0) idx = (idx + 1) & mask;
            n[idx] = s;
        }
        slots = n;
    }
}
