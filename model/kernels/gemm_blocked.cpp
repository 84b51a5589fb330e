#include "kernels/gemm_blocked.h"

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
  kernels().pack_f32_panel(src, ld_in, rows, k_, f32_.data() + panel_offset(panel));
}

void matmul_blocked(const PackedActivations& a, const WeightMatrix& w, int n_begin, int n_end, float* out, int ld_out,
                    bool accumulate) {
  kernels().matmul_blocked(a, w, n_begin, n_end, out, ld_out, accumulate);
}

}  // namespace t5
