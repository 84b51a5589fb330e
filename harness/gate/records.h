#pragma once

#include <map>
#include <string>
#include <vector>

#include "io/json_file.h"

namespace t5bench {

// One measured thing a baseline can judge: a configuration of a bench result, a comparison of two
// configurations measured in the same interleaved run (ratios survive a slow machine), or an accuracy result.
struct ResultRecord {
  std::string file;
  std::string kind;  // "bench", "comparison" or "accuracy"
  std::map<std::string, std::string> keys;            // machine_class, model, suite, configuration, precision
                                                      // (comparisons: configuration is "optimized/baseline")
  std::map<std::string, double> metrics;              // "end_to_end_ms.p50", "tie_aware_match_rate", ...
  std::map<std::string, std::vector<double>> samples;  // per-run values: "end_to_end_ms", ...
  std::string label() const;                           // "quick/optimized"
  std::string key_text() const;                        // "machine_class=x86_64-avx2-2c model=... suite=... ..."
};

// The records of a result file written by `t5bench bench` or `t5bench accuracy`, read by the one result
// reader (results/result_file.h), whose errors name the file and the field.
std::vector<ResultRecord> load_result_records(const std::string& path);

// Whether a bigger value of this metric is better (throughput, match rates) or worse (latency).
bool higher_is_better(const std::string& metric);

}  // namespace t5bench
