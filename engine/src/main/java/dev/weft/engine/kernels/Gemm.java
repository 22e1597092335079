package dev.weft.engine.kernels;

/**
 * Single-precision general matrix multiply on row-major arrays:
 * {@code C = alpha * op(A) * op(B) + beta * C}, with {@code op(X) = X} or {@code X^T}.
 *
 * <p>Shapes: op(A) is {@code [m, k]}, op(B) is {@code [k, n]}, C is {@code [m, n]}. {@code lda},
 * {@code ldb}, {@code ldc} are row strides in elements of the arrays as stored (so for a transposed
 * A stored as {@code [k, m]}, {@code lda >= m}).
 *
 * <p>Paths: when {@link VectorSupport#ENABLED}, problems with at least {@link #SMALL_MACS}
 * multiply-adds go to a packed, cache-blocked Vector API kernel that runs on {@link Parallel}
 * (results are bit-identical for any thread count); smaller problems and the no-SIMD fallback use
 * a plain scalar loop nest. Both paths may sum in a different order than {@link GemmReference}, so
 * results agree with it to rounding, not bit for bit.
 */
public final class Gemm {
    private Gemm() {}

    /** Below this many multiply-adds (m·n·k) packing costs more than it saves: use scalar loops. */
    public static final long SMALL_MACS = Long.getLong("weft.gemm.smallMacs", 32 * 1024);

    /**
     * Computes C = alpha·op(A)·op(B) + beta·C. When beta is 0, C's old contents are ignored (NaNs too).
     *
     * @param transA use A^T: A is stored {@code [k, m]} with row stride lda, else {@code [m, k]}
     * @param transB use B^T: B is stored {@code [n, k]} with row stride ldb, else {@code [k, n]}
     * @param m rows of op(A) and C
     * @param n columns of op(B) and C
     * @param k columns of op(A), rows of op(B)
     * @param aOff index of A's first element in {@code a}; likewise bOff, cOff
     */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k,
                             float alpha, float[] a, int aOff, int lda,
                             float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
        checkArgs(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0f) {
            scaleC(m, n, beta, c, cOff, ldc);
            return;
        }
        if (VectorSupport.ENABLED && (long) m * n * k >= SMALL_MACS) {
            GemmVector.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        } else {
            scalar(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }
    }

    /**
     * Computes C = alpha·op(A)·op(B) + bias, with bias {@code [n]} added to every row of C: a fully
     * connected layer's forward in one pass over C (the vector path adds the bias while it writes
     * the tiles back). C's old contents are ignored. Arguments as in {@link #sgemm}.
     */
    public static void sgemmBias(boolean transA, boolean transB, int m, int n, int k,
                                 float alpha, float[] a, int aOff, int lda,
                                 float[] b, int bOff, int ldb,
                                 float[] bias, int biasOff, float[] c, int cOff, int ldc) {
        sgemmBias(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, bias, biasOff, c, cOff, ldc, false);
    }

