package dev.weft.engine;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Bad input: shape mismatches, bad dims and out-of-range indices throw IllegalArgumentException or
 * IndexOutOfBoundsException whose message names the op and the shapes/values; a fuzz pass checks
 * that no raw ArrayIndexOutOfBounds/NullPointer/NegativeArraySize exception escapes.
 */
class OpErrorsTest {
    private static final Tensor A23 = Tensor.zeros(2, 3), A4 = Tensor.zeros(4);

    /** Asserts {@code type} is thrown and its message contains every fragment. */
    private static <T extends Throwable> void throwsWith(Class<T> type, Executable body, String... fragments) {
        T e = assertThrows(type, body);
        String m = e.getMessage();
        assertTrue(m != null, type.getSimpleName() + " without a message");
        for (String f : fragments) assertTrue(m.contains(f), "message \"" + m + "\" should mention \"" + f + "\"");
    }

    private static final Class<IllegalArgumentException> IAE = IllegalArgumentException.class;
    private static final Class<IndexOutOfBoundsException> IOOBE = IndexOutOfBoundsException.class;

    @Test void shapeMismatches() {
        throwsWith(IAE, () -> A23.add(A4), "add", "[2, 3]", "[4]");
        throwsWith(IAE, () -> A23.sub(Tensor.zeros(3, 3)), "sub", "[2, 3]", "[3, 3]");
        throwsWith(IAE, () -> A23.mul(Tensor.zeros(2)), "mul", "[2, 3]", "[2]");
        throwsWith(IAE, () -> A23.div(A4), "div", "[2, 3]");
        throwsWith(IAE, () -> A23.pow(A4), "pow", "[4]");
        throwsWith(IAE, () -> A23.maximum(A4), "maximum", "[2, 3]", "[4]");
        throwsWith(IAE, () -> A23.minimum(A4), "minimum", "[2, 3]", "[4]");
        throwsWith(IAE, () -> A23.matmul(Tensor.zeros(4, 5)), "matmul", "[2, 3]", "[4, 5]");
        throwsWith(IAE, () -> Tensor.zeros(2, 2, 3).matmul(Tensor.zeros(3, 3, 1)), "matmul", "[2]", "[3]");
        throwsWith(IAE, () -> Tensor.scalar(1).matmul(A4), "matmul", "[]", "[4]");
        throwsWith(IAE, () -> A23.reshape(4, 2), "reshape", "[2, 3]", "[4, 2]");
        throwsWith(IAE, () -> A23.reshape(-1, -1), "reshape", "-1");
        throwsWith(IAE, () -> A23.t().view(6), "view", "[3, 2]", "[6]");
        throwsWith(IAE, () -> A23.expand(4, 3, 2), "expand", "[2, 3]", "[4, 3, 2]");
        throwsWith(IAE, () -> Tensor.concat(List.of(A23, Tensor.zeros(3, 3)), 1), "concat", "[3, 3]", "[2, 3]");
        throwsWith(IAE, () -> Tensor.concat(List.of(A23, A4), 0), "concat", "[4]");
        throwsWith(IAE, () -> Tensor.concat(List.of(), 0), "concat");
        throwsWith(IAE, () -> Tensor.stack(List.of(A23, Tensor.zeros(3, 2)), 0), "stack", "[3, 2]", "[2, 3]");
        throwsWith(IAE, () -> A23.split(new int[] {1, 1}, 1), "split", "[1, 1]", "[2, 3]");
        throwsWith(IAE, () -> Tensor.where(Tensor.zeros(5), A23, A23), "where", "[5]");
        throwsWith(IAE, () -> A23.maskedFill(Tensor.zeros(2, 2, 3), 0f), "masked_fill", "[2, 2, 3]", "[2, 3]");
        throwsWith(IAE, () -> A23.pad(new int[] {1, 1}, 0f), "pad", "[2, 3]", "[1, 1]");
        throwsWith(IAE, () -> A23.pad(new int[] {1, -1, 0, 0}, 0f), "pad", "negative");
        throwsWith(IAE, () -> A23.gather(1, IntTensor.zeros(2)), "gather", "[2]", "[2, 3]");
        throwsWith(IAE, () -> A23.gather(1, IntTensor.zeros(3, 1)), "gather", "[3, 1]", "[2, 3]");
        throwsWith(IAE, () -> Tensor.of(new float[5], 2, 3), "Tensor.of", "5", "[2, 3]");
        throwsWith(IAE, () -> Tensor.zeros(2, -3), "zeros", "-3");
        throwsWith(IAE, () -> A23.permute(0, 0), "permute", "[0, 0]");
        throwsWith(IAE, () -> A23.permute(0), "permute", "[0]", "[2, 3]");
        throwsWith(IAE, () -> A4.t(), "t", "[4]");
        Tensor g = Tensor.zeros(2, 3).requiresGrad(true);
        throwsWith(IAE, () -> g.backward(Tensor.zeros(3, 2)), "backward", "[3, 2]", "[2, 3]");
    }

