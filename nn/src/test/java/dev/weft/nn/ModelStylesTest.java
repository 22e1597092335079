package dev.weft.nn;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.engine.Rng;
import dev.weft.engine.Tensor;
import dev.weft.nn.layers.Activation;
import dev.weft.nn.layers.Add;
import dev.weft.nn.layers.BatchNormalization;
import dev.weft.nn.layers.Concatenate;
import dev.weft.nn.layers.Conv2D;
import dev.weft.nn.layers.Dense;
import dev.weft.nn.layers.Dropout;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The three Keras model styles: Sequential, functional graphs, subclassing. */
class ModelStylesTest {
    @Test void functionalResidualBlockEqualsHandWiring() {
        Rng.manualSeed(11);
        Symbolic in = Symbolic.input(6, 6, 4);
        Conv2D c1 = new Conv2D(4, 3).padding("same"), c2 = new Conv2D(4, 3).padding("same");
        BatchNormalization bn = new BatchNormalization();
        Symbolic y = c2.call(new Activation("relu").call(bn.call(c1.call(in))));
        Add add = new Add();
        Model block = new Model(in, new Activation("relu").call(add.call(y, in)));
        assertEquals(List.of("conv2d", "batch_normalization", "activation", "conv2d_1", "add", "activation_1"),
                List.copyOf(block.children().keySet()));
        assertTrue(block.namedBuffers().containsKey("batch_normalization.moving_mean"));

        Tensor x = Tensor.randn(new Rng(1), 2, 6, 6, 4);
        block.eval();
        Tensor out = block.forward(x);
        Tensor manual = c2.forward(bn.forward(c1.forward(x)).relu()).add(x).relu();
        assertArrayEquals(manual.toFloatArray(), out.toFloatArray());

        // gradients reach both branches
        block.train();
        Tensor xg = x.detach().requiresGrad(true);
        block.forward(xg).sum().backward();
        assertNotNull(c1.kernel().grad());
        assertNotNull(xg.grad());
    }

    @Test void multiInputMultiOutputAndSharedLayer() {
        Symbolic a = Symbolic.input(3), b = Symbolic.input(3);
        Dense shared = new Dense(2);
        Symbolic ya = shared.call(a), yb = shared.call(b);
        Symbolic cat = new Concatenate().call(ya, yb);
        Model m = new Model(List.of(a, b), List.of(cat, ya));
        assertEquals(8, m.countParameters(), "shared weights counted once");
        Tensor xa = Tensor.randn(new Rng(2), 5, 3), xb = Tensor.randn(new Rng(3), 5, 3);
        List<Tensor> outs = m.forwardAll(xa, xb);
        assertArrayEquals(new int[] {5, 4}, outs.get(0).shape());
        assertArrayEquals(shared.forward(xa).toFloatArray(), outs.get(1).toFloatArray());
        assertArrayEquals(Tensor.concat(List.of(shared.forward(xa), shared.forward(xb)), 1).toFloatArray(), outs.get(0).toFloatArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.forward(xa, Tensor.zeros(5, 4)));
        assertTrue(e.getMessage().contains("(None, 4)") && e.getMessage().contains("(None, 3)"), e.getMessage());
    }

    @Test void forwardAllRunsTheGraphOnce() {
        // BatchNormalization in training mode updates its moving mean once per run:
        // moving = 0.99·0 + 0.01·batchMean, with batch mean (1 + 3)/2 = 2 → 0.02.
        Symbolic in = Symbolic.input(1);
        BatchNormalization bn = new BatchNormalization();
        Model m = new Model(List.of(in), List.of(bn.call(in), in));
        m.train();
        List<Tensor> outs = m.forwardAll(Tensor.of(new float[] {1, 3}, 2, 1));
        assertEquals(2, outs.size());
        assertEquals(0.01f * 2f, bn.movingMean().item(), 1e-7f);
    }

