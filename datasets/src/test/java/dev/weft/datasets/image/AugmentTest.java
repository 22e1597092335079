package dev.weft.datasets.image;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class AugmentTest {
    @Test void flipsMirrorPixelsNotChannels() {
        // 1x2 image with 2 channels: pixels (1,2) and (3,4)
        assertArrayEquals(new float[] {3, 4, 1, 2}, Augment.flipLeftRight(new float[] {1, 2, 3, 4}, 1, 2, 2));
        // 2x1 image with 1 channel
        assertArrayEquals(new float[] {2, 1}, Augment.flipUpDown(new float[] {1, 2}, 2, 1, 1));
    }

    @Test void badInputNamesTheOperation() {
        SplittableRandom rng = new SplittableRandom(1);
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class, () -> Augment.flipLeftRight(new float[5], 2, 2, 1));
        assertTrue(size.getMessage().startsWith("Augment.flipLeftRight: 5 values do not make a 2x2x1 image"), size.getMessage());
        IllegalArgumentException crop = assertThrows(IllegalArgumentException.class, () -> Augment.randomCrop(new float[4], 2, 2, 1, 3, 1, rng));
        assertTrue(crop.getMessage().startsWith("Augment.randomCrop: crop 3x1"), crop.getMessage());
        IllegalArgumentException pad = assertThrows(IllegalArgumentException.class, () -> Augment.padAndCrop(new float[4], 2, 2, 1, -1, 0f, rng));
        assertTrue(pad.getMessage().contains("Augment.padAndCrop") && pad.getMessage().contains("-1"), pad.getMessage());
        IllegalArgumentException nul = assertThrows(IllegalArgumentException.class, () -> Augment.flipUpDown(null, 1, 1, 1));
        assertTrue(nul.getMessage().contains("Augment.flipUpDown"), nul.getMessage());
    }
}
