#include "kernels/blas.h"

#include <cblas.h>

namespace t5 {

namespace {

void make_single_threaded() {
  static const bool done = (openblas_set_num_threads(1), true);
  (void)done;
}

}  // namespace

void blas_sgemm(bool transpose_b, int m, int n, int k, const float* a, int lda, const float* b, int ldb, float* c,
                int ldc) {
  make_single_threaded();
  cblas_sgemm(CblasRowMajor, CblasNoTrans, transpose_b ? CblasTrans : CblasNoTrans, m, n, k, 1.0f, a, lda, b, ldb,
              0.0f, c, ldc);
}

void blas_sgemv(int rows, int cols, const float* a, int lda, const float* x, float* y) {
  make_single_threaded();
  cblas_sgemv(CblasRowMajor, CblasNoTrans, rows, cols, 1.0f, a, lda, x, 1, 0.0f, y, 1);
}

}  // namespace t5
