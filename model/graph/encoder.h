#pragma once

#include <cstdint>

#include "core/aligned_buffer.h"
#include "graph/exec.h"
#include "graph/model.h"

namespace t5 {

// Buffers reused from one request to the next.
struct EncoderWorkspace {
  AlignedBuffer<float> h, qkv, context, ffn_scratch, ffn, keys_transposed, probabilities, bias;
  AlignedBuffer<double> scores;
};

// The encoder stack over one sequence: hidden ([length, d_model]) receives the final-norm output.
void encode(Exec& exec, const Model& model, const int32_t* ids, int length, EncoderWorkspace& ws, float* hidden);

// One self-attention of `length` rows from packed qkv ([length, 3 * inner]) into context ([length, inner]),
// materialized or fused per exec.switches. `bias_materialized` is [heads, length, length] (materialized
// path), `bias_table` the per-distance table (fused path).
void self_attention_block(Exec& exec, const T5Config& config, const float* qkv, int length,
                          const float* bias_materialized, const PositionBias::Table* bias_table, EncoderWorkspace& ws,
                          float* context);

}  // namespace t5
