// The table of one tier's kernels, built once per tier (see tier_kernels.h); T5_TIER_ENUM is its IsaTier.
#include "kernels/tier_kernels.h"

namespace t5::T5_TIER {

const KernelTable kKernels = {IsaTier::T5_TIER_ENUM, matvec_rows,    matmul_blocked,  pack_bf16_pairs,
                              pack_f32_panel,         attention_fused, attention_decode, rms_norm,
                              softmax,                sum_exp,        gelu_tanh,       gated_gelu_tanh,
                              next_greater,           sum_floats};

}  // namespace t5::T5_TIER
