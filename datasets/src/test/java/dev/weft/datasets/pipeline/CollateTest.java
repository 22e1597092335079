package dev.weft.datasets.pipeline;

import dev.weft.engine.IntTensor;
import dev.weft.engine.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class CollateTest {
    @Test void imagesStacksExamplesInOrder() {
        Batch<Tensor> b = Collate.images(2, 1).apply(List.of(new Example(new float[] {1, 2}, 7), new Example(new float[] {3, 4}, 0)));
        assertArrayEquals(new int[] {2, 2, 1}, b.x().shape());
        assertArrayEquals(new float[] {1, 2, 3, 4}, b.x().toFloatArray());
        assertArrayEquals(new int[] {7, 0}, b.y().toIntArray());
    }

    @Test void imagesRejectsANegativeExampleShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Collate.images(-2, 3));
        assertTrue(e.getMessage().contains("Collate.images") && e.getMessage().contains("[-2, 3]"), e.getMessage());
    }

    @Test void imagesNamesTheExampleOfWrongSize() {
        var collate = Collate.images(2, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> collate.apply(List.of(new Example(new float[4], 0), new Example(new float[3], 1))));
        assertTrue(e.getMessage().contains("Collate.images: example 1 has 3 values, expected 4"), e.getMessage());
    }

    @Test void sequencesRejectsUnequalLengths() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Collate.sequences()
                .apply(List.of(new SequenceExample(new int[] {1, 2}, 0), new SequenceExample(new int[] {1}, 1))));
        assertTrue(e.getMessage().contains("Collate.sequences: sequence 1 has length 1, expected 2"), e.getMessage());
        Batch<IntTensor> ok = Collate.sequences().apply(List.of(new SequenceExample(new int[] {5, 6}, 1)));
        assertArrayEquals(new int[] {1, 2}, ok.x().shape());
    }
}
