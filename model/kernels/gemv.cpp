#include "kernels/gemv.h"

#include <cblas.h>

#include <type_traits>

#include "core/aligned_buffer.h"
#include "core/half.h"
#include "kernels/gemm.h"

#if defined(__AVX512F__)
#include "kernels/simd.h"
#endif

namespace t5 {

namespace {

// One weight row: its values and, for int8, the scales of its groups.
template <typename T>
struct Row {
  const T* values;
  const float* group_scales;
};

// A decode step streams every weight once, so it is bound by how many DRAM reads are in flight: rows are
// read a block at a time, each asking for its bytes a fixed distance ahead. fp32 rows (3 KiB at
// flan-t5-base) read best eight at a time 32 KiB ahead, narrower bf16/int8 rows four at a time 16 KiB
// ahead (interleaved `t5bench bench` runs, base, 8 -> 64 tokens: fp32 9.9 ms/token vs 10.2 with the
// narrow shape and 11.1 with eight rows 16 KiB ahead; bf16 5.8 vs 6.3 with the fp32 shape).
template <typename T>
struct StreamShape {
  static constexpr int rows = 4;
  static constexpr size_t prefetch_bytes = 16 << 10;
};
template <>
struct StreamShape<float> {
  static constexpr int rows = 8;
  static constexpr size_t prefetch_bytes = 32 << 10;
};

#if defined(__AVX512F__)

// 16 weights of a row at column k widened to fp32 (int8 scaled by its group); the _masked forms read
// only the `mask` lanes of a row's last, partial chunk. The main loop uses the plain loads: masked ones
// there cost 10-15 % of the streaming rate (a standalone two-thread run over a base decode step's products).
inline __m512 widen_bf16(__m256i h) { return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(h), 16)); }
inline __m512 widen_int8(__m128i q, const Row<int8_t>& row, int k) {
  return _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(q)), _mm512_set1_ps(row.group_scales[k / kInt8Group]));
}
inline __m512 load_weights(const Row<float>& row, int k) { return _mm512_loadu_ps(row.values + k); }
inline __m512 load_weights(const Row<uint16_t>& row, int k) {
  return widen_bf16(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(row.values + k)));
}
inline __m512 load_weights(const Row<int8_t>& row, int k) {
  return widen_int8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(row.values + k)), row, k);
}
inline __m512 load_weights_masked(const Row<float>& row, int k, __mmask16 mask) {
  return _mm512_maskz_loadu_ps(mask, row.values + k);
}
inline __m512 load_weights_masked(const Row<uint16_t>& row, int k, __mmask16 mask) {
  return widen_bf16(_mm256_maskz_loadu_epi16(mask, row.values + k));
}
inline __m512 load_weights_masked(const Row<int8_t>& row, int k, __mmask16 mask) {
  return widen_int8(_mm_maskz_loadu_epi8(mask, row.values + k), row, k);
}

