#include "kernels/attention.h"

#include <cblas.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "kernels/softmax.h"
#include "kernels/vecmath.h"

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
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, a.lq, a.d_kv, a.lk, 1.0f, probabilities, a.lk, a.v + col,
              a.ld_v, 0.0f, a.out + col, a.ld_out);
}

void transpose_keys(const AttentionArgs& a, int head, float* k_transposed, int lk_stride) {
  const float* k = a.k + head * a.d_kv;
  for (int j = 0; j < a.lk; ++j)
    for (int d = 0; d < a.d_kv; ++d) k_transposed[static_cast<long>(d) * lk_stride + j] = k[static_cast<long>(j) * a.ld_k + d];
}

namespace {

constexpr int kQueryGroup = 4;  // queries sharing each loaded key column
constexpr int kKeyBlock = 16;   // keys per online-softmax step: one vector of scores

#if defined(__AVX512F__)

// Scores are double and probabilities fp32: 16 floats widen to two halves of eight doubles, and 16 scores'
// distances from their max narrow back to 16 floats.
inline __m512d widen_low(__m512 v) { return _mm512_cvtps_pd(_mm512_castps512_ps256(v)); }
inline __m512d widen_high(__m512 v) {
  return _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1)));
}
inline __m512 narrow_shifted(__m512d low, __m512d high, __m512d shift) {
  const __m256 low_ps = _mm512_cvtpd_ps(_mm512_sub_pd(low, shift));
  const __m256 high_ps = _mm512_cvtpd_ps(_mm512_sub_pd(high, shift));
  const __m512d low_half = _mm512_castps_pd(_mm512_castps256_ps512(low_ps));
  return _mm512_castpd_ps(_mm512_insertf64x4(low_half, _mm256_castps_pd(high_ps), 1));
}

// One group of up to kQueryGroup queries, head dimension D (a multiple of 16).
// Scores are summed in double: this model's scores reach several hundred, where one fp32 ulp (6e-5) is
// already a relative error of the softmax weights; double scores keep our outputs as close to the exact
// result as the fp32 inputs allow. Probabilities, values and outputs stay fp32.
template <int D>
void fused_group(const AttentionArgs& a, int head, int i0, int nq, const float* kt, int lk_stride,
                 const DistanceBias* bias) {
  constexpr int kChunks = D / 16;
  const int col = head * D;
  const float* q[kQueryGroup];
  for (int g = 0; g < kQueryGroup; ++g) q[g] = a.q + static_cast<long>(i0 + std::min(g, nq - 1)) * a.ld_q + col;

  __m512 acc[kQueryGroup][kChunks];
  double running_max[kQueryGroup];
  float running_sum[kQueryGroup];
  for (int g = 0; g < kQueryGroup; ++g) {
    for (int c = 0; c < kChunks; ++c) acc[g][c] = _mm512_setzero_ps();
    running_max[g] = -std::numeric_limits<double>::infinity();
    running_sum[g] = 0.0f;
  }
  alignas(64) float probs[kQueryGroup][kKeyBlock];
  const __m512d minus_infinity = _mm512_set1_pd(-std::numeric_limits<double>::infinity());

  for (int j0 = 0; j0 < a.lk; j0 += kKeyBlock) {
    const int valid = std::min(kKeyBlock, a.lk - j0);
    const __mmask16 mask = static_cast<__mmask16>((1u << valid) - 1);
    __m512d low[kQueryGroup], high[kQueryGroup];  // scores of keys j0..j0+7 and j0+8..j0+15
    for (int g = 0; g < kQueryGroup; ++g) low[g] = high[g] = _mm512_setzero_pd();
    for (int d = 0; d < D; ++d) {
      const __m512 kcol = _mm512_loadu_ps(kt + static_cast<long>(d) * lk_stride + j0);
      const __m512d k_low = widen_low(kcol);
      const __m512d k_high = widen_high(kcol);
      for (int g = 0; g < kQueryGroup; ++g) {
        const __m512d qd = _mm512_set1_pd(q[g][d]);
        low[g] = _mm512_fmadd_pd(qd, k_low, low[g]);
        high[g] = _mm512_fmadd_pd(qd, k_high, high[g]);
      }
    }
    for (int g = 0; g < kQueryGroup; ++g) {
      if (bias) {
        // Rows past nq repeat the last query (see q[g]) and must read its bias: the table ends there.
        const int row = std::min(g, nq - 1);
        const float* b = bias->center + static_cast<long>(head) * bias->head_stride + j0 - (bias->query_position + i0 + row);
        const __m512 bias_values = _mm512_maskz_loadu_ps(mask, b);
        low[g] = _mm512_add_pd(low[g], widen_low(bias_values));
        high[g] = _mm512_add_pd(high[g], widen_high(bias_values));
      }
      low[g] = _mm512_mask_blend_pd(static_cast<__mmask8>(mask), minus_infinity, low[g]);
      high[g] = _mm512_mask_blend_pd(static_cast<__mmask8>(mask >> 8), minus_infinity, high[g]);
      const double block_max = std::max(_mm512_reduce_max_pd(low[g]), _mm512_reduce_max_pd(high[g]));
      const double new_max = std::max(running_max[g], block_max);
      const float rescale = static_cast<float>(std::exp(running_max[g] - new_max));  // 0 on the first block
      const __m512 shifted = narrow_shifted(low[g], high[g], _mm512_set1_pd(new_max));
      const __m512 p = _mm512_maskz_mov_ps(mask, exp512(shifted));
      running_sum[g] = running_sum[g] * rescale + _mm512_reduce_add_ps(p);
      running_max[g] = new_max;
      _mm512_store_ps(probs[g], p);
      const __m512 vr = _mm512_set1_ps(rescale);
      for (int c = 0; c < kChunks; ++c) acc[g][c] = _mm512_mul_ps(acc[g][c], vr);
    }
    for (int jj = 0; jj < valid; ++jj) {
      const float* vrow = a.v + static_cast<long>(j0 + jj) * a.ld_v + col;
      __m512 vv[kChunks];
      for (int c = 0; c < kChunks; ++c) vv[c] = _mm512_loadu_ps(vrow + 16 * c);
      for (int g = 0; g < kQueryGroup; ++g) {
        const __m512 p = _mm512_set1_ps(probs[g][jj]);
        for (int c = 0; c < kChunks; ++c) acc[g][c] = _mm512_fmadd_ps(p, vv[c], acc[g][c]);
      }
    }
  }
  for (int g = 0; g < nq; ++g) {
    float* out = a.out + static_cast<long>(i0 + g) * a.ld_out + col;
    const __m512 inv = _mm512_set1_ps(1.0f / running_sum[g]);
    for (int c = 0; c < kChunks; ++c) _mm512_storeu_ps(out + 16 * c, _mm512_mul_ps(acc[g][c], inv));
  }
}

