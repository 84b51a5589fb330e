#pragma once

namespace t5 {

// The OpenBLAS products the kernels use. They run inside our pool's tasks, so OpenBLAS is made single-threaded
// before its first product, here, for every caller: its own threads would fight the pool, and its
// summation order (hence the results' last bits) would depend on who had called it before.
// C[m][n] = A[m][k] · B, with B given as [n][k] (transpose_b) or [k][n].
void blas_sgemm(bool transpose_b, int m, int n, int k, const float* a, int lda, const float* b, int ldb, float* c,
                int ldc);
// y[rows] = A[rows][cols] · x.
void blas_sgemv(int rows, int cols, const float* a, int lda, const float* x, float* y);

}  // namespace t5
