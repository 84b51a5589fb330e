#pragma once

// Vectorized exp for the AVX-512 kernels, and the float <-> double moves of their double-precision scores.
// exp is accurate to about 2 ulp over the float range and gives exactly 0 below -104 (so -inf scores vanish
// from a softmax).

#include "kernels/simd.h"

namespace t5::T5_TIER {

inline __m512 exp512(__m512 x) {
  const __m512 log2e = _mm512_set1_ps(1.44269504088896341f);
  const __m512 ln2_hi = _mm512_set1_ps(0.693359375f);
  const __m512 ln2_lo = _mm512_set1_ps(-2.12194440e-4f);
  x = _mm512_max_ps(_mm512_min_ps(x, _mm512_set1_ps(88.7f)), _mm512_set1_ps(-104.0f));
  __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(x, log2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m512 r = _mm512_fnmadd_ps(n, ln2_hi, x);
  r = _mm512_fnmadd_ps(n, ln2_lo, r);
  // e^r on [-ln2/2, ln2/2]: Cephes expf polynomial
  __m512 p = _mm512_set1_ps(1.9875691500e-4f);
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.3981999507e-3f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(8.3334519073e-3f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(4.1665795894e-2f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.6666665459e-1f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(5.0000001201e-1f));
  __m512 r2 = _mm512_mul_ps(r, r);
  p = _mm512_fmadd_ps(p, r2, _mm512_add_ps(r, _mm512_set1_ps(1.0f)));
  return _mm512_scalef_ps(p, n);
}

// Scores are double and probabilities fp32: 16 floats widen to two halves of eight doubles, and 16 scores'
// distances from their max narrow back to 16 floats.
inline __m512d widen_low(__m512 v) { return _mm512_cvtps_pd(_mm512_castps512_ps256(v)); }
inline __m512d widen_high(__m512 v) {
  return _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1)));
}
inline __m512 narrow_shifted(__m512d low, __m512d high, __m512d shift) {
  const __m256 low_ps = _mm512_cvtpd_ps(_mm512_sub_pd(low, shift));
  const __m256 high_ps = _mm512_cvtpd_ps(_mm512_sub_pd(high, shift));
  const __m512d low_half = _mm512_castps_pd(_mm512_castps256_ps512(low_ps));
  return _mm512_castpd_ps(_mm512_insertf64x4(low_half, _mm256_castps_pd(high_ps), 1));
}

}  // namespace t5::T5_TIER
