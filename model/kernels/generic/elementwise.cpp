// Row-wise kernels in portable C++; sums over a row keep eight partial sums.
#include <cmath>

#include "kernels/elementwise_common.h"

namespace t5::T5_TIER {

namespace {

constexpr int kLanes = 8;

template <typename T>
T add_lanes(const T (&lanes)[kLanes]) {
  return ((lanes[0] + lanes[4]) + (lanes[2] + lanes[6])) + ((lanes[1] + lanes[5]) + (lanes[3] + lanes[7]));
}

// x / (1 + e^(-2y)), as the vector tiers compute it.
inline float gelu_tanh_one(float x) {
  const float inner = kSqrt2OverPi * (x + kGeluCubic * (x * x * x));
  return x / (1.0f + std::exp(-2.0f * inner));
}

}  // namespace

void rms_norm(const float* x, const float* weight, float eps, int cols, float* out) {
  float lanes[kLanes] = {};
  for (int c = 0; c < cols; ++c) lanes[c % kLanes] += x[c] * x[c];
  const float inv_rms = 1.0f / std::sqrt(add_lanes(lanes) / static_cast<float>(cols) + eps);
  for (int c = 0; c < cols; ++c) out[c] = weight[c] * (x[c] * inv_rms);
}

float sum_exp(const float* x, int n, float max) {
  float lanes[kLanes] = {};
  for (int i = 0; i < n; ++i) lanes[i % kLanes] += std::exp(x[i] - max);
  return add_lanes(lanes);
}

void softmax(float* x, int n) {
  const float max = row_max(x, n);
  float lanes[kLanes] = {};
  for (int i = 0; i < n; ++i) lanes[i % kLanes] += (x[i] = std::exp(x[i] - max));
  scale_row(x, n, 1.0f / add_lanes(lanes));
}

void gelu_tanh(const float* x, int n, float* out) {
  for (int i = 0; i < n; ++i) out[i] = gelu_tanh_one(x[i]);
}

void gated_gelu_tanh(const float* gate, const float* up, int n, float* out) {
  for (int i = 0; i < n; ++i) out[i] = gelu_tanh_one(gate[i]) * up[i];
}

int next_greater(const float* x, int begin, int n, float threshold) {
  for (int i = begin; i < n; ++i)
    if (x[i] > threshold) return i;
  return n;
}

float sum_floats(const float* data, size_t n) {
  float lanes[kLanes] = {};
  size_t i = 0;
  for (; i + kLanes <= n; i += kLanes)
    for (int l = 0; l < kLanes; ++l) lanes[l] += data[i + l];
  for (; i < n; ++i) lanes[0] += data[i];
  return add_lanes(lanes);
}

}  // namespace t5::T5_TIER
