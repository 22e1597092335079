package dev.weft.datasets;

import dev.weft.datasets.text.Sequences;
import dev.weft.datasets.text.Sequences.Side;
import dev.weft.datasets.text.Tokenizer;
import dev.weft.datasets.text.Vocabulary;
import dev.weft.engine.IntTensor;
import dev.weft.engine.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Expected values written by hand from the Keras documentation's semantics. */
class TextTest {
    static final int[][] SEQS = {{1, 2, 3}, {4, 5}, {6}};

    private static void assertPadded(int[][] expected, IntTensor t) {
        assertArrayEquals(new int[] {expected.length, expected[0].length}, t.shape());
        int[] d = t.data();
        for (int i = 0; i < expected.length; i++)
            for (int j = 0; j < expected[i].length; j++) assertEquals(expected[i][j], d[i * expected[i].length + j], "at " + i + "," + j);
    }

    @Test void padSequencesDefaultsArePrePreZero() {
        // maxlen=2: [1,2,3] loses its FIRST value (truncating='pre'); [4,5] fits; [6] gets a 0 in FRONT (padding='pre')
        assertPadded(new int[][] {{2, 3}, {4, 5}, {0, 6}}, Sequences.padSequences(SEQS, 2));
        // maxlen=None (<= 0): the longest length, 3
        assertPadded(new int[][] {{1, 2, 3}, {0, 4, 5}, {0, 0, 6}}, Sequences.padSequences(SEQS, 0));
        assertPadded(new int[][] {{0, 1, 2, 3}, {0, 0, 4, 5}, {0, 0, 0, 6}}, Sequences.padSequences(SEQS, 4));
    }

    @Test void padSequencesOptions() {
        assertPadded(new int[][] {{1, 2}, {4, 5}, {6, 0}}, Sequences.padSequences(SEQS, 2, Side.POST, Side.POST, 0));
        assertPadded(new int[][] {{2, 3}, {4, 5}, {6, 0}}, Sequences.padSequences(SEQS, 2, Side.POST, Side.PRE, 0));
        assertPadded(new int[][] {{1, 2}, {4, 5}, {-1, 6}}, Sequences.padSequences(SEQS, 2, Side.PRE, Side.POST, -1));
        assertPadded(new int[][] {{9, 9}}, Sequences.padSequences(new int[][] {{}}, 2, Side.PRE, Side.PRE, 9));
        assertArrayEquals(new int[] {0, 5}, Sequences.padSequences(new int[0][], 5).shape());
    }

    @Test void oneHotLikeToCategorical() {
        Tensor t = Labels.oneHot(IntTensor.of(new int[] {0, 2, 1, 2}, 4), 3);
        assertArrayEquals(new int[] {4, 3}, t.shape());
        assertArrayEquals(new float[] {1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1}, t.toFloatArray());
        // num_classes=None -> max + 1
        assertArrayEquals(new int[] {4, 3}, Labels.oneHot(IntTensor.of(new int[] {0, 2, 1, 2}, 4)).shape());
        // shape [2, 2] -> [2, 2, 2]
        Tensor m = Labels.oneHot(IntTensor.of(new int[] {1, 0, 0, 1}, 2, 2), 2);
        assertArrayEquals(new int[] {2, 2, 2}, m.shape());
        assertArrayEquals(new float[] {0, 1, 1, 0, 1, 0, 0, 1}, m.toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> Labels.oneHot(IntTensor.of(new int[] {3}, 1), 3));
        assertThrows(IllegalArgumentException.class, () -> Labels.oneHot(IntTensor.of(new int[] {-1}, 1), 3));
    }

    @Test void tokenizerFollowsKerasTextToWordSequence() {
        Tokenizer t = Tokenizer.keras();
        assertEquals(List.of("hello", "world"), t.tokenize("Hello, World!"));
        assertEquals(List.of("don't", "stop", "it's", "great"), t.tokenize("Don't stop... it's GREAT"));
        assertEquals(List.of("one", "two", "three"), t.tokenize("One<br /><br />two<BR/>three"));
        assertEquals(List.of("a", "b", "c", "d"), t.tokenize("a\tb\nc-d"));
        assertEquals(List.of("x", "y"), t.tokenize("  x   (y)  "));
        assertEquals(List.of(), t.tokenize("?!...<br />"));
        assertEquals(List.of("café", "über"), t.tokenize("Café ÜBER"));
        assertEquals(List.of("10", "10"), t.tokenize("10/10"));
        assertEquals(List.of("a<b>c"), new Tokenizer("", false, false).tokenize("a<b>c"));
    }

    @Test void vocabularyTieBreakIsAlphabetical() {
        Vocabulary v = Vocabulary.fromCounts(Map.of("b", 2, "a", 2, "z", 5, "c", 1, "gone", 0));
        assertEquals(List.of("z", "a", "b", "c"), v.words());
        assertEquals(2, v.rank("a"));
        assertEquals(0, v.rank("gone"));
        assertEquals(5, v.count(1));
    }

    @Test void padRejectsBadArgumentsByName() {
        IllegalArgumentException neg = assertThrows(IllegalArgumentException.class, () -> Sequences.pad(new int[] {1, 2}, -1));
        assertTrue(neg.getMessage().contains("Sequences.pad: maxlen must be >= 0, got -1"), neg.getMessage());
        IllegalArgumentException row = assertThrows(IllegalArgumentException.class, () -> Sequences.padSequences(new int[][] {{1}, null}, 3));
        assertTrue(row.getMessage().contains("Sequences.padSequences: sequence 1 is null"), row.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Sequences.padSequences(null, 3));
    }
}
