// Attention, AVX2: eight keys per online-softmax step, scores in two registers of four doubles.
#include "kernels/attention_driver.h"
#include "kernels/x86/avx2/vecmath.h"

namespace t5::T5_TIER {

namespace {

constexpr int kKeyBlock = 8;  // keys per online-softmax step: one vector of scores

struct Fused {
  static constexpr int kQueryGroup = 4;  // queries sharing each loaded key column

  // q . k in double for the group's queries and the eight keys from kt's column 0, each FMA chain in d order.
  // Written to low and high once at the end: GCC kept the sums of a loop that wrote the caller's arrays in
  // memory and stored every one at every step.
  template <int D>
  static void score_block(const double (&q)[kQueryGroup][D], const float* kt, int lk_stride,
                          __m256d (&low)[kQueryGroup], __m256d (&high)[kQueryGroup]) {
    __m256d sum_low[kQueryGroup], sum_high[kQueryGroup];
    for (int g = 0; g < kQueryGroup; ++g) sum_low[g] = sum_high[g] = _mm256_setzero_pd();
    for (int d = 0; d < D; ++d) {
      const float* kcol = kt + static_cast<long>(d) * lk_stride;
      const __m256d k_low = _mm256_cvtps_pd(_mm_loadu_ps(kcol));
      const __m256d k_high = _mm256_cvtps_pd(_mm_loadu_ps(kcol + 4));
      for (int g = 0; g < kQueryGroup; ++g) {
        const __m256d qd = _mm256_broadcast_sd(&q[g][d]);
        sum_low[g] = _mm256_fmadd_pd(qd, k_low, sum_low[g]);
        sum_high[g] = _mm256_fmadd_pd(qd, k_high, sum_high[g]);
      }
    }
    for (int g = 0; g < kQueryGroup; ++g) low[g] = sum_low[g], high[g] = sum_high[g];
  }

