// Row-wise kernels, AVX-512: RMS norm, softmax, the tanh GELU, the beam search's scans, the read probe.
#include <cmath>

#include "kernels/elementwise_common.h"
#include "kernels/x86/avx512/vecmath.h"

namespace t5::T5_TIER {

namespace {

// 0.5 x (1 + tanh(y)) is exactly x / (1 + e^(-2y)): the same function without the cancellation of
// 1 + tanh(y) for negative y, where the tanh form loses most of its digits.
inline __m512 gelu_tanh512(__m512 x) {
  __m512 x3 = _mm512_mul_ps(_mm512_mul_ps(x, x), x);
  __m512 inner = _mm512_mul_ps(_mm512_set1_ps(kSqrt2OverPi), _mm512_fmadd_ps(_mm512_set1_ps(kGeluCubic), x3, x));
  __m512 e = exp512(_mm512_mul_ps(_mm512_set1_ps(-2.0f), inner));
  return _mm512_div_ps(x, _mm512_add_ps(_mm512_set1_ps(1.0f), e));
}

inline __mmask16 first_lanes(int n) { return n >= 16 ? static_cast<__mmask16>(0xffff) : static_cast<__mmask16>((1u << n) - 1); }

}  // namespace

void rms_norm(const float* x, const float* weight, float eps, int cols, float* out) {
  __m512 acc0 = _mm512_setzero_ps(), acc1 = _mm512_setzero_ps();
  int c = 0;
  for (; c + 32 <= cols; c += 32) {
    __m512 a = _mm512_loadu_ps(x + c), b = _mm512_loadu_ps(x + c + 16);
    acc0 = _mm512_fmadd_ps(a, a, acc0);
    acc1 = _mm512_fmadd_ps(b, b, acc1);
  }
  float sum_sq = _mm512_reduce_add_ps(_mm512_add_ps(acc0, acc1));
  for (; c < cols; ++c) sum_sq += x[c] * x[c];
  const float inv_rms = 1.0f / std::sqrt(sum_sq / static_cast<float>(cols) + eps);
  const __m512 scale = _mm512_set1_ps(inv_rms);
  for (c = 0; c + 16 <= cols; c += 16)
    _mm512_storeu_ps(out + c, _mm512_mul_ps(_mm512_loadu_ps(weight + c), _mm512_mul_ps(_mm512_loadu_ps(x + c), scale)));
  for (; c < cols; ++c) out[c] = weight[c] * (x[c] * inv_rms);
}

float sum_exp(const float* x, int n, float max) {
  const __m512 vmax = _mm512_set1_ps(max);
  __m512 vsum = _mm512_setzero_ps();
  int i = 0;
  for (; i + 16 <= n; i += 16) vsum = _mm512_add_ps(vsum, exp512(_mm512_sub_ps(_mm512_loadu_ps(x + i), vmax)));
  float sum = _mm512_reduce_add_ps(vsum);
  for (; i < n; ++i) sum += std::exp(x[i] - max);
  return sum;
}

void softmax(float* x, int n) {
  const float max = row_max(x, n);
  const __m512 vmax = _mm512_set1_ps(max);
  __m512 vsum = _mm512_setzero_ps();
  int i = 0;
  for (; i + 16 <= n; i += 16) {
    __m512 e = exp512(_mm512_sub_ps(_mm512_loadu_ps(x + i), vmax));
    _mm512_storeu_ps(x + i, e);
    vsum = _mm512_add_ps(vsum, e);
  }
  float sum = _mm512_reduce_add_ps(vsum);
  for (; i < n; ++i) sum += (x[i] = std::exp(x[i] - max));
  scale_row(x, n, 1.0f / sum);
}

// Vectorized to the last element (a masked tail), so an element's value does not depend on where a range
// starts: the fused epilogue and the separate pass agree bit for bit.
void gelu_tanh(const float* x, int n, float* out) {
  for (int i = 0; i < n; i += 16) {
    const __mmask16 mask = first_lanes(n - i);
    _mm512_mask_storeu_ps(out + i, mask, gelu_tanh512(_mm512_maskz_loadu_ps(mask, x + i)));
  }
}

void gated_gelu_tanh(const float* gate, const float* up, int n, float* out) {
  for (int i = 0; i < n; i += 16) {
    const __mmask16 mask = first_lanes(n - i);
    const __m512 g = gelu_tanh512(_mm512_maskz_loadu_ps(mask, gate + i));
    _mm512_mask_storeu_ps(out + i, mask, _mm512_mul_ps(g, _mm512_maskz_loadu_ps(mask, up + i)));
  }
}

// One compare per 16 values against the threshold.
int next_greater(const float* x, int begin, int n, float threshold) {
  const __m512 t = _mm512_set1_ps(threshold);
  int i = begin;
  for (; i + 16 <= n; i += 16) {
    const __mmask16 larger = _mm512_cmp_ps_mask(_mm512_loadu_ps(x + i), t, _CMP_GT_OQ);
    if (larger) return i + __builtin_ctz(larger);
  }
  for (; i < n; ++i)
    if (x[i] > threshold) return i;
  return n;
}

float sum_floats(const float* data, size_t n) {
  __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
  size_t i = 0;
  for (; i + 64 <= n; i += 64) {
    a0 = _mm512_add_ps(a0, _mm512_loadu_ps(data + i));
    a1 = _mm512_add_ps(a1, _mm512_loadu_ps(data + i + 16));
    a2 = _mm512_add_ps(a2, _mm512_loadu_ps(data + i + 32));
    a3 = _mm512_add_ps(a3, _mm512_loadu_ps(data + i + 48));
  }
  float sum = _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3)));
  for (; i < n; ++i) sum += data[i];
  return sum;
}

}  // namespace t5::T5_TIER
