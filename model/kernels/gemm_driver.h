#pragma once

// Our GEMM's walk over weight blocks, activation panels and tiles, shared by every tier (tier_kernels.h
// explains why it lives in the tier's namespace). A tier supplies `Tile`:
//   static constexpr int kColumns;        // weight rows per tile (its registers hold 32 x kColumns sums)
//   static constexpr bool kBf16Pairs;     // whether it multiplies bf16 panels (PackedActivations::bf16_pairs)
//   template <int C> static void f32(const float* panel, const float* w, size_t ld_w, int k0, int k1, float (*tile)[32]);
//   template <int C> static void bf16(const uint16_t* panel, const uint16_t* w, size_t ld_w, int k0, int k1, float (*tile)[32]);
//                                        // (only where kBf16Pairs)
// A tile kernel sums k in [k0, k1) from zero for each of the 32 x C outputs, in k order, and stores the sums
// into tile[j][r] (k0 == 0) or adds them: blocked summation keeps the rounding error of long products
// (k = 2048) near that of pairwise sums instead of growing with k. A row's arithmetic does not depend on
// its panel, tile or thread.

#include <algorithm>
#include <cstddef>
#include <type_traits>

#include "kernels/gemm.h"
#include "kernels/gemm_blocked.h"
#include "kernels/tier_kernels.h"

