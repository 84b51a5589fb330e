#include "kernels/quantize.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace {

float group_squared_error(const std::vector<float>& row, const std::vector<int8_t>& q, float scale) {
  float error = 0.0f;
  for (size_t k = 0; k < row.size(); ++k) error += std::pow(row[k] - scale * q[k], 2.0f);
  return error;
}

TEST(QuantizeInt8, ValuesOnTheMaxAbsGridComeBackExactly) {
  std::vector<float> row(t5::kInt8Group);
  for (int k = 0; k < t5::kInt8Group; ++k) row[k] = static_cast<float>(8 * k - 127) / 127.0f;  // -1 ... 121/127
  std::vector<int8_t> q(row.size());
  float scale = 0.0f;
  t5::quantize_int8_row(row.data(), t5::kInt8Group, q.data(), &scale);
  EXPECT_FLOAT_EQ(scale, 1.0f / 127.0f);
  for (int k = 0; k < t5::kInt8Group; ++k) EXPECT_EQ(q[k], 8 * k - 127) << "k=" << k;
}

TEST(QuantizeInt8, ClipsAnOutlierWhenThatLowersTheGroupError) {
  // 31 values of 0.5 fall halfway between steps of the max-abs scale 1/127 (63.5 steps); a slightly smaller
  // scale puts them near a step and clips the single 1.0 to 127 steps.
  std::vector<float> row(t5::kInt8Group, 0.5f);
  row[0] = 1.0f;
  std::vector<int8_t> q(row.size());
  float scale = 0.0f;
  t5::quantize_int8_row(row.data(), t5::kInt8Group, q.data(), &scale);
  EXPECT_LT(scale, 1.0f / 127.0f);
  EXPECT_GE(scale, 0.8f / 127.0f);
  EXPECT_EQ(q[0], 127);
  const float max_abs_scale_error = 31.0f * std::pow(0.5f - 64.0f / 127.0f, 2.0f);  // 63.5 rounds to even 64
  EXPECT_LT(group_squared_error(row, q, scale), max_abs_scale_error);
}

TEST(QuantizeInt8, EachGroupHasItsOwnScaleAndAShortLastGroupWorks) {
  const int cols = t5::kInt8Group + 8;
  std::vector<float> row(cols, 0.0f);
  row[3] = -2.0f;          // first group: max |v| 2 on the grid, alone
  row[cols - 1] = 0.25f;   // second group (8 values): max |v| 0.25
  std::vector<int8_t> q(cols);
  float scales[2] = {0.0f, 0.0f};
  t5::quantize_int8_row(row.data(), cols, q.data(), scales);
  EXPECT_FLOAT_EQ(scales[0], 2.0f / 127.0f);
  EXPECT_FLOAT_EQ(scales[1], 0.25f / 127.0f);
  EXPECT_EQ(q[3], -127);
  EXPECT_EQ(q[cols - 1], 127);
  for (int k = 0; k < cols; ++k) {
    if (k == 3 || k == cols - 1) continue;
    EXPECT_EQ(q[k], 0) << "k=" << k;
  }
}

TEST(QuantizeInt8, AllZeroGroupGetsScaleOneAndZeros) {
  std::vector<float> row(t5::kInt8Group, 0.0f);
  std::vector<int8_t> q(row.size(), 5);
  float scale = 0.0f;
  t5::quantize_int8_row(row.data(), t5::kInt8Group, q.data(), &scale);
  EXPECT_EQ(scale, 1.0f);
  for (int8_t value : q) EXPECT_EQ(value, 0);
}

}  // namespace
