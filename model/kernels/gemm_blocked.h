#pragma once

#include <cstdint>

#include "core/aligned_buffer.h"
#include "kernels/weight_matrix.h"

namespace t5 {

// Our GEMM for many-row products (encoder, cross-attention K/V): out[i][n] (+)= sum_k in[i][k] * w[n][k].
//
// The activations are packed per product (by each thread that multiplies them, graph/linear.cpp) into
// panels of 32 rows, transposed ([K][32]) by the kernel tier, so a 32-row x C tile of the output accumulates
// in registers while each weight is broadcast straight from its row: fp32 weights are read where they lie,
// with no copy (C = 12 with AVX-512's 32 registers, 6 with AVX2's 16; gemm_driver.h walks the tiles, each
// tier's gemm.cpp multiplies them). With AVX512_BF16, bf16 weights go through bf16 dot products: the panel
// holds each activation as a bf16 high part and the bf16 rounding of its remainder, and every pair takes two
// dot products. Rounding the activations to one bf16 was twice as fast (base bf16 encoder 62-69 ms against
// 92-103, Zen 5) but moved the logits enough to flip 1.2 % of synth-2400's teacher-forced decisions; the
// split keeps 16 bits (relative error at most 2^-17) and matches fp32 there. Every other tier widens bf16
// and int8 weights to fp32 a cache-sized block of rows at a time and multiplies the fp32 panel.
// The sum over k runs in the same order for every row.
class PackedActivations {
 public:
  static constexpr int kPanelRows = 32;
  static constexpr int kBf16Parts = 2;  // a bf16 panel's values per activation: its high part and remainder

  // Sizes the panels for in[m][k] against weights of type `type` (bf16 panels where the active tier has bf16
  // dot products); pack_panel then packs each panel.
  void prepare(int m, int k, WeightType type);
  void pack_panel(const float* in, int ld_in, int panel);
  int rows() const { return m_; }
  int depth() const { return k_; }
  int panels() const { return (m_ + kPanelRows - 1) / kPanelRows; }

  const float* f32_panel(int panel) const { return f32_.data() + panel_offset(panel); }
  const uint16_t* bf16_panel(int panel) const { return bf16_.data() + panel_offset(panel) * kBf16Parts; }
  bool bf16_pairs() const { return bf16_pairs_; }

 private:
  size_t panel_offset(int panel) const { return static_cast<size_t>(panel) * k_ * kPanelRows; }

  int m_ = 0, k_ = 0;
  bool bf16_pairs_ = false;
  AlignedBuffer<float> f32_;     // [panel][k][32]
  AlignedBuffer<uint16_t> bf16_;  // [panel][k / 2][high, remainder][32][2]: pairs of consecutive k per row
};

// Weight rows [n_begin, n_end) against every packed row; callers split n across threads.
void matmul_blocked(const PackedActivations& a, const WeightMatrix& w, int n_begin, int n_end, float* out, int ld_out,
                    bool accumulate);

}  // namespace t5
