#pragma once

// The parts of attention every tier shares (tier_kernels.h explains why they live in the tier's namespace):
// the portable per-query fused attention, and the decode step's walk over heads. Scores are summed in double
// everywhere (see attention.h).
//
// A tier's decode supplies `Decode`:
//   static void score(const float* qh, const float* const* key_rows, int col, int lk, int d_kv, double* scores);
//   static double exp_and_sum(double* scores, int lk, double max);  // scores[j] = exp(float(scores[j] - max)),
//                                                                    // summed in key order
//   static void weigh_values(const double* p, double inv, const float* const* value_rows, int col, int lk,
//                            int d_kv, float* out);                  // out = sum_j float(p[j] * inv) * v[j]
// Each may hand a tail to the scalar forms below.

#include <algorithm>
#include <cmath>
#include <limits>

#include "kernels/tier_kernels.h"

namespace t5::T5_TIER {

// A head's slice of a cached key or value row is d_kv floats at a stride of a whole row (inner dim x 4 bytes,
// 2 x for the cross K/V pairs), a pattern the hardware prefetchers miss: ask for rows this far ahead (base
// bf16, batch 32, whose cross K/V outgrow the caches: decode 1467-1477 ms against 1642-1675 without; Zen 5).
inline constexpr int kRowsAhead = 8;

inline void prefetch_head(const float* row, int d_kv) {
  for (int d = 0; d < d_kv; d += 16) __builtin_prefetch(row + d);
}

// Fused attention of query i, any head size: one pass over the keys with an online softmax.
inline void fused_query_scalar(const AttentionArgs& a, int head, int i, const float* kt, int lk_stride,
                               const DistanceBias* bias) {
  const int col = head * a.d_kv;
  const float* q = a.q + static_cast<long>(i) * a.ld_q + col;
  float* out = a.out + static_cast<long>(i) * a.ld_out + col;
  for (int d = 0; d < a.d_kv; ++d) out[d] = 0.0f;
  double running_max = -std::numeric_limits<double>::infinity();
  float running_sum = 0.0f;
  for (int j = 0; j < a.lk; ++j) {
    double s = 0.0;
    for (int d = 0; d < a.d_kv; ++d) s += static_cast<double>(q[d]) * kt[static_cast<long>(d) * lk_stride + j];
    if (bias) s += bias->center[static_cast<long>(head) * bias->head_stride + j - (bias->query_position + i)];
    const double new_max = std::max(running_max, s);
    const float rescale = static_cast<float>(std::exp(running_max - new_max));
    const float p = std::exp(static_cast<float>(s - new_max));
    running_sum = running_sum * rescale + p;
    running_max = new_max;
    const float* vrow = a.v + static_cast<long>(j) * a.ld_v + col;
    for (int d = 0; d < a.d_kv; ++d) out[d] = out[d] * rescale + p * vrow[d];
  }
  for (int d = 0; d < a.d_kv; ++d) out[d] /= running_sum;
}

// Decode scores of keys [begin, lk), one double chain each.
inline void score_scalar(const float* qh, const float* const* key_rows, int col, int begin, int lk, int d_kv,
                         double* scores) {
  for (int j = begin; j < lk; ++j) {
    const float* kj = key_rows[j] + col;
    double s = 0.0;
    for (int d = 0; d < d_kv; ++d) s += static_cast<double>(qh[d]) * kj[d];
    scores[j] = s;
  }
}

// Unnormalized probabilities of keys [begin, lk), added to `sum` in key order.
inline double exp_and_sum_scalar(double* scores, int begin, int lk, double max, double sum) {
  for (int j = begin; j < lk; ++j) {
    scores[j] = std::exp(static_cast<float>(scores[j] - max));
    sum += scores[j];
  }
  return sum;
}

// p * v as a product, then a sum, in key order.
inline void weigh_values_scalar(const double* p, double inv, const float* const* value_rows, int col, int lk,
                                int d_kv, float* out) {
  for (int d = 0; d < d_kv; ++d) out[d] = 0.0f;
  for (int j = 0; j < lk; ++j) {
    if (j + kRowsAhead < lk) prefetch_head(value_rows[j + kRowsAhead] + col, d_kv);
    const float pj = static_cast<float>(p[j] * inv);
    const float* vj = value_rows[j] + col;
    for (int d = 0; d < d_kv; ++d) out[d] += pj * vj[d];
  }
}

// The tier's attention_fused: Fused::group<D>(a, head, i0, nq, kt, lk_stride, bias) takes up to
// Fused::kQueryGroup queries of a head of size D (64 or 128); other head sizes run the portable form.
template <typename Fused>
void attention_fused_with(const AttentionArgs& a, int head, int q_begin, int q_end, const float* k_transposed,
                          int lk_stride, const DistanceBias* bias) {
  if (a.d_kv != 64 && a.d_kv != 128) {
    for (int i = q_begin; i < q_end; ++i) fused_query_scalar(a, head, i, k_transposed, lk_stride, bias);
    return;
  }
  for (int i0 = q_begin; i0 < q_end; i0 += Fused::kQueryGroup) {
    const int nq = std::min(Fused::kQueryGroup, q_end - i0);
    if (a.d_kv == 64)
      Fused::template group<64>(a, head, i0, nq, k_transposed, lk_stride, bias);
    else
      Fused::template group<128>(a, head, i0, nq, k_transposed, lk_stride, bias);
  }
}

template <typename Decode>
void attention_decode_with(const float* q, const float* const* key_rows, const float* const* value_rows, int lk,
                           int head_begin, int head_end, int d_kv, const float* bias_row, int bias_stride,
                           double* scores, float* out) {
  for (int h = head_begin; h < head_end; ++h) {
    const int col = h * d_kv;
    Decode::score(q + col, key_rows, col, lk, d_kv, scores);
    double max = -std::numeric_limits<double>::infinity();
    for (int j = 0; j < lk; ++j) {
      if (bias_row) scores[j] += bias_row[static_cast<long>(h) * bias_stride + j];
      max = std::max(max, scores[j]);
    }
    const double sum = Decode::exp_and_sum(scores, lk, max);
    Decode::weigh_values(scores, 1.0 / sum, value_rows, col, lk, d_kv, out + col);
  }
}

}  // namespace t5::T5_TIER
