#pragma once

#include "kernels/weight_matrix.h"

namespace t5 {

// The products of many-row phases (encoder, cross-attention K/V): out[i][n] (+)= sum_k in[i][k] * w[n][k]
// for i < m and every row n of `w`, through OpenBLAS sgemm on the calling thread. Callers split `w` by
// rows across threads. BF16 and I8 weights are widened to fp32 a cache-sized block of rows at a time.
void matmul(const float* in, int ld_in, int m, const WeightMatrix& w, float* out, int ld_out, bool accumulate);

// out[i][j] += product[i][j] for an [m, n] product.
void add_product(const float* product, int m, int n, float* out, int ld_out);

// Widens rows [begin, begin + count) of `w` to fp32 (scales applied), `count` x w.cols values.
void widen_rows(const WeightMatrix& w, int begin, int count, float* out);
// The same into this thread's scratch buffer, valid until the thread's next call.
const float* widened_rows(const WeightMatrix& w, int begin, int count);

}  // namespace t5
