#include "kernels/quantize.h"

#include <algorithm>
#include <cmath>

namespace t5 {

namespace {

// Candidate scales shrink the max-abs scale in steps of 1 % down to 80 %: clipping the group's largest value
// a little buys a finer step for all the others (the search llama.cpp's quantizers make).
constexpr int kScaleCandidates = 21;
constexpr float kScaleShrinkStep = 0.01f;

float quantize_value(float value, float scale) { return std::clamp(std::nearbyint(value / scale), -127.0f, 127.0f); }

float squared_error(const float* values, int count, float scale) {
  float error = 0.0f;
  for (int k = 0; k < count; ++k) {
    const float difference = values[k] - scale * quantize_value(values[k], scale);
    error += difference * difference;
  }
  return error;
}

}  // namespace

void quantize_int8_row(const float* row, int cols, int8_t* q, float* group_scales) {
  for (int g = 0; g < int8_groups(cols); ++g) {
    const int begin = g * kInt8Group, count = std::min(cols, begin + kInt8Group) - begin;
    const float* values = row + begin;
    float max_abs = 0.0f;
    for (int k = 0; k < count; ++k) max_abs = std::max(max_abs, std::fabs(values[k]));
    float scale = 1.0f;
    if (max_abs > 0.0f) {
      const float max_abs_scale = max_abs / 127.0f;
      float best_error = squared_error(values, count, max_abs_scale);
      scale = max_abs_scale;
      for (int step = 1; step < kScaleCandidates; ++step) {
        const float candidate = max_abs_scale * (1.0f - kScaleShrinkStep * static_cast<float>(step));
        const float error = squared_error(values, count, candidate);
        if (error < best_error) {
          best_error = error;
          scale = candidate;
        }
      }
    }
    group_scales[g] = scale;
    for (int k = 0; k < count; ++k) q[begin + k] = static_cast<int8_t>(quantize_value(values[k], scale));
  }
}

}  // namespace t5
