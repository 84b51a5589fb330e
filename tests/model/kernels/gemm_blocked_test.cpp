#include "kernels/gemm_blocked.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "core/half.h"
#include "kernels/quantize.h"
#include "support/isa_tiers.h"

namespace {

struct Shape {
  int m, n, k;
};

// Weights in every storage type with the fp32 values each holds, the activations and what a bf16 high part
// plus a bf16 remainder keep of them, and the double-precision product.
struct Problem {
  std::vector<float> in, f32, as_bf16, as_i8, scales;
  std::vector<double> in_as_bf16_split;
  std::vector<uint16_t> bf16;
  std::vector<int8_t> i8;
  Shape s;

  explicit Problem(Shape shape) : s(shape) {
    std::mt19937 rng(static_cast<unsigned>(shape.m * 131 + shape.n * 7 + shape.k));
    std::normal_distribution<float> normal(0.0f, 1.0f);
    in.resize(static_cast<size_t>(s.m) * s.k);
    for (float& v : in) v = normal(rng);
    for (float v : in) {
      const float high = t5::bf16_to_f32(t5::f32_to_bf16(v));
      in_as_bf16_split.push_back(double(high) + t5::bf16_to_f32(t5::f32_to_bf16(v - high)));
    }
    f32.resize(static_cast<size_t>(s.n) * s.k);
    for (float& v : f32) v = 0.05f * normal(rng);
    for (float v : f32) {
      bf16.push_back(t5::f32_to_bf16(v));
      as_bf16.push_back(t5::bf16_to_f32(bf16.back()));
    }
    const int groups = t5::int8_groups(s.k);
    i8.resize(f32.size());
    scales.resize(static_cast<size_t>(s.n) * groups);
    for (int r = 0; r < s.n; ++r)
      t5::quantize_int8_row(f32.data() + static_cast<size_t>(r) * s.k, s.k, i8.data() + static_cast<size_t>(r) * s.k,
                            scales.data() + static_cast<size_t>(r) * groups);
    for (size_t i = 0; i < i8.size(); ++i) as_i8.push_back(i8[i] * scales[i / s.k * groups + (i % s.k) / t5::kInt8Group]);
  }
  t5::WeightMatrix matrix(t5::WeightType type) const {
    t5::WeightMatrix w;
    w.type = type, w.rows = s.n, w.cols = s.k;
    w.data = type == t5::WeightType::F32    ? static_cast<const void*>(f32.data())
             : type == t5::WeightType::BF16 ? static_cast<const void*>(bf16.data())
                                            : static_cast<const void*>(i8.data());
    w.scales = type == t5::WeightType::I8 ? scales.data() : nullptr;
    return w;
  }
  // The product of the operands the kernel multiplies: with AVX512_BF16 dot products, the activations'
  // bf16 high parts plus remainders.
  std::vector<double> expected(t5::WeightType type, bool bf16_activations) const {
    const std::vector<float>& w = type == t5::WeightType::F32 ? f32 : type == t5::WeightType::BF16 ? as_bf16 : as_i8;
    std::vector<double> a(in.begin(), in.end());
    if (bf16_activations) a = in_as_bf16_split;
    std::vector<double> out(static_cast<size_t>(s.m) * s.n);
    for (int i = 0; i < s.m; ++i)
      for (int n = 0; n < s.n; ++n) {
        double sum = 0;
        for (int c = 0; c < s.k; ++c) sum += a[static_cast<size_t>(i) * s.k + c] * w[static_cast<size_t>(n) * s.k + c];
        out[static_cast<size_t>(i) * s.n + n] = sum;
      }
    return out;
  }
};

std::vector<float> run(const Problem& p, t5::WeightType type, int m, bool accumulate, float initial) {
  t5::PackedActivations packed;
  packed.prepare(m, p.s.k, type);
  for (int panel = 0; panel < packed.panels(); ++panel) packed.pack_panel(p.in.data(), p.s.k, panel);
  std::vector<float> out(static_cast<size_t>(m) * p.s.n, initial);
  const int split = p.s.n / 3;  // two ranges, as the pool splits them
  t5::matmul_blocked(packed, p.matrix(type), 0, split, out.data(), p.s.n, accumulate);
  t5::matmul_blocked(packed, p.matrix(type), split, p.s.n, out.data(), p.s.n, accumulate);
  return out;
}

class BlockedGemmTest : public testing::TestWithParam<std::tuple<t5::IsaTier, Shape>> {};

TEST_P(BlockedGemmTest, MatchesDoublePrecisionForEveryWeightType) {
  const t5test::ActiveTier tier(std::get<0>(GetParam()));
  const Problem p(std::get<1>(GetParam()));
  // Products of exact operands summed in fp32: fp32 and int8 (widened) weights times the fp32 activations,
  // bf16 weights times the activations' bf16 high parts and remainders where AVX512_BF16 computes them
  // (both operands bf16, each product exact in fp32).
  constexpr double kTolerance = 2e-5;
  for (t5::WeightType type : {t5::WeightType::F32, t5::WeightType::BF16, t5::WeightType::I8}) {
    t5::PackedActivations layout;
    layout.prepare(p.s.m, p.s.k, type);
    const std::vector<double> expected = p.expected(type, layout.bf16_pairs());
    const std::vector<float> out = run(p, type, p.s.m, false, 0.0f);
    const double scale = std::sqrt(static_cast<double>(p.s.k));
    for (size_t i = 0; i < out.size(); ++i)
      ASSERT_NEAR(out[i], expected[i], kTolerance * scale) << "type " << int(type) << " at " << i;
    const std::vector<float> accumulated = run(p, type, p.s.m, true, 2.0f);
    for (size_t i = 0; i < out.size(); ++i) ASSERT_NEAR(accumulated[i], out[i] + 2.0f, 1e-5f);
  }
}

INSTANTIATE_TEST_SUITE_P(Shapes, BlockedGemmTest,
                         testing::Combine(t5test::host_tiers(),
                                          testing::Values(Shape{1, 1, 2}, Shape{5, 13, 16}, Shape{32, 12, 64},
                                                          Shape{33, 25, 100}, Shape{70, 130, 256},
                                                          Shape{128, 768, 768}, Shape{17, 40, 2048}, Shape{9, 7, 33})),
                         [](const auto& info) {
                           return std::string(t5::isa_tier_name(std::get<0>(info.param))) + "_" +
                                  std::to_string(info.index);
                         });

class BlockedGemmTierTest : public t5test::TierTest {};

// A row's result does not depend on how many rows were packed with it (batched encoders rely on it).
TEST_P(BlockedGemmTierTest, RowsAreIndependentOfTheBatch) {
  const Problem p(Shape{70, 50, 300});
  for (t5::WeightType type : {t5::WeightType::F32, t5::WeightType::BF16, t5::WeightType::I8}) {
    const std::vector<float> all = run(p, type, 70, false, 0.0f);
    const std::vector<float> first = run(p, type, 5, false, 0.0f);
    for (size_t i = 0; i < first.size(); ++i) ASSERT_EQ(first[i], all[i]) << "type " << int(type) << " at " << i;
  }
}

// A panel is its rows transposed, zero past the input: here full groups of eight rows, a group of five, empty
// groups, and columns past the last eight.
TEST_P(BlockedGemmTierTest, PanelsHoldTheRowsTransposedAndZeroPastTheInput) {
  constexpr int kRows = 37, kDepth = 21, kStride = 23;
  std::vector<float> in(static_cast<size_t>(kRows) * kStride);
  for (size_t i = 0; i < in.size(); ++i) in[i] = static_cast<float>(i) + 0.5f;
  t5::PackedActivations packed;
  packed.prepare(kRows, kDepth, t5::WeightType::F32);
  ASSERT_EQ(packed.panels(), 2);
  for (int panel = 0; panel < packed.panels(); ++panel) {
    packed.pack_panel(in.data(), kStride, panel);
    const float* values = packed.f32_panel(panel);
    for (int kk = 0; kk < kDepth; ++kk)
      for (int r = 0; r < t5::PackedActivations::kPanelRows; ++r) {
        const int row = panel * t5::PackedActivations::kPanelRows + r;
        const float expected = row < kRows ? in[static_cast<size_t>(row) * kStride + kk] : 0.0f;
        ASSERT_EQ(values[kk * t5::PackedActivations::kPanelRows + r], expected) << "row " << row << " column " << kk;
      }
  }
}

// For bf16 weights the panels hold what the tier multiplies them with, zero past the input. With AVX512_BF16
// dot products, a pair step holds the 32 rows' (k, k + 1) pairs of bf16 high parts, then the pairs of their
// remainders; every other tier widens the weights and packs the fp32 values. Here full and partial groups of
// sixteen rows, an empty group, and a last run of k shorter than sixteen.
TEST_P(BlockedGemmTierTest, Bf16ProductsPackWhatTheTierMultiplies) {
  constexpr int kRows = 45, kDepth = 38, kStride = 41;
  constexpr int kPanelRows = t5::PackedActivations::kPanelRows;
  std::mt19937 rng(7);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> in(static_cast<size_t>(kRows) * kStride);
  for (float& v : in) v = normal(rng);
  t5::PackedActivations packed;
  packed.prepare(kRows, kDepth, t5::WeightType::BF16);
  EXPECT_EQ(packed.bf16_pairs(), GetParam() == t5::IsaTier::Avx512Bf16);
  for (int panel = 0; panel < packed.panels(); ++panel) {
    packed.pack_panel(in.data(), kStride, panel);
    for (int kk = 0; kk < kDepth; ++kk)
      for (int r = 0; r < kPanelRows; ++r) {
        const int row = panel * kPanelRows + r;
        const float x = row < kRows ? in[static_cast<size_t>(row) * kStride + kk] : 0.0f;
        if (!packed.bf16_pairs()) {
          ASSERT_EQ(packed.f32_panel(panel)[kk * kPanelRows + r], x) << "row " << row << " column " << kk;
          continue;
        }
        const uint16_t high = t5::f32_to_bf16(x);
        const uint16_t remainder = t5::f32_to_bf16(x - t5::bf16_to_f32(high));
        const uint16_t* step = packed.bf16_panel(panel) + static_cast<size_t>(kk / 2) * 2 * kPanelRows * 2;
        ASSERT_EQ(step[2 * r + kk % 2], high) << "row " << row << " column " << kk;
        ASSERT_EQ(step[2 * kPanelRows + 2 * r + kk % 2], remainder) << "row " << row << " column " << kk;
      }
  }
}

INSTANTIATE_TEST_SUITE_P(Tiers, BlockedGemmTierTest, t5test::host_tiers(), t5test::tier_name);

}  // namespace
