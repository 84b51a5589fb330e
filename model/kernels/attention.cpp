#include "kernels/attention.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "kernels/blas.h"
#include "kernels/dispatch.h"

namespace t5 {

void attention_materialized(const AttentionArgs& a, int head, const float* bias, double* scores, float* probabilities) {
  const int col = head * a.d_kv;
  // The whole score matrix first (in double, see attention_fused), then the softmax pass, then P·V.
  for (int i = 0; i < a.lq; ++i) {
    const float* qi = a.q + static_cast<long>(i) * a.ld_q + col;
    for (int j = 0; j < a.lk; ++j) {
      const float* kj = a.k + static_cast<long>(j) * a.ld_k + col;
      double s = 0.0;
      for (int d = 0; d < a.d_kv; ++d) s += static_cast<double>(qi[d]) * kj[d];
      scores[static_cast<long>(i) * a.lk + j] = bias ? s + bias[static_cast<long>(i) * a.lk + j] : s;
    }
  }
  for (int i = 0; i < a.lq; ++i) {
    const double* row = scores + static_cast<long>(i) * a.lk;
    float* p = probabilities + static_cast<long>(i) * a.lk;
    double max = row[0];
    for (int j = 1; j < a.lk; ++j) max = std::max(max, row[j]);
    double sum = 0.0;
    for (int j = 0; j < a.lk; ++j) sum += (p[j] = std::exp(static_cast<float>(row[j] - max)));
    const float inv = static_cast<float>(1.0 / sum);
    for (int j = 0; j < a.lk; ++j) p[j] *= inv;
  }
  blas_sgemm(false, a.lq, a.d_kv, a.lk, probabilities, a.lk, a.v + col, a.ld_v, a.out + col, a.ld_out);
}

void transpose_keys(const AttentionArgs& a, int head, float* k_transposed, int lk_stride) {
  const float* k = a.k + head * a.d_kv;
  for (int j = 0; j < a.lk; ++j)
    for (int d = 0; d < a.d_kv; ++d) k_transposed[static_cast<long>(d) * lk_stride + j] = k[static_cast<long>(j) * a.ld_k + d];
}

void attention_fused(const AttentionArgs& a, int head, int q_begin, int q_end, const float* k_transposed,
                     int lk_stride, const DistanceBias* bias) {
  kernels().attention_fused(a, head, q_begin, q_end, k_transposed, lk_stride, bias);
}

void attention_decode(const float* q, const float* const* key_rows, const float* const* value_rows, int lk,
                      int head_begin, int head_end, int d_kv, const float* bias_row, int bias_stride, double* scores,
                      float* out) {
  kernels().attention_decode(q, key_rows, value_rows, lk, head_begin, head_end, d_kv, bias_row, bias_stride, scores,
                             out);
}

}  // namespace t5