  // One group of up to kQueryGroup queries, head dimension D (a multiple of 8). Probabilities, values and
  // outputs stay fp32.
  template <int D>
  static void group(const AttentionArgs& a, int head, int i0, int nq, const float* kt, int lk_stride,
                    const DistanceBias* bias) {
    constexpr int kChunks = D / 8;
    const int col = head * D;
    // The queries widened once: each key block would otherwise widen and broadcast every one again.
    alignas(32) double q[kQueryGroup][D];
    for (int g = 0; g < kQueryGroup; ++g) {
      const float* row = a.q + static_cast<long>(i0 + std::min(g, nq - 1)) * a.ld_q + col;
      for (int d = 0; d < D; d += 4) _mm256_store_pd(q[g] + d, _mm256_cvtps_pd(_mm_loadu_ps(row + d)));
    }

    __m256 acc[kQueryGroup][kChunks];
    double running_max[kQueryGroup];
    float running_sum[kQueryGroup];
    for (int g = 0; g < kQueryGroup; ++g) {
      for (int c = 0; c < kChunks; ++c) acc[g][c] = _mm256_setzero_ps();
      running_max[g] = -std::numeric_limits<double>::infinity();
      running_sum[g] = 0.0f;
    }
    alignas(32) float probs[kQueryGroup][kKeyBlock];
    const __m256d minus_infinity = _mm256_set1_pd(-std::numeric_limits<double>::infinity());

    for (int j0 = 0; j0 < a.lk; j0 += kKeyBlock) {
      const int valid = std::min(kKeyBlock, a.lk - j0);
      const __m256i lanes = first_lanes(valid);
      const __m256d low_lanes = _mm256_castsi256_pd(_mm256_cvtepi32_epi64(_mm256_castsi256_si128(lanes)));
      const __m256d high_lanes = _mm256_castsi256_pd(_mm256_cvtepi32_epi64(_mm256_extracti128_si256(lanes, 1)));
      __m256d low[kQueryGroup], high[kQueryGroup];  // scores of keys j0..j0+3 and j0+4..j0+7
      score_block<D>(q, kt + j0, lk_stride, low, high);
      for (int g = 0; g < kQueryGroup; ++g) {
        if (bias) {
          // Rows past nq repeat the last query (see q[g]) and must read its bias: the table ends there.
          const int row = std::min(g, nq - 1);
          const float* b = bias->center + static_cast<long>(head) * bias->head_stride + j0 - (bias->query_position + i0 + row);
          const __m256 bias_values = _mm256_maskload_ps(b, lanes);
          low[g] = _mm256_add_pd(low[g], widen_low(bias_values));
          high[g] = _mm256_add_pd(high[g], widen_high(bias_values));
        }
        low[g] = _mm256_blendv_pd(minus_infinity, low[g], low_lanes);
        high[g] = _mm256_blendv_pd(minus_infinity, high[g], high_lanes);
        const double block_max = std::max(horizontal_max(low[g]), horizontal_max(high[g]));
        const double new_max = std::max(running_max[g], block_max);
        // Past the first few blocks the maximum mostly stays put, and then the rescale is exp(0) = 1: skipping
        // the scalar exp and the multiplications by 1 leaves every bit as it was.
        const bool max_moved = new_max != running_max[g];
        const float rescale = max_moved ? static_cast<float>(std::exp(running_max[g] - new_max)) : 1.0f;  // 0 at first
        const __m256 shifted = narrow_shifted(low[g], high[g], _mm256_set1_pd(new_max));
        const __m256 p = _mm256_and_ps(exp256(shifted), _mm256_castsi256_ps(lanes));
        running_sum[g] = running_sum[g] * rescale + horizontal_sum(p);
        running_max[g] = new_max;
        _mm256_store_ps(probs[g], p);
        if (max_moved) {
          const __m256 vr = _mm256_set1_ps(rescale);
          for (int c = 0; c < kChunks; ++c) acc[g][c] = _mm256_mul_ps(acc[g][c], vr);
        }
      }
      // A chunk of the head at a time over the block's keys: its sums stay in registers (all of them do not
      // fit), and each still adds the keys in order.
      for (int c = 0; c < kChunks; ++c) {
        __m256 sums[kQueryGroup];
        for (int g = 0; g < kQueryGroup; ++g) sums[g] = acc[g][c];
        for (int jj = 0; jj < valid; ++jj) {
          const __m256 vv = _mm256_loadu_ps(a.v + static_cast<long>(j0 + jj) * a.ld_v + col + 8 * c);
          for (int g = 0; g < kQueryGroup; ++g) sums[g] = _mm256_fmadd_ps(_mm256_set1_ps(probs[g][jj]), vv, sums[g]);
        }
        for (int g = 0; g < kQueryGroup; ++g) acc[g][c] = sums[g];
      }
    }
    for (int g = 0; g < nq; ++g) {
      float* out = a.out + static_cast<long>(i0 + g) * a.ld_out + col;
      const __m256 inv = _mm256_set1_ps(1.0f / running_sum[g]);
      for (int c = 0; c < kChunks; ++c) _mm256_storeu_ps(out + 8 * c, _mm256_mul_ps(acc[g][c], inv));
    }
  }
};

constexpr int kScoredTogether = 4;
constexpr int kMaxHeadChunks = 8;  // the head output held in registers: d_kv up to 64

// q . k in double for a head of d_kv (a multiple of 4) floats, one 4-wide accumulator per key in column
// order; kKeys keys at a time so their FMA chains overlap. A key's score is the same bits in any group.
template <int kKeys>
inline void score_keys(const float* qh, const float* const* keys, int d_kv, double* scores) {
  __m256d sum[kKeys];
  for (int key = 0; key < kKeys; ++key) sum[key] = _mm256_setzero_pd();
  for (int d = 0; d < d_kv; d += 4) {
    const __m256d qd = _mm256_cvtps_pd(_mm_loadu_ps(qh + d));
    for (int key = 0; key < kKeys; ++key)
      sum[key] = _mm256_fmadd_pd(qd, _mm256_cvtps_pd(_mm_loadu_ps(keys[key] + d)), sum[key]);
  }
  for (int key = 0; key < kKeys; ++key) scores[key] = horizontal_sum(sum[key]);
}

struct Decode {
  static void score(const float* qh, const float* const* key_rows, int col, int lk, int d_kv, double* scores) {
    int j = 0;
    if (d_kv % 4 == 0) {
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
    score_scalar(qh, key_rows, col, j, lk, d_kv, scores);
  }

  // exp256 for whole groups of eight keys; the sum runs in key order.
  static double exp_and_sum(double* scores, int lk, double max) {
    double sum = 0.0;
    int j = 0;
    for (const __m256d shift = _mm256_set1_pd(max); j + 8 <= lk; j += 8) {
      const __m256 e = exp256(narrow_shifted(_mm256_loadu_pd(scores + j), _mm256_loadu_pd(scores + j + 4), shift));
      _mm256_storeu_pd(scores + j, widen_low(e));
      _mm256_storeu_pd(scores + j + 4, widen_high(e));
      for (int t = 0; t < 8; ++t) sum += scores[j + t];
    }
    return exp_and_sum_scalar(scores, j, lk, max, sum);
  }

  // The head's output stays in registers across the keys; p * v is a product, then a sum.
  static void weigh_values(const double* p, double inv, const float* const* value_rows, int col, int lk, int d_kv,
                           float* out) {
    if (d_kv % 8 != 0 || d_kv / 8 > kMaxHeadChunks) return weigh_values_scalar(p, inv, value_rows, col, lk, d_kv, out);
    const int chunks = d_kv / 8;
    __m256 acc[kMaxHeadChunks];
    for (int c = 0; c < chunks; ++c) acc[c] = _mm256_setzero_ps();
    for (int j = 0; j < lk; ++j) {
      if (j + kRowsAhead < lk) prefetch_head(value_rows[j + kRowsAhead] + col, d_kv);
      const __m256 pj = _mm256_set1_ps(static_cast<float>(p[j] * inv));
      const float* vj = value_rows[j] + col;
      for (int c = 0; c < chunks; ++c) acc[c] = _mm256_add_ps(acc[c], _mm256_mul_ps(pj, _mm256_loadu_ps(vj + 8 * c)));
    }
    for (int c = 0; c < chunks; ++c) _mm256_storeu_ps(out + 8 * c, acc[c]);
  }
};

}  // namespace

void attention_fused(const AttentionArgs& a, int head, int q_begin, int q_end, const float* k_transposed,
                     int lk_stride, const DistanceBias* bias) {
  attention_fused_with<Fused>(a, head, q_begin, q_end, k_transposed, lk_stride, bias);
}

void attention_decode(const float* q, const float* const* key_rows, const float* const* value_rows, int lk,
                      int head_begin, int head_end, int d_kv, const float* bias_row, int bias_stride, double* scores,
                      float* out) {
  attention_decode_with<Decode>(q, key_rows, value_rows, lk, head_begin, head_end, d_kv, bias_row, bias_stride, scores,
                                out);
}

}  // namespace t5::T5_TIER
