#include "kernels/quantize.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
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

// Seeded random rows of several shapes (whole groups and a short last one) and value spreads, outliers
// included: every scale is the group's max |v| / 127 times a factor in [0.8, 1], every value that the scale
// does not clip rounds to the nearest step (|v - q s| <= s / 2), and a clipped one goes to +-127.
TEST(QuantizeInt8, RandomRowsRoundToTheNearestStepOrClip) {
  std::mt19937 random(18);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
  int clipped = 0, rounded = 0;
  for (const int cols : {t5::kInt8Group, 5 * t5::kInt8Group, 3 * t5::kInt8Group + 7, 13}) {
    for (const float spread : {1e-3f, 1.0f, 40.0f}) {
      for (int row_index = 0; row_index < 20; ++row_index) {
        std::vector<float> row(static_cast<size_t>(cols));
        for (float& v : row) v = spread * (row_index % 2 ? normal(random) : uniform(random));
        if (row_index % 5 == 0) row[static_cast<size_t>(row_index) % row.size()] *= 12.0f;  // an outlier
        std::vector<int8_t> q(row.size());
        std::vector<float> scales(static_cast<size_t>(t5::int8_groups(cols)));
        t5::quantize_int8_row(row.data(), cols, q.data(), scales.data());
        for (int g = 0; g < t5::int8_groups(cols); ++g) {
          const int begin = g * t5::kInt8Group, end = std::min(cols, begin + t5::kInt8Group);
          float max_abs = 0.0f;
          for (int k = begin; k < end; ++k) max_abs = std::max(max_abs, std::fabs(row[static_cast<size_t>(k)]));
          const float s = scales[static_cast<size_t>(g)];
          ASSERT_GE(s, 0.8f * max_abs / 127.0f * (1 - 1e-6f)) << cols << " " << g;
          ASSERT_LE(s, max_abs / 127.0f * (1 + 1e-6f)) << cols << " " << g;
          for (int k = begin; k < end; ++k) {
            const float v = row[static_cast<size_t>(k)];
            const int8_t step = q[static_cast<size_t>(k)];
            if (std::fabs(v) <= 127.0f * s) {
              ASSERT_LE(std::fabs(v - static_cast<float>(step) * s), 0.5f * s * (1 + 1e-5f))
                  << "v " << v << " q " << int{step} << " s " << s;
              ++rounded;
            } else {
              ASSERT_EQ(step, v > 0 ? 127 : -127) << "v " << v << " s " << s;
              ++clipped;
            }
          }
        }
      }
    }
  }
  EXPECT_GT(clipped, 0);  // the outliers did make the scale search clip
  EXPECT_GT(rounded, 10000);
}

}  // namespace
