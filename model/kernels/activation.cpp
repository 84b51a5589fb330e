#include "kernels/activation.h"

#include <cmath>

#include "kernels/dispatch.h"

namespace t5 {

namespace {

inline float activate_one(Activation act, float x) {
  switch (act) {
    case Activation::Relu:
      return x > 0.0f ? x : 0.0f;
    case Activation::GeluErf:
      return 0.5f * x * (1.0f + std::erf(x * 0.7071067811865476f));
    case Activation::Silu:
      return x / (1.0f + std::exp(-x));
    case Activation::GeluTanh:  // the tier's kernel (gelu_new)
      break;
  }
  return x;
}

}  // namespace

// The tanh GELU (transformers' gelu_new, T5 v1.1's) is the active tier's kernel: an element's value does not
// depend on where a range starts, so the fused epilogue and the separate pass agree bit for bit.
void activate(Activation act, const float* x, int n, float* out) {
  if (act == Activation::GeluTanh) return kernels().gelu_tanh(x, n, out);
  for (int i = 0; i < n; ++i) out[i] = activate_one(act, x[i]);
}

void gated_activate(Activation act, const float* gate, const float* up, int n, float* out) {
  if (act == Activation::GeluTanh) return kernels().gated_gelu_tanh(gate, up, n, out);
  for (int i = 0; i < n; ++i) out[i] = activate_one(act, gate[i]) * up[i];
}

}  // namespace t5
