#pragma once

namespace t5 {

// T5's RMS norm (no mean, no bias): out = weight * x / sqrt(mean(x^2) + eps), accumulated in fp32.
// `out` may alias `x`.
void rms_norm(const float* x, const float* weight, float eps, int cols, float* out);
void rms_norm_rows(const float* x, int ld_x, const float* weight, float eps, int rows, int cols, float* out,
                   int ld_out);

}  // namespace t5
