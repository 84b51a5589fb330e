#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace t5bench {

// The one reader of result files (`t5bench bench` and `t5bench accuracy` output, schema version 1), used
// by gate, report and compare, so a malformed file gets the same message from each. Every field is checked
// when loaded: a missing or mistyped one is a t5::Error "<file>: <problem>" naming the field's full path
// ("missing required field 'context.t5bench.machine_class'"). Fields added after schema 1 was first
// written are optional, so results of earlier versions still load; a report shows them as "–".


// Order statistics of one metric over a configuration's runs.
struct Stat {
  double p50 = 0, p90 = 0, p99 = 0, mean = 0, stddev = 0, min = 0, max = 0;
  int samples = 0;
};

// The operation kinds of op_breakdown_ms, in the order reports show them.
constexpr int kOpKindCount = 7;
extern const char* const kOpKindNames[kOpKindCount];

struct BenchConfiguration {
  std::string name, precision;
  std::vector<std::string> enabled;   // switches on; empty for none
  std::map<std::string, std::vector<double>> runs;  // every field of every measured run, in run order
  std::map<std::string, Stat> statistics;           // every metric's statistics, as the result has them
  Stat end_to_end, encoder, decoder, first_token, per_token, tokens_per_second;
  double op_ms[kOpKindCount] = {};    // per request, in kOpKindNames order
  double decode_floor_ms = 0, decode_time_over_floor = 0, decode_fraction_of_floor = 0;
  double encoder_fraction_of_sgemm_peak = 0;
};

// context and context.t5bench, as every result records them.
struct RunContext {
  std::string date, version, git_commit;
  bool git_dirty = false;
  std::string cpu_model, machine_class, blas_core;
  std::vector<std::string> isa;
  int cores = 0, threads = 0;
  std::string model_name, weights;
};

struct BenchSuiteInfo {
  std::string name, description;
  int input_tokens = 0, output_tokens = 0, batch = 0, requests = 0, warmup = 0, runs = 0;
};

struct BenchRoofline {
  double read_gb_per_s = 0, sgemm_gflops = 0, decode_floor_ms = 0, encoder_floor_ms = 0;
  double decode_step_weight_bytes = 0;
};

// A ratio of one configuration to the first, measured in the same interleaved run.
struct BenchComparison {
  std::string configuration, against;
  std::map<std::string, double> values;  // end_to_end_p50_ratio, ... (every number the result has)
};

struct BenchResult {
  std::string path;
  RunContext context;
  BenchSuiteInfo suite;
  BenchRoofline roofline;
  std::vector<BenchConfiguration> configurations;  // the first is the baseline of every ratio
  std::vector<BenchComparison> comparisons;
};

// "overall" or one task of an accuracy result.
struct AccuracyFigures {
  int cases = 0, exact = 0, tie_aware = 0, ambiguous = 0, diverged = 0, compared_steps = 0;
  double exact_match_rate = 0, tie_aware_match_rate = 0, token_agreement = 0, mean_first_divergence_step = 0;
  double logit_max_abs_error = 0, logit_cosine_mean = 0, logit_cosine_min = 0;
  // Written since the gap error was introduced; absent from earlier schema-1 results.
  std::optional<double> gap_error_median, gap_error_p90, gap_error_max;
  std::optional<int> close_decisions;
  int tokenizer_checked = 0;
  double tokenizer_parity_rate = 0;
  int answered = 0;
  double task_accuracy = 0, reference_task_accuracy = 0;
  int beam_cases = 0, beam_equal = 0;  // beam fields are present only when beam_cases > 0
  double beam_match_rate = 0, beam_max_score_error = 0;
  // Teacher-forced figures: absent from results older than them (teacher_forced_steps stays 0), the KL and
  // dp ones also where the suite has no log-sum-exp (kld_steps stays 0).
  int teacher_forced_steps = 0, teacher_forced_ambiguous_steps = 0, kld_steps = 0;
  double teacher_forced_top1_agreement = 0, teacher_forced_top1_strict = 0, task_accuracy_ratio = 0;
  double kld_mean = 0, kld_p99 = 0, kld_max = 0, delta_p_mean = 0, delta_p_p99 = 0;
  // Every figure present, by the name the result file gives it (what a baseline threshold names).
  std::map<std::string, double> by_name() const;
};

struct Divergence {
  std::string id, task;
  int first_divergence = 0;
  double reference_margin = 0;
  bool ambiguous = false;
};

struct AccuracyResult {
  std::string path;
  RunContext context;
  std::string suite_name, suite_path, reference, configuration, precision;
  std::vector<std::string> switches;  // enabled in the configuration
  int suite_cases = 0;
  double tie_margin = 0;
  std::optional<double> close_gap;  // absent from results written before the gap error
  AccuracyFigures overall;
  std::vector<std::pair<std::string, AccuracyFigures>> per_task;
  std::vector<Divergence> divergences;
};

// A result file: exactly one of the two is set.
struct ResultFile {
  std::optional<BenchResult> bench;
  std::optional<AccuracyResult> accuracy;
};

// Reads a bench result (a top-level "configurations" array) or an accuracy result (a top-level
// "accuracy" object).
ResultFile read_result_file(const std::string& path);

}  // namespace t5bench
