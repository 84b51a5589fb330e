#include "kernels/softmax.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "support/isa_tiers.h"

namespace {

class SoftmaxTest : public t5test::TierTest {};

TEST_P(SoftmaxTest, MatchesDoublePrecisionAndSumsToOne) {
  for (int n : {1, 7, 8, 16, 17, 100, 32128}) {
    std::vector<float> x(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) x[static_cast<size_t>(i)] = 20.0f * std::sin(0.731f * i) - 5.0f;
    double max = -1e300, sum = 0;
    for (float v : x) max = std::max(max, double(v));
    for (float v : x) sum += std::exp(double(v) - max);
    std::vector<float> p = x;
    t5::softmax(p.data(), n);
    double total = 0;
    for (int i = 0; i < n; ++i) {
      const double expected = std::exp(double(x[static_cast<size_t>(i)]) - max) / sum;
      // The sum runs in 8 or 16 fp32 lanes: 4016 terms a lane at the vocabulary's width (1.0e-6 of it measured, generic and avx2).
      ASSERT_NEAR(p[static_cast<size_t>(i)], expected, 5e-6 * expected + 1e-12) << "n " << n << " at " << i;
      total += p[static_cast<size_t>(i)];
    }
    EXPECT_NEAR(total, 1.0, 1e-5) << "n " << n;
  }
}

// -inf logits (masked tokens) get probability 0, exactly.
TEST_P(SoftmaxTest, MinusInfinityGetsZero) {
  std::vector<float> x(40, 1.0f);
  for (size_t i = 0; i < x.size(); i += 3) x[i] = -INFINITY;
  t5::softmax(x.data(), 40);
  for (size_t i = 0; i < x.size(); ++i) {
    if (i % 3 == 0)
      EXPECT_EQ(x[i], 0.0f) << i;
    else
      EXPECT_NEAR(x[i], 1.0 / 26, 1e-7) << i;
  }
}

TEST(Argmax, FirstIndexOfTheLargest) {
  const std::vector<float> x{1.0f, 5.0f, -2.0f, 5.0f, 4.0f};
  EXPECT_EQ(t5::argmax(x.data(), 5), 1);
  EXPECT_EQ(t5::argmax(x.data(), 1), 0);
}

INSTANTIATE_TEST_SUITE_P(Tiers, SoftmaxTest, t5test::host_tiers(), t5test::tier_name);

}  // namespace
