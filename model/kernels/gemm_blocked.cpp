#include "kernels/gemm_blocked.h"

#include <algorithm>
#include <cstring>
#include <type_traits>

#include "kernels/gemm.h"
#include "kernels/simd.h"

namespace t5 {

namespace {

constexpr int kRows = PackedActivations::kPanelRows;
constexpr int kColumns = 12;  // weight rows per tile: 2 x 12 accumulators + operands fit the 32 registers
// Weight rows whose tiles run over one activation panel before the next panel: their bytes stay in L2.
constexpr int kColumnBlockBytes = 256 << 10;

// Writes (or adds) a finished tile: tile[j][r] is out[row0 + r][n0 + j].
void store_tile(const float (&tile)[kColumns][kRows], int rows, int columns, float* out, int ld_out, bool accumulate) {
  for (int r = 0; r < rows; ++r) {
    float* row = out + static_cast<size_t>(r) * ld_out;
    for (int j = 0; j < columns; ++j) row[j] = accumulate ? row[j] + tile[j][r] : tile[j][r];
  }
}

#if defined(__AVX512F__)

// Calls fn(std::integral_constant<int, C>{}) with C = columns: every tail width gets its own unrolled kernel.
template <typename F>
void with_columns(int columns, F&& fn) {
  switch (columns) {
    case 1: return fn(std::integral_constant<int, 1>{});
    case 2: return fn(std::integral_constant<int, 2>{});
    case 3: return fn(std::integral_constant<int, 3>{});
    case 4: return fn(std::integral_constant<int, 4>{});
    case 5: return fn(std::integral_constant<int, 5>{});
    case 6: return fn(std::integral_constant<int, 6>{});
    case 7: return fn(std::integral_constant<int, 7>{});
    case 8: return fn(std::integral_constant<int, 8>{});
    case 9: return fn(std::integral_constant<int, 9>{});
    case 10: return fn(std::integral_constant<int, 10>{});
    case 11: return fn(std::integral_constant<int, 11>{});
    default: return fn(std::integral_constant<int, 12>{});
  }
}

// A k block's sums start from zero and are added to the tile: blocked summation keeps the rounding error of
// long products (k = 2048) near that of pairwise sums instead of growing with k.
template <int C>
void finish_block(const __m512 (&top)[C], const __m512 (&bottom)[C], bool first_block, float (&tile)[kColumns][kRows]) {
  for (int j = 0; j < C; ++j) {
    _mm512_store_ps(tile[j], first_block ? top[j] : _mm512_add_ps(_mm512_load_ps(tile[j]), top[j]));
    _mm512_store_ps(tile[j] + 16, first_block ? bottom[j] : _mm512_add_ps(_mm512_load_ps(tile[j] + 16), bottom[j]));
  }
}

// k in [k0, k1) of a 32 x C tile with fp32 weights (row j of the tile at w + j * ld_w).
template <int C>
void tile_f32(const float* panel, const float* w, size_t ld_w, int k0, int k1, float (&tile)[kColumns][kRows]) {
  __m512 top[C], bottom[C];
  for (int j = 0; j < C; ++j) top[j] = bottom[j] = _mm512_setzero_ps();
  for (int kk = k0; kk < k1; ++kk) {
    const __m512 a0 = _mm512_load_ps(panel + static_cast<size_t>(kk) * kRows);
    const __m512 a1 = _mm512_load_ps(panel + static_cast<size_t>(kk) * kRows + 16);
#pragma GCC unroll 12  // the accumulators must live in registers at any optimization level
    for (int j = 0; j < C; ++j) {
      const __m512 b = _mm512_set1_ps(w[j * ld_w + kk]);
      top[j] = _mm512_fmadd_ps(a0, b, top[j]);
      bottom[j] = _mm512_fmadd_ps(a1, b, bottom[j]);
    }
  }
  finish_block(top, bottom, k0 == 0, tile);
}

#if defined(__AVX512BF16__)
// Pairs of k: a panel row holds (a[r][2p], a[r][2p+1]) in bf16 and the weight pair w[n][2p..2p+1] is
// broadcast as one 32-bit lane pattern; vdpbf16ps adds both products into fp32.
template <int C>
void tile_bf16(const uint16_t* panel, const uint16_t* w, size_t ld_w, int k0, int k1, float (&tile)[kColumns][kRows]) {
  __m512 top[C], bottom[C];
  for (int j = 0; j < C; ++j) top[j] = bottom[j] = _mm512_setzero_ps();
  for (int kk = k0; kk < k1; kk += 2) {
    const size_t at = static_cast<size_t>(kk) * kRows;  // 32 rows x 2 values per pair step
    const __m512bh a0 = (__m512bh)_mm512_load_si512(panel + at), a1 = (__m512bh)_mm512_load_si512(panel + at + 32);
#pragma GCC unroll 12
    for (int j = 0; j < C; ++j) {
      int32_t pair;
      std::memcpy(&pair, w + j * ld_w + kk, sizeof pair);
      const __m512bh b = (__m512bh)_mm512_set1_epi32(pair);
      top[j] = _mm512_dpbf16_ps(top[j], a0, b);
      bottom[j] = _mm512_dpbf16_ps(bottom[j], a1, b);
    }
  }
  finish_block(top, bottom, k0 == 0, tile);
}
#endif

constexpr int kDepthBlock = 32;  // k per block sum (even, for bf16 pairs): short blocks keep products near exact
constexpr int kTilesPerPass = 8;

// Weight rows [0, n) of a column block against one panel, a group of tiles at a time with k in blocks, so
// every tile of the group reuses the panel's slice from L1. tile_kernel(n0, columns, k0, k1, tile).
template <typename TileKernel>
void run_panel(int k, int n, int rows, float* out, int ld_out, bool accumulate, const TileKernel& tile_kernel) {
  alignas(64) float tiles[kTilesPerPass][kColumns][kRows];
  for (int t0 = 0; t0 < n; t0 += kTilesPerPass * kColumns) {
    const int t1 = std::min(n, t0 + kTilesPerPass * kColumns);
    for (int k0 = 0; k0 < k; k0 += kDepthBlock)
      for (int n0 = t0, t = 0; n0 < t1; n0 += kColumns, ++t)
        tile_kernel(n0, std::min(kColumns, t1 - n0), k0, std::min(k, k0 + kDepthBlock), tiles[t]);
    for (int n0 = t0, t = 0; n0 < t1; n0 += kColumns, ++t)
      store_tile(tiles[t], rows, std::min(kColumns, t1 - n0), out + n0, ld_out, accumulate);
  }
}

#endif  // __AVX512F__

}  // namespace

void PackedActivations::prepare(int m, int k, WeightType type) {
  m_ = m, k_ = k;
#if defined(__AVX512BF16__)
  bf16_pairs_ = type == WeightType::BF16 && k % 2 == 0;
#else
  bf16_pairs_ = false;
  (void)type;
#endif
  const size_t size = static_cast<size_t>(panels()) * k * kRows;
  if (bf16_pairs_ && bf16_.size() < size) bf16_.resize(size);
  if (!bf16_pairs_ && f32_.size() < size) f32_.resize(size);
}

void PackedActivations::pack_panel(const float* in, int ld_in, int panel) {
  const int k = k_;
  if (!bf16_pairs_) {
    float* out = f32_.data() + static_cast<size_t>(panel) * k * kRows;
    for (int r = 0; r < kRows; ++r) {
      const int row = panel * kRows + r;
      const float* src = in + static_cast<size_t>(row) * ld_in;
      for (int kk = 0; kk < k; ++kk) out[static_cast<size_t>(kk) * kRows + r] = row < m_ ? src[kk] : 0.0f;
    }
    return;
  }
#if defined(__AVX512BF16__)
  // Each row's values rounded to bf16, 16 k at a time; consecutive k pair up as one 32-bit lane, which
  // is where the pair goes in the panel.
  uint32_t* pairs = reinterpret_cast<uint32_t*>(bf16_.data() + static_cast<size_t>(panel) * k * kRows);
  for (int r = 0; r < kRows; ++r) {
    const int row = panel * kRows + r;
    const float* src = in + static_cast<size_t>(row) * ld_in;
    for (int k0 = 0; k0 < k; k0 += 16) {
      const int left = std::min(16, k - k0);
      const __mmask16 mask = static_cast<__mmask16>((1u << left) - 1);
      const __m512 x = row < m_ ? _mm512_maskz_loadu_ps(mask, src + k0) : _mm512_setzero_ps();
      alignas(32) uint32_t row_pairs[8];
      _mm256_store_si256(reinterpret_cast<__m256i*>(row_pairs), (__m256i)_mm512_cvtneps_pbh(x));
      for (int i = 0; i < left / 2; ++i) pairs[static_cast<size_t>(k0 / 2 + i) * kRows + r] = row_pairs[i];
    }
  }
#else
  (void)in, (void)ld_in;
#endif
}

bool blocked_gemm_available() {
#if defined(__AVX512F__)
  return true;
#else
  return false;
#endif
}

void matmul_blocked(const PackedActivations& a, const WeightMatrix& w, int n_begin, int n_end, float* out, int ld_out,
                    bool accumulate) {
#if defined(__AVX512F__)
  const int k = a.depth();
  const int block = std::max(kColumns, kColumnBlockBytes / static_cast<int>(k * w.element_bytes()) / kColumns * kColumns);
  thread_local AlignedBuffer<float> widened;  // int8 (and unpaired bf16) weights, a block of rows at a time
  for (int b0 = n_begin; b0 < n_end; b0 += block) {
    const int b1 = std::min(n_end, b0 + block);
    const float* block_rows = nullptr;  // row b0 of the fp32 weights
    if (w.type == WeightType::F32) {
      block_rows = w.f32() + static_cast<size_t>(b0) * k;
    } else if (!a.bf16_pairs()) {
      if (widened.size() < static_cast<size_t>(block) * k) widened.resize(static_cast<size_t>(block) * k);
      widen_rows(w, b0, b1 - b0, widened.data());
      block_rows = widened.data();
    }
    for (int p = 0; p < a.panels(); ++p) {
      const int rows = std::min(kRows, a.rows() - p * kRows);
      float* out_block = out + static_cast<size_t>(p) * kRows * ld_out + b0;
      const size_t ld_w = static_cast<size_t>(k);
#if defined(__AVX512BF16__)
      if (a.bf16_pairs()) {
        const uint16_t* bf16_rows = static_cast<const uint16_t*>(w.data) + static_cast<size_t>(b0) * k;
        const uint16_t* panel = a.bf16_panel(p);
        run_panel(k, b1 - b0, rows, out_block, ld_out, accumulate, [&](int n0, int columns, int k0, int k1, auto& tile) {
          with_columns(columns, [&](auto c) { tile_bf16<c.value>(panel, bf16_rows + n0 * ld_w, ld_w, k0, k1, tile); });
        });
        continue;
      }
#endif
      const float* panel = a.f32_panel(p);
      run_panel(k, b1 - b0, rows, out_block, ld_out, accumulate, [&](int n0, int columns, int k0, int k1, auto& tile) {
        with_columns(columns, [&](auto c) { tile_f32<c.value>(panel, block_rows + n0 * ld_w, ld_w, k0, k1, tile); });
      });
    }
  }
#else
  (void)a, (void)w, (void)n_begin, (void)n_end, (void)out, (void)ld_out, (void)accumulate;
#endif
}

}  // namespace t5
