#include "kernels/gemv.h"

#include "core/aligned_buffer.h"
#include "kernels/blas.h"
#include "kernels/dispatch.h"
#include "kernels/gemm.h"

namespace t5 {

void matvec_rows(const float* in, int ld_in, int m, const WeightMatrix& w, int row_begin, int row_end, float* out,
                 int ld_out, bool accumulate) {
  kernels().matvec_rows(in, ld_in, m, w, row_begin, row_end, out, ld_out, accumulate);
}

float* gemv_scratch(size_t count) {
  thread_local AlignedBuffer<float> scratch;
  return scratch.at_least(count);
}

void matvec_rows_blas(const float* in, int ld_in, int m, const WeightMatrix& w, int row_begin, int row_end,
                      float* out, int ld_out, bool accumulate) {
  const int rows = row_end - row_begin;
  if (rows <= 0 || m <= 0) return;
  const float* weights = w.f32() + static_cast<size_t>(row_begin) * w.cols;
  // Into scratch when accumulating: OpenBLAS would add partial sums into the residual stream (see matmul).
  thread_local AlignedBuffer<float> product;
  float* target = out + row_begin;
  int ld_target = ld_out;
  if (accumulate) {
    target = product.at_least(static_cast<size_t>(m) * rows);
    ld_target = rows;
  }
  if (m == 1)
    blas_sgemv(rows, w.cols, weights, w.cols, in, target);
  else
    blas_sgemm(true, m, rows, w.cols, in, ld_in, weights, w.cols, target, ld_target);
  if (accumulate) add_product(target, m, rows, out + row_begin, ld_out);
}

}  // namespace t5
