package dev.weft.nn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.weft.engine.Tensor;
import dev.weft.nn.optim.schedule.CosineDecay;
import dev.weft.nn.optim.schedule.ExponentialDecay;
import dev.weft.nn.optim.schedule.PiecewiseConstantDecay;
import dev.weft.nn.optim.schedule.ReduceLROnPlateau;
import dev.weft.nn.optim.schedule.StepDecay;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Schedules against values derived by hand from Keras' documented formulas. */
class ScheduleTest {
    @Test void piecewiseConstantUsesLessOrEqualBoundaries() {
        var s = new PiecewiseConstantDecay(new long[] {10, 20}, new float[] {1f, 0.5f, 0.1f});
        assertEquals(1f, s.at(0));
        assertEquals(1f, s.at(10));
        assertEquals(0.5f, s.at(11));
        assertEquals(0.5f, s.at(20));
        assertEquals(0.1f, s.at(21));
        assertThrows(IllegalArgumentException.class, () -> new PiecewiseConstantDecay(new long[] {1}, new float[] {1f}));
        assertThrows(IllegalArgumentException.class, () -> new PiecewiseConstantDecay(new long[] {5, 5}, new float[] {1f, 2f, 3f}));
    }

    @Test void exponentialAndStepDecay() {
        var smooth = new ExponentialDecay(0.1f, 10, 0.5f, false);
        assertEquals(0.1f, smooth.at(0));
        assertEquals(0.1 * Math.sqrt(0.5), smooth.at(5), 1e-8);
        assertEquals(0.05f, smooth.at(10), 1e-9f);
        var stairs = new ExponentialDecay(0.1f, 10, 0.5f, true);
        assertEquals(0.1f, stairs.at(9));
        assertEquals(0.05f, stairs.at(15), 1e-9f);
        assertEquals(0.025f, stairs.at(20), 1e-9f);
        var step = new StepDecay(1f, 3, 0.1f);
        assertEquals(1f, step.at(2));
        assertEquals(0.1f, step.at(3), 1e-8f);
        assertEquals(0.01f, step.at(6), 1e-9f);
    }

    @Test void cosineDecayWithoutWarmup() {
        var s = new CosineDecay(1f, 10, 0f);
        assertEquals(1f, s.at(0));
        assertEquals(0.5f, s.at(5), 1e-7f);
        assertEquals(0f, s.at(10), 1e-7f);
        assertEquals(0f, s.at(50), 1e-7f);
        var floor = new CosineDecay(1f, 10, 0.1f);
        assertEquals(0.55f, floor.at(5), 1e-7f); // 0.9·0.5 + 0.1
        assertEquals(0.1f, floor.at(10), 1e-7f);
    }

    @Test void cosineDecayWithLinearWarmup() {
        var s = new CosineDecay(0f, 10, 0f, 5, 1f);
        assertEquals(0f, s.at(0));
        assertEquals(0.2f, s.at(1), 1e-7f);
        assertEquals(0.8f, s.at(4), 1e-7f);
        assertEquals(1f, s.at(5), 1e-7f);
        assertEquals(0.5f, s.at(10), 1e-7f);
        assertEquals(0f, s.at(15), 1e-7f);
        assertEquals(0f, s.at(100), 1e-7f);
    }

    @Test void optimizerFollowsItsScheduleAndSetLearningRateReplacesIt() {
        Tensor w = Tensor.zeros(1).requiresGrad(true);
        SGD opt = new SGD(Map.of("w", w), 1f).schedule(new StepDecay(1f, 2, 0.5f));
        float[] seen = new float[5];
        for (int i = 0; i < 5; i++) {
            seen[i] = opt.learningRate();
            w.setGrad(Tensor.vector(1f));
            opt.step();
        }
        assertArrayEquals(new float[] {1f, 1f, 0.5f, 0.5f, 0.25f}, seen);
        // Each step moved w by −lr·1.
        assertEquals(-(1 + 1 + 0.5 + 0.5 + 0.25), w.get(0), 1e-6);
        opt.setLearningRate(0.01f);
        assertEquals(0.01f, opt.learningRate());
    }

    @Test void reduceOnPlateauTracesKerasLogic() {
        Tensor w = Tensor.zeros(1).requiresGrad(true);
        SGD opt = new SGD(Map.of("w", w), 1f);
        var plateau = new ReduceLROnPlateau(opt, ReduceLROnPlateau.Mode.MIN, 0.5f, 2, 0f, 1, 0.1f);
        float[] metrics = {1f, 1f, 1f, 1f, 1f, 0.5f, 0.6f, 0.6f, 0.6f, 0.6f, 0.6f, 0.6f};
        // Hand trace: reduce when 2 epochs pass without improvement, skip one epoch after each
        // reduction (cooldown 1), never below 0.1.
        float[] expected = {1f, 1f, 0.5f, 0.5f, 0.25f, 0.25f, 0.25f, 0.125f, 0.125f, 0.1f, 0.1f, 0.1f};
        float[] got = new float[metrics.length];
        for (int i = 0; i < metrics.length; i++) got[i] = plateau.update(metrics[i]);
        assertArrayEquals(expected, got);
        assertEquals(0.5, plateau.best());
    }

    @Test void reduceOnPlateauMaxModeAndMinDelta() {
        Tensor w = Tensor.zeros(1).requiresGrad(true);
        SGD opt = new SGD(Map.of("w", w), 1f);
        var plateau = new ReduceLROnPlateau(opt, ReduceLROnPlateau.Mode.MAX, 0.1f, 1, 0.01f, 0, 0f);
        assertEquals(1f, plateau.update(0.5f));     // first value always improves on −∞
        assertEquals(1f, plateau.update(0.6f));     // +0.1 > minDelta: improvement
        assertEquals(0.1f, plateau.update(0.605f), 1e-8f); // +0.005 is within minDelta: patience 1 → reduce
    }

    @Test void reduceOnPlateauStateRoundTrips() {
        Tensor w = Tensor.zeros(1).requiresGrad(true);
        SGD opt = new SGD(Map.of("w", w), 1f);
        var a = new ReduceLROnPlateau(opt, ReduceLROnPlateau.Mode.MIN, 0.5f, 3, 0f, 0, 0f);
        a.update(1f);
        a.update(2f);
        var b = new ReduceLROnPlateau(opt, ReduceLROnPlateau.Mode.MIN, 0.5f, 3, 0f, 0, 0f);
        b.loadState(a.state());
        assertEquals(1, b.waitCount());
        assertEquals(1.0, b.best());
        assertThrows(IllegalArgumentException.class, () -> b.loadState(Map.of("best", "x", "wait", "1", "cooldown_counter", "0")));
        assertThrows(IllegalArgumentException.class, () -> new ReduceLROnPlateau(new SGD(Map.of("w", w), 1f).schedule(new StepDecay(1f, 1, 0.5f))));
    }
}
