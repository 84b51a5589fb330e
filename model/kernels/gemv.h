#pragma once

#include <cstddef>

#include "kernels/weight_matrix.h"

namespace t5 {

// The products of a decode step (a few activation rows against every weight row), restricted to weight
// rows [row_begin, row_end) so callers can split a matrix across cores:
//   out[i][n] (+)= sum_k in[i][k] * w[n][k]   for i < m, row_begin <= n < row_end.
//
// matvec_rows: our kernel, in the active instruction-set tier (gemv_driver.h). A block of weight rows (eight
// fp32, one bf16, four int8) is streamed at a time and each is applied to all m activation rows while it sits in
// L1; the arithmetic of one output does not depend on m or on the row range, so a batch row gets
// bit-identical results to the same request run alone.
void matvec_rows(const float* in, int ld_in, int m, const WeightMatrix& w, int row_begin, int row_end, float* out,
                 int ld_out, bool accumulate);

// Thread-local scratch of at least `count` floats for a tier's decode GEMV (the x86 tiers' reordered bf16
// activations). Built for the baseline: no tier's copy of the buffer's code is shared with the program.
float* gemv_scratch(size_t count);

// The same product through OpenBLAS (sgemv for one row, sgemm otherwise), fp32 weights only.
void matvec_rows_blas(const float* in, int ld_in, int m, const WeightMatrix& w, int row_begin, int row_end,
                      float* out, int ld_out, bool accumulate);

}  // namespace t5
