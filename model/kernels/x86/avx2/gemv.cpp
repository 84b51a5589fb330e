// Decode GEMV, AVX2: eight columns per register; a row's last partial chunk goes through a zero-padded copy.
// bf16 rows are read 16 values a load and widened without shuffles: a 32-bit lane holds values 2i and 2i+1,
// so a shift left gives value 2i as fp32 and masking the low half gives 2i+1; the activations are reordered
// to match (even columns, then odd, per 16) once per call. The even and odd columns of two such chunks sum in
// four FMA chains, and int8 takes a scale group (32 values) a step, summed apart and scaled once: one chain
// step per eight columns bound the loop at the FMA's latency. t5bench_micro BM_DecodeGemv, base, two threads,
// alternating binaries, Zen 5: wi bf16 86 us against 131 with two chains, lm_head 675 against 997; int8 wi 69
// against 77 with 16-value steps, lm_head 539 against 589.
#include <cstring>
#include <type_traits>

#include "kernels/gemv_driver.h"
#include "kernels/x86/avx2/vecmath.h"

namespace t5::T5_TIER {

namespace {

inline __m256 widen_bf16(__m128i h) { return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(h), 16)); }

inline __m256 load_weights(const WeightRow<float>& row, int k) { return _mm256_loadu_ps(row.values + k); }
inline __m256 load_weights(const WeightRow<uint16_t>& row, int k) {
  return widen_bf16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(row.values + k)));
}
inline __m256 int8_as_floats(const int8_t* q) {
  return _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(q))));
}
inline __m256 load_weights(const WeightRow<int8_t>& row, int k) {
  return _mm256_mul_ps(int8_as_floats(row.values + k), _mm256_set1_ps(row.group_scales[k / kInt8Group]));
}

// The `count` (< 8) values of a row's last chunk, widened one at a time, zero beyond.
inline float widen_one(const WeightRow<float>& row, int k) { return row.values[k]; }
inline float widen_one(const WeightRow<uint16_t>& row, int k) {
  const uint32_t bits = static_cast<uint32_t>(row.values[k]) << 16;  // bf16 is the top half of a float
  float value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}
inline float widen_one(const WeightRow<int8_t>& row, int k) {
  return static_cast<float>(row.values[k]) * row.group_scales[k / kInt8Group];
}
template <typename T>
inline __m256 load_weights_tail(const WeightRow<T>& row, int k, int count) {
  alignas(32) float values[8] = {};
  for (int i = 0; i < count; ++i) values[i] = widen_one(row, k + i);
  return _mm256_load_ps(values);
}
inline __m256 load_activations_tail(const float* x, int k, int count) {
  return _mm256_maskload_ps(x + k, first_lanes(count));
}

// One prefetch per cache line of a row, StreamShape's distance ahead. fp32 rows, too, stream best one at a
// time with it: eight rows a block read on the hardware prefetchers alone, and asked for ahead they were
// slower still (t5bench_micro BM_DecodeStepProducts graph, two threads, Zen 5 at this tier, 15 alternating
// trials, median: base 10.95 ms against 11.72 in eight-row blocks, small 2.98 against 3.84).
// Always inlined: GCC 12 splits the test's body out of a plain inline function, finds the part free of side
// effects (a prefetch does not count) and deletes the calls, so this tier streamed with no prefetch at all;
// with them, int8 base lm_head 1.28 ms against 2.01, bf16 1.65 against 1.74.
template <typename T>
[[gnu::always_inline]] inline void prefetch_ahead(const WeightRow<T>& row, int k) {
  constexpr int kPerLine = 64 / static_cast<int>(sizeof(T));
  if (k % kPerLine == 0)
    _mm_prefetch(reinterpret_cast<const char*>(row.values + k) + StreamShape<T>::prefetch_bytes, _MM_HINT_T0);
}

// Keeps a loaded value in a register rather than folded into every FMA that uses it (see the AVX-512 GEMV).
inline __m256 in_register(__m256 v) {
  asm volatile("" : "+x"(v));
  return v;
}

inline constexpr int kPairChunk = 16;  // columns of one bf16 load

struct Dot {
  static constexpr int kMaxSums = 8;  // 16 registers: eight sums, the activations and a weight
  template <typename T>
  static constexpr int kSumsPerDot = std::is_same_v<T, uint16_t> ? 4 : 1;
  // fp32 rows one at a time, as bf16 (see prefetch_ahead); int8 in StreamShape's blocks.
  template <typename T>
  static constexpr int kStreamRows = std::is_same_v<T, float> ? 1 : StreamShape<T>::rows;
  static constexpr int kBf16PairChunk = kPairChunk;

