package dev.weft.nn.layers;

import static dev.weft.nn.layers.Fixtures.assertClose;
import static dev.weft.nn.layers.Fixtures.leaf;
import static dev.weft.nn.layers.Fixtures.set;
import static org.junit.jupiter.api.Assertions.*;

import dev.weft.engine.Tensor;
import dev.weft.nn.Layer;
import dev.weft.nn.Sequential;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each layer's forward and backward against PyTorch (fixtures from gen_layer_fixtures.py, which
 * converts the Keras-layout weights to torch's layouts). Backward is for the loss sum(y·g).
 */
class TorchFixtureTest {
    private static Tensor run(Layer layer, Map<String, Tensor> f, Tensor x) {
        Tensor y = layer.forward(x);
        assertClose(f.get("y"), y, "forward");
        y.backward(f.get("g"));
        assertClose(f.get("dx"), x.grad(), 1e-4f, 1e-4f, "dx");
        return y;
    }

    @Test void dense() {
        Map<String, Tensor> f = Fixtures.load("dense");
        Dense d = new Dense(3);
        d.build(new int[] {5});
        set(d.kernel(), f.get("kernel"));
        set(d.bias(), f.get("bias"));
        run(d, f, leaf(f.get("x")));
        assertClose(f.get("dkernel"), d.kernel().grad(), "dkernel");
        assertClose(f.get("dbias"), d.bias().grad(), "dbias");
    }

    private static void conv(String name, Conv2D c) {
        Map<String, Tensor> f = Fixtures.load(name);
        Tensor x = leaf(f.get("x"));
        c.build(java.util.Arrays.copyOfRange(x.shape(), 1, 4));
        set(c.kernel(), f.get("kernel"));
        set(c.bias(), f.get("bias"));
        run(c, f, x);
        assertClose(f.get("dkernel"), c.kernel().grad(), 1e-4f, 1e-4f, name + " dkernel");
        assertClose(f.get("dbias"), c.bias().grad(), 1e-4f, 1e-4f, name + " dbias");
    }

    @Test void conv2dValid() { conv("conv_valid", new Conv2D(4, 3)); }
    @Test void conv2dSameStride2AsymmetricPad() { conv("conv_same_stride2", new Conv2D(4, 3).strides(2).padding("same")); }
    @Test void conv2dSameDilation2() { conv("conv_same_dilation2", new Conv2D(3, 3).padding("same").dilationRate(2)); }
    @Test void conv2dValidStride2Kernel2() { conv("conv_valid_stride2_k2", new Conv2D(2, 2).strides(2)); }

    private static void pool(String name, Layer l) {
        Map<String, Tensor> f = Fixtures.load(name);
        run(l, f, leaf(f.get("x")));
    }

    @Test void maxPooling() {
        pool("maxpool_valid", new MaxPooling2D());
        pool("maxpool_same", new MaxPooling2D().padding("same"));
        pool("maxpool_same_stride1", new MaxPooling2D(2).strides(1).padding("same"));
    }

    @Test void averagePooling() {
        pool("avgpool_same", new AveragePooling2D().padding("same"));
        pool("avgpool_valid", new AveragePooling2D(3));
        pool("global_avg_pool", new GlobalAveragePooling2D());
    }

    private static void bnTrain(String name) {
        Map<String, Tensor> f = Fixtures.load(name);
        BatchNormalization bn = new BatchNormalization();
        Tensor x = leaf(f.get("x"));
        bn.build(java.util.Arrays.copyOfRange(x.shape(), 1, x.dim()));
        set(bn.gamma(), f.get("gamma"));
        set(bn.beta(), f.get("beta"));
        Tensor movingMean = bn.stateDict().get("moving_mean");
        run(bn, f, x);
        assertClose(f.get("dgamma"), bn.gamma().grad(), 1e-4f, 1e-4f, "dgamma");
        assertClose(f.get("dbeta"), bn.beta().grad(), 1e-4f, 1e-4f, "dbeta");
        // Keras 3 moving update with the biased batch variance
        assertClose(f.get("moving_mean"), bn.movingMean(), "moving_mean");
        assertClose(f.get("moving_variance"), bn.movingVariance(), "moving_variance");
        assertSame(movingMean, bn.movingMean(), "moving statistics are updated in place");
    }

    @Test void batchNormTrainingAfterConvAndAfterDense() {
        bnTrain("batchnorm_train_conv");
        bnTrain("batchnorm_train_dense");
    }