#endif

// Any head size: one query at a time, same online softmax.
void fused_query_scalar(const AttentionArgs& a, int head, int i, const float* kt, int lk_stride,
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

}  // namespace

void attention_fused(const AttentionArgs& a, int head, int q_begin, int q_end, const float* k_transposed,
                     int lk_stride, const DistanceBias* bias) {
#if defined(__AVX512F__)
  if (a.d_kv == 64 || a.d_kv == 128) {
    for (int i0 = q_begin; i0 < q_end; i0 += kQueryGroup) {
      const int nq = std::min(kQueryGroup, q_end - i0);
      if (a.d_kv == 64)
        fused_group<64>(a, head, i0, nq, k_transposed, lk_stride, bias);
      else
        fused_group<128>(a, head, i0, nq, k_transposed, lk_stride, bias);
    }
    return;
  }
#endif
  for (int i = q_begin; i < q_end; ++i) fused_query_scalar(a, head, i, k_transposed, lk_stride, bias);
}

namespace {

// A head's slice of a cached key or value row is d_kv floats at a stride of a whole row (inner dim x 4 bytes,
// 2 x for the cross K/V pairs), a pattern the hardware prefetchers miss: ask for rows this far ahead (base
// bf16, batch 32, whose cross K/V outgrow the caches: decode 1467-1477 ms against 1642-1675 without).
constexpr int kRowsAhead = 8;

void prefetch_head(const float* row, int d_kv) {
  for (int d = 0; d < d_kv; d += 16) __builtin_prefetch(row + d);
}

constexpr int kScoredTogether = 4;
constexpr int kMaxHeadChunks = 4;  // the head output held in registers: d_kv up to 64

#if defined(__AVX512F__)
// q . k in double for a head of d_kv (a multiple of 8) floats, one 8-wide accumulator per key in column
// order; kKeys keys at a time, so their FMA chains overlap instead of waiting on each other's latency. A
// key's score is the same bits whichever group it falls in.
template <int kKeys>
inline void score_keys(const float* qh, const float* const* keys, int d_kv, double* scores) {
  __m512d sum[kKeys];
  for (int key = 0; key < kKeys; ++key) sum[key] = _mm512_setzero_pd();
  for (int d = 0; d < d_kv; d += 8) {
    const __m512d qd = _mm512_cvtps_pd(_mm256_loadu_ps(qh + d));
    for (int key = 0; key < kKeys; ++key)
      sum[key] = _mm512_fmadd_pd(qd, _mm512_cvtps_pd(_mm256_loadu_ps(keys[key] + d)), sum[key]);
  }
  for (int key = 0; key < kKeys; ++key) scores[key] = _mm512_reduce_add_pd(sum[key]);
}
#endif

}  // namespace

