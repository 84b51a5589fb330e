#pragma once

#include <cstdint>

#include "kernels/weight_matrix.h"

namespace t5 {

// Symmetric int8 of one weight row, a scale per group of kInt8Group values: q = clamp(round(v / scale), ±127),
// scale = the one of max |v| / 127 × (1, 0.99, ..., 0.80) with the least squared error over the group.
// `group_scales` receives int8_groups(cols) scales.
void quantize_int8_row(const float* row, int cols, int8_t* q, float* group_scales);

}  // namespace t5
