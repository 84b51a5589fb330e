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
// v[i] holds row i of a 16 x 16 block of 32-bit lanes; on return v[c] holds its column c.
inline void transpose_16x16(__m512i (&v)[16]) {
  __m512i pairs[16], quads[16];
  for (int i = 0; i < 16; i += 2) {
    pairs[i] = _mm512_unpacklo_epi32(v[i], v[i + 1]);
    pairs[i + 1] = _mm512_unpackhi_epi32(v[i], v[i + 1]);
  }
  // quads[4g + c]: in 128-bit lane l, column 4l + c of rows 4g..4g+3.
  for (int g = 0; g < 16; g += 4) {
    quads[g] = _mm512_unpacklo_epi64(pairs[g], pairs[g + 2]);
    quads[g + 1] = _mm512_unpackhi_epi64(pairs[g], pairs[g + 2]);
    quads[g + 2] = _mm512_unpacklo_epi64(pairs[g + 1], pairs[g + 3]);
    quads[g + 3] = _mm512_unpackhi_epi64(pairs[g + 1], pairs[g + 3]);
  }
  // Then the 4 x 4 blocks of 128-bit lanes, for each c.
  for (int c = 0; c < 4; ++c) {
    const __m512i low01 = _mm512_shuffle_i32x4(quads[c], quads[4 + c], _MM_SHUFFLE(1, 0, 1, 0));
    const __m512i high01 = _mm512_shuffle_i32x4(quads[c], quads[4 + c], _MM_SHUFFLE(3, 2, 3, 2));
    const __m512i low23 = _mm512_shuffle_i32x4(quads[8 + c], quads[12 + c], _MM_SHUFFLE(1, 0, 1, 0));
    const __m512i high23 = _mm512_shuffle_i32x4(quads[8 + c], quads[12 + c], _MM_SHUFFLE(3, 2, 3, 2));
    v[c] = _mm512_shuffle_i32x4(low01, low23, _MM_SHUFFLE(2, 0, 2, 0));
    v[4 + c] = _mm512_shuffle_i32x4(low01, low23, _MM_SHUFFLE(3, 1, 3, 1));
    v[8 + c] = _mm512_shuffle_i32x4(high01, high23, _MM_SHUFFLE(2, 0, 2, 0));
    v[12 + c] = _mm512_shuffle_i32x4(high01, high23, _MM_SHUFFLE(3, 1, 3, 1));
  }
}

// Each row's values as a bf16 high part plus the bf16 rounding of what it leaves (16 significant bits, a
// relative error of at most 2^-17); consecutive k pair up as one 32-bit lane. A pair step of the panel is the
// 32 rows' high pairs, then their remainder pairs. Rows past `rows` are zero. Sixteen rows' 16 k at a time: a
// row's eight high pairs and eight remainder pairs fill one register, and a 16 x 16 transpose turns those into
// the panel's 64-byte runs. One pair at a time, the packing had 10 % as many samples as the tiles (perf, base
// bf16 seed, Zen 5), now 3.5 %; encoder P50 in three alternating processes 85.9, 88.9, 85.9 -> 82.8, 81.2, 79.1 ms.
void pack_pairs(const float* in, int ld_in, int rows, int k, uint16_t* panel) {
  constexpr int kGroupRows = 16, kStepLanes = kBf16Parts * kPanelRows;
  uint32_t* pairs = reinterpret_cast<uint32_t*>(panel);
  for (int r0 = 0; r0 < kPanelRows; r0 += kGroupRows) {
    for (int k0 = 0; k0 < k; k0 += 16) {
      const int left = std::min(16, k - k0);
      const __mmask16 mask = static_cast<__mmask16>((1u << left) - 1);
      __m512i v[kGroupRows];
      for (int r = 0; r < kGroupRows; ++r) {
        const __m512 x = r0 + r < rows ? _mm512_maskz_loadu_ps(mask, in + static_cast<size_t>(r0 + r) * ld_in + k0)
                                       : _mm512_setzero_ps();
        const __m256bh high = _mm512_cvtneps_pbh(x);
        const __m256bh low = _mm512_cvtneps_pbh(_mm512_sub_ps(x, _mm512_cvtpbh_ps(high)));
        v[r] = _mm512_inserti64x4(_mm512_castsi256_si512((__m256i)high), (__m256i)low, 1);
      }
      transpose_16x16(v);  // v[j]: high pair j of the 16 rows, v[8 + j]: their remainder pair j
      uint32_t* step = pairs + static_cast<size_t>(k0 / 2) * kStepLanes + r0;
      for (int j = 0; j < left / 2; ++j) {
        _mm512_storeu_si512(step + j * kStepLanes, v[j]);
        _mm512_storeu_si512(step + j * kStepLanes + kPanelRows, v[8 + j]);
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
