// Row-wise kernels, AVX2: RMS norm, softmax, the tanh GELU, the beam search's scans, the read probe.
#include <cmath>

#include "kernels/elementwise_common.h"
#include "kernels/x86/avx2/vecmath.h"

namespace t5::T5_TIER {

namespace {

// x / (1 + e^(-2y)), as the AVX-512 tier computes it (see there).
inline __m256 gelu_tanh256(__m256 x) {
  const __m256 x3 = _mm256_mul_ps(_mm256_mul_ps(x, x), x);
  const __m256 inner = _mm256_mul_ps(_mm256_set1_ps(kSqrt2OverPi), _mm256_fmadd_ps(_mm256_set1_ps(kGeluCubic), x3, x));
  const __m256 e = exp256(_mm256_mul_ps(_mm256_set1_ps(-2.0f), inner));
  return _mm256_div_ps(x, _mm256_add_ps(_mm256_set1_ps(1.0f), e));
}

}  // namespace

void rms_norm(const float* x, const float* weight, float eps, int cols, float* out) {
  __m256 acc[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()};
  int c = 0;
  for (; c + 32 <= cols; c += 32)
    for (int i = 0; i < 4; ++i) {
      const __m256 v = _mm256_loadu_ps(x + c + 8 * i);
      acc[i] = _mm256_fmadd_ps(v, v, acc[i]);
    }
  float sum_sq = horizontal_sum(_mm256_add_ps(_mm256_add_ps(acc[0], acc[1]), _mm256_add_ps(acc[2], acc[3])));
  for (; c < cols; ++c) sum_sq += x[c] * x[c];
  const float inv_rms = 1.0f / std::sqrt(sum_sq / static_cast<float>(cols) + eps);
  const __m256 scale = _mm256_set1_ps(inv_rms);
  for (c = 0; c + 8 <= cols; c += 8)
    _mm256_storeu_ps(out + c, _mm256_mul_ps(_mm256_loadu_ps(weight + c), _mm256_mul_ps(_mm256_loadu_ps(x + c), scale)));
  for (; c < cols; ++c) out[c] = weight[c] * (x[c] * inv_rms);
}

float sum_exp(const float* x, int n, float max) {
  const __m256 vmax = _mm256_set1_ps(max);
  __m256 vsum = _mm256_setzero_ps();
  int i = 0;
  for (; i + 8 <= n; i += 8) vsum = _mm256_add_ps(vsum, exp256(_mm256_sub_ps(_mm256_loadu_ps(x + i), vmax)));
  float sum = horizontal_sum(vsum);
  for (; i < n; ++i) sum += std::exp(x[i] - max);
  return sum;
}

void softmax(float* x, int n) {
  const float max = row_max(x, n);
  const __m256 vmax = _mm256_set1_ps(max);
  __m256 vsum = _mm256_setzero_ps();
  int i = 0;
  for (; i + 8 <= n; i += 8) {
    const __m256 e = exp256(_mm256_sub_ps(_mm256_loadu_ps(x + i), vmax));
    _mm256_storeu_ps(x + i, e);
    vsum = _mm256_add_ps(vsum, e);
  }
  float sum = horizontal_sum(vsum);
  for (; i < n; ++i) sum += (x[i] = std::exp(x[i] - max));
  scale_row(x, n, 1.0f / sum);
}

// Vectorized to the last element (a masked tail), so an element's value does not depend on where a range
// starts: the fused epilogue and the separate pass agree bit for bit.
void gelu_tanh(const float* x, int n, float* out) {
  for (int i = 0; i < n; i += 8) {
    const __m256i lanes = first_lanes(n - i);
    _mm256_maskstore_ps(out + i, lanes, gelu_tanh256(_mm256_maskload_ps(x + i, lanes)));
  }
}

void gated_gelu_tanh(const float* gate, const float* up, int n, float* out) {
  for (int i = 0; i < n; i += 8) {
    const __m256i lanes = first_lanes(n - i);
    const __m256 g = gelu_tanh256(_mm256_maskload_ps(gate + i, lanes));
    _mm256_maskstore_ps(out + i, lanes, _mm256_mul_ps(g, _mm256_maskload_ps(up + i, lanes)));
  }
}

// One compare per eight values against the threshold.
int next_greater(const float* x, int begin, int n, float threshold) {
  const __m256 t = _mm256_set1_ps(threshold);
  int i = begin;
  for (; i + 8 <= n; i += 8) {
    const int larger = _mm256_movemask_ps(_mm256_cmp_ps(_mm256_loadu_ps(x + i), t, _CMP_GT_OQ));
    if (larger) return i + __builtin_ctz(larger);
  }
  for (; i < n; ++i)
    if (x[i] > threshold) return i;
  return n;
}

// Eight independent accumulators: enough loads in flight to reach DRAM's rate (one add chain gets a third).
float sum_floats(const float* data, size_t n) {
  __m256 acc[8];
  for (__m256& a : acc) a = _mm256_setzero_ps();
  size_t i = 0;
  for (; i + 64 <= n; i += 64)
    for (int j = 0; j < 8; ++j) acc[j] = _mm256_add_ps(acc[j], _mm256_loadu_ps(data + i + 8 * j));
  for (int j = 1; j < 8; ++j) acc[0] = _mm256_add_ps(acc[0], acc[j]);
  float sum = horizontal_sum(acc[0]);
  for (; i < n; ++i) sum += data[i];
  return sum;
}

}  // namespace t5::T5_TIER
