#include "kernels/quantize.h"

#include <algorithm>
#include <cmath>

namespace t5 {

void quantize_int8_row(const float* row, int cols, int8_t* q, float* group_scales) {
  for (int g = 0; g < int8_groups(cols); ++g) {
    const int begin = g * kInt8Group, end = std::min(cols, begin + kInt8Group);
    float max_abs = 0.0f;
    for (int k = begin; k < end; ++k) max_abs = std::max(max_abs, std::fabs(row[k]));
    const float scale = max_abs > 0.0f ? max_abs / 127.0f : 1.0f;
    group_scales[g] = scale;
    for (int k = begin; k < end; ++k) q[k] = static_cast<int8_t>(std::clamp(std::nearbyint(row[k] / scale), -127.0f, 127.0f));
  }
}

}  // namespace t5
