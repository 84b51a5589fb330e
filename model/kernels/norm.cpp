#include "kernels/norm.h"

#include <cmath>

#if defined(__AVX512F__)
#include "kernels/simd.h"
#endif

namespace t5 {

void rms_norm(const float* x, const float* weight, float eps, int cols, float* out) {
  float sum_sq;
  int c = 0;
#if defined(__AVX512F__)
  __m512 acc0 = _mm512_setzero_ps(), acc1 = _mm512_setzero_ps();
  for (; c + 32 <= cols; c += 32) {
    __m512 a = _mm512_loadu_ps(x + c), b = _mm512_loadu_ps(x + c + 16);
    acc0 = _mm512_fmadd_ps(a, a, acc0);
    acc1 = _mm512_fmadd_ps(b, b, acc1);
  }
  sum_sq = _mm512_reduce_add_ps(_mm512_add_ps(acc0, acc1));
#else
  sum_sq = 0.0f;
#endif
  for (; c < cols; ++c) sum_sq += x[c] * x[c];
  const float inv_rms = 1.0f / std::sqrt(sum_sq / static_cast<float>(cols) + eps);
  c = 0;
#if defined(__AVX512F__)
  const __m512 scale = _mm512_set1_ps(inv_rms);
  for (; c + 16 <= cols; c += 16)
    _mm512_storeu_ps(out + c, _mm512_mul_ps(_mm512_loadu_ps(weight + c), _mm512_mul_ps(_mm512_loadu_ps(x + c), scale)));
#endif
  for (; c < cols; ++c) out[c] = weight[c] * (x[c] * inv_rms);
}

void rms_norm_rows(const float* x, int ld_x, const float* weight, float eps, int rows, int cols, float* out,
                   int ld_out) {
  for (int r = 0; r < rows; ++r)
    rms_norm(x + static_cast<long>(r) * ld_x, weight, eps, cols, out + static_cast<long>(r) * ld_out);
}

}  // namespace t5
