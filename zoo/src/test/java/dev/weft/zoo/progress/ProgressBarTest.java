package dev.weft.zoo.progress;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Expected lines are written by hand from Keras 2's {@code Progbar.update}: {@code "%{d}d/%d ["}, 30
 * characters of {@code =} with a {@code >} head while unfinished, {@code " - ETA: %ds"} from the time
 * per step measured after the first step, {@code " - %.0fs"} plus {@code " %.0fms/step"} when
 * finished, {@code " - name: %.4f"} per value.
 */
class ProgressBarTest {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    long nanos;

    String text() { return bytes.toString(StandardCharsets.UTF_8); }

    static Map<String, Double> values(Object... kv) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], ((Number) kv[i + 1]).doubleValue());
        return m;
    }

    void at(double seconds) { nanos = Math.round(seconds * 1e9); }

    @Test
    void terminalBarRedrawsInPlaceWithEtaThenFinishes() {
        ProgressBar bar = new ProgressBar(100, 1, out, true, () -> nanos, 0);
        at(1.0);
        bar.update(1, values("loss", 0.6931), false);
        // first step took 1 s -> ETA 99 s -> "1:39"; int(30 * 0.01) = 0 filled
        String first = "\r  1/100 [..............................] - ETA: 1:39 - loss: 0.6931";
        assertEquals(first, text());
        at(2.1);
        bar.update(12, values("loss", 0.69314718, "accuracy", 0.5), false);
        // 11 steps in 1.1 s after the first -> 0.1 s/step, 88 left -> 8.8 s -> "8s"; int(3.6) = 3 -> "==>"
        String second = "\r 12/100 [==>...........................] - ETA: 8s - loss: 0.6931 - accuracy: 0.5000";
        assertEquals(first + second, text());
        assertTrue(bar.midLine());
        at(12.0);
        bar.update(100, values("loss", 0.231, "accuracy", 0.91, "val_loss", 0.25), true);
        // 99 steps in 11 s -> 111 ms/step; 12 s in total
        String last = "\r100/100 [==============================] - 12s 111ms/step - loss: 0.2310 - accuracy: 0.9100 - val_loss: 0.2500\n";
        assertEquals(first + second + last, text());
        assertFalse(bar.midLine());
    }

    @Test
    void shorterRedrawIsPaddedOverTheLongerLine() {
        ProgressBar bar = new ProgressBar(10, 1, out, true, () -> nanos, 0);
        at(0.5);
        bar.update(1, values("loss", 123.4567), false);
        String first = "\r 1/10 [==>...........................] - ETA: 4s - loss: 123.4567";   // int(30 * 0.1) = 3
        at(1.0);
        bar.update(2, values("loss", 1.5), false);
        String second = "\r 2/10 [=====>........................] - ETA: 4s - loss: 1.5000";
        assertEquals(first + second + "  ", text());   // two characters shorter
    }

    @Test
    void notATerminalPrintsOnlyTheFinalLine() {
        ProgressBar bar = new ProgressBar(3, 1, out, false, () -> nanos, 0);
        at(0.2);
        bar.update(1, values("loss", 1.0), false);
        at(0.3);
        bar.update(2, values("loss", 0.9), false);
        assertEquals("", text());
        at(0.4);
        bar.update(3, values("loss", 0.8), true);
        // 2 steps in 0.2 s after the first -> 100 ms/step; 0.4 s rounds to 0
        assertEquals("3/3 [==============================] - 0s 100ms/step - loss: 0.8000\n", text());
    }

    @Test
    void verboseTwoPrintsOneSummaryLine() {
        ProgressBar bar = new ProgressBar(100, 2, out, true, () -> nanos, 0);
        at(5);
        bar.update(50, values("loss", 0.5), false);
        assertEquals("", text());
        at(12);
        bar.update(100, values("loss", 0.231, "val_loss", 0.25), true);
        assertEquals("100/100 - 12s - loss: 0.2310 - val_loss: 0.2500 - 12s/epoch - 120ms/step\n", text());
    }

    @Test
    void verboseZeroIsSilent() {
        ProgressBar bar = new ProgressBar(2, 0, out, true, () -> nanos, 0);
        bar.update(1, values("loss", 1), false);
        bar.update(2, values("loss", 1), true);
        assertEquals("", text());
    }

    @Test
    void redrawsAreThrottledToTheInterval() {
        ProgressBar bar = new ProgressBar(100, 1, out, true, () -> nanos, 0.05);
        at(0.01);
        bar.update(1, values(), false);
        int after1 = text().length();
        at(0.03);
        bar.update(2, values(), false);   // 20 ms after the last draw: skipped
        assertEquals(after1, text().length());
        at(0.07);
        bar.update(3, values(), false);
        assertTrue(text().length() > after1);
        at(0.08);
        bar.update(100, values(), true);   // the final update is never skipped
        assertTrue(text().endsWith("\n"));
    }

    @Test
    void unknownTargetShowsCountAndLearnsItAtTheEnd() {
        ProgressBar bar = new ProgressBar(-1, 1, out, true, () -> nanos, 0);
        at(2);
        bar.update(5, values("loss", 0.25), false);
        assertEquals("\r      5/Unknown - 2s 400ms/step - loss: 0.2500", text());
        bar.update(5, values("loss", 0.25), true);
        assertEquals(5, bar.target());
    }

    @Test
    void interruptEndsAPartLine() {
        ProgressBar bar = new ProgressBar(10, 1, out, true, () -> nanos, 0);
        at(1);
        bar.update(1, values(), false);
        bar.interrupt();
        assertTrue(text().endsWith("\n"));
        int len = text().length();
        bar.interrupt();   // nothing drawn since: no extra newline
        assertEquals(len, text().length());
    }

    @Test
    void etaAndStepTimeFormats() {
        assertEquals("3s", ProgressBar.eta(3.9));
        assertEquals("60s", ProgressBar.eta(60));
        assertEquals("1:05", ProgressBar.eta(65.5));
        assertEquals("1:02:05", ProgressBar.eta(3725));
        assertEquals(" 2s/step", ProgressBar.formatTime(1.6, "step"));
        assertEquals(" 120ms/step", ProgressBar.formatTime(0.12, "step"));
        assertEquals(" 85us/step", ProgressBar.formatTime(85e-6, "step"));
        assertEquals(" 0s/step", ProgressBar.formatTime(0, "step"));
    }

    @Test
    void valuesUsePythonFormatting() {
        StringBuilder sb = new StringBuilder();
        ProgressBar.appendValues(sb, values("a", 0.0001234, "b", Double.NaN, "c", -2.5, "d", 0.0, "e", Double.POSITIVE_INFINITY));
        assertEquals(" - a: 1.2340e-04 - b: nan - c: -2.5000 - d: 0.0000e+00 - e: inf", sb.toString());
    }

    /** Expected strings printed by CPython's {@code '%.4f' % v} and {@code '%.4e' % v}. */
    @Test
    void pyFormatMatchesPython() {
        assertEquals("1.0001", PyFormat.fixed(1.00005, 4));
        assertEquals("1.0001e+00", PyFormat.scientific(1.00005, 4));
        assertEquals("0.1235", PyFormat.fixed(0.12345, 4));
        assertEquals("1.2345e-01", PyFormat.scientific(0.12345, 4));
        assertEquals("0.0000", PyFormat.fixed(2.5e-05, 4));
        assertEquals("2.5000e-05", PyFormat.scientific(2.5e-05, 4));
        assertEquals("-0.0000", PyFormat.fixed(-2e-05, 4));
        assertEquals("-2.0000e-05", PyFormat.scientific(-2e-05, 4));
        assertEquals("123.4568", PyFormat.fixed(123.456789, 4));
        assertEquals("1.2346e+02", PyFormat.scientific(123.456789, 4));
        assertEquals("1.0000e-10", PyFormat.scientific(1e-10, 4));
        assertEquals(2, PyFormat.roundHalfEven(2.5));
        assertEquals(0, PyFormat.roundHalfEven(0.5));
        assertEquals(2, PyFormat.roundHalfEven(1.5));
    }
}
