package dev.weft.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.weft.engine.ops.LossOps;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Forward outputs and input gradients of every op against PyTorch, from the committed fixture
 * {@code fixtures/ops/ops.txt} written by {@code engine/src/test/python/gen_op_fixtures.py}.
 *
 * <p>Each case runs the same expression on the fixture's inputs, compares the output, then
 * backpropagates the fixture's random projection r (so the loss is {@code sum(out * r)}) and compares
 * every input gradient.
 *
 * <p>Tolerances, |weft - torch| &lt;= atol + rtol·|torch|:
 * <ul>
 *   <li>{@link #ELEM} (rtol 1e-5, atol 1e-6): elementwise ops and views. One float rounding each side,
 *       but Weft evaluates exp/log/tanh/pow in double then rounds while torch uses float32 vector
 *       approximations (up to a few ulp, ~1e-7 relative), and gradients chain two or three such
 *       roundings; 1e-5 leaves room for that and nothing more.</li>
 *   <li>{@link #REDUCE} (rtol 1e-4, atol 1e-5): sums, means, variances, softmax and matmul. Weft
 *       accumulates sums in double (matmul in float through a blocked GEMM), torch in float32 with its
 *       own (pairwise, vectorised) order; the difference of two orderings of an n-term float sum is
 *       bounded by about n·ε·Σ|terms| (n ≤ 40 here, ε = 6e-8, so ~2.4e-6·Σ|terms|), which these
 *       bounds cover for O(1) data.</li>
 * </ul>
 *
 * <p>Where torch's conventions differ from Weft's documented ones, the generator computes Weft's (see
 * its header): pad pairs start at the first dim (numpy.pad order, not F.pad's last-dim order); max/min
 * share the gradient between ties (torch.amax/amin, not torch.max(dim)); var takes a correction;
 * conditions are "!= 0" floats; dropout masks come from Weft's own generator, mirrored in Python.
 */
class TorchParityTest {
    record Tol(double rtol, double atol) {}

    static final Tol ELEM = new Tol(1e-5, 1e-6), REDUCE = new Tol(1e-4, 1e-5);

    record Case(Tol tol, Function<Tensor[], Tensor> f) {}

    /** The Java twin of the script's CASES table: name -> the same expression in Weft. */
    static final Map<String, Case> CASES = new LinkedHashMap<>();

    private static void c(String name, Tol tol, Function<Tensor[], Tensor> f) {
        if (CASES.put(name, new Case(tol, f)) != null) throw new IllegalStateException("duplicate case " + name);
    }

    /** An index input arrives as a float tensor of whole numbers. */
    private static IntTensor ix(Tensor t) {
        float[] v = t.toFloatArray();
        int[] i = new int[v.length];
        for (int k = 0; k < v.length; k++) i[k] = (int) v[k];
        return IntTensor.of(i, t.shape());
    }

    static {
        // elementwise binary, with broadcasting and views
        c("add", ELEM, in -> in[0].add(in[1]));
        c("add_bcast", ELEM, in -> in[0].add(in[1]));
        c("add_scalar", ELEM, in -> in[0].add(2.5f));
        c("add_view", ELEM, in -> in[0].select(0, 1).t().add(in[1]));
        c("sub_bcast", ELEM, in -> in[0].sub(in[1]));
        c("sub_scalar", ELEM, in -> in[0].sub(1.5f));
        c("mul_bcast", ELEM, in -> in[0].mul(in[1]));
        c("mul_scalar", ELEM, in -> in[0].mul(-3f));
        c("mul_view", ELEM, in -> in[0].t().mul(in[1]));
        c("mul_self", ELEM, in -> in[0].mul(in[0]));
        c("div_bcast", ELEM, in -> in[0].div(in[1]));
        c("div_scalar", ELEM, in -> in[0].div(4f));
        c("neg", ELEM, in -> in[0].neg());
        c("pow_2", ELEM, in -> in[0].pow(2f));
        c("pow_3", ELEM, in -> in[0].pow(3f));
        c("pow_half", ELEM, in -> in[0].pow(0.5f));
        c("pow_neg", ELEM, in -> in[0].pow(-1.5f));
        c("pow_tensor", ELEM, in -> in[0].pow(in[1]));
        // elementwise unary
        c("exp", ELEM, in -> in[0].exp());
        c("exp_view", ELEM, in -> in[0].permute(2, 0, 1).exp());
        c("log", ELEM, in -> in[0].log());
        c("sqrt", ELEM, in -> in[0].sqrt());
        c("abs", ELEM, in -> in[0].abs());
        c("clamp", ELEM, in -> in[0].clamp(-0.5f, 0.7f));
        c("clamp_max", ELEM, in -> in[0].clamp(Float.NEGATIVE_INFINITY, 0.3f));
        c("maximum", ELEM, in -> in[0].maximum(in[1]));
        c("minimum", ELEM, in -> in[0].minimum(in[1]));
        c("maximum_ties", ELEM, in -> in[0].maximum(in[1]));
        c("minimum_ties", ELEM, in -> in[0].minimum(in[1]));
        c("relu", ELEM, in -> in[0].relu());
        c("leaky_relu", ELEM, in -> in[0].leakyRelu(0.1f));
        c("sigmoid", ELEM, in -> in[0].sigmoid());
        c("tanh", ELEM, in -> in[0].tanh());
        // softmax
        c("softmax_last", REDUCE, in -> in[0].softmax(-1));
        c("softmax_dim0", REDUCE, in -> in[0].softmax(0));
        c("softmax_mid", REDUCE, in -> in[0].softmax(1));
        c("softmax_view", REDUCE, in -> in[0].transpose(0, 2).softmax(1));
        c("softmax_large", REDUCE, in -> in[0].mul(30f).softmax(-1));
        c("log_softmax_last", REDUCE, in -> in[0].logSoftmax(-1));
        c("log_softmax_mid", REDUCE, in -> in[0].logSoftmax(1));
        c("softmax_masked", REDUCE, in -> in[0].maskedFill(in[1], Float.NEGATIVE_INFINITY).softmax(-1));
        c("sigmoid_extreme", ELEM, in -> in[0].mul(60f).sigmoid());
        c("tanh_extreme", ELEM, in -> in[0].mul(30f).tanh());
        // reductions
        c("sum_all", REDUCE, in -> in[0].sum());
        c("sum_dim", REDUCE, in -> in[0].sum(1, false));
        c("sum_dims_keep", REDUCE, in -> in[0].sum(new int[] {0, 2}, true));
        c("sum_view", REDUCE, in -> in[0].t().sum(0, true));
        c("mean_all", REDUCE, in -> in[0].mean());
        c("mean_dim_keep", REDUCE, in -> in[0].mean(1, true));
        c("mean_dims", REDUCE, in -> in[0].mean(new int[] {0, 2}, false));
        c("max_all", ELEM, in -> in[0].max());
        c("max_dim", ELEM, in -> in[0].max(1, false));
        c("max_dims_keep", ELEM, in -> in[0].max(new int[] {0, 2}, true));
        c("max_ties", ELEM, in -> in[0].max(1, false));
        c("min_all", ELEM, in -> in[0].min());
        c("min_dim_keep", ELEM, in -> in[0].min(0, true));
        c("min_dims", ELEM, in -> in[0].min(new int[] {1, 2}, false));
        c("min_ties", ELEM, in -> in[0].min(1, false));
        c("var_all", REDUCE, in -> in[0].var());
        c("var_dim", REDUCE, in -> in[0].var(new int[] {1}, 1, false));
        c("var_dims_biased_keep", REDUCE, in -> in[0].var(new int[] {0, 2}, 0, true));
        c("var_view", REDUCE, in -> in[0].t().var(new int[] {0}, 1, true));
        // matmul
        c("matmul_2d", REDUCE, in -> in[0].matmul(in[1]));
        c("matmul_vec_mat", REDUCE, in -> in[0].matmul(in[1]));
        c("matmul_mat_vec", REDUCE, in -> in[0].matmul(in[1]));
        c("matmul_vec_vec", REDUCE, in -> in[0].matmul(in[1]));
        c("matmul_batched", REDUCE, in -> in[0].matmul(in[1]));
        c("matmul_bcast", REDUCE, in -> in[0].matmul(in[1]));
        c("matmul_2d_batched", REDUCE, in -> in[0].matmul(in[1]));
        c("matmul_transposed", REDUCE, in -> in[0].t().matmul(in[1].t()));
        c("matmul_large", REDUCE, in -> in[0].matmul(in[1]));
        c("linear", REDUCE, in -> in[0].linear(in[1], in[2]));
        c("linear_large", REDUCE, in -> in[0].linear(in[1], in[2]));
        c("linear_transposed", REDUCE, in -> in[0].t().linear(in[1].t(), in[2]));
        c("linear_relu", REDUCE, in -> in[0].linearRelu(in[1], in[2]));
        c("linear_relu_large", REDUCE, in -> in[0].linearRelu(in[1], in[2]));
        c("sigmoid_ce_logits", ELEM, in -> LossOps.sigmoidCrossEntropyWithLogits(in[0], in[1]));
        c("sigmoid_ce_logits_sum", REDUCE, in -> LossOps.sigmoidCrossEntropyWithLogitsSum(in[0], in[1]));
        // joins
        c("concat", ELEM, in -> Tensor.concat(List.of(in[0], in[1], in[2]), 1));
        c("concat_view", ELEM, in -> Tensor.concat(List.of(in[0].t(), in[1]), 0));
        c("stack", ELEM, in -> Tensor.stack(List.of(in[0], in[1]), 0));
        c("stack_last", ELEM, in -> Tensor.stack(List.of(in[0], in[1].t()), 2));
        c("split_size", ELEM, in -> {
            List<Tensor> p = in[0].split(2, 1);
            return p.get(0).mul(p.get(1)).add(p.get(2).sum(1, true));
        });
        c("split_sizes", ELEM, in -> {
            List<Tensor> p = in[0].split(new int[] {1, 3}, 0);
            return p.get(1).sum(0, false).mul(p.get(0).squeeze(0));
        });
        c("chunk", ELEM, in -> {
            List<Tensor> p = in[0].chunk(3, -1);
            return p.get(0).sub(p.get(2).mul(p.get(1)));
        });
        // indexing
        c("gather_dim1", ELEM, in -> in[0].gather(1, ix(in[1])));
        c("gather_dim0_view", ELEM, in -> in[0].t().gather(0, ix(in[1])));
        c("index_select_dim0", ELEM, in -> in[0].indexSelect(0, ix(in[1])));
        c("index_select_dim1", ELEM, in -> in[0].indexSelect(1, ix(in[1])));
        c("where", ELEM, in -> Tensor.where(in[0], in[1], in[2]));
        c("where_bcast", ELEM, in -> Tensor.where(in[0], in[1], in[2]));
        c("masked_fill", ELEM, in -> in[0].maskedFill(in[1], -7f));
        c("dropout", ELEM, in -> in[0].dropout(0.3f, true, new Rng(7)));
        c("dropout_view", ELEM, in -> in[0].t().dropout(0.5f, true, new Rng(8)));
        c("argmax", ELEM, in -> in[0].argmax(1).toFloat());
        c("argmax_ties", ELEM, in -> in[0].argmax(-1).toFloat());
        c("one_hot", ELEM, in -> Tensor.oneHot(ix(in[0]), 5));
        c("pad_2d", ELEM, in -> in[0].pad(new int[] {1, 0, 2, 1}, 0f));
        c("pad_3d", ELEM, in -> in[0].pad(new int[] {0, 0, 1, 1, 0, 2}, -1f));
        // views
        c("reshape", ELEM, in -> in[0].reshape(4, 3));
        c("reshape_copy", ELEM, in -> in[0].t().reshape(6));
        c("view", ELEM, in -> in[0].view(3, 2, 2));
        c("squeeze_dim", ELEM, in -> in[0].squeeze(0).mul(2f));
        c("expand_keep", ELEM, in -> in[0].expand(2, -1, 3));
        c("permute", ELEM, in -> in[0].permute(2, 0, 1));
        c("transpose", ELEM, in -> in[0].transpose(0, 2).mul(in[1]));
        c("slice_step", ELEM, in -> in[0].slice(1, 1, 6, 2));
        c("slice_negative", ELEM, in -> in[0].slice(0, -3, Integer.MAX_VALUE, 3));
        c("narrow", ELEM, in -> in[0].narrow(1, 1, 2));
        c("select", ELEM, in -> in[0].select(2, 1));
        c("expand", ELEM, in -> in[0].expand(3, 2, 4));
        c("squeeze", ELEM, in -> in[0].squeeze());
        c("unsqueeze", ELEM, in -> in[0].unsqueeze(1).mul(in[1]));
        c("flatten", ELEM, in -> in[0].flatten());
        c("flatten_range", ELEM, in -> in[0].permute(1, 0, 2).flatten(0, 1));
        c("contiguous", ELEM, in -> in[0].t().contiguous());
        // creation (no inputs)
        c("linspace", ELEM, in -> Tensor.linspace(-1f, 2f, 7));
        c("arange_float", ELEM, in -> Tensor.arange(0f, 1f, 0.1f));
        c("arange_negative_step", ELEM, in -> Tensor.arange(5f, 0f, -1.5f));
        c("eye", ELEM, in -> Tensor.eye(4));
        // 0-D operands, empty tensors, the same tensor on both sides, pow's special cases
        c("add_0d", ELEM, in -> in[0].add(in[1]));
        c("mul_0d_left", ELEM, in -> in[1].mul(in[0]));
        c("sub_self", ELEM, in -> in[0].sub(in[0]));
        c("div_self_bcast", REDUCE, in -> in[0].div(in[0].sum(0, true)));
        c("pow_tensor_zero", ELEM, in -> in[0].pow(in[1]));
        c("pow_scalar_zero_base", ELEM, in -> in[0].pow(2f));
        c("matmul_empty_k", ELEM, in -> in[0].matmul(in[1]));
        c("matmul_empty_batch", ELEM, in -> in[0].matmul(in[1]));
        c("sum_empty_dim", ELEM, in -> in[0].sum(1, false));
        c("concat_with_empty", ELEM, in -> Tensor.concat(List.of(in[0], in[1]), 1));
        c("softmax_single", ELEM, in -> in[0].softmax(1));
        c("mean_0d", ELEM, in -> in[0].mean());
        // special values (forward only)
        c("special_relu", ELEM, in -> in[0].relu());
        c("special_leaky_relu", ELEM, in -> in[0].leakyRelu(0.2f));
        c("special_clamp", ELEM, in -> in[0].clamp(-1f, 1f));
        c("special_abs", ELEM, in -> in[0].abs());
        c("special_sigmoid", ELEM, in -> in[0].sigmoid());
        c("special_tanh", ELEM, in -> in[0].tanh());
        c("special_exp", ELEM, in -> in[0].exp());
        c("special_log", ELEM, in -> in[0].log());
        c("special_sqrt", ELEM, in -> in[0].sqrt());
        c("special_div", ELEM, in -> in[0].div(in[1]));
        c("special_pow", ELEM, in -> in[0].pow(-1f));
        c("special_maximum", ELEM, in -> in[0].maximum(in[1]));
        c("special_minimum", ELEM, in -> in[0].minimum(in[1]));
        c("special_max", ELEM, in -> in[0].max(1, false));
        c("special_min", ELEM, in -> in[0].min(1, false));
        c("special_argmax", ELEM, in -> in[0].argmax(1).toFloat());
        c("special_sum", ELEM, in -> in[0].sum(1, false));
        c("special_softmax", ELEM, in -> in[0].softmax(1));
        c("special_log_softmax", ELEM, in -> in[0].logSoftmax(1));
    }

    private static final Map<String, Fixtures.OpCase> FIXTURES = Fixtures.opCases();

    @Test void everyFixtureHasAJavaCaseAndViceVersa() {
        TreeSet<String> onlyFixture = new TreeSet<>(FIXTURES.keySet()), onlyJava = new TreeSet<>(CASES.keySet());
        onlyFixture.removeAll(CASES.keySet());
        onlyJava.removeAll(FIXTURES.keySet());
        assertEquals(List.of(), new ArrayList<>(onlyFixture), "fixture cases without a Java twin in TorchParityTest.CASES");
        assertEquals(List.of(), new ArrayList<>(onlyJava), "Java cases without a fixture (re-run gen_op_fixtures.py)");
    }

    @TestFactory Stream<DynamicTest> matchesTorch() {
        return FIXTURES.values().stream().filter(fc -> CASES.containsKey(fc.name()))
                .map(fc -> DynamicTest.dynamicTest(fc.name(), () -> run(fc, CASES.get(fc.name()))));
    }

    private static void run(Fixtures.OpCase fc, Case c) {
        Tensor[] in = new Tensor[fc.inputs().size()];
        for (int i = 0; i < in.length; i++) {
            Tensor t = fc.inputs().get(i);
            in[i] = Tensor.of(t.toFloatArray(), t.shape()).requiresGrad(fc.kinds().get(i) == 'g');
        }
        Tensor out = c.f().apply(in);
        Fixtures.assertClose(fc.out(), out, c.tol().rtol(), c.tol().atol(), fc.name() + " forward");
        if (fc.grads().isEmpty()) return;  // integer-valued ops (argmax, one_hot): forward only
        out.backward(fc.r());
        for (Map.Entry<Integer, Tensor> e : fc.grads().entrySet()) {
            Tensor g = in[e.getKey()].grad();
            assertNotNull(g, fc.name() + ": input " + e.getKey() + " got no gradient");
            Fixtures.assertClose(e.getValue(), g, c.tol().rtol(), c.tol().atol(), fc.name() + " grad of input " + e.getKey());
        }
    }
}
