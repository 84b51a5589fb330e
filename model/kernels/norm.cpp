#include "kernels/norm.h"

#include "kernels/dispatch.h"

namespace t5 {

void rms_norm(const float* x, const float* weight, float eps, int cols, float* out) {
  kernels().rms_norm(x, weight, eps, cols, out);
}

void rms_norm_rows(const float* x, int ld_x, const float* weight, float eps, int rows, int cols, float* out,
                   int ld_out) {
  const KernelTable& k = kernels();
  for (int r = 0; r < rows; ++r)
    k.rms_norm(x + static_cast<long>(r) * ld_x, weight, eps, cols, out + static_cast<long>(r) * ld_out);
}

}  // namespace t5
