#include "kernels/gemm_blocked.h"

#include <algorithm>

#include "kernels/dispatch.h"

namespace t5 {

void PackedActivations::prepare(int m, int k, WeightType type) {
  m_ = m, k_ = k;
  bf16_pairs_ = type == WeightType::BF16 && k % 2 == 0 && kernels().pack_bf16_pairs != nullptr;
  if (bf16_pairs_)
    bf16_.at_least(panel_offset(panels()) * kBf16Parts);
  else
    f32_.at_least(panel_offset(panels()));
}

void PackedActivations::pack_panel(const float* in, int ld_in, int panel) {
  const int first = panel * kPanelRows;
  const int rows = m_ - first < kPanelRows ? m_ - first : kPanelRows;
  const float* src = in + static_cast<size_t>(first) * ld_in;
  if (bf16_pairs_) {
    kernels().pack_bf16_pairs(src, ld_in, rows, k_, bf16_.data() + panel_offset(panel) * kBf16Parts);
    return;
  }
  // Eight source rows at a time down all the columns: eight sequential reads for the prefetchers, few enough
  // that rows 2 KiB apart (which share L1 sets) stay cached. Row by row, every write went to another 128-byte
  // row of a 64 KiB panel: 3.4 % of the samples of a flan-t5-small fp32 encoder at the AVX2 tier (Zen 5,
  // perf), now 2.3.
  constexpr int kRowsAtATime = 8;
  float* out = f32_.data() + panel_offset(panel);
  for (int r0 = 0; r0 < kPanelRows; r0 += kRowsAtATime) {
    const int live = std::clamp(rows - r0, 0, kRowsAtATime);  // rows past the input are zero
    for (int kk = 0; kk < k_; ++kk) {
      float* column = out + static_cast<size_t>(kk) * kPanelRows + r0;
      for (int r = 0; r < live; ++r) column[r] = src[static_cast<size_t>(r0 + r) * ld_in + kk];
      for (int r = live; r < kRowsAtATime; ++r) column[r] = 0.0f;
    }
  }
}

void matmul_blocked(const PackedActivations& a, const WeightMatrix& w, int n_begin, int n_end, float* out, int ld_out,
                    bool accumulate) {
  kernels().matmul_blocked(a, w, n_begin, n_end, out, ld_out, accumulate);
}

}  // namespace t5
