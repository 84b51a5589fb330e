#pragma once

// The kernels of one instruction-set tier, declared in that tier's namespace. A tier's sources are built with
// its own compiler flags and T5_TIER naming its namespace (model/CMakeLists.txt). Everything they define lives
// in that namespace: an inline function or template instance shared with code built for another tier could
// be the copy the linker keeps, and run instructions the host lacks.

#ifndef T5_TIER
#error "tier_kernels.h belongs to the kernel tiers: build with -DT5_TIER=<namespace> -DT5_TIER_ENUM=<IsaTier>"
#endif

#include "kernels/dispatch.h"

namespace t5::T5_TIER {

void matvec_rows(const float* in, int ld_in, int m, const WeightMatrix& w, int row_begin, int row_end, float* out,
                 int ld_out, bool accumulate);
void matmul_blocked(const PackedActivations& a, const WeightMatrix& w, int n_begin, int n_end, float* out, int ld_out,
                    bool accumulate);
extern void (*const pack_bf16_pairs)(const float* in, int ld_in, int rows, int k, uint16_t* panel);
void pack_f32_panel(const float* in, int ld_in, int rows, int k, float* panel);
void attention_fused(const AttentionArgs& a, int head, int q_begin, int q_end, const float* k_transposed,
                     int lk_stride, const DistanceBias* bias);
void attention_decode(const float* q, const float* const* key_rows, const float* const* value_rows, int lk,
                      int head_begin, int head_end, int d_kv, const float* bias_row, int bias_stride, double* scores,
                      float* out);
void rms_norm(const float* x, const float* weight, float eps, int cols, float* out);
void softmax(float* x, int n);
float sum_exp(const float* x, int n, float max);
void gelu_tanh(const float* x, int n, float* out);
void gated_gelu_tanh(const float* gate, const float* up, int n, float* out);
int next_greater(const float* x, int begin, int n, float threshold);
float sum_floats(const float* data, size_t n);

extern const KernelTable kKernels;

}  // namespace t5::T5_TIER
