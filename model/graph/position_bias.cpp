#include "graph/position_bias.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace t5 {

int relative_position_bucket(int relative_position, bool bidirectional, int num_buckets, int max_distance) {
  int bucket = 0;
  int n = relative_position;
  if (bidirectional) {
    num_buckets /= 2;
    if (n > 0) bucket += num_buckets;
    n = std::abs(n);
  } else {
    n = -std::min(n, 0);
  }
  const int max_exact = num_buckets / 2;
  if (n < max_exact) return bucket + n;
  // float32 throughout, with the divisor log(max_distance / max_exact) rounded to float as torch does.
  const float divisor = static_cast<float>(std::log(static_cast<double>(max_distance) / max_exact));
  const float scaled = std::log(static_cast<float>(n) / static_cast<float>(max_exact)) / divisor *
                       static_cast<float>(num_buckets - max_exact);
  const int large = max_exact + static_cast<int>(scaled);
  return bucket + std::min(large, num_buckets - 1);
}

PositionBias::Table PositionBias::table(int min_distance, int max_distance_needed) const {
  Table t;
  t.min_distance = min_distance;
  t.head_stride = max_distance_needed - min_distance + 1;
  t.values.resize(static_cast<size_t>(heads) * t.head_stride);
  for (int d = min_distance; d <= max_distance_needed; ++d) {
    const int bucket = relative_position_bucket(d, bidirectional, num_buckets, max_distance);
    for (int h = 0; h < heads; ++h)
      t.values[static_cast<size_t>(h) * t.head_stride + (d - min_distance)] = embedding[bucket * heads + h];
  }
  return t;
}

void PositionBias::materialize(int first_query, int lq, int lk, float* out) const {
  for (int i = 0; i < lq; ++i)
    for (int j = 0; j < lk; ++j) {
      const int bucket = relative_position_bucket(j - (first_query + i), bidirectional, num_buckets, max_distance);
      for (int h = 0; h < heads; ++h)
        out[(static_cast<size_t>(h) * lq + i) * lk + j] = embedding[bucket * heads + h];
    }
}

}  // namespace t5
