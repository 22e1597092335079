package dev.weft.engine.kernels;

/**
 * Single-precision general matrix multiply on row-major arrays:
 * {@code C = alpha * op(A) * op(B) + beta * C}, with {@code op(X) = X} or {@code X^T}.
 *
 * <p>Shapes: op(A) is {@code [m, k]}, op(B) is {@code [k, n]}, C is {@code [m, n]}. {@code lda},
 * {@code ldb}, {@code ldc} are row strides in elements of the arrays as stored (so for a transposed
 * A stored as {@code [k, m]}, {@code lda >= m}).
 */
public final class Gemm {
    private Gemm() {}

    /** Computes C = alpha·op(A)·op(B) + beta·C. When beta is 0, C's old contents are ignored (NaNs too). */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k,
                             float alpha, float[] a, int aOff, int lda,
                             float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
        GemmReference.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }
}
