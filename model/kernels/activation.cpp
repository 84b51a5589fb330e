#include "kernels/activation.h"

#include <cmath>

#include "kernels/vecmath.h"

namespace t5 {

namespace {

constexpr float kSqrt2OverPi = 0.7978845608028654f;

inline float activate_one(Activation act, float x) {
  switch (act) {
    case Activation::Relu:
      return x > 0.0f ? x : 0.0f;
    case Activation::GeluTanh:  // transformers' gelu_new
      return 0.5f * x * (1.0f + std::tanh(kSqrt2OverPi * (x + 0.044715f * x * x * x)));
    case Activation::GeluErf:
      return 0.5f * x * (1.0f + std::erf(x * 0.7071067811865476f));
    case Activation::Silu:
      return x / (1.0f + std::exp(-x));
  }
  return x;
}

#if defined(__AVX512F__)
inline __m512 gelu_tanh512(__m512 x) {
  __m512 x3 = _mm512_mul_ps(_mm512_mul_ps(x, x), x);
  __m512 inner = _mm512_mul_ps(_mm512_set1_ps(kSqrt2OverPi), _mm512_fmadd_ps(_mm512_set1_ps(0.044715f), x3, x));
  __m512 half_x = _mm512_mul_ps(_mm512_set1_ps(0.5f), x);
  return _mm512_mul_ps(half_x, _mm512_add_ps(_mm512_set1_ps(1.0f), tanh512(inner)));
}
#endif

}  // namespace

void activate(Activation act, const float* x, int n, float* out) {
  int i = 0;
#if defined(__AVX512F__)
  if (act == Activation::GeluTanh)
    for (; i + 16 <= n; i += 16) _mm512_storeu_ps(out + i, gelu_tanh512(_mm512_loadu_ps(x + i)));
#endif
  for (; i < n; ++i) out[i] = activate_one(act, x[i]);
}

void gated_activate(Activation act, const float* gate, const float* up, int n, float* out) {
  int i = 0;
#if defined(__AVX512F__)
  if (act == Activation::GeluTanh)
    for (; i + 16 <= n; i += 16)
      _mm512_storeu_ps(out + i, _mm512_mul_ps(gelu_tanh512(_mm512_loadu_ps(gate + i)), _mm512_loadu_ps(up + i)));
#endif
  for (; i < n; ++i) out[i] = activate_one(act, gate[i]) * up[i];
}

}  // namespace t5
