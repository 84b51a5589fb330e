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
// 0.5 x (1 + tanh(y)) is exactly x / (1 + e^(-2y)): the same function without the cancellation of
// 1 + tanh(y) for negative y, where the tanh form loses most of its digits.
inline __m512 gelu_tanh512(__m512 x) {
  __m512 x3 = _mm512_mul_ps(_mm512_mul_ps(x, x), x);
  __m512 inner = _mm512_mul_ps(_mm512_set1_ps(kSqrt2OverPi), _mm512_fmadd_ps(_mm512_set1_ps(0.044715f), x3, x));
  __m512 e = exp512(_mm512_mul_ps(_mm512_set1_ps(-2.0f), inner));
  return _mm512_div_ps(x, _mm512_add_ps(_mm512_set1_ps(1.0f), e));
}
#endif

}  // namespace

// The tanh GELU runs vectorized to the last element (a masked tail), so an element's value does not depend
// on where a range starts: the fused epilogue and the separate pass agree bit for bit.
void activate(Activation act, const float* x, int n, float* out) {
#if defined(__AVX512F__)
  if (act == Activation::GeluTanh) {
    for (int i = 0; i < n; i += 16) {
      const __mmask16 mask = n - i >= 16 ? static_cast<__mmask16>(0xffff) : static_cast<__mmask16>((1u << (n - i)) - 1);
      _mm512_mask_storeu_ps(out + i, mask, gelu_tanh512(_mm512_maskz_loadu_ps(mask, x + i)));
    }
    return;
  }
#endif
  for (int i = 0; i < n; ++i) out[i] = activate_one(act, x[i]);
}

void gated_activate(Activation act, const float* gate, const float* up, int n, float* out) {
#if defined(__AVX512F__)
  if (act == Activation::GeluTanh) {
    for (int i = 0; i < n; i += 16) {
      const __mmask16 mask = n - i >= 16 ? static_cast<__mmask16>(0xffff) : static_cast<__mmask16>((1u << (n - i)) - 1);
      const __m512 g = gelu_tanh512(_mm512_maskz_loadu_ps(mask, gate + i));
      _mm512_mask_storeu_ps(out + i, mask, _mm512_mul_ps(g, _mm512_maskz_loadu_ps(mask, up + i)));
    }
    return;
  }
#endif
  for (int i = 0; i < n; ++i) out[i] = activate_one(act, gate[i]) * up[i];
}

}  // namespace t5
