package dev.weft.zoo.metrics;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.engine.Tensor;
import org.junit.jupiter.api.Test;

/** Expected values are the examples of Keras' metric documentation or hand counts. */
class MetricsTest {
    static Tensor t(float[][] rows) { return Tensor.of(rows); }

    static Tensor col(float... v) { return Tensor.of(v.clone(), v.length, 1); }

    @Test
    void categoricalAccuracyKerasDocExample() {
        // keras.metrics.CategoricalAccuracy: update_state([[0,0,1],[0,1,0]], [[0.1,0.9,0.8],[0.05,0.95,0]]) -> 0.5
        Metric m = new CategoricalAccuracy();
        m.update(t(new float[][] {{0.1f, 0.9f, 0.8f}, {0.05f, 0.95f, 0f}}), t(new float[][] {{0, 0, 1}, {0, 1, 0}}));
        assertEquals(0.5, m.result(), 0);
        assertEquals("categorical_accuracy", m.name());
    }

    @Test
    void sparseCategoricalAccuracyKerasDocExample() {
        // keras.metrics.SparseCategoricalAccuracy: update_state([[2],[1]], [[0.1,0.6,0.3],[0.05,0.95,0]]) -> 0.5
        Metric m = new SparseCategoricalAccuracy();
        Tensor pred = t(new float[][] {{0.1f, 0.6f, 0.3f}, {0.05f, 0.95f, 0f}});
        m.update(pred, col(2, 1));
        assertEquals(0.5, m.result(), 0);
        m.reset();
        m.update(pred, Tensor.vector(1, 1));
        assertEquals(1.0, m.result(), 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.update(pred, Tensor.vector(1, 1, 0)));
        assertTrue(e.getMessage().contains("[3]") && e.getMessage().contains("[2, 3]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.update(pred, Tensor.vector(0.5f, 1)));
    }

    @Test
    void binaryAccuracyKerasDocExampleAndFromLogits() {
        // keras.metrics.BinaryAccuracy: update_state([[1],[1],[0],[0]], [[0.98],[1],[0],[0.6]]) -> 0.75
        Metric m = new BinaryAccuracy();
        m.update(col(0.98f, 1f, 0f, 0.6f), col(1, 1, 0, 0));
        assertEquals(0.75, m.result(), 0);
        // exactly 0.5 is not above the threshold: predicts 0
        Metric half = new BinaryAccuracy();
        half.update(col(0.5f, 0.5f), col(0, 1));
        assertEquals(0.5, half.result(), 0);
        // logits: sigmoid(z) > 0.5 iff z > 0; same decisions as the probabilities above
        Metric logits = BinaryAccuracy.fromLogits();
        logits.update(col(3.9f, 8f, -9f, 0.4f), col(1, 1, 0, 0));
        assertEquals(0.75, logits.result(), 0);
        // [N] targets against [N, 1] predictions
        Metric flat = new BinaryAccuracy();
        flat.update(col(0.2f, 0.7f), Tensor.vector(0, 0));
        assertEquals(0.5, flat.result(), 0);
    }

    @Test
    void binaryAccuracyAveragesOverTheLastDimPerSample() {
        // two samples with 2 outputs each: sample 0 gets 1/2 right, sample 1 gets 2/2 -> mean 0.75
        Metric m = new BinaryAccuracy();
        m.update(t(new float[][] {{0.9f, 0.9f}, {0.1f, 0.8f}}), t(new float[][] {{1, 0}, {0, 1}}));
        assertEquals(0.75, m.result(), 0);
    }

    @Test
    void topKKerasDocExamplesAndTies() {
        // keras.metrics.TopKCategoricalAccuracy(k=1): ([[0,0,1],[0,1,0]], [[0.1,0.9,0.8],[0.05,0.95,0]]) -> 0.5
        Metric m = new TopKCategoricalAccuracy(1);
        Tensor pred = t(new float[][] {{0.1f, 0.9f, 0.8f}, {0.05f, 0.95f, 0f}});
        m.update(pred, t(new float[][] {{0, 0, 1}, {0, 1, 0}}));
        assertEquals(0.5, m.result(), 0);
        // keras.metrics.SparseTopKCategoricalAccuracy(k=1): ([2, 1], same) -> 0.5
        Metric s = TopKCategoricalAccuracy.sparse(1);
        s.update(pred, Tensor.vector(2, 1));
        assertEquals(0.5, s.result(), 0);
        // k = 2: class 2 (0.8) is second in row 0 -> both in
        Metric k2 = TopKCategoricalAccuracy.sparse(2);
        k2.update(pred, Tensor.vector(2, 1));
        assertEquals(1.0, k2.result(), 0);
        // in_top_k ties: target 1 ties with class 0 for the top score; no class is strictly higher -> in
        Metric tie = TopKCategoricalAccuracy.sparse(1);
        tie.update(t(new float[][] {{0.5f, 0.5f, 0.1f}}), Tensor.vector(1));
        assertEquals(1.0, tie.result(), 0);
        Metric nan = TopKCategoricalAccuracy.sparse(3);
        nan.update(t(new float[][] {{0.5f, Float.NaN, 0.1f}}), Tensor.vector(1));
        assertEquals(0.0, nan.result(), 0);
        assertEquals("top_k_categorical_accuracy", m.name());
        assertEquals("sparse_top_k_categorical_accuracy", s.name());
    }

    @Test
    void batchesAreWeightedBySize() {
        Metric m = new SparseCategoricalAccuracy();
        // batch 1: 2 samples, both right; batch 2: 4 samples, 1 right -> 3/6 (not (1 + 0.25)/2)
        m.update(t(new float[][] {{1, 0}, {0, 1}}), Tensor.vector(0, 1));
        m.update(t(new float[][] {{1, 0}, {1, 0}, {1, 0}, {1, 0}}), Tensor.vector(0, 1, 1, 1));
        assertEquals(0.5, m.result(), 0);
        m.reset();
        assertTrue(Double.isNaN(m.result()));
    }

    @Test
    void accuracyPicksLikeKeras() {
        Accuracy binary = new Accuracy();
        binary.update(col(0.9f, 0.2f), col(1, 1));
        assertInstanceOf(BinaryAccuracy.class, binary.resolved());
        assertEquals(0.5, binary.result(), 0);

        Accuracy sparse = new Accuracy();
        sparse.update(t(new float[][] {{0.1f, 0.6f, 0.3f}}), Tensor.vector(1));
        assertInstanceOf(SparseCategoricalAccuracy.class, sparse.resolved());

        Accuracy sparseCol = new Accuracy();
        sparseCol.update(t(new float[][] {{0.1f, 0.6f, 0.3f}}), col(2));
        assertInstanceOf(SparseCategoricalAccuracy.class, sparseCol.resolved());
        assertEquals(0.0, sparseCol.result(), 0);

        Accuracy categorical = new Accuracy();
        categorical.update(t(new float[][] {{0.1f, 0.6f, 0.3f}}), t(new float[][] {{0, 1, 0}}));
        assertInstanceOf(CategoricalAccuracy.class, categorical.resolved());
        assertEquals(1.0, categorical.result(), 0);
        assertEquals("accuracy", categorical.name());
    }

    @Test
    void argmaxTiesGoToTheFirstIndex() {
        Metric m = new CategoricalAccuracy();
        m.update(t(new float[][] {{0.4f, 0.4f, 0.2f}}), t(new float[][] {{1, 0, 0}}));
        assertEquals(1.0, m.result(), 0);
    }

    @Test
    void meanIsWeighted() {
        Mean mean = new Mean("loss");
        assertTrue(Double.isNaN(mean.result()));
        mean.update(1.0, 4);
        mean.update(4.0, 2);
        assertEquals(2.0, mean.result(), 1e-15);   // (4 + 8) / 6
        assertThrows(IllegalArgumentException.class, () -> mean.update(1, -1));
    }

    @Test
    void kerasNames() {
        assertInstanceOf(Accuracy.class, Metrics.get("acc"));
        assertEquals("binary_accuracy", Metrics.get("binary_accuracy").name());
        assertEquals(5, ((TopKCategoricalAccuracy) Metrics.get("top_k_categorical_accuracy")).k());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Metrics.get("f1"));
        assertTrue(e.getMessage().contains("f1"));
    }

    @Test
    void shapeMismatchNamesMetricAndShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CategoricalAccuracy().update(Tensor.zeros(2, 3), Tensor.zeros(2, 4)));
        assertTrue(e.getMessage().contains("categorical_accuracy") && e.getMessage().contains("[2, 4]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BinaryAccuracy().update(Tensor.zeros(2, 1), Tensor.zeros(3, 1)));
    }
}
