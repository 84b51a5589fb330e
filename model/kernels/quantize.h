#pragma once

#include <cstdint>

#include "kernels/weight_matrix.h"

namespace t5 {

// Symmetric int8 of one weight row, a scale per group of kInt8Group values: q = round(v / scale),
// scale = max |v| of the group / 127. `group_scales` receives int8_groups(cols) scales.
void quantize_int8_row(const float* row, int cols, int8_t* q, float* group_scales);

}  // namespace t5
