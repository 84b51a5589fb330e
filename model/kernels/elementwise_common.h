#pragma once

// Scalar pieces the row-wise kernels of every tier share (tier_kernels.h explains why they live in the tier's
// namespace).

#include <cmath>
#include <limits>

#include "kernels/tier_kernels.h"

namespace t5::T5_TIER {

inline constexpr float kSqrt2OverPi = 0.7978845608028654f;
inline constexpr float kGeluCubic = 0.044715f;

inline float row_max(const float* x, int n) {
  float max = -std::numeric_limits<float>::infinity();
  for (int i = 0; i < n; ++i) max = x[i] > max ? x[i] : max;
  return max;
}

inline void scale_row(float* x, int n, float factor) {
  for (int i = 0; i < n; ++i) x[i] *= factor;
}

}  // namespace t5::T5_TIER