    /**
     * {@link #sgemmBias} followed by ReLU when {@code relu} (C = max(C, 0), NaN kept): a Dense layer
     * with a ReLU activation, in the same single write of C.
     */
    public static void sgemmBias(boolean transA, boolean transB, int m, int n, int k,
                                 float alpha, float[] a, int aOff, int lda,
                                 float[] b, int bOff, int ldb,
                                 float[] bias, int biasOff, float[] c, int cOff, int ldc, boolean relu) {
        checkArgs(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        if (bias == null) throw new IllegalArgumentException("sgemmBias: bias is null");
        if (m > 0 && n > 0) checkExtent("bias", bias, biasOff, 1, n, n);
        if (m == 0 || n == 0) return;
        if (VectorSupport.ENABLED && k > 0 && alpha != 0f && (long) m * n * k >= SMALL_MACS) {
            GemmVector.sgemmBias(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, bias, biasOff, c, cOff, ldc, relu);
            return;
        }
        if (k == 0 || alpha == 0f) scaleC(m, n, 0f, c, cOff, ldc);
        else scalar(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, 0f, c, cOff, ldc);
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
                float v = c[row + j] + bias[biasOff + j];
                c[row + j] = relu && v <= 0f ? 0f : v;
            }
        }
    }

    /** A one-line description of the path in use (vector width, micro-tile, block sizes), for benchmarks. */
    public static String describe() {
        return VectorSupport.ENABLED ? GemmVector.describe() : "scalar (jdk.incubator.vector not enabled)";
    }

    /** C = beta·C, with beta == 0 writing zeros whatever C held. */
    private static void scaleC(int m, int n, float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            for (int j = 0; j < n; j++) c[row + j] = beta == 0f ? 0f : beta * c[row + j];
        }
    }

    /**
     * Scalar path: each C element is one dot product over k in order, accumulated in float; the loop
     * order keeps the innermost accesses contiguous where the layout allows it.
     */
    static void scalar(boolean transA, boolean transB, int m, int n, int k,
                       float alpha, float[] a, int aOff, int lda,
                       float[] b, int bOff, int ldb,
                       float beta, float[] c, int cOff, int ldc) {
        if (!transB) {
            // op(B) rows are contiguous: accumulate rank-1 updates row by row into a scratch row.
            float[] acc = scratchRow(n);
            for (int i = 0; i < m; i++) {
                java.util.Arrays.fill(acc, 0, n, 0f);
                for (int p = 0; p < k; p++) {
                    float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    int brow = bOff + p * ldb;
                    for (int j = 0; j < n; j++) acc[j] += av * b[brow + j];
                }
                int crow = cOff + i * ldc;
                for (int j = 0; j < n; j++) {
                    float v = alpha * acc[j];
                    c[crow + j] = beta == 0f ? v : v + beta * c[crow + j];
                }
            }
        } else {
            // op(B) columns are contiguous rows of the stored B: plain dot products.
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    float acc = 0f;
                    int brow = bOff + j * ldb;
                    if (!transA) {
                        int arow = aOff + i * lda;
                        for (int p = 0; p < k; p++) acc += a[arow + p] * b[brow + p];
                    } else {
                        for (int p = 0; p < k; p++) acc += a[aOff + p * lda + i] * b[brow + p];
                    }
                    int ci = cOff + i * ldc + j;
                    float v = alpha * acc;
                    c[ci] = beta == 0f ? v : v + beta * c[ci];
                }
            }
        }
    }

    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[256]);

    /** A per-thread scratch row of at least n floats, reused across calls (no allocation in steady state). */
    private static float[] scratchRow(int n) {
        float[] row = SCRATCH.get();
        if (row.length < n) {
            row = new float[Math.max(n, 2 * row.length)];
            SCRATCH.set(row);
        }
        return row;
    }

    private static void checkArgs(boolean transA, boolean transB, int m, int n, int k,
                                  float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                  float[] c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("sgemm: negative size m=" + m + " n=" + n + " k=" + k);
        }
        int aCols = transA ? m : k, aRows = transA ? k : m;
        int bCols = transB ? k : n, bRows = transB ? n : k;
        if (lda < Math.max(1, aCols) || ldb < Math.max(1, bCols) || ldc < Math.max(1, n)) {
            throw new IllegalArgumentException("sgemm: leading dimension too small: lda=" + lda + " (need >= " + aCols
                    + "), ldb=" + ldb + " (need >= " + bCols + "), ldc=" + ldc + " (need >= " + n + ")");
        }
        if (m == 0 || n == 0) return;
        checkExtent("A", a, aOff, aRows, aCols, lda);
        checkExtent("B", b, bOff, bRows, bCols, ldb);
        checkExtent("C", c, cOff, m, n, ldc);
    }

    private static void checkExtent(String name, float[] x, int off, int rows, int cols, int ld) {
        if (rows == 0 || cols == 0) return;
        long last = (long) off + (long) (rows - 1) * ld + cols - 1;
        if (off < 0 || last >= x.length) {
            throw new IndexOutOfBoundsException("sgemm: " + name + " [" + rows + " x " + cols + "] with offset " + off
                    + " and leading dimension " + ld + " needs index " + last + " but the array has length " + x.length);
        }
    }
}
