#include "stats/statistics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace t5bench {

double percentile(std::vector<double> values, double q) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const double rank = q * static_cast<double>(values.size() - 1);
  const size_t below = static_cast<size_t>(std::floor(rank));
  const size_t above = std::min(values.size() - 1, below + 1);
  const double fraction = rank - static_cast<double>(below);
  return values[below] + (values[above] - values[below]) * fraction;
}

Summary summarize(const std::vector<double>& values) {
  Summary s;
  s.count = static_cast<int>(values.size());
  if (values.empty()) return s;
  s.p50 = percentile(values, 0.50);
  s.p90 = percentile(values, 0.90);
  s.p99 = percentile(values, 0.99);
  s.mean = std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
  double squares = 0;
  for (double v : values) squares += (v - s.mean) * (v - s.mean);
  s.stddev = values.size() > 1 ? std::sqrt(squares / static_cast<double>(values.size() - 1)) : 0;
  auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  s.min = *lo;
  s.max = *hi;
  return s;
}

namespace {

// Doubled ranks of a pooled sample (ties share their average rank, so doubling keeps them integers) and
// the doubled rank sum of its first n1 values.
struct PooledRanks {
  std::vector<int> doubled;  // of every value, in pooled order: a first, then b
  int doubled_sum_a = 0;
  double tie_term = 0;       // sum of t^3 - t over groups of t tied values
};

PooledRanks pooled_ranks(const std::vector<double>& a, const std::vector<double>& b) {
  std::vector<std::pair<double, size_t>> pooled;
  for (size_t i = 0; i < a.size(); ++i) pooled.push_back({a[i], i});
  for (size_t i = 0; i < b.size(); ++i) pooled.push_back({b[i], a.size() + i});
  std::sort(pooled.begin(), pooled.end());
  PooledRanks r;
  r.doubled.resize(pooled.size());
  for (size_t i = 0; i < pooled.size();) {
    size_t j = i;
    while (j < pooled.size() && pooled[j].first == pooled[i].first) ++j;
    const int doubled_average = static_cast<int>(i + 1 + j);  // (first rank + last rank), ranks from 1
    for (size_t k = i; k < j; ++k) {
      r.doubled[pooled[k].second] = doubled_average;
      if (pooled[k].second < a.size()) r.doubled_sum_a += doubled_average;
    }
    const double ties = static_cast<double>(j - i);
    r.tie_term += ties * ties * ties - ties;
    i = j;
  }
  return r;
}

// ways[s]: how many choices of n1 of the pooled values have doubled ranks summing to s. Under the null
// hypothesis every choice is equally likely, so this is the exact distribution of the rank sum.
std::vector<double> rank_sum_ways(const std::vector<int>& doubled_ranks, size_t n1) {
  int total = 0;
  for (int r : doubled_ranks) total += r;
  std::vector<std::vector<double>> ways(n1 + 1, std::vector<double>(static_cast<size_t>(total) + 1, 0.0));
  ways[0][0] = 1;
  for (int r : doubled_ranks)
    for (size_t j = n1; j >= 1; --j)
      for (int s = total; s >= r; --s) ways[j][static_cast<size_t>(s)] += ways[j - 1][static_cast<size_t>(s - r)];
  return ways[n1];
}

// The interval from the k-th smallest to the k-th largest of `sorted`; unbounded for k = 0 (the samples
// are too small for the confidence asked).
void set_order_statistic_bounds(Shift& interval, const std::vector<double>& sorted, size_t k) {
  if (k == 0) {
    interval.low = -std::numeric_limits<double>::infinity();
    interval.high = std::numeric_limits<double>::infinity();
  } else {
    interval.low = sorted[k - 1];
    interval.high = sorted[sorted.size() - k];
  }
}

double upper_normal_tail(double z) { return 0.5 * std::erfc(z / std::sqrt(2.0)); }

// z with upper_normal_tail(z) = tail, by bisection (tail in (0, 0.5]).
double normal_quantile_above(double tail) {
  double low = 0, high = 40;
  for (int i = 0; i < 200; ++i) {
    const double mid = (low + high) / 2;
    (upper_normal_tail(mid) > tail ? low : high) = mid;
  }
  return (low + high) / 2;
}

}  // namespace

