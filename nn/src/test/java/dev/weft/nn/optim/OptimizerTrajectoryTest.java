package dev.weft.nn.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.engine.Tensor;
import dev.weft.nn.io.TextFixtures;
import dev.weft.nn.optim.schedule.CosineDecay;
import dev.weft.nn.optim.schedule.ExponentialDecay;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Six steps of every optimizer on {@code loss = ½Σ a·(w − c)²} against gen_optim_fixtures.py, which
 * writes Keras' update rules in torch float32 ops and checks them against torch.optim wherever the
 * two libraries coincide (SGD, momentum, Nesterov; Adam/AdamW/Adagrad/RMSprop with ε → 0).
 */
class OptimizerTrajectoryTest {
    private static final TextFixtures FX = TextFixtures.load("/fixtures/optim/trajectories.txt");
    private static final int STEPS = 6;

    /** Bit-exact: the Keras formulas in float32, same operation order (SGD, RMSprop, Adagrad). */
    private static void check(String name, Function<Map<String, Tensor>, Optimizer> make) { check(name, make, 0f); }

    /**
     * Within {@code rtol}: Adam's β^t goes through Math.pow here and numpy's powf in the script,
     * which may differ by an ulp on some JVMs (on JDK 17 the trajectories are bit-identical too).
     */
    private static void checkClose(String name, Function<Map<String, Tensor>, Optimizer> make) { check(name, make, 2e-6f); }

    private static void check(String name, Function<Map<String, Tensor>, Optimizer> make, float rtol) {
        Tensor w1 = FX.get(name + ".w1.0").requiresGrad(true), w2 = FX.get(name + ".w2.0").requiresGrad(true);
        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("w1", w1);
        params.put("w2", w2);
        Optimizer opt = make.apply(params);
        Tensor c1 = FX.get("problem.c1"), c2 = FX.get("problem.c2"), a1 = FX.get("problem.a1"), a2 = FX.get("problem.a2");
        for (int step = 1; step <= STEPS; step++) {
            opt.zeroGrad();
            Tensor d1 = w1.sub(c1), d2 = w2.sub(c2);
            Tensor loss = a1.mul(d1).mul(d1).sum().add(a2.mul(d2).mul(d2).sum()).mul(0.5f);
            loss.backward();
            opt.step();
            assertEquals(step, opt.iterations());
            assertClose(name + " w1 after step " + step, FX.get(name + ".w1." + step), w1, rtol);
            assertClose(name + " w2 after step " + step, FX.get(name + ".w2." + step), w2, rtol);
        }
    }

    private static void assertClose(String what, Tensor expected, Tensor actual, float rtol) {
        float[] e = expected.toFloatArray(), a = actual.toFloatArray();
        for (int i = 0; i < e.length; i++)
            assertEquals(e[i], a[i], rtol * Math.max(1f, Math.abs(e[i])), what + " [" + i + "]");
    }

    @Test void sgd() {
        check("sgd", p -> new SGD(p, 0.1f));
        check("sgd_momentum", p -> new SGD(p, 0.1f, 0.9f, false));
        check("sgd_nesterov", p -> new SGD(p, 0.1f, 0.9f, true));
    }

    @Test void sgdWeightDecayIsDecoupledLikeKeras() {
        check("sgd_weight_decay", p -> new SGD(p, 0.1f, 0.9f, false).weightDecay(0.05f));
    }

    @Test void clipping() {
        check("sgd_clipvalue", p -> new SGD(p, 0.1f).clipValue(0.5f));
        check("sgd_global_clipnorm", p -> new SGD(p, 0.1f, 0.5f, false).globalClipNorm(1f));
        checkClose("adam_clipnorm", p -> new Adam(p, 0.1f).clipNorm(0.5f));
    }

    @Test void schedulesDriveTheLearningRate() {
        check("sgd_momentum_cosine_warmup", p -> new SGD(p, 0f, 0.9f, false).schedule(new CosineDecay(0f, 4, 0.1f, 2, 0.2f)));
        checkClose("adam_exponential", p -> new Adam(p).schedule(new ExponentialDecay(0.1f, 2, 0.5f, true)));
    }

    @Test void adamUsesKerasEpsilonPlacement() {
        checkClose("adam", p -> new Adam(p, 0.1f));
        checkClose("adam_default_lr", Adam::new);
        checkClose("adam_amsgrad", p -> new Adam(p, 0.1f, true));
    }

    @Test void adamW() {
        checkClose("adamw", p -> new AdamW(p, 0.05f, 0.1f));
    }

    @Test void rmsprop() {
        check("rmsprop", p -> new RMSprop(p, 0.01f, 0.9f, 0f, 1e-7f, false));
        check("rmsprop_centered_momentum", p -> new RMSprop(p, 0.01f, 0.9f, 0.9f, 1e-7f, true));
    }

    @Test void adagrad() {
        check("adagrad", p -> new Adagrad(p, 0.1f, 0.1f, 1e-7f));
    }

    @Test void fixtureTrajectoriesActuallyMove() {
        // Guards against a vacuous comparison: each case's parameters change over the six steps.
        for (String name : new String[] {"sgd", "adam_default_lr", "adagrad", "rmsprop"})
            assertTrue(!FX.get(name + ".w1.0").allClose(FX.get(name + ".w1." + STEPS), 0f, 1e-6f), name);
    }
}
