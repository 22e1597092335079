package dev.weft.engine;

import dev.weft.engine.autograd.BackwardFn;
import dev.weft.engine.autograd.GradMode;
import dev.weft.engine.autograd.Graph;
import dev.weft.engine.autograd.Node;
import dev.weft.engine.kernels.Gaussian;
import dev.weft.engine.ops.Elementwise;
import dev.weft.engine.ops.Indexing;
import dev.weft.engine.ops.Join;
import dev.weft.engine.ops.LinAlg;
import dev.weft.engine.ops.Reduce;
import dev.weft.engine.ops.Softmax;
import dev.weft.engine.ops.Views;
import java.util.List;

/**
 * A strided float32 tensor with reverse-mode autograd.
 *
 * <p>A tensor is a view: shared {@code storage} plus its own layout ({@code shape}, {@code strides}
 * in elements, {@code offset}). View ops (reshape of a contiguous tensor, permute, slice, expand, ...)
 * share the storage; every other op allocates a new, contiguous one. When {@code requiresGrad} is set,
 * each op records a {@link Node} holding its backward rule, and {@link #backward()} walks the graph.
 *
 * <pre>{@code
 * Tensor w = Tensor.randn(new Rng(0), 3, 2).requiresGrad(true);
 * Tensor x = Tensor.of(new float[] {1, 2, 3}, 1, 3);
 * Tensor loss = x.matmul(w).relu().sum();
 * loss.backward();           // w.grad() now holds dloss/dw, shape [3, 2]
 * }</pre>
 *
 * <p>Methods named like {@code storage()}, {@link #wrap} and {@link #recordOp} are the low-level API
 * for op and layer implementers; users rarely need them.
 */
public final class Tensor {
    private final float[] storage;
    private final int[] shape;
    private final int[] strides;
    private final int offset;

    private boolean requiresGrad;
    private Tensor grad;
    private Node gradFn;

    private Tensor(float[] storage, int[] shape, int[] strides, int offset) {
        this.storage = storage;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
    }

    // ------------------------------------------------------------------ creation

    /** Wraps {@code data} (not copied) as a contiguous, row-major tensor of the given shape. */
    public static Tensor of(float[] data, int... shape) {
        if (data == null) throw new IllegalArgumentException("Tensor.of: data is null");
        int[] s = Shape.check("Tensor.of", shape);
        if (Shape.numel(s) != data.length)
            throw new IllegalArgumentException("Tensor.of: " + data.length + " values do not fill shape " + Shape.str(s)
                    + " (" + Shape.numel(s) + " elements)");
        return new Tensor(data, s, Shape.contiguousStrides(s), 0);
    }

    /** A 1-D tensor holding a copy of {@code values}. */
    public static Tensor vector(float... values) { return of(values.clone(), values.length); }

    /** A 0-D (scalar) tensor. */
    public static Tensor scalar(float value) { return new Tensor(new float[] {value}, new int[0], new int[0], 0); }

