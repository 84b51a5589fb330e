#pragma once

#include <string>
#include <vector>

#include "bench/bench_suite.h"
#include "bench/roofline.h"
#include "bench/runner.h"
#include "io/json_file.h"
#include "stats/statistics.h"
#include "t5.h"

namespace t5bench {

// The metrics of a run, by name, as results and baselines spell them.
struct Metric {
  const char* name;
  const char* unit;
  double (*value)(const RunRecord&);
};
const std::vector<Metric>& run_metrics();

// What a finished bench run knows besides its runs.
struct BenchInfo {
  std::string command_line;
  BenchSuite suite;
  int threads = 0;
  Roofline roofline;
  t5::json model;                   // model_description()
  unsigned long long decode_step_weight_bytes = 0;
  unsigned long long encoder_flops = 0;  // per request
  t5::json runs_auto;               // under --runs auto: the policy, rounds run and why they stopped
};

// The result document (schema version 1): Google Benchmark's layout ("context", "benchmarks" with one
// iteration entry per run and mean/median/stddev/cv/p90/p99/min/max aggregates, real_time = end-to-end
// milliseconds, the other metrics as user counters) so compare.py and CI benchmark actions read it, and
// t5bench's richer "configurations" (every run, statistics, op breakdown, roofline) and "comparisons"
// (ratios against the first configuration) alongside.
t5::json bench_result_json(const BenchInfo& info, const std::vector<ConfigurationRuns>& results);

t5::json summary_json(const Summary& s);

}  // namespace t5bench
