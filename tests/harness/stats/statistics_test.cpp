#include "stats/statistics.h"

#include <gtest/gtest.h>

namespace {

TEST(Statistics, PercentilesInterpolateLinearly) {
  const std::vector<double> v{4, 1, 3, 2, 5};
  EXPECT_DOUBLE_EQ(t5bench::percentile(v, 0.5), 3);
  EXPECT_DOUBLE_EQ(t5bench::percentile(v, 0.9), 4.6);  // rank 3.6 between 4 and 5
  EXPECT_DOUBLE_EQ(t5bench::percentile(v, 0.0), 1);
  EXPECT_DOUBLE_EQ(t5bench::percentile(v, 1.0), 5);
  EXPECT_DOUBLE_EQ(t5bench::percentile({7}, 0.99), 7);
  const t5bench::Summary s = t5bench::summarize({2, 4, 4, 4, 5, 5, 7, 9});
  EXPECT_EQ(s.count, 8);
  EXPECT_DOUBLE_EQ(s.mean, 5);
  EXPECT_NEAR(s.stddev, 2.13808993529939, 1e-12);  // sample (n - 1) standard deviation
  EXPECT_DOUBLE_EQ(s.p50, 4.5);
  EXPECT_DOUBLE_EQ(s.min, 2);
  EXPECT_DOUBLE_EQ(s.max, 9);
}

// Worked by hand: ranks of a in the pooled sample are 3, 5, 7, 8, 9, so U = 32 - 15 = 17; with mean 10
// and variance 5*4*10/12, the continuity-corrected z is 6.5 / 4.0825 = 1.5922.
TEST(Statistics, MannWhitneyMatchesScipy) {
  const std::vector<double> a{19, 22, 16, 29, 24}, b{20, 11, 17, 12};
  const t5bench::MannWhitney r = t5bench::mann_whitney(a, b);
  EXPECT_DOUBLE_EQ(r.u, 17);
  EXPECT_NEAR(r.z, 1.59217, 1e-5);
  EXPECT_NEAR(r.p_greater, 0.05567, 1e-5);
  EXPECT_NEAR(r.p_two_sided, 0.11135, 1e-5);
  // Clearly separated samples of 10 runs: p far below 0.01 in the right direction only.
  std::vector<double> slow, fast;
  for (int i = 0; i < 10; ++i) {
    slow.push_back(120 + i);
    fast.push_back(100 + i);
  }
  EXPECT_LT(t5bench::mann_whitney(slow, fast).p_greater, 1e-3);
  EXPECT_GT(t5bench::mann_whitney(fast, slow).p_greater, 0.99);
}

TEST(Statistics, MannWhitneyHandlesTiesAndIdenticalSamples) {
  const t5bench::MannWhitney same = t5bench::mann_whitney({5, 5, 5}, {5, 5, 5});
  EXPECT_DOUBLE_EQ(same.p_two_sided, 1);
  EXPECT_DOUBLE_EQ(same.p_greater, 1);
  const t5bench::MannWhitney tied = t5bench::mann_whitney({1, 2, 2, 3}, {2, 2, 4, 5});
  EXPECT_DOUBLE_EQ(tied.u, 4);  // ranks of a: 1, 3.5, 3.5, 6 -> 14 - 10
}

}  // namespace
