package dev.weft.nn.layers;

import dev.weft.engine.IntTensor;
import dev.weft.engine.Tensor;
import dev.weft.nn.Layer;
import dev.weft.nn.init.Initializer;
import dev.weft.nn.init.Initializers;
import java.util.List;

/**
 * Keras {@code Embedding(input_dim, output_dim)}: token ids {@code [N, ...]} → vectors
 * {@code [N, ..., output_dim]} by row lookup in {@code embeddings [input_dim, output_dim]}
 * (initialised uniform in ±0.05). Ids come as an {@link IntTensor} ({@link #lookup}) or as a float
 * tensor of whole numbers ({@link #forward}); each must be in {@code [0, input_dim)}.
 * The gradient scatter-adds into the looked-up rows.
 */
public class Embedding extends Layer {
    private final int inputDim, outputDim;
    private Initializer init = Initializers.uniform(-0.05f, 0.05f);
    private Tensor embeddings;

    /** A table of {@code inputDim} vectors of size {@code outputDim}. */
    public Embedding(int inputDim, int outputDim) {
        if (inputDim <= 0 || outputDim <= 0)
            throw new IllegalArgumentException("Embedding: input_dim and output_dim must be positive, got " + inputDim + ", " + outputDim);
        this.inputDim = inputDim;
        this.outputDim = outputDim;
    }

    /** Sets the initializer (default uniform ±0.05); returns this. */
    public Embedding embeddingsInitializer(Initializer i) {
        if (isBuilt()) throw new IllegalStateException(describe() + ": already built");
        this.init = i;
        return this;
    }

    /** The table {@code [input_dim, output_dim]} (null before build). */
    public Tensor embeddings() { return embeddings; }

    @Override protected int[] computeOutputShape(int[][] in) {
        int[] s = single(in);
        int[] out = java.util.Arrays.copyOf(s, s.length + 1);
        out[s.length] = outputDim;
        return out;
    }

    @Override protected void doBuild(int[][] in) {
        embeddings = registerParameter("embeddings", init.init(rng(), inputDim, outputDim));
    }

    @Override protected Tensor compute(List<Tensor> inputs) {
        Tensor ids = inputs.get(0);
        float[] f = ids.toFloatArray();
        int[] idx = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            int v = (int) f[i];
            if (v != f[i])
                throw new IllegalArgumentException(describe() + ": ids must be whole numbers, got " + f[i] + " at flat index " + i + " of input " + java.util.Arrays.toString(ids.shape()));
            idx[i] = v;
        }
        return lookup(IntTensor.of(idx, ids.shape()));
    }

    /** Looks up integer ids {@code [N, ...]}; builds the layer if needed. */
    public Tensor lookup(IntTensor ids) {
        if (ids.dim() == 0) throw new IllegalArgumentException(describe() + ": ids must be a batch [N, ...], got a scalar");
        int[] s = ids.shape();
        build(java.util.Arrays.copyOfRange(s, 1, s.length));
        for (int v : ids.data())
            if (v < 0 || v >= inputDim)
                throw new IllegalArgumentException(describe() + ": id " + v + " out of range [0, " + inputDim + ") in ids of shape " + java.util.Arrays.toString(s));
        int[] out = java.util.Arrays.copyOf(s, s.length + 1);
        out[s.length] = outputDim;
        // [N·...] rows of the table, then back to [N, ..., output_dim]
        return embeddings.indexSelect(0, ids.reshape(ids.numel())).reshape(out);
    }
}
