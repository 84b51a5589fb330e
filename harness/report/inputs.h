#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace t5bench::report {

// What a report reads from result files, checked field by field when loaded: every missing or mistyped
// field is a t5::Error "<file>: <problem>" naming the field's full path, before anything is written.

// Order statistics of one metric over a configuration's runs.
struct Stat {
  double p50 = 0, p90 = 0, p99 = 0, mean = 0, stddev = 0, min = 0, max = 0;
  int samples = 0;
};

// The operation kinds of op_breakdown_ms, in the order reports show them.
constexpr int kOpKindCount = 7;
extern const char* const kOpKindNames[kOpKindCount];

struct BenchConfiguration {
  std::string name;
  std::vector<std::string> enabled;   // switches on; empty for none
  std::vector<double> end_to_end_ms;  // every measured run, in run order
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

struct BenchResult {
  std::string path;
  RunContext context;
  BenchSuiteInfo suite;
  BenchRoofline roofline;
  std::vector<BenchConfiguration> configurations;  // the first is the baseline of every ratio
};

// "overall" or one task of an accuracy result.
struct AccuracyFigures {
  int cases = 0, exact = 0, tie_aware = 0, ambiguous = 0, diverged = 0, compared_steps = 0;
  double exact_match_rate = 0, tie_aware_match_rate = 0, token_agreement = 0, mean_first_divergence_step = 0;
  double logit_max_abs_error = 0, logit_cosine_mean = 0, logit_cosine_min = 0;
  double gap_error_median = 0, gap_error_max = 0;
  int close_decisions = 0;
  int tokenizer_checked = 0;
  double tokenizer_parity_rate = 0;
  int answered = 0;
  double task_accuracy = 0, reference_task_accuracy = 0;
  int beam_cases = 0, beam_equal = 0;  // beam fields are present only when beam_cases > 0
  double beam_match_rate = 0, beam_max_score_error = 0;
  // Teacher-forced figures: absent from results older than them (teacher_forced_steps stays 0), the KL and
  // dp ones also where the suite has no log-sum-exp (kld_steps stays 0).
  int teacher_forced_steps = 0, teacher_forced_ambiguous_steps = 0, kld_steps = 0;
  double teacher_forced_top1_agreement = 0, task_accuracy_ratio = 0;
  double kld_mean = 0, kld_p99 = 0, kld_max = 0, delta_p_mean = 0, delta_p_p99 = 0;
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
  double close_gap = 0;
  AccuracyFigures overall;
  std::vector<std::pair<std::string, AccuracyFigures>> per_task;
  std::vector<Divergence> divergences;
};

struct ReportInputs {
  std::vector<BenchResult> bench;        // --results, in the order given
  std::vector<AccuracyResult> accuracy;  // --results, in the order given
  std::vector<BenchResult> history;      // earlier releases, oldest first
  std::map<std::string, std::string> notes;  // configuration name -> sentence
};

// Reads a bench result (a top-level "configurations" array) or an accuracy result (a top-level
// "accuracy" object) into `inputs`.
void load_result(const std::string& path, ReportInputs& inputs);

// Every *.json bench result in `directory`, ordered by version, then date. Accuracy results there are
// skipped; any other file is an error.
std::vector<BenchResult> load_history(const std::string& directory);

// {"<configuration name>": "sentence", ...}; every name must be a configuration of `bench`.
std::map<std::string, std::string> load_notes(const std::string& path, const std::vector<BenchResult>& bench);

// Release versions compared number by number ("0.10.0" after "0.9.1"); negative, zero or positive.
int compare_versions(const std::string& a, const std::string& b);

}  // namespace t5bench::report