namespace t5::T5_TIER {

inline constexpr int kPanelRows = PackedActivations::kPanelRows;
inline constexpr int kBf16Parts = PackedActivations::kBf16Parts;
// Weight rows whose tiles run over one activation panel before the next panel: their bytes stay in L2.
inline constexpr int kColumnBlockBytes = 256 << 10;
inline constexpr int kDepthBlock = 32;  // k per block sum (even, for bf16 pairs): short blocks keep sums near exact
inline constexpr int kTilesPerPass = 8;

// Eight source rows at a time down all the columns: eight sequential reads for the prefetchers, few enough
// that rows 2 KiB apart (which share L1 sets) stay cached. Row by row, every write went to another 128-byte
// row of a 64 KiB panel.
inline constexpr int kPackRows = 8;

// Columns [k0, k) of kPackRows source rows, `live` of them real and zero after, into the panel's rows
// [r0, r0 + kPackRows): panel[kk * 32 + r0 + r] = src[r][kk].
inline void pack_columns(const float* src, int ld_in, int live, int k0, int k, float* panel, int r0) {
  for (int kk = k0; kk < k; ++kk) {
    float* column = panel + static_cast<size_t>(kk) * kPanelRows + r0;
    for (int r = 0; r < live; ++r) column[r] = src[static_cast<size_t>(r) * ld_in + kk];
    for (int r = live; r < kPackRows; ++r) column[r] = 0.0f;
  }
}

// Calls fn(std::integral_constant<int, columns>{}) for columns in [1, C]: every tail width gets its own kernel.
template <int C, typename F>
void with_columns(int columns, F&& fn) {
  if constexpr (C > 1)
    if (columns < C) return with_columns<C - 1>(columns, fn);
  fn(std::integral_constant<int, C>{});
}

// Asks for the next depth block of a tile's weight rows while this one multiplies. A column block's first
// panel reads its weights from memory, each of a pass's tiles' rows a block at a time: more streams than the
// hardware prefetchers follow (fp32 encoder, AVX2 tier, two threads, Zen 5: small 40.3 ms against 42.8, base
// 168 against 179).
template <typename T>
inline void prefetch_next_depth_block(const T* rows, size_t ld, int columns, int k1) {
  constexpr int kLineBytes = 64;
  constexpr int kBlockBytes = kDepthBlock * static_cast<int>(sizeof(T));
  for (int j = 0; j < columns; ++j)
    for (int offset = 0; offset < kBlockBytes; offset += kLineBytes)
      __builtin_prefetch(reinterpret_cast<const char*>(rows + j * ld + k1) + offset);
}

// Writes (or adds) a finished tile: tile[j][r] is out[r][j].
template <int kColumns>
void store_tile(const float (&tile)[kColumns][kPanelRows], int rows, int columns, float* out, int ld_out,
                bool accumulate) {
  for (int r = 0; r < rows; ++r) {
    float* row = out + static_cast<size_t>(r) * ld_out;
    for (int j = 0; j < columns; ++j) row[j] = accumulate ? row[j] + tile[j][r] : tile[j][r];
  }
}

// Weight rows [0, n) of a column block against one panel, a group of tiles at a time with k in blocks, so
// every tile of the group reuses the panel's slice from L1. tile_kernel(n0, columns, k0, k1, tile).
template <int kColumns, typename TileKernel>
void run_panel(int k, int n, int rows, float* out, int ld_out, bool accumulate, const TileKernel& tile_kernel) {
  alignas(64) float tiles[kTilesPerPass][kColumns][kPanelRows];
  for (int t0 = 0; t0 < n; t0 += kTilesPerPass * kColumns) {
    const int t1 = std::min(n, t0 + kTilesPerPass * kColumns);
    for (int k0 = 0; k0 < k; k0 += kDepthBlock)
      for (int n0 = t0, t = 0; n0 < t1; n0 += kColumns, ++t)
        tile_kernel(n0, std::min(kColumns, t1 - n0), k0, std::min(k, k0 + kDepthBlock), tiles[t]);
    for (int n0 = t0, t = 0; n0 < t1; n0 += kColumns, ++t)
      store_tile<kColumns>(tiles[t], rows, std::min(kColumns, t1 - n0), out + n0, ld_out, accumulate);
  }
}

template <typename Tile>
void matmul_blocked_with(const PackedActivations& a, const WeightMatrix& w, int n_begin, int n_end, float* out,
                         int ld_out, bool accumulate) {
  constexpr int kColumns = Tile::kColumns;
  const int k = a.depth();
  const size_t ld_w = static_cast<size_t>(k);
  const int block =
      std::max(kColumns, kColumnBlockBytes / static_cast<int>(k * w.element_bytes()) / kColumns * kColumns);
  for (int b0 = n_begin; b0 < n_end; b0 += block) {
    const int b1 = std::min(n_end, b0 + block);
    // Row b0 of the weights as the panels multiply them: fp32 where they lie, widened into scratch (int8,
    // and bf16 without bf16 panels), or bf16 pairs.
    const float* f32_rows = nullptr;
    if (w.type == WeightType::F32)
      f32_rows = w.f32() + static_cast<size_t>(b0) * k;
    else if (!a.bf16_pairs())
      f32_rows = widened_rows(w, b0, b1 - b0);
    for (int p = 0; p < a.panels(); ++p) {
      const int rows = std::min(kPanelRows, a.rows() - p * kPanelRows);
      float* out_block = out + static_cast<size_t>(p) * kPanelRows * ld_out + b0;
      if constexpr (Tile::kBf16Pairs) {
        if (a.bf16_pairs()) {
          const uint16_t* bf16_rows = static_cast<const uint16_t*>(w.data) + static_cast<size_t>(b0) * k;
          const uint16_t* panel = a.bf16_panel(p);
          run_panel<kColumns>(k, b1 - b0, rows, out_block, ld_out, accumulate,
                              [&](int n0, int columns, int k0, int k1, float (*tile)[kPanelRows]) {
                                prefetch_next_depth_block(bf16_rows + n0 * ld_w, ld_w, columns, k1);
                                with_columns<kColumns>(columns, [&](auto c) {
                                  Tile::template bf16<c.value>(panel, bf16_rows + n0 * ld_w, ld_w, k0, k1, tile);
                                });
                              });
          continue;
        }
      }
      const float* panel = a.f32_panel(p);
      run_panel<kColumns>(k, b1 - b0, rows, out_block, ld_out, accumulate,
                          [&](int n0, int columns, int k0, int k1, float (*tile)[kPanelRows]) {
                            prefetch_next_depth_block(f32_rows + n0 * ld_w, ld_w, columns, k1);
                            with_columns<kColumns>(columns, [&](auto c) {
                              Tile::template f32<c.value>(panel, f32_rows + n0 * ld_w, ld_w, k0, k1, tile);
                            });
                          });
    }
  }
}

}  // namespace t5::T5_TIER
