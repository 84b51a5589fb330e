#include "kernels/gemm_blocked.h"

#include "kernels/dispatch.h"

namespace t5 {

void PackedActivations::prepare(int m, int k, WeightType type) {
  m_ = m, k_ = k;
  bf16_pairs_ = type == WeightType::BF16 && k % 2 == 0 && kernels().pack_bf16_pairs != nullptr;
  const size_t size = static_cast<size_t>(panels()) * k * kPanelRows;
  if (bf16_pairs_ && bf16_.size() < 2 * size) bf16_.resize(2 * size);
  if (!bf16_pairs_ && f32_.size() < size) f32_.resize(size);
}

void PackedActivations::pack_panel(const float* in, int ld_in, int panel) {
  const int first = panel * kPanelRows;
  const int rows = m_ - first < kPanelRows ? m_ - first : kPanelRows;
  const float* src = in + static_cast<size_t>(first) * ld_in;
  if (bf16_pairs_) {
    kernels().pack_bf16_pairs(src, ld_in, rows, k_, bf16_.data() + static_cast<size_t>(panel) * k_ * kPanelRows * 2);
    return;
  }
  float* out = f32_.data() + static_cast<size_t>(panel) * k_ * kPanelRows;
  for (int r = 0; r < kPanelRows; ++r)
    for (int kk = 0; kk < k_; ++kk)
      out[static_cast<size_t>(kk) * kPanelRows + r] = r < rows ? src[static_cast<size_t>(r) * ld_in + kk] : 0.0f;
}

void matmul_blocked(const PackedActivations& a, const WeightMatrix& w, int n_begin, int n_end, float* out, int ld_out,
                    bool accumulate) {
  kernels().matmul_blocked(a, w, n_begin, n_end, out, ld_out, accumulate);
}

}  // namespace t5
