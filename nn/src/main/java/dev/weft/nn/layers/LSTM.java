package dev.weft.nn.layers;

import dev.weft.engine.Rng;
import dev.weft.engine.Tensor;
import dev.weft.engine.ops.LstmOp;
import dev.weft.nn.Layer;
import java.util.List;

/**
 * Keras {@code LSTM(units, return_sequences=False, dropout=0, recurrent_dropout=0)} on
 * {@code [N, T, D]} inputs: {@code [N, T, units]} with return_sequences, else the last hidden state
 * {@code [N, units]}. Weights are its {@link LSTMCell}'s ({@code cell.kernel},
 * {@code cell.recurrent_kernel}, {@code cell.bias}); parameters {@code 4·u·(D + u + 1)}.
 * {@link #forwardWithState} is Keras' {@code return_state=True}: the output plus the final (h, c).
 *
 * <p>Dropout, as in Keras, draws one mask per sequence (per sample and feature, reused at every
 * step): {@code dropout} masks the inputs, {@code recurrent_dropout} masks h where it enters the
 * recurrent product. Both are off in inference mode.
 *
 * <p>The whole sequence is one fused {@link LstmOp#sequence} op: every step runs the
 * {@link dev.weft.engine.kernels.LstmCell} kernel, and backward is BPTT inside the op. Stack LSTMs
 * by giving the lower ones {@code returnSequences(true)}.
 */
public class LSTM extends Layer {
    /** Output and final state (Keras return_state). */
    public record Output(Tensor output, Tensor h, Tensor c) {}

    private final int units;
    private final LSTMCell cell;
    private boolean returnSequences;
    private float dropout, recurrentDropout;
    private Rng maskRng;

    /** An LSTM with {@code units} hidden units. */
    public LSTM(int units) {
        // checked here too, so that the message names the layer the user built, not its inner cell
        if (units <= 0) throw new IllegalArgumentException("LSTM: units must be positive, got " + units);
        this.units = units;
        this.cell = registerModule("cell", new LSTMCell(units));
        cell.named("lstm_cell");
    }

    /** Keras {@code return_sequences}; returns this. */
    public LSTM returnSequences(boolean on) { this.returnSequences = on; return this; }
    /** Input dropout rate in [0, 1); returns this. */
    public LSTM dropout(double rate) { this.dropout = rate("dropout", rate); return this; }
    /** Recurrent dropout rate in [0, 1); returns this. */
    public LSTM recurrentDropout(double rate) { this.recurrentDropout = rate("recurrent_dropout", rate); return this; }
    /** Seeds the dropout masks; returns this. */
    public LSTM dropoutSeed(long seed) { this.maskRng = new Rng(seed); return this; }

    private float rate(String what, double r) {
        if (!(r >= 0 && r < 1)) throw new IllegalArgumentException("LSTM: " + what + " must be in [0, 1), got " + r);
        return (float) r;
    }

    /** The cell holding the weights. */
    public LSTMCell cell() { return cell; }
    /** Hidden size. */
    public int units() { return units; }

    @Override protected int[] computeOutputShape(int[][] in) {
        int[] s = single(in, 3);
        if (cell.kernel() != null && s[1] != cell.kernel().size(0))
            throw new IllegalArgumentException(describe() + ": input " + batchShapeString(s) + " has " + s[1]
                    + " features, but the layer was built for " + cell.kernel().size(0));
        return returnSequences ? new int[] {s[0], units} : new int[] {units};
    }

    @Override protected void doBuild(int[][] in) {
        cell.buildFor(in[0][1]);
    }

    @Override protected Tensor compute(List<Tensor> inputs) { return run(inputs.get(0), null).output(); }

    /** Runs the sequence and returns the output and the final (h, c) (Keras return_state=True). */
    public Output forwardWithState(Tensor x) { return run(x, null); }

    /** Runs from an explicit initial state (or zeros when null); builds on first use. */
    public Output run(Tensor x, LSTMCell.State initial) {
        if (x == null || x.dim() != 3)
            throw new IllegalArgumentException(describe() + ": expects input [N, T, D], got " + (x == null ? "null" : batchShapeString(tail(x))));
        build(tail(x));
        int n = x.size(0), t = x.size(1), d = x.size(2);
        Rng r = maskRng != null ? maskRng : rng();
        boolean train = isTraining();
        if (train && dropout > 0) {
            Tensor mask = Tensor.ones(n, 1, d).dropout(dropout, true, r); // one mask per sequence, all steps
            x = x.mul(mask);
        }
        Tensor recMask = train && recurrentDropout > 0 ? Tensor.ones(n, units).dropout(recurrentDropout, true, r) : null;
        LSTMCell.State s = initial != null ? initial : cell.initialState(n);
        if (s.h().dim() != 2 || s.h().size(0) != n || s.h().size(1) != units || s.c().dim() != 2 || s.c().size(0) != n || s.c().size(1) != units)
            throw new IllegalArgumentException(describe() + ": initial state must be h, c of shape [" + n + ", " + units + "], got "
                    + java.util.Arrays.toString(s.h().shape()) + " and " + java.util.Arrays.toString(s.c().shape()));
        LstmOp.Sequence seq = LstmOp.sequence(x, s.h(), s.c(), cell.kernel(), cell.recurrentKernel(), cell.bias(), recMask);
        return new Output(returnSequences ? seq.output() : seq.h(), seq.h(), seq.c());
    }

    private static int[] tail(Tensor x) { return java.util.Arrays.copyOfRange(x.shape(), 1, x.dim()); }
}
