package dev.weft.engine.autograd;

import dev.weft.engine.Rng;
import dev.weft.engine.Shape;
import dev.weft.engine.Tensor;
import java.util.function.Function;

/**
 * Compares autograd gradients with central finite differences.
 *
 * <p>The function's output is reduced to a scalar by a fixed random projection
 * {@code L = Σ out·r} (so every output element matters, with different weights), accumulated in
 * double. For each element of each input that requires grad, {@code (L(x+ε) - L(x-ε)) / 2ε} is
 * compared with the analytic {@code dL/dx}. Inputs should be contiguous leaves; test views by
 * taking them inside {@code f}.
 *
 * <pre>{@code
 * Tensor a = Tensor.randn(rng, 3, 4).requiresGrad(true);
 * GradCheck.Result r = GradCheck.check(in -> in[0].tanh().sum(1, false), a);
 * if (!r.passed()) System.out.println(r);
 * }</pre>
 */
public final class GradCheck {
    private GradCheck() {}

    /** Default finite-difference step, tolerances. */
    public static final double EPS = 1e-3, ATOL = 2e-3, RTOL = 2e-2;

    /** Outcome of a check: the worst mismatch found. */
    public record Result(boolean passed, double maxAbsError, String worst, int checked) {
        @Override public String toString() {
            return (passed ? "gradcheck passed" : "gradcheck FAILED") + ": max |analytic - numeric| = " + maxAbsError
                    + " at " + worst + " (" + checked + " elements checked)";
        }
    }

    /** Checks with the default step and tolerances. */
    public static Result check(Function<Tensor[], Tensor> f, Tensor... inputs) {
        return check(f, inputs, EPS, ATOL, RTOL);
    }

    /** Checks {@code f} at {@code inputs}; an element fails when |a - n| &gt; atol + rtol·|n|. */
    public static Result check(Function<Tensor[], Tensor> f, Tensor[] inputs, double eps, double atol, double rtol) {
        for (Tensor t : inputs) {
            t.zeroGrad();
            if (t.requiresGrad() && !t.isContiguous())
                throw new IllegalArgumentException("GradCheck: inputs must be contiguous; take views inside f");
        }
        Tensor out = f.apply(inputs);
        float[] r = Tensor.uniform(new Rng(1234), -1f, 1f, out.shape()).toFloatArray();
        Tensor proj = Tensor.of(r.clone(), out.shape());
        if (!out.requiresGrad())
            throw new IllegalArgumentException("GradCheck: the output does not require grad; mark an input with requiresGrad(true)");
        out.backward(proj);

        double worstErr = 0;
        String worst = "nowhere";
        boolean ok = true;
        int checked = 0;
        for (int t = 0; t < inputs.length; t++) {
            Tensor x = inputs[t];
            if (!x.requiresGrad()) continue;
            float[] analytic = x.grad() == null ? new float[x.numel()] : x.grad().toFloatArray();
            float[] data = x.storage();
            for (int i = 0; i < x.numel(); i++) {
                int at = x.offset() + i;
                float orig = data[at];
                double lp, lm;
                try (GradMode.Scope ignored = GradMode.noGrad()) {
                    data[at] = (float) (orig + eps);
                    double ep = data[at] - (double) orig;
                    lp = project(f.apply(inputs), r);
                    data[at] = (float) (orig - eps);
                    double em = orig - (double) data[at];
                    lm = project(f.apply(inputs), r);
                    data[at] = orig;
                    double numeric = (lp - lm) / (ep + em);
                    double err = Math.abs(analytic[i] - numeric);
                    checked++;
                    if (err > atol + rtol * Math.abs(numeric)) ok = false;
                    if (err > worstErr) {
                        worstErr = err;
                        worst = "input " + t + " " + Shape.str(x.shape()) + " element " + i + " (analytic " + analytic[i] + ", numeric " + numeric + ")";
                    }
                }
            }
        }
        return new Result(ok, worstErr, worst, checked);
    }

    private static double project(Tensor out, float[] r) {
        float[] o = out.toFloatArray();
        double s = 0;
        for (int i = 0; i < o.length; i++) s += (double) o[i] * r[i];
        return s;
    }
}