    @Test void badDims() {
        throwsWith(IAE, () -> A23.softmax(2), "softmax", "dim 2", "rank 2");
        throwsWith(IAE, () -> A23.logSoftmax(-3), "log_softmax", "dim -3");
        throwsWith(IAE, () -> A23.sum(5, false), "sum", "dim 5");
        throwsWith(IAE, () -> A23.sum(new int[] {0, 0}, false), "sum", "twice");
        throwsWith(IAE, () -> A23.mean(-3, true), "mean", "dim -3");
        throwsWith(IAE, () -> A23.max(2, true), "max", "dim 2");
        throwsWith(IAE, () -> A23.min(7, true), "min", "dim 7");
        throwsWith(IAE, () -> A23.var(new int[] {3}, 1, true), "var", "dim 3");
        throwsWith(IAE, () -> A23.argmax(2), "argmax", "dim 2");
        throwsWith(IAE, () -> A23.transpose(0, 2), "transpose", "dim 2");
        throwsWith(IAE, () -> A23.select(2, 0), "select", "dim 2");
        throwsWith(IAE, () -> A23.slice(-3, 0, 1), "slice", "dim -3");
        throwsWith(IAE, () -> A23.slice(0, 0, 1, 0), "slice", "step");
        throwsWith(IAE, () -> A23.narrow(3, 0, 1), "narrow", "dim 3");
        throwsWith(IAE, () -> A23.unsqueeze(4), "unsqueeze", "dim 4");
        throwsWith(IAE, () -> A23.squeeze(2), "squeeze", "dim 2");
        throwsWith(IAE, () -> A23.flatten(1, 0), "flatten");
        throwsWith(IAE, () -> A23.split(2, 3), "split", "dim 3");
        throwsWith(IAE, () -> A23.split(0, 1), "split", "0");
        throwsWith(IAE, () -> A23.chunk(0, 1), "chunk", "0");
        throwsWith(IAE, () -> Tensor.concat(List.of(A23), 2), "concat", "dim 2");
        throwsWith(IAE, () -> Tensor.stack(List.of(A23), 3), "stack", "dim 3");
        throwsWith(IAE, () -> A23.gather(2, IntTensor.zeros(2, 3)), "gather", "dim 2");
        throwsWith(IAE, () -> A23.indexSelect(-3, IntTensor.vector(0)), "index_select", "dim -3");
        throwsWith(IAE, () -> A23.size(2), "size", "dim 2");
        throwsWith(IAE, () -> A23.dropout(1.5f, true, new Rng(1)), "dropout", "1.5");
        throwsWith(IAE, () -> A23.clamp(1f, 0f), "clamp", "min 1.0", "max 0.0");
        throwsWith(IAE, () -> Tensor.oneHot(IntTensor.vector(0), 0), "one_hot", "0");
        throwsWith(IAE, () -> Tensor.arange(0, 5, 0), "arange", "step");
    }

    @Test void outOfRangeIndices() {
        throwsWith(IOOBE, () -> A23.select(1, 3), "select", "3", "[2, 3]");
        throwsWith(IOOBE, () -> A23.select(0, -3), "select", "-3", "[2, 3]");
        throwsWith(IOOBE, () -> A23.narrow(1, 2, 2), "narrow", "start 2", "length 2", "[2, 3]");
        throwsWith(IOOBE, () -> A23.gather(1, IntTensor.of(new int[] {0, 3}, 1, 2)), "gather", "3", "[2, 3]");
        throwsWith(IOOBE, () -> A23.gather(0, IntTensor.of(new int[] {-1}, 1, 1)), "gather", "-1");
        throwsWith(IOOBE, () -> A23.indexSelect(0, IntTensor.vector(0, 2)), "index_select", "2", "[2, 3]");
        throwsWith(IOOBE, () -> A23.indexSelect(1, IntTensor.vector(-1)), "index_select", "-1");
        throwsWith(IOOBE, () -> Tensor.oneHot(IntTensor.vector(1, 5), 3), "one_hot", "5", "3");
        throwsWith(IOOBE, () -> A23.get(2, 0), "get", "[2, 0]", "[2, 3]");
        throwsWith(IOOBE, () -> IntTensor.vector(1, 2).get(2), "IntTensor.get", "2");
        throwsWith(IAE, () -> A23.get(0), "get", "[2, 3]");
        throwsWith(IllegalStateException.class, A23::item, "item", "[2, 3]");
    }

    // ------------------------------------------------------------------ fuzz

    /** Exceptions a library bug would produce; everything else must be a deliberate, messaged exception. */
    private static boolean isRawFailure(Throwable t) {
        return t instanceof ArrayIndexOutOfBoundsException || t instanceof StringIndexOutOfBoundsException
                || t instanceof NullPointerException || t instanceof NegativeArraySizeException
                || t instanceof ArithmeticException || t instanceof ClassCastException || t instanceof StackOverflowError
                || t instanceof OutOfMemoryError;
    }