MannWhitney mann_whitney(const std::vector<double>& a, const std::vector<double>& b) {
  MannWhitney r;
  if (a.empty() || b.empty()) return r;
  const double n1 = static_cast<double>(a.size()), n2 = static_cast<double>(b.size());
  const PooledRanks ranks = pooled_ranks(a, b);
  r.u = ranks.doubled_sum_a / 2.0 - n1 * (n1 + 1) / 2.0;
  const double n = n1 + n2;
  const double mean_u = n1 * n2 / 2.0;
  const double variance = n1 * n2 / 12.0 * ((n + 1) - ranks.tie_term / (n * (n - 1)));
  if (variance <= 0) return r;  // every value equal: no evidence either way
  const double sd = std::sqrt(variance);
  const double diff = r.u - mean_u;
  r.z = (diff - (diff > 0 ? 0.5 : diff < 0 ? -0.5 : 0.0)) / sd;
  if (a.size() + b.size() <= kExactMannWhitneyRuns) {
    const std::vector<double> ways = rank_sum_ways(ranks.doubled, a.size());
    double all = 0, at_least = 0, at_most = 0;
    for (size_t s = 0; s < ways.size(); ++s) {
      all += ways[s];
      if (static_cast<int>(s) >= ranks.doubled_sum_a) at_least += ways[s];
      if (static_cast<int>(s) <= ranks.doubled_sum_a) at_most += ways[s];
    }
    r.exact = true;
    r.p_greater = at_least / all;
    r.p_two_sided = std::min(1.0, 2.0 * std::min(at_least, at_most) / all);
    return r;
  }
  r.p_two_sided = std::min(1.0, 2.0 * upper_normal_tail(std::fabs(r.z)));
  r.p_greater = upper_normal_tail((diff - 0.5) / sd);
  return r;
}

double smallest_one_sided_p(int n1, int n2) {
  // The p-value of the most extreme split, from the same method mann_whitney uses for these counts.
  std::vector<double> above, below;
  for (int i = 0; i < n1; ++i) above.push_back(n2 + i);
  for (int i = 0; i < n2; ++i) below.push_back(i);
  return mann_whitney(above, below).p_greater;
}

bool Shift::bounded() const { return std::isfinite(low) && std::isfinite(high); }

Shift hodges_lehmann(const std::vector<double>& a, const std::vector<double>& b, double confidence) {
  Shift shift;
  if (a.empty() || b.empty()) return shift;
  std::vector<double> differences;
  for (double y : b)
    for (double x : a) differences.push_back(y - x);
  std::sort(differences.begin(), differences.end());
  shift.estimate = percentile(differences, 0.5);
  // The interval runs from the k-th smallest to the k-th largest difference, k the largest count with
  // P(U <= k - 1) <= (1 - confidence) / 2 under the null distribution of U (no ties).
  const double tail = (1 - confidence) / 2;
  const size_t n1 = a.size(), n2 = b.size();
  size_t k = 0;
  if (n1 + n2 <= kExactMannWhitneyRuns) {
    std::vector<int> doubled;
    for (size_t i = 1; i <= n1 + n2; ++i) doubled.push_back(static_cast<int>(2 * i));
    const std::vector<double> ways = rank_sum_ways(doubled, n1);
    double all = 0;
    for (double w : ways) all += w;
    // Doubled rank sums run from n1 (n1 + 1) upwards in steps of 2, one step per unit of U.
    double below = 0;
    for (size_t s = n1 * (n1 + 1); s < ways.size(); s += 2) {
      below += ways[s];
      if (below / all > tail) break;
      ++k;
    }
  } else {
    const double n1d = static_cast<double>(n1), n2d = static_cast<double>(n2);
    const double c = n1d * n2d / 2 - normal_quantile_above(tail) * std::sqrt(n1d * n2d * (n1d + n2d + 1) / 12);
    k = c >= 1 ? static_cast<size_t>(std::lround(c)) : 0;
  }
  set_order_statistic_bounds(shift, differences, k);
  return shift;
}

Shift median_interval(const std::vector<double>& values, double confidence) {
  Shift interval;
  interval.estimate = percentile(values, 0.5);
  std::vector<double> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  // P(Binomial(n, 1/2) <= j - 1), accumulated term by term: C(n, i) / 2^n.
  const size_t n = sorted.size();
  const double tail = (1 - confidence) / 2;
  double term = std::pow(0.5, static_cast<double>(n)), below = 0;
  size_t j = 0;
  for (size_t i = 0; i < n / 2; ++i) {
    below += term;
    if (below > tail) break;
    j = i + 1;
    term *= static_cast<double>(n - i) / static_cast<double>(i + 1);
  }
  set_order_statistic_bounds(interval, sorted, j);
  return interval;
}

}  // namespace t5bench
