#pragma once

#include <optional>
#include <string>
#include <vector>

#include "io/json_file.h"
#include "results/result_file.h"
#include "stats/statistics.h"

namespace t5bench {

// Two bench results (A, the base; B, the change) compared metric by metric over the runs of every
// configuration and precision they share: medians, their ratio, the Hodges-Lehmann shift B - A with its
// 95% interval, and the two-sided Mann-Whitney p-value.
struct MetricComparison {
  std::string configuration, precision;
  std::string metric;  // "end_to_end_ms", ...
  std::string label;   // "end-to-end P50 ms"
  double median_a = 0, median_b = 0;
  Shift shift;         // of B - A, in the metric's units
  double p_two_sided = 1;
  bool higher_is_better = false;
  double ratio() const { return median_a != 0 ? median_b / median_a : 0; }
  // The interval's bound nearest to "no change" on the worse side, in percent of median A (positive:
  // worse); nullopt when the interval is unbounded or reaches the better side.
  std::optional<double> least_regression_percent() const;
  // Whether the whole interval lies more than `percent` worse than A.
  bool regressed_beyond(double percent) const;
};

struct ResultComparison {
  const BenchResult* a = nullptr;
  const BenchResult* b = nullptr;
  std::vector<MetricComparison> metrics;  // in A's configuration order, headline metrics in order
};

// The headline metrics, by run field: end-to-end, encoder, decoder, ms/token, tokens/s. Configurations
// match by name and precision; a t5::Error names B when it shares none with A.
ResultComparison compare_results(const BenchResult& a, const BenchResult& b);

// "" when A and B come from the same machine class, else the line that says they do not.
std::string machine_class_note(const ResultComparison& c);

// The comparison as a plain-text table, a Markdown table (for a pull-request comment) and JSON.
// `max_regression` (percent), when given, marks the rows whose whole interval lies beyond it.
std::string comparison_text(const ResultComparison& c, std::optional<double> max_regression);
std::string comparison_markdown(const ResultComparison& c, std::optional<double> max_regression);
t5::json comparison_json(const ResultComparison& c, std::optional<double> max_regression);

}  // namespace t5bench
