#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "kernels/attention.h"
#include "kernels/isa.h"
#include "kernels/weight_matrix.h"

namespace t5 {

class PackedActivations;

// The entry points every tier implements (model/kernels/tier_kernels.h declares them per tier). The public
// kernel functions (gemv.h, gemm_blocked.h, attention.h, ...) call through the active tier's table.
struct KernelTable {
  IsaTier tier;
  void (*matvec_rows)(const float* in, int ld_in, int m, const WeightMatrix& w, int row_begin, int row_end,
                      float* out, int ld_out, bool accumulate);
  void (*matmul_blocked)(const PackedActivations& a, const WeightMatrix& w, int n_begin, int n_end, float* out,
                         int ld_out, bool accumulate);
  // Panel rows [0, rows) of in[][k] as bf16 high parts and remainders, consecutive k paired
  // (PackedActivations' bf16 layout); null where the tier has no bf16 dot product.
  void (*pack_bf16_pairs)(const float* in, int ld_in, int rows, int k, uint16_t* panel);
  // Panel rows [0, rows) of in[][k], zero past them, transposed: panel[kk * 32 + r] = in[r][kk].
  void (*pack_f32_panel)(const float* in, int ld_in, int rows, int k, float* panel);
  void (*attention_fused)(const AttentionArgs& a, int head, int q_begin, int q_end, const float* k_transposed,
                          int lk_stride, const DistanceBias* bias);
  void (*attention_decode)(const float* q, const float* const* key_rows, const float* const* value_rows, int lk,
                           int head_begin, int head_end, int d_kv, const float* bias_row, int bias_stride,
                           double* scores, float* out);
  void (*rms_norm)(const float* x, const float* weight, float eps, int cols, float* out);
  void (*softmax)(float* x, int n);
  // sum of exp(x[i] - max) over i < n.
  float (*sum_exp)(const float* x, int n, float max);
  // The tanh GELU of x, and act(gate) * up; each element's value does not depend on n or on where it lies.
  void (*gelu_tanh)(const float* x, int n, float* out);
  void (*gated_gelu_tanh)(const float* gate, const float* up, int n, float* out);
  // The first i in [begin, n) with x[i] > threshold, or n.
  int (*next_greater)(const float* x, int begin, int n, float threshold);
  // The sum of data[0, n) through as many independent accumulators as the tier keeps loads in flight (the
  // read-bandwidth probe).
  float (*sum_floats)(const float* data, size_t n);
};

// The active tier's kernels: the best this CPU runs, or T5BENCH_ISA's on first use.
const KernelTable& kernels();
IsaTier active_isa_tier();

// Makes `tier` the active one (tests, and T5BENCH_ISA at start-up). Throws t5::Error naming what the CPU
// lacks when it cannot run `tier`. Only between forward passes: kernels read the table as they go.
void set_isa_tier(IsaTier tier);

// The tier T5BENCH_ISA asks for (the best this CPU runs when it is unset); throws t5::Error, "T5BENCH_ISA=...:
// ...", for an unknown name or a tier this CPU cannot run.
IsaTier isa_tier_from_environment();

// Every tier this CPU runs, lowest first.
const std::vector<IsaTier>& host_isa_tiers();

}  // namespace t5
