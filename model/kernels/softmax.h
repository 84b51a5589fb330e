#pragma once

namespace t5 {

// In-place softmax of one row, fp32: exp(x - max) / sum.
void softmax(float* x, int n);

// The largest value of x and its first index (greedy decoding's argmax).
int argmax(const float* x, int n);

}  // namespace t5