    /** A 2-D tensor copied from a rectangular Java array. */
    public static Tensor of(float[][] rows) {
        if (rows == null || rows.length == 0) throw new IllegalArgumentException("Tensor.of: empty or null rows");
        int cols = rows[0].length;
        float[] d = new float[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != cols)
                throw new IllegalArgumentException("Tensor.of: ragged rows (row 0 has " + cols + " values, row " + i + " has " + rows[i].length + ")");
            System.arraycopy(rows[i], 0, d, i * cols, cols);
        }
        return of(d, rows.length, cols);
    }

    /** Low-level: a view over {@code storage} with an explicit layout; bounds are checked. */
    public static Tensor wrap(float[] storage, int[] shape, int[] strides, int offset) {
        int[] s = Shape.check("Tensor.wrap", shape);
        if (strides == null || strides.length != s.length)
            throw new IllegalArgumentException("Tensor.wrap: strides " + java.util.Arrays.toString(strides) + " do not match shape " + Shape.str(s));
        long lo = offset, hi = offset;
        boolean empty = false;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == 0) empty = true;
            long span = (long) (s[i] - 1) * strides[i];
            if (span < 0) lo += span; else hi += span;
        }
        if (!empty && (lo < 0 || hi >= storage.length))
            throw new IllegalArgumentException("Tensor.wrap: layout shape " + Shape.str(s) + " strides " + java.util.Arrays.toString(strides)
                    + " offset " + offset + " reaches outside storage of " + storage.length + " elements");
        return new Tensor(storage, s, strides.clone(), offset);
    }

    /** Zeros. */
    public static Tensor zeros(int... shape) {
        int[] s = Shape.check("Tensor.zeros", shape);
        return new Tensor(new float[(int) Shape.numel(s)], s, Shape.contiguousStrides(s), 0);
    }

    /** Ones. */
    public static Tensor ones(int... shape) { return full(1f, shape); }

    /** A tensor filled with {@code value}. */
    public static Tensor full(float value, int... shape) {
        Tensor t = zeros(shape);
        java.util.Arrays.fill(t.storage, value);
        return t;
    }

    /** Zeros with the shape of {@code like}. */
    public static Tensor zerosLike(Tensor like) { return zeros(like.shape); }

    /** Ones with the shape of {@code like}. */
    public static Tensor onesLike(Tensor like) { return ones(like.shape); }

    /** Values {@code start, start+step, ...} below {@code end} (like numpy.arange). */
    public static Tensor arange(float start, float end, float step) {
        if (step == 0 || Float.isNaN(step)) throw new IllegalArgumentException("Tensor.arange: step must be non-zero, got " + step);
        double count = Math.ceil((end - (double) start) / step);
        if (count > Shape.MAX_ELEMENTS) throw new IllegalArgumentException("Tensor.arange: too many elements (" + count + ")");
        int n = (int) Math.max(0, count);
        float[] d = new float[n];
        for (int i = 0; i < n; i++) d[i] = (float) (start + (double) i * step);
        return of(d, n);
    }

    /** {@code 0, 1, ..., end-1}. */
    public static Tensor arange(int end) { return arange(0, end, 1); }

    /** {@code steps} evenly spaced values from start to end inclusive (like torch.linspace). */
    public static Tensor linspace(float start, float end, int steps) {
        if (steps < 0) throw new IllegalArgumentException("Tensor.linspace: steps must be >= 0, got " + steps);
        float[] d = new float[steps];
        double step = steps > 1 ? ((double) end - start) / (steps - 1) : 0;
        for (int i = 0; i < steps; i++) d[i] = (float) (start + i * step);
        if (steps > 1) d[steps - 1] = end;
        return of(d, steps);
    }

    /** The n-by-n identity. */
    public static Tensor eye(int n) {
        Tensor t = zeros(n, n);
        for (int i = 0; i < n; i++) t.storage[i * n + i] = 1f;
        return t;
    }

    /** Uniform in [0, 1) from {@code rng}. */
    public static Tensor rand(Rng rng, int... shape) { return uniform(rng, 0f, 1f, shape); }

    /** Standard normal from {@code rng}. */
    public static Tensor randn(Rng rng, int... shape) { return normal(rng, 0f, 1f, shape); }

    /** Uniform in [low, high) from {@code rng}. */
    public static Tensor uniform(Rng rng, float low, float high, int... shape) {
        Tensor t = zeros(shape);
        float[] d = t.storage;
        for (int i = 0; i < d.length; i++) d[i] = low + (high - low) * rng.nextFloat();
        return t;
    }

    /**
     * Normal with the given mean and standard deviation from {@code rng}: ⌈n/2⌉ consecutive
     * {@link Rng#nextLong} values, each turned into two samples by a float Box–Muller transform
     * (see {@link Gaussian} for the exact recipe and the order of the values). Same seed, same bits,
     * for any thread count.
     */
    public static Tensor normal(Rng rng, float mean, float std, int... shape) {
        Tensor t = zeros(shape);
        int n = t.storage.length;
        long[] bits = new long[(n + 1) / 2];
        for (int i = 0; i < bits.length; i++) bits[i] = rng.nextLong();   // the generator is sequential, the transform is not
        Gaussian.fill(bits, mean, std, t.storage, n);
        return t;
    }


    // ------------------------------------------------------------------ layout and data

    /** The shape (a copy). */
    public int[] shape() { return shape.clone(); }

    /** Number of dimensions. */
    public int dim() { return shape.length; }

    /** Size along dimension {@code d} (negative counts from the end). */
    public int size(int d) { return shape[Shape.normDim("size", d, shape.length)]; }

    /** Number of elements. */
    public int numel() { return (int) Shape.numel(shape); }

    /** Low-level: the strides in elements (a copy). */
    public int[] strides() { return strides.clone(); }

    /** Low-level: the offset of element [0,...,0] in the storage. */
    public int offset() { return offset; }

    /** Low-level: the shared backing array, not copied. Honour {@link #offset()} and {@link #strides()}. */
    public float[] storage() { return storage; }

    /** True when the elements are laid out row-major without gaps from {@link #offset()}. */
    public boolean isContiguous() {
        int expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && strides[i] != expected) return false;
            expected *= shape[i];
        }
        return true;
    }

    /** This tensor if contiguous, else a contiguous copy (gradients flow through the copy). */
    public Tensor contiguous() { return isContiguous() ? this : Views.copy(this); }

    /** The single value of a one-element tensor. */
    public float item() {
        if (numel() != 1)
            throw new IllegalStateException("item: tensor of shape " + Shape.str(shape) + " has " + numel() + " elements, not 1");
        return storage[offset];
    }

    /** The element at the given index (one index per dim). */
    public float get(int... index) { return storage[offsetOf("get", index)]; }

    /** Low-level: sets one element in place (no autograd; refused on tensors that require grad). */
    public void set(float value, int... index) {
        checkInPlace("set");
        storage[offsetOf("set", index)] = value;
    }

    private int offsetOf(String op, int[] index) {
        if (index.length != shape.length)
            throw new IllegalArgumentException(op + ": " + index.length + " indices for a tensor of shape " + Shape.str(shape));
        int o = offset;
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i])
                throw new IndexOutOfBoundsException(op + ": index " + java.util.Arrays.toString(index) + " out of range for shape " + Shape.str(shape));
            o += index[i] * strides[i];
        }
        return o;
    }

    /** A copy of the values in row-major order. */
    public float[] toFloatArray() {
        // An empty view (e.g. select on a tensor with a 0-size dim) may carry an offset past the storage end.
        if (numel() == 0) return new float[0];
        if (isContiguous()) {
            float[] out = new float[numel()];
            System.arraycopy(storage, offset, out, 0, out.length);
            return out;
        }
        return Views.copyRaw(this).storage;
    }

    // ------------------------------------------------------------------ autograd

    /** Marks this leaf tensor as a parameter whose gradient is wanted; returns this. */
    public Tensor requiresGrad(boolean value) {
        if (gradFn != null && !value)
            throw new IllegalStateException("requiresGrad(false): '" + gradFn.op() + "' output is not a leaf; use detach()");
        this.requiresGrad = value;
        return this;
    }

    /** True when gradients flow to or through this tensor. */
    public boolean requiresGrad() { return requiresGrad; }

    /**
     * The accumulated gradient, or null before any backward pass. As set by backward, its storage
     * belongs to it alone (never another tensor's values or gradient), so it may be edited in place,
     * e.g. clipped.
     */
    public Tensor grad() { return grad; }

    /** Replaces the gradient (null clears it). */
    public void setGrad(Tensor g) {
        if (g != null && !java.util.Arrays.equals(g.shape, shape))
            throw new IllegalArgumentException("setGrad: gradient shape " + Shape.str(g.shape) + " differs from tensor shape " + Shape.str(shape));
        this.grad = g;
    }

    /** Clears the gradient. */
    public void zeroGrad() { this.grad = null; }

    /** The node that produced this tensor, or null for a leaf. */
    public Node gradFn() { return gradFn; }

    /** True for a tensor not produced by a recorded op. */
    public boolean isLeaf() { return gradFn == null; }

    /** A tensor sharing this storage, cut from the graph. */
    public Tensor detach() { return new Tensor(storage, shape, strides, offset); }

    /** Backpropagates from this one-element tensor (gradient 1). */
    public void backward() {
        if (numel() != 1)
            throw new IllegalStateException("backward: called without a gradient on a tensor of shape " + Shape.str(shape)
                    + "; pass a gradient of that shape, or reduce to a scalar first");
        backward(Tensor.full(1f, shape), false);
    }

    /** Backpropagates {@code gradient} (shaped like this tensor); the graph is released afterwards. */
    public void backward(Tensor gradient) { backward(gradient, false); }

    /** Backpropagates {@code gradient}; with {@code retainGraph} the graph can be walked again. */
    public void backward(Tensor gradient, boolean retainGraph) {
        if (!requiresGrad)
            throw new IllegalStateException("backward: tensor of shape " + Shape.str(shape)
                    + " does not require grad (no input had requiresGrad(true), or it was computed under noGrad)");
        if (gradient == null || !java.util.Arrays.equals(gradient.shape, shape))
            throw new IllegalArgumentException("backward: gradient shape " + (gradient == null ? "null" : Shape.str(gradient.shape))
                    + " differs from tensor shape " + Shape.str(shape));
        Graph.backward(this, gradient, retainGraph);
    }

    /**
     * Low-level, for op implementers: records {@code fn} as this result's backward rule when grad
     * mode is on and any input requires grad. Returns this.
     */
    public Tensor recordOp(String op, BackwardFn fn, Tensor... inputs) {
        if (!GradMode.isEnabled()) return this;
        boolean any = false;
        for (Tensor t : inputs) any |= t.requiresGrad;
        if (any) {
            this.requiresGrad = true;
            this.gradFn = new Node(op, inputs, fn);
        }
        return this;
    }

    void checkInPlace(String op) {
        if (requiresGrad && GradMode.isEnabled())
            throw new IllegalStateException(op + ": in-place write to a tensor that requires grad; wrap it in GradMode.noGrad()");
    }

    /** Starts a no-grad scope (see {@link GradMode#noGrad()}). */
    public static GradMode.Scope noGrad() { return GradMode.noGrad(); }

    // ------------------------------------------------------------------ in-place (no autograd)

    /** Copies {@code src} (broadcast to this shape) into this tensor's elements, through views. */
    public Tensor copyFrom(Tensor src) {
        checkInPlace("copyFrom");
        Views.copyInto(src, this);
        return this;
    }

    /** Fills every element with {@code value} in place. */
    public Tensor fill(float value) {
        checkInPlace("fill");
        Views.fill(this, value);
        return this;
    }

    // ------------------------------------------------------------------ views

    /** Same elements, new shape (one size may be -1); a view when the layout allows, else a copy. */
    public Tensor reshape(int... newShape) { return Views.reshape(this, newShape); }

    /** Like {@link #reshape} but fails instead of copying. */
    public Tensor view(int... newShape) { return Views.view(this, newShape); }

    /** Reorders the dims: result dim i is this tensor's dim {@code order[i]}. */
    public Tensor permute(int... order) { return Views.permute(this, order); }

    /** Swaps two dims. */
    public Tensor transpose(int d0, int d1) { return Views.transpose(this, d0, d1); }

    /** Transpose of a 2-D tensor. */
    public Tensor t() {
        if (shape.length != 2) throw new IllegalArgumentException("t: expects a 2-D tensor, got shape " + Shape.str(shape));
        return transpose(0, 1);
    }

    /** Elements {@code start, start+step, ...} below {@code end} along {@code dim} (negative start/end count from the end). */
    public Tensor slice(int dim, int start, int end, int step) { return Views.slice(this, dim, start, end, step); }

    /** {@code slice(dim, start, end, 1)}. */
    public Tensor slice(int dim, int start, int end) { return Views.slice(this, dim, start, end, 1); }

    /** {@code length} elements from {@code start} along {@code dim}. */
    public Tensor narrow(int dim, int start, int length) { return Views.narrow(this, dim, start, length); }

    /** The sub-tensor at {@code index} along {@code dim}, with that dim removed. */
    public Tensor select(int dim, int index) { return Views.select(this, dim, index); }

    /** Broadcasts to {@code newShape} without copying (stride 0); -1 keeps a size. */
    public Tensor expand(int... newShape) { return Views.expand(this, newShape); }

    /** Alias of {@link #expand}. */
    public Tensor broadcastTo(int... newShape) { return Views.expand(this, newShape); }

    /** Removes every size-1 dim. */
    public Tensor squeeze() { return Views.squeeze(this); }

    /** Removes dim {@code dim} if its size is 1. */
    public Tensor squeeze(int dim) { return Views.squeeze(this, dim); }

    /** Inserts a size-1 dim at {@code dim}. */
    public Tensor unsqueeze(int dim) { return Views.unsqueeze(this, dim); }

    /** Flattens everything into one dim. */
    public Tensor flatten() { return shape.length == 1 ? this : reshape(-1); }

    /** Flattens dims {@code start..end} (inclusive) into one. */
    public Tensor flatten(int start, int end) { return Views.flatten(this, start, end); }

    // ------------------------------------------------------------------ elementwise

    /** this + other, broadcast. */
    public Tensor add(Tensor other) { return Elementwise.add(this, other); }
    /** this + s. */
    public Tensor add(float s) { return Elementwise.addScalar(this, s); }
    /** this - other, broadcast. */
    public Tensor sub(Tensor other) { return Elementwise.sub(this, other); }
    /** this - s. */
    public Tensor sub(float s) { return Elementwise.addScalar(this, -s); }
    /** this * other, broadcast. */
    public Tensor mul(Tensor other) { return Elementwise.mul(this, other); }
    /** this * s. */
    public Tensor mul(float s) { return Elementwise.mulScalar(this, s); }
    /** this / other, broadcast. */
    public Tensor div(Tensor other) { return Elementwise.div(this, other); }
    /** this / s. */
    public Tensor div(float s) { return Elementwise.mulScalar(this, 1f / s); }
    /** -this. */
    public Tensor neg() { return Elementwise.mulScalar(this, -1f); }
    /** this ^ exponent, elementwise. */
    public Tensor pow(float exponent) { return Elementwise.powScalar(this, exponent); }
    /** this ^ exponent, broadcast. */
    public Tensor pow(Tensor exponent) { return Elementwise.pow(this, exponent); }
    /** e^x. */
    public Tensor exp() { return Elementwise.exp(this); }
    /** Natural log. */
    public Tensor log() { return Elementwise.log(this); }
    /** Square root. */
    public Tensor sqrt() { return Elementwise.sqrt(this); }
    /** |x|. */
    public Tensor abs() { return Elementwise.abs(this); }
    /** Clamps into [min, max] (use ±Infinity for one-sided). */
    public Tensor clamp(float min, float max) { return Elementwise.clamp(this, min, max); }
    /** Elementwise maximum, broadcast. */
    public Tensor maximum(Tensor other) { return Elementwise.maximum(this, other); }
    /** Elementwise minimum, broadcast. */
    public Tensor minimum(Tensor other) { return Elementwise.minimum(this, other); }
    /** max(x, 0). */
    public Tensor relu() { return Elementwise.relu(this); }
    /** x if x > 0 else slope·x. */
    public Tensor leakyRelu(float slope) { return Elementwise.leakyRelu(this, slope); }
    /** 1 / (1 + e^-x). */
    public Tensor sigmoid() { return Elementwise.sigmoid(this); }
    /** tanh(x). */
    public Tensor tanh() { return Elementwise.tanh(this); }
    /** Softmax along {@code dim}. */
    public Tensor softmax(int dim) { return Softmax.softmax(this, dim); }
    /** Log-softmax along {@code dim} (numerically stable). */
    public Tensor logSoftmax(int dim) { return Softmax.logSoftmax(this, dim); }

    // ------------------------------------------------------------------ reductions

    /** Sum of all elements (0-D). */
    public Tensor sum() { return Reduce.sum(this, null, false); }
    /** Sum over {@code dims}. */
    public Tensor sum(int[] dims, boolean keepDim) { return Reduce.sum(this, dims, keepDim); }
    /** Sum over one dim. */
    public Tensor sum(int dim, boolean keepDim) { return Reduce.sum(this, new int[] {dim}, keepDim); }
    /** Mean of all elements (0-D). */
    public Tensor mean() { return Reduce.mean(this, null, false); }
    /** Mean over {@code dims}. */
    public Tensor mean(int[] dims, boolean keepDim) { return Reduce.mean(this, dims, keepDim); }
    /** Mean over one dim. */
    public Tensor mean(int dim, boolean keepDim) { return Reduce.mean(this, new int[] {dim}, keepDim); }
    /** Max of all elements. */
    public Tensor max() { return Reduce.max(this, null, false); }
    /** Max over {@code dims} (gradient shared equally between ties). */
    public Tensor max(int[] dims, boolean keepDim) { return Reduce.max(this, dims, keepDim); }
    /** Max over one dim. */
    public Tensor max(int dim, boolean keepDim) { return Reduce.max(this, new int[] {dim}, keepDim); }
    /** Min of all elements. */
    public Tensor min() { return Reduce.min(this, null, false); }
    /** Min over {@code dims}. */
    public Tensor min(int[] dims, boolean keepDim) { return Reduce.min(this, dims, keepDim); }
    /** Min over one dim. */
    public Tensor min(int dim, boolean keepDim) { return Reduce.min(this, new int[] {dim}, keepDim); }
    /** Variance over {@code dims}, with {@code correction} (1 = unbiased, like torch's default; 0 = biased). */
    public Tensor var(int[] dims, int correction, boolean keepDim) { return Reduce.var(this, dims, correction, keepDim); }
    /** Unbiased variance of all elements. */
    public Tensor var() { return Reduce.var(this, null, 1, false); }
    /** Index of the largest value along {@code dim} (first one on ties). */
    public IntTensor argmax(int dim) { return Reduce.argmax(this, dim); }

    // ------------------------------------------------------------------ linear algebra, joins, indexing

    /** Matrix product: 1-D, 2-D and batched ([..., m, k] @ [..., k, n], batch dims broadcast). */
    public Tensor matmul(Tensor other) { return LinAlg.matmul(this, other); }
    /** A fully connected layer on this {@code [M, K]}: {@code this @ w + b} in one pass, w {@code [K, N]}, b {@code [N]} or null. See {@link LinAlg#linear}. */
    public Tensor linear(Tensor w, Tensor b) { return LinAlg.linear(this, w, b); }
    /** {@code relu(this @ w + b)}, the ReLU applied as the GEMM writes (one output array, not two); equals {@code linear(w, b).relu()} bit for bit. See {@link LinAlg#linearRelu}. */
    public Tensor linearRelu(Tensor w, Tensor b) { return LinAlg.linearRelu(this, w, b); }

    /** Concatenates along {@code dim}. */
    public static Tensor concat(List<Tensor> parts, int dim) { return Join.concat(parts, dim); }
    /** Stacks along a new dim. */
    public static Tensor stack(List<Tensor> parts, int dim) { return Join.stack(parts, dim); }
    /** Splits into pieces of {@code size} (the last may be smaller) along {@code dim}; views. */
    public List<Tensor> split(int size, int dim) { return Join.split(this, size, dim); }
    /** Splits into pieces of the given sizes along {@code dim}; views. */
    public List<Tensor> split(int[] sizes, int dim) { return Join.split(this, sizes, dim); }
    /** Splits into {@code chunks} near-equal pieces along {@code dim} (like torch.chunk); views. */
    public List<Tensor> chunk(int chunks, int dim) { return Join.chunk(this, chunks, dim); }

    /** torch.gather: out[i][j][k] = this[i][index[i][j][k]][k] for dim 1, etc. */
    public Tensor gather(int dim, IntTensor index) { return Indexing.gather(this, dim, index); }
    /** Picks entries {@code index} (1-D) along {@code dim}; an embedding lookup is indexSelect(0, ids). */
    public Tensor indexSelect(int dim, IntTensor index) { return Indexing.indexSelect(this, dim, index); }
    /** Elementwise {@code cond != 0 ? a : b}, all three broadcast. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) { return Indexing.where(cond, a, b); }
    /** Replaces elements where {@code mask != 0} (broadcast) with {@code value}. */
    public Tensor maskedFill(Tensor mask, float value) { return Indexing.maskedFill(this, mask, value); }
    /** One-hot encoding: shape {@code [..., numClasses]}. */
    public static Tensor oneHot(IntTensor labels, int numClasses) { return Indexing.oneHot(labels, numClasses); }
    /** Inverted dropout: zeroes with probability p and scales the rest by 1/(1-p); identity when not training. */
    public Tensor dropout(float p, boolean training, Rng rng) { return Indexing.dropout(this, p, training, rng); }
    /** Constant padding; {@code pads} holds (before, after) pairs for the first dims, in order. */
    public Tensor pad(int[] pads, float value) { return Indexing.pad(this, pads, value); }

    // ------------------------------------------------------------------ misc

    /** Values within tolerance: |a-b| <= atol + rtol·|b| everywhere (shapes must match). */
    public boolean allClose(Tensor other, float rtol, float atol) {
        if (!java.util.Arrays.equals(shape, other.shape)) return false;
        float[] a = toFloatArray(), b = other.toFloatArray();
        for (int i = 0; i < a.length; i++) {
            if (Float.isNaN(a[i]) != Float.isNaN(b[i])) return false;
            if (!(Math.abs(a[i] - b[i]) <= atol + rtol * Math.abs(b[i])) && a[i] != b[i]) return false;
        }
        return true;
    }

    /** Prints like PyTorch: {@code tensor([[1.0000, 2.0000]], requires_grad=True)}, summarised when large. */
    @Override public String toString() { return Printer.format(this); }
}
