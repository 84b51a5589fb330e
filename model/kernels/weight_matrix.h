#pragma once

#include <cstddef>
#include <cstdint>

namespace t5 {

enum class WeightType { F32, BF16, I8 };

// Symmetric int8 weights have one fp32 scale per group of this many consecutive values of a row: a row's
// outliers then coarsen only their own group (per-row scales lost 5-30% of long greedy outputs here).
inline constexpr int kInt8Group = 32;

inline int int8_groups(int cols) { return (cols + kInt8Group - 1) / kInt8Group; }

// A weight matrix in HuggingFace Linear layout: [rows = out features, cols = in features], row-major.
// I8 weights carry scales [rows][int8_groups(cols)]: value = q * scale of its group. Non-owning.
struct WeightMatrix {
  WeightType type = WeightType::F32;
  int rows = 0;
  int cols = 0;
  const void* data = nullptr;
  const float* scales = nullptr;

  size_t element_bytes() const { return type == WeightType::F32 ? 4 : type == WeightType::BF16 ? 2 : 1; }
  size_t bytes() const {
    return static_cast<size_t>(rows) * cols * element_bytes() +
           (scales ? static_cast<size_t>(rows) * int8_groups(cols) * sizeof(float) : 0u);
  }

  // Rows [begin, begin + count): still one contiguous matrix.
  WeightMatrix row_slice(int begin, int count) const {
    WeightMatrix s = *this;
    s.rows = count;
    s.data = static_cast<const uint8_t*>(data) + static_cast<size_t>(begin) * cols * element_bytes();
    if (scales) s.scales = scales + static_cast<size_t>(begin) * int8_groups(cols);
    return s;
  }
  const float* f32() const { return static_cast<const float*>(data); }
};

}  // namespace t5