    @Test void callRejectsANullInput() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Add().named("sum").call(Symbolic.input(3), null));
        assertTrue(e.getMessage().contains("Add 'sum'") && e.getMessage().contains("input 1 is null"), e.getMessage());
    }

    @Test void badModelInputsAreNamed() {
        IllegalStateException empty = assertThrows(IllegalStateException.class, () -> new Sequential().forward(Tensor.zeros(2, 2)));
        assertTrue(empty.getMessage().startsWith("Sequential: no layers to build"), empty.getMessage());
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class, () -> new Sequential(new Dense(2)).input((int[]) null));
        assertTrue(shape.getMessage().contains("Sequential.input: shape is null"), shape.getMessage());
        IllegalArgumentException summary = assertThrows(IllegalArgumentException.class, () -> Summary.of(null));
        assertTrue(summary.getMessage().contains("Summary: model is null"), summary.getMessage());
        Symbolic in = Symbolic.input(3);
        Model m = new Model(in, new Dense(2).call(in));
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class, () -> m.forward(Tensor.zeros(1, 3), Tensor.zeros(1, 3)));
        assertTrue(count.getMessage().startsWith("Model: expects 1 inputs, got 2"), count.getMessage());
    }

    @Test void functionalErrors() {
        Symbolic a = Symbolic.input(3), stray = Symbolic.input(3);
        Symbolic y = new Add().call(a, stray);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Model(a, y));
        assertTrue(e.getMessage().contains("not among the model's inputs"), e.getMessage());
        IllegalArgumentException wrongChannels = assertThrows(IllegalArgumentException.class,
                () -> new Conv2D(8, 3).named("stem").call(Symbolic.input(32, 32)));
        assertTrue(wrongChannels.getMessage().contains("Conv2D 'stem'") && wrongChannels.getMessage().contains("(None, 32, 32)"),
                wrongChannels.getMessage());
    }

    /** Subclassing: a Keras-style custom model with its own forward. */
    static final class TwoTower extends Layer {
        final Dense left = registerModule("left", new Dense(4).activation("tanh"));
        final Dense right = registerModule("right", new Dense(4));
        final Dropout drop = registerModule("dropout", new Dropout(0.5, 1));

        @Override protected int[] computeOutputShape(int[][] in) { return new int[] {4}; }

        @Override protected Tensor compute(List<Tensor> in) { return drop.forward(left.forward(in.get(0)).add(right.forward(in.get(0)))); }
    }

    @Test void subclassedModelTrainEvalAndParameters() {
        TwoTower m = new TwoTower();
        Tensor x = Tensor.randn(new Rng(4), 8, 3);
        Tensor train = m.forward(x);
        m.eval();
        assertFalse(m.drop.isTraining(), "eval() reaches children");
        Tensor eval = m.forward(x);
        assertArrayEquals(m.left.forward(x).add(m.right.forward(x)).toFloatArray(), eval.toFloatArray());
        assertFalse(java.util.Arrays.equals(train.toFloatArray(), eval.toFloatArray()));
        assertEquals(List.of("left.kernel", "left.bias", "right.kernel", "right.bias"), List.copyOf(m.namedParameters().keySet()));
    }

    @Test void sequentialAddAfterInputBuildsImmediately() {
        Sequential s = new Sequential().input(5);
        Dense d = new Dense(3);
        s.add(d);
        assertTrue(d.isBuilt());
        assertArrayEquals(new int[] {3}, s.outputShape(new int[] {5}));
        assertThrows(IllegalArgumentException.class, () -> s.add(d));
    }

    @Test void modelsSharingLayersGetDistinctNames() {
        Symbolic in = Symbolic.input(8);
        Symbolic h = new Dense(4).call(in);
        Model encoder = new Model(in, h);                        // names its layer "dense"
        Symbolic out = new Dense(8).call(h);                     // a new Dense in the full model
        Model full = new Model(in, out);
        assertEquals(List.of("dense", "dense_1"), List.copyOf(full.children().keySet()));
        assertEquals(4 * 8 + 4, encoder.countParameters());
        assertEquals(4 * 8 + 4 + 8 * 4 + 8, full.countParameters());
        assertSame(encoder.children().get("dense"), full.children().get("dense"), "weights shared");
    }

    @Test void withRngSeedsTheWholeModel() {
        java.util.function.LongFunction<Sequential> make = seed -> {
            Sequential m = new Sequential(new Dense(4), new dev.weft.nn.layers.LSTM(3));
            m.add(new dev.weft.nn.layers.Dense(2));
            m.withRng(new Rng(seed));
            return m.input(5, 6);
        };
        Sequential a = make.apply(7), b = make.apply(7), c = make.apply(8);
        for (String k : a.namedParameters().keySet())
            assertArrayEquals(a.namedParameters().get(k).toFloatArray(), b.namedParameters().get(k).toFloatArray(), k);
        assertFalse(java.util.Arrays.equals(a.namedParameters().get("dense.kernel").toFloatArray(),
                c.namedParameters().get("dense.kernel").toFloatArray()));
        assertEquals(List.of("dense.kernel", "dense.bias", "lstm.cell.kernel", "lstm.cell.recurrent_kernel", "lstm.cell.bias",
                "dense_1.kernel", "dense_1.bias"), List.copyOf(a.namedParameters().keySet()));
    }
}
