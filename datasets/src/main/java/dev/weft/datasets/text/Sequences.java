package dev.weft.datasets.text;

import dev.weft.engine.IntTensor;

/**
 * Keras' {@code pad_sequences}, returning an {@code IntTensor [n, maxlen]}.
 *
 * <p>Semantics (Keras): sequences longer than {@code maxlen} lose values at the start
 * ({@code truncating = PRE}) or end ({@code POST}); shorter ones are filled with {@code value} at the
 * start ({@code padding = PRE}) or end ({@code POST}). Keras' defaults are PRE, PRE, 0.
 * {@code maxlen <= 0} means "the longest sequence" (Keras' {@code maxlen=None}).
 * Example: {@code padSequences([[1,2,3],[4,5],[6]], 2)} = {@code [[2,3],[4,5],[0,6]]}.
 */
public final class Sequences {
    private Sequences() {}

    /** Where padding or truncation happens. */
    public enum Side {
        /** At the start of the sequence (Keras 'pre', the default). */
        PRE,
        /** At the end (Keras 'post'). */
        POST
    }

    /** {@code pad_sequences(seqs, maxlen)} with Keras' defaults: padding and truncating PRE, value 0. */
    public static IntTensor padSequences(int[][] seqs, int maxlen) {
        return padSequences(seqs, maxlen, Side.PRE, Side.PRE, 0);
    }

    /** {@code pad_sequences(seqs, maxlen, padding, truncating, value)}. */
    public static IntTensor padSequences(int[][] seqs, int maxlen, Side padding, Side truncating, int value) {
        if (seqs == null) throw new IllegalArgumentException("Sequences.padSequences: seqs is null");
        for (int i = 0; i < seqs.length; i++)
            if (seqs[i] == null) throw new IllegalArgumentException("Sequences.padSequences: sequence " + i + " is null");
        int len = maxlen;
        if (len <= 0) {
            len = 0;
            for (int[] s : seqs) len = Math.max(len, s.length);
        }
        int[] out = new int[Math.multiplyExact(seqs.length, len)];
        for (int i = 0; i < seqs.length; i++) padInto(seqs[i], len, padding, truncating, value, out, i * len);
        return IntTensor.of(out, seqs.length, len);
    }

    /** One sequence padded/truncated to {@code maxlen} (a new array). */
    public static int[] pad(int[] seq, int maxlen, Side padding, Side truncating, int value) {
        if (seq == null) throw new IllegalArgumentException("Sequences.pad: seq is null");
        if (maxlen < 0) throw new IllegalArgumentException("Sequences.pad: maxlen must be >= 0, got " + maxlen);
        int[] out = new int[maxlen];
        padInto(seq, maxlen, padding, truncating, value, out, 0);
        return out;
    }

    /** One sequence with Keras' defaults (PRE, PRE, 0). */
    public static int[] pad(int[] seq, int maxlen) { return pad(seq, maxlen, Side.PRE, Side.PRE, 0); }

    private static void padInto(int[] s, int len, Side padding, Side truncating, int value, int[] out, int off) {
        int n = Math.min(s.length, len);
        int srcStart = (s.length > len && truncating == Side.PRE) ? s.length - len : 0;
        int dstStart = padding == Side.PRE ? len - n : 0;
        for (int k = 0; k < len; k++) out[off + k] = value;
        System.arraycopy(s, srcStart, out, off + dstStart, n);
    }
}
