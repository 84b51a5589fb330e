#include "kernels/gemv.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "core/half.h"
#include "kernels/gemm.h"
#include "kernels/quantize.h"
#include "support/isa_tiers.h"

namespace {

struct Case {
  int rows, cols, m;
};

// Random weights in every storage type, with the fp32 values each one actually holds.
struct Weights {
  std::vector<float> f32, widened_bf16, widened_i8, scales;
  std::vector<uint16_t> bf16;
  std::vector<int8_t> i8;
  t5::WeightMatrix matrix(t5::WeightType type, int rows, int cols) const {
    t5::WeightMatrix w;
    w.type = type, w.rows = rows, w.cols = cols;
    w.data = type == t5::WeightType::F32 ? static_cast<const void*>(f32.data())
             : type == t5::WeightType::BF16 ? static_cast<const void*>(bf16.data())
                                            : static_cast<const void*>(i8.data());
    w.scales = type == t5::WeightType::I8 ? scales.data() : nullptr;
    return w;
  }
  const std::vector<float>& values(t5::WeightType type) const {
    return type == t5::WeightType::F32 ? f32 : type == t5::WeightType::BF16 ? widened_bf16 : widened_i8;
  }
};

Weights make_weights(int rows, int cols, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, 0.05f);
  Weights w;
  w.f32.resize(static_cast<size_t>(rows) * cols);
  for (float& v : w.f32) v = normal(rng);
  for (float v : w.f32) {
    w.bf16.push_back(t5::f32_to_bf16(v));
    w.widened_bf16.push_back(t5::bf16_to_f32(w.bf16.back()));
  }
  const int groups = t5::int8_groups(cols);
  w.i8.resize(w.f32.size());
  w.scales.resize(static_cast<size_t>(rows) * groups);
  for (int r = 0; r < rows; ++r)
    t5::quantize_int8_row(w.f32.data() + static_cast<size_t>(r) * cols, cols, w.i8.data() + static_cast<size_t>(r) * cols,
                          w.scales.data() + static_cast<size_t>(r) * groups);
  for (size_t i = 0; i < w.i8.size(); ++i)
    w.widened_i8.push_back(w.i8[i] * w.scales[i / cols * groups + (i % cols) / t5::kInt8Group]);
  return w;
}

std::vector<float> reference(const std::vector<float>& in, int m, const std::vector<float>& w, int rows, int cols) {
  std::vector<float> out(static_cast<size_t>(m) * rows);
  for (int i = 0; i < m; ++i)
    for (int n = 0; n < rows; ++n) {
      double sum = 0;
      for (int k = 0; k < cols; ++k) sum += double(in[static_cast<size_t>(i) * cols + k]) * w[static_cast<size_t>(n) * cols + k];
      out[static_cast<size_t>(i) * rows + n] = static_cast<float>(sum);
    }
  return out;
}

class GemvTest : public testing::TestWithParam<std::tuple<t5::IsaTier, Case>> {};

