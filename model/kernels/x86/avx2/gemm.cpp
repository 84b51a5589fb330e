// Our GEMM's tiles, AVX2: a 32-row panel is taken as two halves of 16 rows (two registers), each against six
// weight rows broadcast (12 accumulators and their operands fit the 16 registers). Every output sums its k
// block in the order the AVX-512 tile does, with the same FMAs: the same bits.
#include "kernels/gemm_driver.h"
#include "kernels/simd.h"
#include "kernels/x86/pack.h"

namespace t5::T5_TIER {

namespace {

struct Tile {
  static constexpr int kColumns = 6;
  static constexpr bool kBf16Pairs = false;

  template <int C>
  static void f32(const float* panel, const float* w, size_t ld_w, int k0, int k1, float (*tile)[kPanelRows]) {
    for (int half = 0; half < kPanelRows; half += 16) {
      __m256 top[C], bottom[C];
      for (int j = 0; j < C; ++j) top[j] = bottom[j] = _mm256_setzero_ps();
      for (int kk = k0; kk < k1; ++kk) {
        const float* a = panel + static_cast<size_t>(kk) * kPanelRows + half;
        const __m256 a0 = _mm256_load_ps(a), a1 = _mm256_load_ps(a + 8);
#pragma GCC unroll 6  // the accumulators must live in registers at any optimization level
        for (int j = 0; j < C; ++j) {
          const __m256 b = _mm256_broadcast_ss(w + j * ld_w + kk);
          top[j] = _mm256_fmadd_ps(a0, b, top[j]);
          bottom[j] = _mm256_fmadd_ps(a1, b, bottom[j]);
        }
      }
      for (int j = 0; j < C; ++j) {
        float* t = tile[j] + half;
        _mm256_store_ps(t, k0 == 0 ? top[j] : _mm256_add_ps(_mm256_load_ps(t), top[j]));
        _mm256_store_ps(t + 8, k0 == 0 ? bottom[j] : _mm256_add_ps(_mm256_load_ps(t + 8), bottom[j]));
      }
    }
  }
};

}  // namespace

void (*const pack_bf16_pairs)(const float*, int, int, int, uint16_t*) = nullptr;

void pack_f32_panel(const float* in, int ld_in, int rows, int k, float* panel) {
  pack_f32_panel_transposing(in, ld_in, rows, k, panel);
}

void matmul_blocked(const PackedActivations& a, const WeightMatrix& w, int n_begin, int n_end, float* out, int ld_out,
                    bool accumulate) {
  matmul_blocked_with<Tile>(a, w, n_begin, n_end, out, ld_out, accumulate);
}

}  // namespace t5::T5_TIER