    @Test void batchNormInferenceUsesMovingStats() {
        Map<String, Tensor> f = Fixtures.load("batchnorm_eval");
        BatchNormalization bn = new BatchNormalization();
        bn.build(new int[] {3, 3, 4});
        set(bn.gamma(), f.get("gamma"));
        set(bn.beta(), f.get("beta"));
        set(bn.movingMean(), f.get("moving_mean"));
        set(bn.movingVariance(), f.get("moving_variance"));
        bn.eval();
        run(bn, f, leaf(f.get("x")));
        assertClose(f.get("dgamma"), bn.gamma().grad(), 1e-4f, 1e-4f, "dgamma");
        assertClose(f.get("dbeta"), bn.beta().grad(), 1e-4f, 1e-4f, "dbeta");
        assertClose(f.get("moving_mean"), bn.movingMean(), 0, 0, "eval leaves moving_mean alone");
    }

    private static void setCell(LSTMCell cell, Map<String, Tensor> f, String suffix) {
        set(cell.kernel(), f.get("kernel" + suffix));
        set(cell.recurrentKernel(), f.get("recurrent_kernel" + suffix));
        set(cell.bias(), f.get("bias" + suffix));
    }

    @Test void lstmCellStep() {
        Map<String, Tensor> f = Fixtures.load("lstm_cell");
        LSTMCell cell = new LSTMCell(5);
        cell.buildFor(3);
        setCell(cell, f, "");
        Tensor x = leaf(f.get("x")), h = leaf(f.get("h")), c = leaf(f.get("c"));
        LSTMCell.State s = cell.step(x, new LSTMCell.State(h, c));
        assertClose(f.get("h1"), s.h(), "h'");
        assertClose(f.get("c1"), s.c(), "c'");
        s.h().mul(f.get("gh")).sum().add(s.c().mul(f.get("gc")).sum()).backward();
        assertClose(f.get("dx"), x.grad(), 1e-4f, 1e-4f, "dx");
        assertClose(f.get("dh"), h.grad(), 1e-4f, 1e-4f, "dh");
        assertClose(f.get("dc"), c.grad(), 1e-4f, 1e-4f, "dc");
        assertClose(f.get("dkernel"), cell.kernel().grad(), 1e-4f, 1e-4f, "dkernel");
        assertClose(f.get("drecurrent_kernel"), cell.recurrentKernel().grad(), 1e-4f, 1e-4f, "drecurrent_kernel");
        assertClose(f.get("dbias"), cell.bias().grad(), 1e-4f, 1e-4f, "dbias");
    }

    @Test void lstmSequenceWithState() {
        Map<String, Tensor> f = Fixtures.load("lstm_sequence");
        LSTM lstm = new LSTM(5).returnSequences(true);
        lstm.build(new int[] {6, 4});
        setCell(lstm.cell(), f, "");
        Tensor x = leaf(f.get("x"));
        LSTM.Output out = lstm.forwardWithState(x);
        assertClose(f.get("y"), out.output(), "sequence output");
        assertClose(f.get("h"), out.h(), "final h");
        assertClose(f.get("c"), out.c(), "final c");
        out.output().mul(f.get("g")).sum().add(out.c().mul(f.get("gc")).sum()).backward();
        assertClose(f.get("dx"), x.grad(), 1e-4f, 1e-4f, "dx");
        assertClose(f.get("dkernel"), lstm.cell().kernel().grad(), 1e-4f, 1e-4f, "dkernel");
        assertClose(f.get("drecurrent_kernel"), lstm.cell().recurrentKernel().grad(), 1e-4f, 1e-4f, "drecurrent_kernel");
        assertClose(f.get("dbias"), lstm.cell().bias().grad(), 1e-4f, 1e-4f, "dbias");
    }

    @Test void stackedLstmsInSequential() {
        Map<String, Tensor> f = Fixtures.load("lstm_stacked");
        LSTM l1 = new LSTM(4).returnSequences(true), l2 = new LSTM(3);
        Sequential m = new Sequential(l1, l2).input(5, 3);
        setCell(l1.cell(), f, "1");
        setCell(l2.cell(), f, "2");
        Tensor x = leaf(f.get("x"));
        Tensor y = m.forward(x);
        assertClose(f.get("y"), y, "output");
        y.backward(f.get("g"));
        assertClose(f.get("dx"), x.grad(), 1e-4f, 1e-4f, "dx");
        assertClose(f.get("dkernel1"), l1.cell().kernel().grad(), 1e-4f, 1e-4f, "dkernel1");
        assertClose(f.get("drecurrent_kernel1"), l1.cell().recurrentKernel().grad(), 1e-4f, 1e-4f, "drecurrent_kernel1");
        assertClose(f.get("dkernel2"), l2.cell().kernel().grad(), 1e-4f, 1e-4f, "dkernel2");
    }
}
