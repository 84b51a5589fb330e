#pragma once

namespace t5 {

// Multi-head attention of one sequence as T5 computes it: softmax(q·kᵀ + bias)·v per head, with no
// 1/sqrt(d) scaling (T5 folds it into its weights). Head h of a row occupies columns
// [h*d_kv, (h+1)*d_kv). Rows of q, k, v and out are `ld_*` floats apart.
struct AttentionArgs {
  const float* q;
  int ld_q;
  const float* k;
  int ld_k;
  const float* v;
  int ld_v;
  float* out;
  int ld_out;
  int lq;
  int lk;
  int heads;
  int d_kv;
};

// The relative-position bias by distance: bias(h, i, j) = center[h * head_stride + (j - (query_position + i))],
// where i is a query row and j a key row. `center` points at distance 0 of head 0.
struct DistanceBias {
  const float* center;
  int head_stride;
  int query_position;
};

// Baseline: the [lq, lk] score matrix of one head, `bias` ([lq, lk] for this head, or null) added, a
// separate softmax pass into `probabilities`, then sgemm with v. Both buffers hold lq * lk values.
void attention_materialized(const AttentionArgs& a, int head, const float* bias, double* scores, float* probabilities);

// Fused: queries [q_begin, q_end) of one head in one pass over the keys with an online softmax, the bias
// looked up by distance (null for cross-attention). Scores are summed in double: they reach several hundred
// in trained T5s, where fp32 rounding alone moves the softmax weights by 1e-4. `k_transposed` is the head's keys as [d_kv, lk_stride].
void attention_fused(const AttentionArgs& a, int head, int q_begin, int q_end, const float* k_transposed,
                     int lk_stride, const DistanceBias* bias);

// Writes head `head` of k ([lk, d_kv] at stride ld_k) as [d_kv, lk_stride] for attention_fused.
void transpose_keys(const AttentionArgs& a, int head, float* k_transposed, int lk_stride);

// Decode step: one query against lk cached keys given row by row (any layout: a grown cache, a
// preallocated one, beams sharing history), heads [head_begin, head_end). The bias of head h and key j is
// bias_row[h * bias_stride + j], or none when bias_row is null. Scores are summed in double (see
// attention_fused); `scores` holds lk of them.
void attention_decode(const float* q, const float* const* key_rows, const float* const* value_rows, int lk,
                      int head_begin, int head_end, int d_kv, const float* bias_row, int bias_stride, double* scores,
                      float* out);

}  // namespace t5