  // Each (weight row, activation row) pair sums its columns in the same order whatever R and A are: bf16 in
  // the 32- and 16-column steps below, int8 in 32-column steps, then 8-column chunks, into registers it
  // reduces the same way.
  template <int R, int A, typename T>
  static void rows(const WeightRow<T>* rows, const float* const* x, int cols, float* result) {
    __m256 sum[A][R];
    for (int a = 0; a < A; ++a)
      for (int r = 0; r < R; ++r) sum[a][r] = _mm256_setzero_ps();
    int k = 0;
    if constexpr (std::is_same_v<T, uint16_t>) {  // x reordered by the driver (kBf16PairChunk)
      // Two 16-column chunks a step, their even and odd columns in four FMA chains per row: StreamShape reads
      // bf16 one row at a time, and with two chains that row was bound by the FMA's latency, not the reads.
      const __m256i high_halves = _mm256_set1_epi32(static_cast<int>(0xffff0000u));
      __m256 odd_sum[A][R], second_even_sum[A][R], second_odd_sum[A][R];
      for (int a = 0; a < A; ++a)
        for (int r = 0; r < R; ++r)
          odd_sum[a][r] = second_even_sum[a][r] = second_odd_sum[a][r] = _mm256_setzero_ps();
      auto add_chunk = [&](int at, __m256(&even_sums)[A][R], __m256(&odd_sums)[A][R]) {
        __m256 even[A], odd[A];
        for (int a = 0; a < A; ++a) {
          even[a] = in_register(_mm256_loadu_ps(x[a] + at));
          odd[a] = in_register(_mm256_loadu_ps(x[a] + at + kPairChunk / 2));
        }
        for (int r = 0; r < R; ++r) {
          prefetch_ahead(rows[r], at);
          const __m256i pairs = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(rows[r].values + at));
          const __m256 w_even = in_register(_mm256_castsi256_ps(_mm256_slli_epi32(pairs, 16)));
          const __m256 w_odd = in_register(_mm256_castsi256_ps(_mm256_and_si256(pairs, high_halves)));
          for (int a = 0; a < A; ++a) {
            even_sums[a][r] = _mm256_fmadd_ps(w_even, even[a], even_sums[a][r]);
            odd_sums[a][r] = _mm256_fmadd_ps(w_odd, odd[a], odd_sums[a][r]);
          }
        }
      };
      for (; k + 2 * kPairChunk <= cols; k += 2 * kPairChunk) {
        add_chunk(k, sum, odd_sum);
        add_chunk(k + kPairChunk, second_even_sum, second_odd_sum);
      }
      if (k + kPairChunk <= cols) {
        add_chunk(k, sum, odd_sum);
        k += kPairChunk;
      }
      for (int a = 0; a < A; ++a)
        for (int r = 0; r < R; ++r)
          sum[a][r] = _mm256_add_ps(_mm256_add_ps(sum[a][r], odd_sum[a][r]),
                                    _mm256_add_ps(second_even_sum[a][r], second_odd_sum[a][r]));
    }
    if constexpr (std::is_same_v<T, int8_t>) {
      static_assert(kInt8Group == 32, "a step is one scale group of four registers");
      // A scale group a step: its products with the activations summed in one register, then scaled once into
      // the row's sum.
      for (; k + kInt8Group <= cols; k += kInt8Group) {
        for (int r = 0; r < R; ++r) {
          prefetch_ahead(rows[r], k);
          __m256 q[4];
          for (int c = 0; c < 4; ++c) q[c] = in_register(int8_as_floats(rows[r].values + k + 8 * c));
          const __m256 scale = _mm256_set1_ps(rows[r].group_scales[k / kInt8Group]);
          for (int a = 0; a < A; ++a) {
            __m256 products = _mm256_mul_ps(q[0], _mm256_loadu_ps(x[a] + k));
            for (int c = 1; c < 4; ++c) products = _mm256_fmadd_ps(q[c], _mm256_loadu_ps(x[a] + k + 8 * c), products);
            sum[a][r] = _mm256_fmadd_ps(products, scale, sum[a][r]);
          }
        }
      }
    }
    for (; k + 8 <= cols; k += 8) {
      __m256 xk[A];
      for (int a = 0; a < A; ++a) xk[a] = in_register(_mm256_loadu_ps(x[a] + k));
      for (int r = 0; r < R; ++r) {
        prefetch_ahead(rows[r], k);
        const __m256 w = in_register(load_weights(rows[r], k));
        for (int a = 0; a < A; ++a) sum[a][r] = _mm256_fmadd_ps(w, xk[a], sum[a][r]);
      }
    }
    if (k < cols) {
      __m256 xk[A];
      for (int a = 0; a < A; ++a) xk[a] = load_activations_tail(x[a], k, cols - k);
      for (int r = 0; r < R; ++r) {
        const __m256 w = load_weights_tail(rows[r], k, cols - k);
        for (int a = 0; a < A; ++a) sum[a][r] = _mm256_fmadd_ps(w, xk[a], sum[a][r]);
      }
    }
    for (int a = 0; a < A; ++a)
      for (int r = 0; r < R; ++r) result[a * R + r] = horizontal_sum(sum[a][r]);
  }
};

}  // namespace

void matvec_rows(const float* in, int ld_in, int m, const WeightMatrix& w, int row_begin, int row_end, float* out,
                 int ld_out, bool accumulate) {
  matvec_rows_with<Dot>(in, ld_in, m, w, row_begin, row_end, out, ld_out, accumulate);
}

}  // namespace t5::T5_TIER
