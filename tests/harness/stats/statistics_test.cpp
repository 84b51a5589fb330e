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
// and variance 5*4*10/12, the continuity-corrected z is 6.5 / 4.0825 = 1.5922. With 9 values the p-values
// are exact, as scipy's default gives them here: of the C(9, 5) = 126 equally likely splits, 7 have U >= 17
// (by symmetry, the partitions of 0, 1, 2 and 3 into at most 4 parts no larger than 5: 1 + 1 + 2 + 3).
TEST(Statistics, MannWhitneyMatchesScipy) {
  const std::vector<double> a{19, 22, 16, 29, 24}, b{20, 11, 17, 12};
  const t5bench::MannWhitney r = t5bench::mann_whitney(a, b);
  EXPECT_DOUBLE_EQ(r.u, 17);
  EXPECT_NEAR(r.z, 1.59217, 1e-5);
  EXPECT_TRUE(r.exact);
  EXPECT_DOUBLE_EQ(r.p_greater, 7.0 / 126);
  EXPECT_DOUBLE_EQ(r.p_two_sided, 14.0 / 126);
  // Clearly separated samples of 10 runs: only 1 of the C(20, 10) = 184756 splits is as extreme.
  std::vector<double> slow, fast;
  for (int i = 0; i < 10; ++i) {
    slow.push_back(120 + i);
    fast.push_back(100 + i);
  }
  EXPECT_DOUBLE_EQ(t5bench::mann_whitney(slow, fast).p_greater, 1.0 / 184756);
  EXPECT_DOUBLE_EQ(t5bench::mann_whitney(fast, slow).p_greater, 1.0);
}

// The bug this guards against: with the normal approximation, 3 runs against 3 all above gave p = 0.040,
// which no 3-against-3 split can reach; exactly it is 1 in C(6, 3) = 20.
TEST(Statistics, SmallSamplesGetTheExactDistribution) {
  const t5bench::MannWhitney r = t5bench::mann_whitney({3, 4, 5}, {0, 1, 2});
  EXPECT_TRUE(r.exact);
  EXPECT_DOUBLE_EQ(r.u, 9);
  EXPECT_DOUBLE_EQ(r.p_greater, 0.05);
  EXPECT_DOUBLE_EQ(r.p_two_sided, 0.1);
  EXPECT_DOUBLE_EQ(t5bench::smallest_one_sided_p(3, 3), 0.05);
  EXPECT_NEAR(t5bench::smallest_one_sided_p(5, 5), 1.0 / 252, 1e-15);
  EXPECT_NEAR(t5bench::smallest_one_sided_p(3, 10), 1.0 / 286, 1e-15);
}

// 30 + 30 values: the normal approximation. b = a + 4.5 puts U at 575 against a mean of 450 and a standard
// deviation of sqrt(30*30*61/12) = 67.64, so z = (575 - 450 - 0.5) / 67.64 = 1.8407 and p = 0.032836.
TEST(Statistics, LargeSamplesUseTheNormalApproximation) {
  std::vector<double> a, b;
  for (int i = 0; i < 30; ++i) {
    a.push_back(i);
    b.push_back(i + 4.5);
  }
  const t5bench::MannWhitney r = t5bench::mann_whitney(b, a);
  EXPECT_FALSE(r.exact);
  EXPECT_DOUBLE_EQ(r.u, 575);
  EXPECT_NEAR(r.z, 1.84066, 1e-5);
  EXPECT_NEAR(r.p_greater, 0.0328356, 1e-6);
}

// Worked by hand: the 25 differences b - a of a = 100..108 (step 2) and b = 109, 111, 113, 115, 130 sorted
// are 1 3 3 5 5 5 7 7 7 7 9 9 9 9 11 11 11 13 13 15 22 24 26 28 30; their median (the 13th) is 9. For 5
// against 5, P(U <= 2) = 4/252 <= 0.025 < P(U <= 3) = 7/252, so the 95% interval runs from the 3rd
// smallest (3) to the 3rd largest (26) difference (its true coverage is 1 - 8/252 = 96.8%).
TEST(Statistics, HodgesLehmannShiftAndInterval) {
  const t5bench::Shift s = t5bench::hodges_lehmann({100, 102, 104, 106, 108}, {109, 111, 113, 115, 130});
  EXPECT_DOUBLE_EQ(s.estimate, 9);
  EXPECT_DOUBLE_EQ(s.low, 3);
  EXPECT_DOUBLE_EQ(s.high, 26);
  EXPECT_TRUE(s.bounded());
  // 3 against 3: even the most extreme split has P = 1/20 > 0.025, so no 95% interval exists.
  EXPECT_FALSE(t5bench::hodges_lehmann({1, 2, 3}, {4, 5, 6}).bounded());
  // 30 against 30 (normal): k = round(450 - 1.96 * 67.64) = 317; the shift 4.5 lies in [-0.5, 9.5].
  std::vector<double> a, b;
  for (int i = 0; i < 30; ++i) {
    a.push_back(i);
    b.push_back(i + 4.5);
  }
  const t5bench::Shift large = t5bench::hodges_lehmann(a, b);
  EXPECT_DOUBLE_EQ(large.estimate, 4.5);
  EXPECT_DOUBLE_EQ(large.low, -0.5);
  EXPECT_DOUBLE_EQ(large.high, 9.5);
}

TEST(Statistics, MannWhitneyHandlesTiesAndIdenticalSamples) {
  const t5bench::MannWhitney same = t5bench::mann_whitney({5, 5, 5}, {5, 5, 5});
  EXPECT_DOUBLE_EQ(same.p_two_sided, 1);
  EXPECT_DOUBLE_EQ(same.p_greater, 1);
  const t5bench::MannWhitney tied = t5bench::mann_whitney({1, 2, 2, 3}, {2, 2, 4, 5});
  EXPECT_DOUBLE_EQ(tied.u, 4);  // ranks of a: 1, 3.5, 3.5, 6 -> 14 - 10
  // Exact with ties: of the 70 splits of 1 2 2 2 2 3 4 5 (ranks 1, 3.5 x4, 6, 7, 8) into 4 and 4, 66 give
  // a rank sum of at least 14 and 11 at most 14 (enumerated).
  EXPECT_TRUE(tied.exact);
  EXPECT_DOUBLE_EQ(tied.p_greater, 66.0 / 70);
  EXPECT_DOUBLE_EQ(tied.p_two_sided, 22.0 / 70);
}

}  // namespace