    @Test void fuzzedBadArgumentsFailCleanly() {
        Rng rng = new Rng(2024);
        List<String> failures = new ArrayList<>();
        int deliberate = 0;
        for (int iter = 0; iter < ITERATIONS; iter++) {
            int[] shape = randomShape(rng);
            Tensor x = Tensor.uniform(rng, -2f, 2f, shape).requiresGrad(rng.nextInt(2) == 0);
            Tensor y = Tensor.uniform(rng, -2f, 2f, randomShape(rng));
            int d = rng.nextInt(9) - 4, i = rng.nextInt(13) - 6, k = rng.nextInt(9) - 4;
            int[] dims = randomInts(rng, rng.nextInt(4), -4, 4);
            int[] ints = randomInts(rng, rng.nextInt(5), -3, 6);
            IntTensor idx = IntTensor.of(randomInts(rng, (int) Shape.numel(shape), -1, 4), shape);
            int op = rng.nextInt(OPS);
            String what = "op #" + op + " x" + Shape.str(shape) + " y" + Shape.str(y.shape()) + " d=" + d + " i=" + i + " k=" + k
                    + " dims=" + java.util.Arrays.toString(dims) + " ints=" + java.util.Arrays.toString(ints);
            try {
                Tensor out = apply(op, x, y, d, i, k, dims, ints, idx, rng);
                if (out != null) {
                    out.toString();
                    if (out.requiresGrad()) out.backward(Tensor.onesLike(out));  // backward rules on odd shapes too
                }
            } catch (IllegalArgumentException | IndexOutOfBoundsException | IllegalStateException | UnsupportedOperationException e) {
                if (isRawFailure(e)) failures.add(what + ": " + e);
                else if (e.getMessage() == null || e.getMessage().isBlank()) failures.add(what + ": no message: " + e);
                else deliberate++;
            } catch (Throwable t) {
                failures.add(what + ": " + t);
            }
        }
        if (!failures.isEmpty()) fail(failures.size() + " raw failures, e.g.\n" + String.join("\n", failures.subList(0, Math.min(15, failures.size()))));
        assertTrue(deliberate > 500, "the fuzzer should mostly hit bad arguments, hit " + deliberate);
    }

    private static final int OPS = 40, ITERATIONS = Integer.getInteger("weft.fuzz.iterations", 4000);

    private static Tensor apply(int op, Tensor x, Tensor y, int d, int i, int k, int[] dims, int[] ints, IntTensor idx, Rng rng) {
        switch (op) {
            case 0: return x.add(y);
            case 1: return x.matmul(y);
            case 2: return x.reshape(ints);
            case 3: return x.view(ints);
            case 4: return x.permute(ints);
            case 5: return x.transpose(d, k);
            case 6: return x.slice(d, i, k, rng.nextInt(3) - 1);
            case 7: return x.narrow(d, i, k);
            case 8: return x.select(d, i);
            case 9: return x.expand(ints);
            case 10: return x.squeeze(d);
            case 11: return x.unsqueeze(d);
            case 12: return x.flatten(d, k);
            case 13: return x.softmax(d);
            case 14: return x.logSoftmax(d);
            case 15: return x.sum(dims, rng.nextInt(2) == 0);
            case 16: return x.mean(dims, true);
            case 17: return x.max(dims, false);
            case 18: return x.min(dims, true);
            case 19: return x.var(dims, rng.nextInt(3), false);
            case 20: return x.argmax(d).toFloat();
            case 21: return Tensor.concat(List.of(x, y), d);
            case 22: return Tensor.stack(List.of(x, y), d);
            case 23: return x.split(i, d).get(0);
            case 24: return x.split(ints, d).get(0);
            case 25: return x.chunk(i, d).get(0);
            case 26: return x.gather(d, idx);
            case 27: return x.indexSelect(d, IntTensor.vector(ints));
            case 28: return Tensor.where(y, x, y);
            case 29: return x.maskedFill(y, 1f);
            case 30: return x.pad(ints, 0f);
            case 31: return Tensor.oneHot(IntTensor.vector(ints), i);
            case 32: return x.mul(y).sub(y).div(y);
            case 33: return x.pow(y).maximum(y).minimum(y);
            case 34: return x.get(ints) > 0 ? x : y;
            case 35: return Tensor.of(new float[Math.max(0, i)], ints);
            case 36: return x.reshape((int[]) null);
            case 37: return x.pad(null, 0f);
            case 38: return x.sum(null, false).add(x.permute((int[]) null));
            default: return Tensor.concat(null, d);
        }
    }

    private static int[] randomShape(Rng rng) {
        int rank = rng.nextInt(4);
        int[] s = new int[rank];
        for (int j = 0; j < rank; j++) s[j] = rng.nextInt(4);  // sizes 0..3, empty tensors included
        return s;
    }

    private static int[] randomInts(Rng rng, int n, int lo, int hi) {
        int[] a = new int[n];
        for (int j = 0; j < n; j++) a[j] = lo + rng.nextInt(hi - lo + 1);
        return a;
    }
}