TEST_P(GemvTest, MatchesDoublePrecisionForEveryWeightType) {
  const t5test::ActiveTier tier(std::get<0>(GetParam()));
  const Case c = std::get<1>(GetParam());
  const Weights w = make_weights(c.rows, c.cols, 7);
  std::mt19937 rng(3);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> in(static_cast<size_t>(c.m) * c.cols);
  for (float& v : in) v = normal(rng);
  for (t5::WeightType type : {t5::WeightType::F32, t5::WeightType::BF16, t5::WeightType::I8}) {
    const std::vector<float> expected = reference(in, c.m, w.values(type), c.rows, c.cols);
    std::vector<float> out(expected.size(), 0.0f);
    t5::WeightMatrix matrix = w.matrix(type, c.rows, c.cols);
    // Two ranges, as the pool splits them.
    const int split = c.rows / 3;
    t5::matvec_rows(in.data(), c.cols, c.m, matrix, 0, split, out.data(), c.rows, false);
    t5::matvec_rows(in.data(), c.cols, c.m, matrix, split, c.rows, out.data(), c.rows, false);
    for (size_t i = 0; i < out.size(); ++i)
      ASSERT_NEAR(out[i], expected[i], 2e-5f * std::sqrt(static_cast<float>(c.cols))) << "type " << int(type) << " at " << i;
    std::vector<float> accumulated(out.size(), 1.0f);
    t5::matvec_rows(in.data(), c.cols, c.m, matrix, 0, c.rows, accumulated.data(), c.rows, true);
    for (size_t i = 0; i < out.size(); ++i) ASSERT_NEAR(accumulated[i], out[i] + 1.0f, 1e-6f);  // y + v may be one fused multiply-add
    // The encoder path widens the same weights for sgemm.
    std::vector<float> gemm(out.size());
    t5::matmul(in.data(), c.cols, c.m, matrix, gemm.data(), c.rows, false);
    for (size_t i = 0; i < out.size(); ++i) ASSERT_NEAR(gemm[i], expected[i], 2e-5f * std::sqrt(static_cast<float>(c.cols)));
  }
  std::vector<float> blas(static_cast<size_t>(c.m) * c.rows);
  t5::matvec_rows_blas(in.data(), c.cols, c.m, w.matrix(t5::WeightType::F32, c.rows, c.cols), 0, c.rows, blas.data(),
                       c.rows, false);
  const std::vector<float> expected = reference(in, c.m, w.f32, c.rows, c.cols);
  for (size_t i = 0; i < blas.size(); ++i) ASSERT_NEAR(blas[i], expected[i], 2e-5f * std::sqrt(static_cast<float>(c.cols)));
}

INSTANTIATE_TEST_SUITE_P(Shapes, GemvTest,
                         testing::Combine(t5test::host_tiers(),
                                          testing::Values(Case{1, 16, 1}, Case{7, 33, 1}, Case{64, 256, 1},
                                                          Case{384, 512, 1}, Case{13, 768, 3}, Case{130, 2048, 8},
                                                          Case{5, 17, 32})),
                         [](const auto& info) {
                           return std::string(t5::isa_tier_name(std::get<0>(info.param))) + "_" +
                                  std::to_string(info.index);
                         });

class GemvTierTest : public t5test::TierTest {};

TEST_P(GemvTierTest, ABatchRowIsBitIdenticalToTheSameRowAlone) {
  const int rows = 203, m = 9;
  // 768 columns are whole 32-column steps; 793 end in a 16-column step, an 8-column chunk and one column.
  for (const int cols : {768, 793}) {
    const Weights w = make_weights(rows, cols, 11);
    std::mt19937 rng(5);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::vector<float> in(static_cast<size_t>(m) * cols);
    for (float& v : in) v = normal(rng);
    for (t5::WeightType type : {t5::WeightType::F32, t5::WeightType::BF16, t5::WeightType::I8}) {
      const t5::WeightMatrix matrix = w.matrix(type, rows, cols);
      std::vector<float> batched(static_cast<size_t>(m) * rows);
      t5::matvec_rows(in.data(), cols, m, matrix, 0, rows, batched.data(), rows, false);
      for (int i = 0; i < m; ++i) {
        std::vector<float> alone(rows);
        // A different split of the rows, too: results must not depend on it.
        const float* row = in.data() + static_cast<size_t>(i) * cols;
        t5::matvec_rows(row, cols, 1, matrix, 0, 101, alone.data(), rows, false);
        t5::matvec_rows(row, cols, 1, matrix, 101, rows, alone.data(), rows, false);
        for (int n = 0; n < rows; ++n)
          ASSERT_EQ(alone[static_cast<size_t>(n)], batched[static_cast<size_t>(i) * rows + n])
              << cols << " columns, row " << i << " col " << n;
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Tiers, GemvTierTest, t5test::host_tiers(), t5test::tier_name);

}  // namespace
