#pragma once

#include <cstdint>
#include <vector>

#include "core/aligned_buffer.h"
#include "graph/exec.h"
#include "graph/kv_cache.h"
#include "graph/model.h"

namespace t5 {

// An encoder output the decoder attends to.
struct EncodedSequence {
  const float* hidden = nullptr;  // [length, d_model]
  int length = 0;
};

// Everything a request keeps between decode steps. Rows are the sequences being decoded (batch rows or
// beams); several rows may attend to one encoded sequence (the beams of one prompt).
struct DecoderState {
  int rows = 0;
  int position = 0;  // tokens every row has consumed so far
  std::vector<int> sequence_of_row;
  std::vector<EncodedSequence> sequences;
  std::vector<size_t> sequence_offsets;        // first row of each sequence in cross_kv
  SelfAttentionCache self_cache;
  std::vector<AlignedBuffer<float>> cross_kv;  // per layer: [rows of all sequences, 2 * inner], K then V
  PositionBias::Table self_bias;               // fused attention: distances [-(capacity - 1), 0]
  AlignedBuffer<float> step_bias;              // materialized attention: [heads, position + 1] of this step
  AlignedBuffer<float> x, h, qkv, context, ffn_scratch, ffn;
};

// Prepares `state` for decoding up to `capacity` tokens per row: the self-attention cache and, with
// preallocated_kv, every layer's cross-attention K/V (computed once here instead of at every step).
void start_decoding(Exec& exec, const Model& model, DecoderState& state, std::vector<EncodedSequence> sequences,
                    std::vector<int> sequence_of_row, int capacity);

// One step for `count` rows (`rows[i]` fed `tokens[i]`, all at state.position): writes logits [count, vocab]
// and advances the position. Rows left out (finished ones) cost nothing.
void decode_step(Exec& exec, const Model& model, DecoderState& state, const int32_t* tokens, const int* rows,
                 int count, float* logits);

}  // namespace t5
