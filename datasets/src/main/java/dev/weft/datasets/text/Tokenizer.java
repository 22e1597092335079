package dev.weft.datasets.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Splits text into words the way Keras' {@code text_to_word_sequence} does with its defaults, plus
 * removal of the HTML line breaks found in IMDB reviews:
 * <ol>
 *   <li>every {@code <br />} (also {@code <br/>}, {@code <br>}, any case) becomes a space;</li>
 *   <li>the text is lower-cased ({@code String.toLowerCase(Locale.ROOT)}, like Python's {@code str.lower});</li>
 *   <li>every character in {@link #KERAS_FILTERS} becomes a space;</li>
 *   <li>the text is split on spaces and empty pieces are dropped.</li>
 * </ol>
 * As in Keras, the apostrophe is not a filter ("don't" stays one word) and only the space (plus the
 * tab and newline in the filters) separates words.
 */
public final class Tokenizer {
    /** Keras' default filters: {@code !"#$%&()*+,-./:;<=>?@[\]^_`{|}~} plus tab and newline. */
    public static final String KERAS_FILTERS = "!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n";

    private final boolean lower;
    private final boolean stripBreaks;
    private final boolean[] asciiFilter = new boolean[128];
    private final String otherFilters;

    /**
     * @param filters     characters replaced by spaces
     * @param lower       whether to lower-case
     * @param stripBreaks whether to replace {@code <br />} tags by spaces
     */
    public Tokenizer(String filters, boolean lower, boolean stripBreaks) {
        StringBuilder other = new StringBuilder();
        for (int i = 0; i < filters.length(); i++) {
            char c = filters.charAt(i);
            if (c < 128) asciiFilter[c] = true; else other.append(c);
        }
        asciiFilter[' '] = true;
        this.otherFilters = other.toString();
        this.lower = lower;
        this.stripBreaks = stripBreaks;
    }

    /** Keras defaults plus {@code <br />} removal: the tokenizer used for IMDB. */
    public static Tokenizer keras() { return new Tokenizer(KERAS_FILTERS, true, true); }

    /** The words of {@code text}, in order. */
    public List<String> tokenize(String text) {
        List<String> out = new ArrayList<>();
        forEachWord(text, out::add);
        return out;
    }

    /** Calls {@code sink} with each word of {@code text}, in order. */
    public void forEachWord(String text, Consumer<String> sink) {
        forEachToken(text, (buf, start, end) -> sink.accept(new String(buf, start, end - start)));
    }

    /** Receives words as character ranges, without allocating a String per word. */
    @FunctionalInterface
    public interface TokenSink {
        /** A word: {@code buf[start, end)} (the buffer is reused after the call returns). */
        void token(char[] buf, int start, int end);
    }

    /** Calls {@code sink} with each word of {@code text} as a range of a lower-cased character buffer. */
    public void forEachToken(String text, TokenSink sink) {
        String s = stripBreaks ? stripBreaks(text) : text;
        if (lower) s = s.toLowerCase(Locale.ROOT);
        char[] buf = s.toCharArray();
        int n = buf.length;
        int start = -1;
        boolean[] ascii = asciiFilter;
        boolean others = !otherFilters.isEmpty();
        for (int i = 0; i < n; i++) {
            char c = buf[i];
            boolean sep = c < 128 ? ascii[c] : (others && otherFilters.indexOf(c) >= 0);
            if (sep) {
                if (start >= 0) { sink.token(buf, start, i); start = -1; }
            } else if (start < 0) start = i;
        }
        if (start >= 0) sink.token(buf, start, n);
    }

    static String stripBreaks(String t) {
        int i = t.indexOf('<');
        if (i < 0) return t;
        StringBuilder sb = new StringBuilder(t.length());
        int from = 0;
        while (i >= 0) {
            int len = breakLength(t, i);
            if (len > 0) {
                sb.append(t, from, i).append(' ');
                from = i + len;
                i = t.indexOf('<', from);
            } else {
                i = t.indexOf('<', i + 1);
            }
        }
        sb.append(t, from, t.length());
        return sb.toString();
    }

    private static int breakLength(String t, int i) {
        for (String tag : new String[] {"<br />", "<br/>", "<br>"})
            if (t.regionMatches(true, i, tag, 0, tag.length())) return tag.length();
        return 0;
    }
}
