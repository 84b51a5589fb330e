// Our GEMM's tiles, AVX-512: 32 panel rows are two registers, 12 weight rows broadcast against them (24
// accumulators and their operands fit the 32 registers). Built twice: as the avx512 tier, and with
// AVX512_BF16 as the avx512_bf16 tier, whose bf16 weights multiply split bf16 panels in vdpbf16ps.
#include <cstring>

#include "kernels/gemm_driver.h"
#include "kernels/simd.h"
#include "kernels/x86/pack.h"

namespace t5::T5_TIER {

namespace {

template <int C>
void finish_block(const __m512 (&top)[C], const __m512 (&bottom)[C], bool first_block, float (*tile)[kPanelRows]) {
  for (int j = 0; j < C; ++j) {
    _mm512_store_ps(tile[j], first_block ? top[j] : _mm512_add_ps(_mm512_load_ps(tile[j]), top[j]));
    _mm512_store_ps(tile[j] + 16, first_block ? bottom[j] : _mm512_add_ps(_mm512_load_ps(tile[j] + 16), bottom[j]));
  }
}

struct Tile {
  static constexpr int kColumns = 12;
#if defined(__AVX512BF16__)
  static constexpr bool kBf16Pairs = true;
#else
  static constexpr bool kBf16Pairs = false;
#endif

  template <int C>
  static void f32(const float* panel, const float* w, size_t ld_w, int k0, int k1, float (*tile)[kPanelRows]) {
    __m512 top[C], bottom[C];
    for (int j = 0; j < C; ++j) top[j] = bottom[j] = _mm512_setzero_ps();
    for (int kk = k0; kk < k1; ++kk) {
      const __m512 a0 = _mm512_load_ps(panel + static_cast<size_t>(kk) * kPanelRows);
      const __m512 a1 = _mm512_load_ps(panel + static_cast<size_t>(kk) * kPanelRows + 16);
#pragma GCC unroll 12  // the accumulators must live in registers at any optimization level
      for (int j = 0; j < C; ++j) {
        const __m512 b = _mm512_set1_ps(w[j * ld_w + kk]);
        top[j] = _mm512_fmadd_ps(a0, b, top[j]);
        bottom[j] = _mm512_fmadd_ps(a1, b, bottom[j]);
      }
    }
    finish_block(top, bottom, k0 == 0, tile);
  }

  // Pairs of k: a panel row holds (a[r][2p], a[r][2p+1]) as a bf16 high part and a bf16 remainder, and the
  // weight pair w[n][2p..2p+1] is broadcast as one 32-bit lane pattern; vdpbf16ps adds both products of each
  // part into fp32.
  template <int C>
  static void bf16(const uint16_t* panel, const uint16_t* w, size_t ld_w, int k0, int k1, float (*tile)[kPanelRows]) {
#if defined(__AVX512BF16__)
    __m512 top[C], bottom[C];
    for (int j = 0; j < C; ++j) top[j] = bottom[j] = _mm512_setzero_ps();
    for (int kk = k0; kk < k1; kk += 2) {
      const uint16_t* step = panel + static_cast<size_t>(kk) * kBf16Parts * kPanelRows;  // 32 high pairs, 32 remainder pairs
      const __m512bh high0 = (__m512bh)_mm512_load_si512(step), high1 = (__m512bh)_mm512_load_si512(step + 32);
      const __m512bh low0 = (__m512bh)_mm512_load_si512(step + 64), low1 = (__m512bh)_mm512_load_si512(step + 96);
#pragma GCC unroll 12
      for (int j = 0; j < C; ++j) {
        int32_t pair;
        std::memcpy(&pair, w + j * ld_w + kk, sizeof pair);
        const __m512bh b = (__m512bh)_mm512_set1_epi32(pair);
        top[j] = _mm512_dpbf16_ps(top[j], high0, b);
        bottom[j] = _mm512_dpbf16_ps(bottom[j], high1, b);
        top[j] = _mm512_dpbf16_ps(top[j], low0, b);
        bottom[j] = _mm512_dpbf16_ps(bottom[j], low1, b);
      }
    }
    finish_block(top, bottom, k0 == 0, tile);
#else
    (void)panel, (void)w, (void)ld_w, (void)k0, (void)k1, (void)tile;
#endif
  }
};

#if defined(__AVX512BF16__)
// Each row's values as a bf16 high part plus the bf16 rounding of what it leaves (16 significant bits, a
// relative error of at most 2^-17), 16 k at a time; consecutive k pair up as one 32-bit lane. A pair step of
// the panel is the 32 rows' high pairs, then their remainder pairs. Rows past `rows` are zero.
void pack_pairs(const float* in, int ld_in, int rows, int k, uint16_t* panel) {
  uint32_t* pairs = reinterpret_cast<uint32_t*>(panel);
  for (int r = 0; r < kPanelRows; ++r) {
    const float* src = in + static_cast<size_t>(r) * ld_in;
    for (int k0 = 0; k0 < k; k0 += 16) {
      const int left = std::min(16, k - k0);
      const __mmask16 mask = static_cast<__mmask16>((1u << left) - 1);
      const __m512 x = r < rows ? _mm512_maskz_loadu_ps(mask, src + k0) : _mm512_setzero_ps();
      const __m256bh high = _mm512_cvtneps_pbh(x);
      const __m256bh low = _mm512_cvtneps_pbh(_mm512_sub_ps(x, _mm512_cvtpbh_ps(high)));
      alignas(32) uint32_t high_pairs[8], low_pairs[8];
      _mm256_store_si256(reinterpret_cast<__m256i*>(high_pairs), (__m256i)high);
      _mm256_store_si256(reinterpret_cast<__m256i*>(low_pairs), (__m256i)low);
      for (int i = 0; i < left / 2; ++i) {
        uint32_t* step = pairs + static_cast<size_t>(k0 / 2 + i) * kBf16Parts * kPanelRows;
        step[r] = high_pairs[i];
        step[kPanelRows + r] = low_pairs[i];
      }
    }
  }
}
#endif

}  // namespace

#if defined(__AVX512BF16__)
void (*const pack_bf16_pairs)(const float*, int, int, int, uint16_t*) = pack_pairs;
#else
void (*const pack_bf16_pairs)(const float*, int, int, int, uint16_t*) = nullptr;
#endif

void pack_f32_panel(const float* in, int ld_in, int rows, int k, float* panel) {
  pack_f32_panel_transposing(in, ld_in, rows, k, panel);
}

void matmul_blocked(const PackedActivations& a, const WeightMatrix& w, int n_begin, int n_end, float* out, int ld_out,
                    bool accumulate) {
  matmul_blocked_with<Tile>(a, w, n_begin, n_end, out, ld_out, accumulate);
}

}  // namespace t5::T5_TIER
