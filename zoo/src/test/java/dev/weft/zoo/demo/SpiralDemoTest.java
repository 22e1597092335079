package dev.weft.zoo.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SpiralDemoTest {
    private static SpiralDemo.Result run(long seed, ByteArrayOutputStream buf) {
        return SpiralDemo.run(seed, 300, new PrintStream(buf, true, StandardCharsets.UTF_8));
    }

    @Test
    void lossFallsAndTheSpiralsAreSeparated() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        SpiralDemo.Result r = run(0, buf);
        // Three balanced classes: an untrained network starts near ln 3.
        assertEquals(Math.log(3), r.firstLoss(), 0.15);
        assertTrue(r.lastLoss() < 0.3f * r.firstLoss(), "loss fell from " + r.firstLoss() + " to " + r.lastLoss());
        assertTrue(r.accuracy() > 0.9f, "accuracy " + r.accuracy());
        assertTrue(buf.toString(StandardCharsets.UTF_8).contains("step  300"));
    }

    @Test
    void sameSeedSameBits() {
        SpiralDemo.Result a = run(7, new ByteArrayOutputStream()), b = run(7, new ByteArrayOutputStream());
        assertEquals(Float.floatToIntBits(a.lastLoss()), Float.floatToIntBits(b.lastLoss()));
    }
}
