#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gate/records.h"
#include "io/json_file.h"

namespace t5bench {

// A baseline file (baselines/NAME.json), schema version 1:
//   {"schema_version": 1, "description": "...",
//    "entries": [{"match": {"machine_class": "x86_64-avx512-2c", "model": "...", "suite": "seed",
//                           "configuration": "optimized", "precision": "f32"},   absent or "*": any
//                 "thresholds": {"end_to_end_ms.p50": {"max": 500}, "tokens_per_second.p50": {"min": 64},
//                                "tie_aware_match_rate": {"min": 0.99}},
//                 "relative": {"end_to_end_ms": {"reference": [runs...], "max_regression_percent": 10,
//                                                "significance": 0.01}}}]}
// A configuration "optimized/baseline" matches the comparison of the two measured in one run (its
// metrics: end_to_end_p50_ratio, tokens_per_second_p50_ratio, ...).
// A threshold bounds a metric of the result; a relative check fails only when the runs regressed by more
// than the allowed percentage (median against median) and a one-sided Mann-Whitney U test over the runs
// finds the regression significant, so noise alone does not fail CI.
struct Threshold {
  std::string metric;
  std::optional<double> min, max;
};

struct RelativeCheck {
  std::string metric;  // a per-run sample name ("end_to_end_ms")
  std::vector<double> reference;
  double max_regression_percent = 10;
  double significance = 0.01;
  std::string source;  // "b.json: entries[0]: relative.end_to_end_ms", where the gate's refusals point
};

struct BaselineEntry {
  std::map<std::string, std::string> match;
  std::vector<Threshold> thresholds;
  std::vector<RelativeCheck> relative;
  bool matches(const ResultRecord& record) const;
};

struct Baseline {
  std::string description;
  std::vector<BaselineEntry> entries;
};

Baseline parse_baseline(std::string_view text, const std::string& source);
Baseline load_baseline(const std::string& path);
t5::json baseline_to_json(const Baseline& baseline);

// One verdict of the gate.
struct GateCheck {
  std::string record;  // "seed/optimized"
  std::string metric;
  bool passed = false;
  std::string detail;  // "412.3 <= max 500" or "+3.1% vs reference median 400.0 (p = 0.42)"
};

// Every threshold and relative check of every entry against every record it matches. A relative check
// whose run counts can never reach its significance (3 reference runs against 3 at 0.01: the smallest
// possible p is 0.05) is refused with a t5::Error rather than passed forever.
std::vector<GateCheck> evaluate_gate(const Baseline& baseline, const std::vector<ResultRecord>& records);

// Which entries (indices into baseline.entries) apply to each record, in record order. A record no entry
// applies to is unchecked: the gate lists it as UNCHECKED and --require-coverage fails on it.
struct RecordCoverage {
  const ResultRecord* record = nullptr;
  std::vector<size_t> entries;
};
std::vector<RecordCoverage> gate_coverage(const Baseline& baseline, const std::vector<ResultRecord>& records);

// `existing` with one entry per record, matching the record's keys exactly, machine class included: an
// entry with the same match is replaced, any other (other machine classes, hand-written entries) is kept.
// Latency metrics at most `margin_percent` above today's value, throughput at most that much below,
// match rates not below today's, and today's runs kept as the reference for the relative check when
// that many runs against as many can reach its significance of 0.01 (5 or more).
Baseline update_baseline(Baseline existing, const std::vector<ResultRecord>& records, double margin_percent);

}  // namespace t5bench
