#pragma once

#include <vector>

namespace t5bench {

// Order statistics and moments of a sample, as every report shows them.
struct Summary {
  int count = 0;
  double p50 = 0, p90 = 0, p99 = 0;
  double mean = 0, stddev = 0;  // stddev with Bessel's correction (n - 1), 0 for one sample
  double min = 0, max = 0;
  double cv() const { return mean != 0 ? stddev / mean : 0; }
};

// Percentile q in [0, 1] by linear interpolation between order statistics (numpy's default).
double percentile(std::vector<double> values, double q);
Summary summarize(const std::vector<double>& values);

// Mann-Whitney U test. Up to kExactMannWhitneyRuns values in all, the p-values come from the exact
// permutation distribution of the rank sum (ties share their average rank), as scipy's method="exact":
// with a few runs the normal approximation promises p-values the samples cannot give. Beyond that, the
// normal approximation with tie and continuity corrections. `z` is always the normal statistic.
// `p_greater` is the one-sided p-value for "a tends to be larger than b".
constexpr int kExactMannWhitneyRuns = 50;
struct MannWhitney {
  double u = 0;          // U statistic of sample a
  double z = 0;
  double p_two_sided = 1;
  double p_greater = 1;
  bool exact = false;
};
MannWhitney mann_whitney(const std::vector<double>& a, const std::vector<double>& b);

// The smallest one-sided p-value samples of n1 and n2 distinct runs can give (every run of one above
// every run of the other; exactly 1 / C(n1 + n2, n1) up to kExactMannWhitneyRuns values). A test at a
// significance no larger than this can never reject.
double smallest_one_sided_p(int n1, int n2);

// Hodges-Lehmann estimate of the shift from a to b (the median of every difference b_j - a_i) with its
// distribution-free confidence interval: the k-th smallest and k-th largest difference, k taken from the
// Mann-Whitney null distribution (exact up to kExactMannWhitneyRuns values, normal beyond). When the
// samples are too small for the confidence asked, the interval is unbounded (low -inf, high +inf).
struct Shift {
  double estimate = 0, low = 0, high = 0;
  bool bounded() const;
};
Shift hodges_lehmann(const std::vector<double>& a, const std::vector<double>& b, double confidence = 0.95);

// The distribution-free interval of a sample's median: the j-th smallest to the j-th largest value, j
// the largest count with P(Binomial(n, 1/2) <= j - 1) <= (1 - confidence) / 2 (6 values or more at 95%).
// `estimate` is the median; unbounded (low -inf, high +inf) when the sample is too small.
Shift median_interval(const std::vector<double>& values, double confidence = 0.95);

}  // namespace t5bench
