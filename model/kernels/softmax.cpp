#include "kernels/softmax.h"

#include "kernels/dispatch.h"

namespace t5 {

void softmax(float* x, int n) { kernels().softmax(x, n); }

int argmax(const float* x, int n) {
  int best = 0;
  for (int i = 1; i < n; ++i)
    if (x[i] > x[best]) best = i;
  return best;
}

}  // namespace t5