template <typename T>
inline void prefetch_ahead(const Row<T>& row, int k) {
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

// Dot products of R consecutive weight rows with A activation rows (a batch's rows share each weight load
// and widening). Each (weight row, activation row) pair accumulates its 16-column chunks in one register,
// in column order, and reduces it the same way whatever R and A are: a row of a batch gets the bits it
// gets alone. result[a * R + r].
template <int R, int A, typename T>
inline void dot_rows(const Row<T>* rows, const float* const* x, int cols, float* result) {
  __m512 sum[A][R];
  for (int a = 0; a < A; ++a)
    for (int r = 0; r < R; ++r) sum[a][r] = _mm512_setzero_ps();
  int k = 0;
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

#else

inline float widen(const Row<float>& row, int k) { return row.values[k]; }
inline float widen(const Row<uint16_t>& row, int k) { return bf16_to_f32(row.values[k]); }
inline float widen(const Row<int8_t>& row, int k) {
  return static_cast<float>(row.values[k]) * row.group_scales[k / kInt8Group];
}

template <int R, int A, typename T>
inline void dot_rows(const Row<T>* rows, const float* const* x, int cols, float* result) {
  for (int a = 0; a < A; ++a)
    for (int r = 0; r < R; ++r) {
      float sum = 0.0f;
      for (int k = 0; k < cols; ++k) sum += widen(rows[r], k) * x[a][k];
      result[a * R + r] = sum;
    }
}

#endif

template <typename T>
void matvec_typed(const float* in, int ld_in, int m, const WeightMatrix& w, const T* data, int row_begin,
                  int row_end, float* out, int ld_out, bool accumulate) {
  const size_t cols = static_cast<size_t>(w.cols);
  const size_t groups = static_cast<size_t>(int8_groups(w.cols));
  auto row = [&](int n) { return Row<T>{data + n * cols, w.scales ? w.scales + n * groups : nullptr}; };
  auto store = [&](int i, int n, const float* values, int count) {
    float* y = out + static_cast<size_t>(i) * ld_out + n;
    for (int r = 0; r < count; ++r) y[r] = accumulate ? y[r] + values[r] : values[r];
  };
  auto activations = [&](int i) { return in + static_cast<size_t>(i) * ld_in; };
  // R weight rows against A activation rows at a time.
  auto rows_times = [&](const Row<T>* rows, int n, int i, auto r_constant, auto a_constant) {
    constexpr int R = decltype(r_constant)::value, A = decltype(a_constant)::value;
    const float* x[A];
    for (int a = 0; a < A; ++a) x[a] = activations(i + a);
    float result[A * R];
    dot_rows<R, A>(rows, x, w.cols, result);
    for (int a = 0; a < A; ++a) store(i + a, n, result + a * R, R);
  };
  // Activation rows four, then two, then one at a time (eight-row blocks only ever see fewer than four).
  auto block = [&](const Row<T>* rows, int n, auto r_constant) {
    int i = 0;
    if constexpr (decltype(r_constant)::value <= 4)
      for (; i + 4 <= m; i += 4) rows_times(rows, n, i, r_constant, std::integral_constant<int, 4>{});
    for (; i + 2 <= m; i += 2) rows_times(rows, n, i, r_constant, std::integral_constant<int, 2>{});
    if (i < m) rows_times(rows, n, i, r_constant, std::integral_constant<int, 1>{});
  };
  // One to three activation rows stream the weights in StreamShape's blocks; four or more are bound by
  // arithmetic and take four-row blocks, whose 16 sums stay in registers (base wi, two threads, fp32
  // batch 8: 210-216 GFLOP/s against 202-212 with eight-row blocks; t5bench_micro BM_DecodeGemv).
  int n = row_begin;
  if (StreamShape<T>::rows == 8 && m < 4) {
    for (; n + 8 <= row_end; n += 8) {
      const Row<T> rows[8] = {row(n), row(n + 1), row(n + 2), row(n + 3), row(n + 4), row(n + 5), row(n + 6), row(n + 7)};
      block(rows, n, std::integral_constant<int, 8>{});
    }
  }
  for (; n + 4 <= row_end; n += 4) {
    const Row<T> rows[4] = {row(n), row(n + 1), row(n + 2), row(n + 3)};
    block(rows, n, std::integral_constant<int, 4>{});
  }
  for (; n < row_end; ++n) {
    const Row<T> rows[1] = {row(n)};
    block(rows, n, std::integral_constant<int, 1>{});
  }
}

}  // namespace

void matvec_rows(const float* in, int ld_in, int m, const WeightMatrix& w, int row_begin, int row_end, float* out,
                 int ld_out, bool accumulate) {
  switch (w.type) {
    case WeightType::F32:
      return matvec_typed(in, ld_in, m, w, w.f32(), row_begin, row_end, out, ld_out, accumulate);
    case WeightType::BF16:
      return matvec_typed(in, ld_in, m, w, static_cast<const uint16_t*>(w.data), row_begin, row_end, out, ld_out,
                          accumulate);
    case WeightType::I8:
      return matvec_typed(in, ld_in, m, w, static_cast<const int8_t*>(w.data), row_begin, row_end, out, ld_out,
                          accumulate);
  }
}

void matvec_rows_blas(const float* in, int ld_in, int m, const WeightMatrix& w, int row_begin, int row_end,
                      float* out, int ld_out, bool accumulate) {
  const int rows = row_end - row_begin;
  if (rows <= 0 || m <= 0) return;
  const float* weights = w.f32() + static_cast<size_t>(row_begin) * w.cols;
  // Into scratch when accumulating: OpenBLAS would add partial sums into the residual stream (see matmul).
  thread_local AlignedBuffer<float> product;
  float* target = out + row_begin;
  int ld_target = ld_out;
  if (accumulate) {
    if (product.size() < static_cast<size_t>(m) * rows) product.resize(static_cast<size_t>(m) * rows);
    target = product.data();
    ld_target = rows;
  }
  if (m == 1) {
    cblas_sgemv(CblasRowMajor, CblasNoTrans, rows, w.cols, 1.0f, weights, w.cols, in, 1, 0.0f, target, 1);
  } else {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, rows, w.cols, 1.0f, in, ld_in, weights, w.cols, 0.0f,
                target, ld_target);
  }
  if (accumulate) add_product(product.data(), m, rows, out + row_begin, ld_out);
}

}  // namespace t5
