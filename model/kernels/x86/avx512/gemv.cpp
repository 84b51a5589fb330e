// Decode GEMV, AVX-512: 16 columns per register, masked loads for a row's last partial chunk. bf16 rows are
// read 32 values a load, each 32-bit lane a pair widened without shuffles as the AVX2 tier does (gemv_driver.h,
// reorder_for_pairs), the even and odd values summed in two FMA chains: bf16 streams one row at a time per
// thread, and the one chain of widened 16-value chunks left that row bound by the FMA's latency.
#include <type_traits>

#include "kernels/gemv_driver.h"
#include "kernels/simd.h"

namespace t5::T5_TIER {

namespace {

// 16 weights of a row at column k widened to fp32 (int8 scaled by its group); the _masked forms read
// only the `mask` lanes of a row's last, partial chunk. The main loop uses the plain loads: masked ones
// there cost 10-15 % of the streaming rate (a standalone two-thread run over a base decode step's products).
inline __m512 widen_bf16(__m256i h) { return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(h), 16)); }
inline __m512 widen_int8(__m128i q, const WeightRow<int8_t>& row, int k) {
  return _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(q)), _mm512_set1_ps(row.group_scales[k / kInt8Group]));
}
inline __m512 load_weights(const WeightRow<float>& row, int k) { return _mm512_loadu_ps(row.values + k); }
inline __m512 load_weights(const WeightRow<uint16_t>& row, int k) {
  return widen_bf16(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(row.values + k)));
}
inline __m512 load_weights(const WeightRow<int8_t>& row, int k) {
  return widen_int8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(row.values + k)), row, k);
}
inline __m512 load_weights_masked(const WeightRow<float>& row, int k, __mmask16 mask) {
  return _mm512_maskz_loadu_ps(mask, row.values + k);
}
inline __m512 load_weights_masked(const WeightRow<uint16_t>& row, int k, __mmask16 mask) {
  return widen_bf16(_mm256_maskz_loadu_epi16(mask, row.values + k));
}
inline __m512 load_weights_masked(const WeightRow<int8_t>& row, int k, __mmask16 mask) {
  return widen_int8(_mm_maskz_loadu_epi8(mask, row.values + k), row, k);
}

template <typename T>
inline void prefetch_ahead(const WeightRow<T>& row, int k) {
  _mm_prefetch(reinterpret_cast<const char*>(row.values + k) + StreamShape<T>::prefetch_bytes, _MM_HINT_T0);
}

// Left to itself, GCC folds each activation load into every FMA that uses it (and each fp32 weight load
// likewise): A x R loads per 16-column step instead of A + R, from L2 once a batch's activations outgrow L1.
// The empty asm makes the value a register the compiler must keep (base wi, two threads, batch 32:
// bf16 0.69-0.74 ms against 1.30-1.41, fp32 0.85-0.91 against 1.46-1.55; t5bench_micro BM_DecodeGemv).
inline __m512 in_register(__m512 v) {
  asm volatile("" : "+v"(v));
  return v;
}

inline constexpr int kPairChunk = 32;  // columns of one bf16 load

struct Dot {
  static constexpr int kMaxSums = 16;
  template <typename T>
  static constexpr int kSumsPerDot = std::is_same_v<T, uint16_t> ? 2 : 1;
  template <typename T>
  static constexpr int kStreamRows = StreamShape<T>::rows;
  static constexpr int kBf16PairChunk = kPairChunk;

  // Each (weight row, activation row) pair accumulates its chunks in column order in registers of its own (bf16:
  // the even and odd sums of the 32-column pairs, added, then 16-column chunks), and reduces them the same way
  // whatever R and A are.
  template <int R, int A, typename T>
  static void rows(const WeightRow<T>* rows, const float* const* x, int cols, float* result) {
    __m512 sum[A][R];
    for (int a = 0; a < A; ++a)
      for (int r = 0; r < R; ++r) sum[a][r] = _mm512_setzero_ps();
    int k = 0;
    if constexpr (std::is_same_v<T, uint16_t>) {  // x reordered by the driver (kBf16PairChunk)
      const __m512i high_halves = _mm512_set1_epi32(static_cast<int>(0xffff0000u));
      __m512 odd_sum[A][R];
      for (int a = 0; a < A; ++a)
        for (int r = 0; r < R; ++r) odd_sum[a][r] = _mm512_setzero_ps();
      for (; k + kPairChunk <= cols; k += kPairChunk) {
        __m512 even[A], odd[A];
        for (int a = 0; a < A; ++a) {
          even[a] = in_register(_mm512_loadu_ps(x[a] + k));
          odd[a] = in_register(_mm512_loadu_ps(x[a] + k + kPairChunk / 2));
        }
        for (int r = 0; r < R; ++r) {
          prefetch_ahead(rows[r], k);
          const __m512i pairs = _mm512_loadu_si512(rows[r].values + k);
          const __m512 w_even = in_register(_mm512_castsi512_ps(_mm512_slli_epi32(pairs, 16)));
          const __m512 w_odd = in_register(_mm512_castsi512_ps(_mm512_and_si512(pairs, high_halves)));
          for (int a = 0; a < A; ++a) {
            sum[a][r] = _mm512_fmadd_ps(w_even, even[a], sum[a][r]);
            odd_sum[a][r] = _mm512_fmadd_ps(w_odd, odd[a], odd_sum[a][r]);
          }
        }
      }
      for (int a = 0; a < A; ++a)
        for (int r = 0; r < R; ++r) sum[a][r] = _mm512_add_ps(sum[a][r], odd_sum[a][r]);
    }
    for (; k + 16 <= cols; k += 16) {
      __m512 xk[A];
      for (int a = 0; a < A; ++a) xk[a] = in_register(_mm512_loadu_ps(x[a] + k));
      for (int r = 0; r < R; ++r) {
        prefetch_ahead(rows[r], k);
        const __m512 w = in_register(load_weights(rows[r], k));
        for (int a = 0; a < A; ++a) sum[a][r] = _mm512_fmadd_ps(w, xk[a], sum[a][r]);
      }
    }
    if (k < cols) {
      const __mmask16 mask = static_cast<__mmask16>((1u << (cols - k)) - 1);
      __m512 xk[A];
      for (int a = 0; a < A; ++a) xk[a] = _mm512_maskz_loadu_ps(mask, x[a] + k);
      for (int r = 0; r < R; ++r) {
        const __m512 w = load_weights_masked(rows[r], k, mask);
        for (int a = 0; a < A; ++a) sum[a][r] = _mm512_fmadd_ps(w, xk[a], sum[a][r]);
      }
    }
    for (int a = 0; a < A; ++a)
      for (int r = 0; r < R; ++r) result[a * R + r] = _mm512_reduce_add_ps(sum[a][r]);
  }
};

}  // namespace

void matvec_rows(const float* in, int ld_in, int m, const WeightMatrix& w, int row_begin, int row_end, float* out,
                 int ld_out, bool accumulate) {
  matvec_rows_with<Dot>(in, ld_in, m, w, row_begin, row_end, out, ld_out, accumulate);
}

}  // namespace t5::T5_TIER
