#pragma once

// The decode GEMV's walk over weight rows and activation rows, shared by every tier (tier_kernels.h explains
// why it lives in the tier's namespace). A tier supplies `Dot`:
//   template <int R, int A, typename T> static void rows(const WeightRow<T>* rows, const float* const* x,
//                                                        int cols, float* result);   // result[a * R + r]
//   static constexpr int kMaxSums;  // sum registers it has (one call takes A = 4, 2 or 1 rows)
//   template <typename T> static constexpr int kSumsPerDot;  // registers one (weight row, activation row) sums in
//   template <typename T> static constexpr int kStreamRows;  // weight rows a block while streaming (StreamShape's,
//                                                           // unless the tier's kernel reads better otherwise)
//   static constexpr int kBf16PairChunk;  // 0, or the columns of one bf16 load that the tier splits into even and
//                                         // odd values: the activations are reordered to match (reorder_for_pairs)
// Each (weight row, activation row) dot product must not depend on R, A or the row range, so a batch row gets
// the bits it gets alone.

#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "kernels/gemv.h"
#include "kernels/tier_kernels.h"

namespace t5::T5_TIER {

// One weight row: its values and, for int8, the scales of its groups.
template <typename T>
struct WeightRow {
  const T* values;
  const float* group_scales;
};

// A decode step streams every weight once, so it is bound by how many DRAM reads are in flight: rows are
// read a block at a time, each asking for its bytes a fixed distance ahead. fp32 rows (3 KiB at
// flan-t5-base) read best eight at a time 32 KiB ahead at AVX-512 (the AVX2 kernel takes them one at a time:
// its kStreamRows), int8 rows four at a time 16 KiB ahead (interleaved
// `t5bench bench` runs, base, 8 -> 64 tokens: fp32 9.9 ms/token vs 10.2 with four rows and 11.1 with eight
// rows 16 KiB ahead). bf16 rows read best one at a time, a single sequential stream per thread: base seed,
// per token, three alternating processes, Zen 5: AVX2 tier 8.48, 7.27, 6.15 ms against 10.36, 8.67, 8.55 with
// four rows; avx512_bf16 tier 5.21, 4.90, 5.42 against 5.77, 5.54, 6.96. (fp32 one row at a time,
// avx512_bf16 tier: 9.48-10.13 against 9.02-13.98; int8 one row at a time was slower, its one FMA chain per
// row bound by latency.)
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
template <>
struct StreamShape<uint16_t> {
  static constexpr int rows = 1;
  static constexpr size_t prefetch_bytes = 16 << 10;
};

template <typename Dot, typename T>
void matvec_typed(const float* in, int ld_in, int m, const WeightMatrix& w, const T* data, int row_begin, int row_end,
                  float* out, int ld_out, bool accumulate) {
  const size_t cols = static_cast<size_t>(w.cols);
  const size_t groups = static_cast<size_t>(int8_groups(w.cols));
  auto row = [&](int n) { return WeightRow<T>{data + n * cols, w.scales ? w.scales + n * groups : nullptr}; };
  auto store = [&](int i, int n, const float* values, int count) {
    float* y = out + static_cast<size_t>(i) * ld_out + n;
    for (int r = 0; r < count; ++r) y[r] = accumulate ? y[r] + values[r] : values[r];
  };
  // R weight rows against A activation rows at a time.
  auto rows_times = [&](const WeightRow<T>* rows, int n, int i, auto r_constant, auto a_constant) {
    constexpr int R = decltype(r_constant)::value, A = decltype(a_constant)::value;
    const float* x[A];
    for (int a = 0; a < A; ++a) x[a] = in + static_cast<size_t>(i + a) * ld_in;
    float result[A * R];
    Dot::template rows<R, A>(rows, x, w.cols, result);
    for (int a = 0; a < A; ++a) store(i + a, n, result + a * R, R);
  };
  // Activation rows four, then two, then one at a time, as far as the tier's registers hold the sums; eight-row
  // blocks only ever see fewer than four.
  constexpr int sums_per_dot = Dot::template kSumsPerDot<T>;
  auto block = [&](const WeightRow<T>* rows, int n, auto r_constant) {
    constexpr int R = decltype(r_constant)::value;
    int i = 0;
    if constexpr (R * 4 * sums_per_dot <= Dot::kMaxSums)
      for (; i + 4 <= m; i += 4) rows_times(rows, n, i, r_constant, std::integral_constant<int, 4>{});
    if constexpr (R * 2 * sums_per_dot <= Dot::kMaxSums)
      for (; i + 2 <= m; i += 2) rows_times(rows, n, i, r_constant, std::integral_constant<int, 2>{});
    for (; i < m; ++i) rows_times(rows, n, i, r_constant, std::integral_constant<int, 1>{});
  };
  // One to three activation rows stream the weights in StreamShape's blocks; four or more are bound by
  // arithmetic and take four-row blocks, or two where a dot's sums would not fit four rows in registers (base
  // wi, two threads, t5bench_micro BM_DecodeGemv: fp32 batch 8, AVX-512, 210-216 GFLOP/s against 202-212 with
  // eight-row blocks; bf16 at the AVX2 tier's four sums a dot, batch 32, 1.72 ms against 2.18 one row at a time).
  int n = row_begin;
  constexpr int stream_rows = Dot::template kStreamRows<T>;
  if (stream_rows == 8 && m < 4) {
    for (; n + 8 <= row_end; n += 8) {
      const WeightRow<T> rows[8] = {row(n),     row(n + 1), row(n + 2), row(n + 3),
                                    row(n + 4), row(n + 5), row(n + 6), row(n + 7)};
      block(rows, n, std::integral_constant<int, 8>{});
    }
  }
  if (stream_rows >= 4 || m >= 4) {
    if constexpr (4 * sums_per_dot <= Dot::kMaxSums) {
      for (; n + 4 <= row_end; n += 4) {
        const WeightRow<T> rows[4] = {row(n), row(n + 1), row(n + 2), row(n + 3)};
        block(rows, n, std::integral_constant<int, 4>{});
      }
    } else {
      for (; n + 2 <= row_end; n += 2) {
        const WeightRow<T> rows[2] = {row(n), row(n + 1)};
        block(rows, n, std::integral_constant<int, 2>{});
      }
    }
  }
  for (; n < row_end; ++n) {
    const WeightRow<T> rows[1] = {row(n)};
    block(rows, n, std::integral_constant<int, 1>{});
  }
}

// Each full `Chunk`-column run of x as its Chunk / 2 even columns then its odd ones, for a tier that reads a
// bf16 row's 32-bit lanes as pairs: a shift left gives value 2i as fp32 and masking the low half gives 2i + 1,
// with no shuffles. Columns past the last full run stay where they are.
template <int Chunk>
void reorder_for_pairs(const float* x, int cols, float* reordered) {
  int k = 0;
  for (; k + Chunk <= cols; k += Chunk)
    for (int i = 0; i < Chunk / 2; ++i) {
      reordered[k + i] = x[k + 2 * i];
      reordered[k + Chunk / 2 + i] = x[k + 2 * i + 1];
    }
  for (; k < cols; ++k) reordered[k] = x[k];
}

// The tier's matvec_rows: the weight type picks the instance.
template <typename Dot>
void matvec_rows_with(const float* in, int ld_in, int m, const WeightMatrix& w, int row_begin, int row_end, float* out,
                      int ld_out, bool accumulate) {
  switch (w.type) {
    case WeightType::F32:
      return matvec_typed<Dot>(in, ld_in, m, w, w.f32(), row_begin, row_end, out, ld_out, accumulate);
    case WeightType::BF16: {
      const uint16_t* data = static_cast<const uint16_t*>(w.data);
      if constexpr (Dot::kBf16PairChunk > 0) {  // the activations reordered once per call, for every weight row
        float* reordered = gemv_scratch(static_cast<size_t>(m) * w.cols);
        for (int i = 0; i < m; ++i)
          reorder_for_pairs<Dot::kBf16PairChunk>(in + static_cast<size_t>(i) * ld_in, w.cols,
                                                 reordered + static_cast<size_t>(i) * w.cols);
        return matvec_typed<Dot>(reordered, w.cols, m, w, data, row_begin, row_end, out, ld_out, accumulate);
      }
      return matvec_typed<Dot>(in, ld_in, m, w, data, row_begin, row_end, out, ld_out, accumulate);
    }
    case WeightType::I8:
      return matvec_typed<Dot>(in, ld_in, m, w, static_cast<const int8_t*>(w.data), row_begin, row_end, out, ld_out,
                               accumulate);
  }
}

}  // namespace t5::T5_TIER
