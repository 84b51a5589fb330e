// Attention in portable C++: one query at a time for the fused form; the decode step in scalar double.
#include "kernels/attention_driver.h"

namespace t5::T5_TIER {

namespace {

struct Decode {
  static void score(const float* qh, const float* const* key_rows, int col, int lk, int d_kv, double* scores) {
    score_scalar(qh, key_rows, col, 0, lk, d_kv, scores);
  }
  static double exp_and_sum(double* scores, int lk, double max) { return exp_and_sum_scalar(scores, 0, lk, max, 0.0); }
  static void weigh_values(const double* p, double inv, const float* const* value_rows, int col, int lk, int d_kv,
                           float* out) {
    weigh_values_scalar(p, inv, value_rows, col, lk, d_kv, out);
  }
};

}  // namespace

void attention_fused(const AttentionArgs& a, int head, int q_begin, int q_end, const float* k_transposed,
                     int lk_stride, const DistanceBias* bias) {
  for (int i = q_begin; i < q_end; ++i) fused_query_scalar(a, head, i, k_transposed, lk_stride, bias);
}

void attention_decode(const float* q, const float* const* key_rows, const float* const* value_rows, int lk,
                      int head_begin, int head_end, int d_kv, const float* bias_row, int bias_stride, double* scores,
                      float* out) {
  attention_decode_with<Decode>(q, key_rows, value_rows, lk, head_begin, head_end, d_kv, bias_row, bias_stride, scores,
                                out);
}

}  // namespace t5::T5_TIER
