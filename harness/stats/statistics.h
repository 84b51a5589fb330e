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

// Two-sided Mann-Whitney U test with the normal approximation, tie correction and continuity
// correction. `p_greater` is the one-sided p-value for "a tends to be larger than b".
struct MannWhitney {
  double u = 0;          // U statistic of sample a
  double z = 0;
  double p_two_sided = 1;
  double p_greater = 1;
};
MannWhitney mann_whitney(const std::vector<double>& a, const std::vector<double>& b);

}  // namespace t5bench
