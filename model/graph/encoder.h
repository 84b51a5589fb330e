#pragma once

#include <cstdint>
#include <vector>

#include "core/aligned_buffer.h"
#include "graph/exec.h"
#include "graph/model.h"

namespace t5 {

// Buffers reused from one request to the next.
struct EncoderWorkspace {
  AlignedBuffer<float> h, qkv, context, ffn_scratch, ffn, keys_transposed, probabilities, bias;
  AlignedBuffer<double> scores;
};

// The encoder stack over sequences packed back to back: `ids` and `hidden` ([sum(lengths), d_model], the
// final-norm output) hold every sequence's rows in turn. Products run over all rows at once; attention and
// the position bias stay inside each sequence. This is padding with an attention mask without the padding:
// no compute is spent on pad rows, and with our kernels a row's result does not depend on its neighbours.
void encode(Exec& exec, const Model& model, const int32_t* ids, const std::vector<int>& lengths, EncoderWorkspace& ws,
            float* hidden);

}  // namespace t5
