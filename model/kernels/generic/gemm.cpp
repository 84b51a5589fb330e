// Our GEMM's tiles in portable C++: a 32-row x 4 tile of sums kept in a local array (the compiler's vectors
// for the baseline ISA run along the panel's rows).
#include "kernels/gemm_driver.h"

namespace t5::T5_TIER {

namespace {

struct Tile {
  static constexpr int kColumns = 4;
  static constexpr bool kBf16Pairs = false;

  template <int C>
  static void f32(const float* panel, const float* w, size_t ld_w, int k0, int k1, float (*tile)[kPanelRows]) {
    alignas(64) float sums[C][kPanelRows] = {};
    for (int kk = k0; kk < k1; ++kk) {
      const float* a = panel + static_cast<size_t>(kk) * kPanelRows;
      for (int j = 0; j < C; ++j) {
        const float b = w[j * ld_w + kk];
        for (int r = 0; r < kPanelRows; ++r) sums[j][r] += a[r] * b;
      }
    }
    for (int j = 0; j < C; ++j)
      for (int r = 0; r < kPanelRows; ++r) tile[j][r] = k0 == 0 ? sums[j][r] : tile[j][r] + sums[j][r];
  }
};

}  // namespace

void (*const pack_bf16_pairs)(const float*, int, int, int, uint16_t*) = nullptr;

void pack_f32_panel(const float* in, int ld_in, int rows, int k, float* panel) {
  for (int r0 = 0; r0 < kPanelRows; r0 += kPackRows)
    pack_columns(in + static_cast<size_t>(r0) * ld_in, ld_in, std::clamp(rows - r0, 0, kPackRows), 0, k, panel, r0);
}

void matmul_blocked(const PackedActivations& a, const WeightMatrix& w, int n_begin, int n_end, float* out, int ld_out,
                    bool accumulate) {
  matmul_blocked_with<Tile>(a, w, n_begin, n_end, out, ld_out, accumulate);
}

}  // namespace t5::T5_TIER
