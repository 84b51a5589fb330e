#include "kernels/norm.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "support/isa_tiers.h"

namespace {

class RmsNormTest : public t5test::TierTest {};

TEST_P(RmsNormTest, MatchesTheT5Formula) {
  for (int cols : {1, 15, 16, 33, 256, 770}) {
    std::vector<float> x(static_cast<size_t>(cols)), w(x.size()), out(x.size());
    for (int i = 0; i < cols; ++i) {
      x[static_cast<size_t>(i)] = std::sin(0.37f * i) * 3.0f + 0.1f;
      w[static_cast<size_t>(i)] = 0.5f + 0.01f * i;
    }
    double sum_sq = 0;
    for (float v : x) sum_sq += double(v) * v;
    const double inv = 1.0 / std::sqrt(sum_sq / cols + 1e-6);
    t5::rms_norm(x.data(), w.data(), 1e-6f, cols, out.data());
    for (int i = 0; i < cols; ++i)
      EXPECT_NEAR(out[static_cast<size_t>(i)], w[static_cast<size_t>(i)] * x[static_cast<size_t>(i)] * inv, 1e-5) << cols << " " << i;
    t5::rms_norm(x.data(), w.data(), 1e-6f, cols, x.data());  // in place
    EXPECT_EQ(x, out);
  }
}

TEST_P(RmsNormTest, EpsilonKeepsZeroRowsFinite) {
  std::vector<float> x(32, 0.0f), w(32, 1.0f), out(32, 5.0f);
  t5::rms_norm(x.data(), w.data(), 1e-6f, 32, out.data());
  for (float v : out) EXPECT_EQ(v, 0.0f);
}

INSTANTIATE_TEST_SUITE_P(Tiers, RmsNormTest, t5test::host_tiers(), t5test::tier_name);

}  // namespace
