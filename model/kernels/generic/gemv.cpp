// Decode GEMV, portable C++: each dot product keeps eight partial sums (the compiler's vectors for the
// baseline ISA), not one chain over thousands of terms.
#include <cstring>

#include "kernels/gemv_driver.h"

namespace t5::T5_TIER {

namespace {

constexpr int kLanes = 8;

inline float widen(const WeightRow<float>& row, int k) { return row.values[k]; }
inline float widen(const WeightRow<uint16_t>& row, int k) {
  const uint32_t bits = static_cast<uint32_t>(row.values[k]) << 16;  // bf16 is the top half of a float
  float value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}
inline float widen(const WeightRow<int8_t>& row, int k) {
  return static_cast<float>(row.values[k]) * row.group_scales[k / kInt8Group];
}

// The eight partial sums added pairwise.
inline float reduce(const float (&lanes)[kLanes]) {
  return ((lanes[0] + lanes[4]) + (lanes[2] + lanes[6])) + ((lanes[1] + lanes[5]) + (lanes[3] + lanes[7]));
}

struct Dot {
  static constexpr int kMaxSums = 4;
  template <typename T>
  static constexpr int kSumsPerDot = 1;
  template <typename T>
  static constexpr int kStreamRows = StreamShape<T>::rows;
  static constexpr int kBf16PairChunk = 0;

  template <int R, int A, typename T>
  static void rows(const WeightRow<T>* rows, const float* const* x, int cols, float* result) {
    float sum[A][R][kLanes] = {};
    auto add_chunk = [&](int k0, int count) {
      for (int r = 0; r < R; ++r) {
        float w[kLanes] = {};
        for (int l = 0; l < count; ++l) w[l] = widen(rows[r], k0 + l);
        for (int a = 0; a < A; ++a)
          for (int l = 0; l < count; ++l) sum[a][r][l] += w[l] * x[a][k0 + l];
      }
    };
    int k = 0;
    for (; k + kLanes <= cols; k += kLanes) add_chunk(k, kLanes);
    if (k < cols) add_chunk(k, cols - k);
    for (int a = 0; a < A; ++a)
      for (int r = 0; r < R; ++r) result[a * R + r] = reduce(sum[a][r]);
  }
};

}  // namespace

void matvec_rows(const float* in, int ld_in, int m, const WeightMatrix& w, int row_begin, int row_end, float* out,
                 int ld_out, bool accumulate) {
  matvec_rows_with<Dot>(in, ld_in, m, w, row_begin, row_end, out, ld_out, accumulate);
}

}  // namespace t5::T5_TIER
