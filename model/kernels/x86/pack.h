#pragma once

// The x86 tiers' fp32 panel packing: eight rows' eight columns transposed in AVX registers. Element by element,
// the packing took 2.6 % of a flan-t5-small fp32 encoder's samples at the AVX2 tier (Zen 5, perf). Inline in
// the tier's namespace, so each tier's copy is built with its own flags (tier_kernels.h says why).

#include <algorithm>

#include "kernels/gemm_driver.h"
#include "kernels/simd.h"

namespace t5::T5_TIER {

// v[i] holds row i of an 8 x 8 block; on return v[c] holds its column c.
inline void transpose_8x8(__m256 (&v)[8]) {
  __m256 pairs[8], quads[8];
  for (int i = 0; i < 8; i += 2) {
    pairs[i] = _mm256_unpacklo_ps(v[i], v[i + 1]);
    pairs[i + 1] = _mm256_unpackhi_ps(v[i], v[i + 1]);
  }
  for (int i = 0; i < 8; i += 4)
    for (int h = 0; h < 2; ++h) {
      quads[i + 2 * h] = _mm256_shuffle_ps(pairs[i + h], pairs[i + 2 + h], _MM_SHUFFLE(1, 0, 1, 0));
      quads[i + 2 * h + 1] = _mm256_shuffle_ps(pairs[i + h], pairs[i + 2 + h], _MM_SHUFFLE(3, 2, 3, 2));
    }
  for (int c = 0; c < 4; ++c) {
    v[c] = _mm256_permute2f128_ps(quads[c], quads[4 + c], 0x20);
    v[4 + c] = _mm256_permute2f128_ps(quads[c], quads[4 + c], 0x31);
  }
}

// PackedActivations' fp32 panel: groups of eight full rows go through transpose_8x8 eight columns at a time;
// the columns past the last eight, and groups with rows past the input, go one value at a time.
inline void pack_f32_panel_transposing(const float* in, int ld_in, int rows, int k, float* panel) {
  for (int r0 = 0; r0 < kPanelRows; r0 += kPackRows) {
    const float* src = in + static_cast<size_t>(r0) * ld_in;
    const int live = std::clamp(rows - r0, 0, kPackRows);
    int kk = 0;
    if (live == kPackRows)
      for (; kk + 8 <= k; kk += 8) {
        __m256 v[8];
        for (int r = 0; r < 8; ++r) v[r] = _mm256_loadu_ps(src + static_cast<size_t>(r) * ld_in + kk);
        transpose_8x8(v);
        for (int c = 0; c < 8; ++c) _mm256_store_ps(panel + static_cast<size_t>(kk + c) * kPanelRows + r0, v[c]);
      }
    pack_columns(src, ld_in, live, kk, k, panel, r0);
  }
}

}  // namespace t5::T5_TIER