void attention_decode(const float* q, const float* const* key_rows, const float* const* value_rows, int lk,
                      int head_begin, int head_end, int d_kv, const float* bias_row, int bias_stride, double* scores,
                      float* out) {
  for (int h = head_begin; h < head_end; ++h) {
    const int col = h * d_kv;
    const float* qh = q + col;
    int j = 0;
#if defined(__AVX512F__)
    if (d_kv % 8 == 0) {
      for (; j + kScoredTogether <= lk; j += kScoredTogether) {
        const float* keys[kScoredTogether];
        for (int key = 0; key < kScoredTogether; ++key) {
          if (j + key + kRowsAhead < lk) prefetch_head(key_rows[j + key + kRowsAhead] + col, d_kv);
          keys[key] = key_rows[j + key] + col;
        }
        score_keys<kScoredTogether>(qh, keys, d_kv, scores + j);
      }
      for (; j < lk; ++j) {
        const float* key = key_rows[j] + col;
        score_keys<1>(qh, &key, d_kv, scores + j);
      }
    }
#endif
    for (; j < lk; ++j) {
      const float* kj = key_rows[j] + col;
      double s = 0.0;
      for (int d = 0; d < d_kv; ++d) s += static_cast<double>(qh[d]) * kj[d];
      scores[j] = s;
    }
    double max = -std::numeric_limits<double>::infinity();
    for (j = 0; j < lk; ++j) {
      if (bias_row) scores[j] += bias_row[static_cast<long>(h) * bias_stride + j];
      max = std::max(max, scores[j]);
    }
    // Each score becomes its unnormalized probability, exp of its fp32 distance from the max (exp512, within
    // 2 ulp of std::exp, for whole groups of 16 keys); the sum runs in key order.
    double sum = 0.0;
    j = 0;
#if defined(__AVX512F__)
    for (const __m512d shift = _mm512_set1_pd(max); j + 16 <= lk; j += 16) {
      const __m512 e = exp512(narrow_shifted(_mm512_loadu_pd(scores + j), _mm512_loadu_pd(scores + j + 8), shift));
      _mm512_storeu_pd(scores + j, widen_low(e));
      _mm512_storeu_pd(scores + j + 8, widen_high(e));
      for (int t = 0; t < 16; ++t) sum += scores[j + t];
    }
#endif
    for (; j < lk; ++j) {
      scores[j] = std::exp(static_cast<float>(scores[j] - max));
      sum += scores[j];
    }
    const double inv = 1.0 / sum;
    float* oh = out + col;
#if defined(__AVX512F__)
    // The head's output stays in registers across the keys; p * v is a product, then a sum, as the scalar
    // loop below rounds it.
    if (d_kv % 16 == 0 && d_kv / 16 <= kMaxHeadChunks) {
      const int chunks = d_kv / 16;
      __m512 acc[kMaxHeadChunks];
      for (int c = 0; c < chunks; ++c) acc[c] = _mm512_setzero_ps();
      for (j = 0; j < lk; ++j) {
        if (j + kRowsAhead < lk) prefetch_head(value_rows[j + kRowsAhead] + col, d_kv);
        const __m512 p = _mm512_set1_ps(static_cast<float>(scores[j] * inv));
        const float* vj = value_rows[j] + col;
        for (int c = 0; c < chunks; ++c)
          acc[c] = _mm512_add_ps(acc[c], _mm512_mul_ps(p, _mm512_loadu_ps(vj + 16 * c)));
      }
      for (int c = 0; c < chunks; ++c) _mm512_storeu_ps(oh + 16 * c, acc[c]);
      continue;
    }
#endif
    for (int d = 0; d < d_kv; ++d) oh[d] = 0.0f;
    for (j = 0; j < lk; ++j) {
      if (j + kRowsAhead < lk) prefetch_head(value_rows[j + kRowsAhead] + col, d_kv);
      const float p = static_cast<float>(scores[j] * inv);
      const float* vj = value_rows[j] + col;
      for (int d = 0; d < d_kv; ++d) oh[d] += p * vj[d];
    }
  }
}

}  // namespace t5
