#pragma once

#include <vector>

namespace t5 {

// T5's relative-position bucket of (key position - query position), exactly as transformers computes it
// in float32: the encoder is bidirectional (half the buckets for keys after the query), the decoder
// causal (later keys fold to 0). Small distances get a bucket each; larger ones share logarithmic buckets
// up to max_distance, beyond which everything lands in the last bucket.
int relative_position_bucket(int relative_position, bool bidirectional, int num_buckets, int max_distance);

// The bias embedding of a stack ([num_buckets, heads]) with the bucket rule of that stack.
struct PositionBias {
  const float* embedding = nullptr;
  int heads = 0;
  int num_buckets = 0;
  int max_distance = 0;
  bool bidirectional = true;

  // Bias for every distance in [min_distance, max_distance_needed], laid out [heads][distances].
  // `center()` points at distance 0 of head 0, as DistanceBias wants.
  struct Table {
    std::vector<float> values;
    int min_distance = 0;
    int head_stride = 0;
    const float* center() const { return values.data() - min_distance; }
  };
  Table table(int min_distance, int max_distance_needed) const;

  // transformers' compute_bias: [heads, lq, lk] for queries at positions first_query..first_query+lq-1.
  void materialize(int first_query, int lq, int lk, float* out) const;
};

}  // namespace t5
