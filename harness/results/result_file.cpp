#include "results/result_file.h"

#include <algorithm>
#include <climits>
#include <set>

#include "core/error.h"
#include "io/json_file.h"

namespace t5bench {

const char* const kOpKindNames[kOpKindCount] = {"attention", "cross_kv", "ffn", "lm_head", "norm", "embedding", "other"};

namespace {

// A JSON value with the file it came from and its path there ("configurations[2].statistics"), so that
// every error names the exact field.
struct Node {
  const t5::json* value;
  std::string path;
  const std::string* file;
};

// A value quoted in an error message, cut short so the message stays one line.
std::string brief(const t5::json& value) {
  const std::string text = value.dump();
  return text.size() <= 40 ? text : text.substr(0, 37) + "...";
}

[[noreturn]] void wrong_type(const Node& node, const char* expected) {
  t5::fail(*node.file, "field '" + node.path + "' must be " + expected + ", got " + brief(*node.value));
}

Node field(const Node& parent, const std::string& key) {
  if (!parent.value->is_object()) {
    if (parent.path.empty()) t5::fail(*parent.file, "expected a JSON object");
    wrong_type(parent, "an object");
  }
  const std::string path = parent.path.empty() ? key : parent.path + "." + key;
  const auto it = parent.value->find(key);
  if (it == parent.value->end()) t5::fail(*parent.file, "missing required field '" + path + "'");
  return {&*it, path, parent.file};
}

Node element(const Node& array, size_t index) {
  return {&(*array.value)[index], array.path + "[" + std::to_string(index) + "]", array.file};
}

double as_number(const Node& node) {
  if (!node.value->is_number()) wrong_type(node, "a number");
  return node.value->get<double>();
}

int as_int(const Node& node) {
  if (!node.value->is_number_integer()) wrong_type(node, "an integer");
  const int64_t v = node.value->get<int64_t>();
  if (v < INT_MIN || v > INT_MAX) wrong_type(node, "an integer in the range of int");
  return static_cast<int>(v);
}

std::string as_text(const Node& node) {
  if (!node.value->is_string()) wrong_type(node, "a string");
  return node.value->get<std::string>();
}

bool as_bool(const Node& node) {
  if (!node.value->is_boolean()) wrong_type(node, "true or false");
  return node.value->get<bool>();
}

double number(const Node& parent, const char* key) { return as_number(field(parent, key)); }
int integer(const Node& parent, const char* key) { return as_int(field(parent, key)); }
std::string text(const Node& parent, const char* key) { return as_text(field(parent, key)); }
bool boolean(const Node& parent, const char* key) { return as_bool(field(parent, key)); }

Node object(const Node& parent, const char* key) {
  Node node = field(parent, key);
  if (!node.value->is_object()) wrong_type(node, "an object");
  return node;
}

Node array(const Node& parent, const char* key) {
  Node node = field(parent, key);
  if (!node.value->is_array()) wrong_type(node, "an array");
  return node;
}

Node non_empty_array(const Node& parent, const char* key) {
  Node node = array(parent, key);
  if (node.value->empty()) t5::fail(*node.file, "field '" + node.path + "' is empty");
  return node;
}

// An optional field: absent (or null) gives nullopt, present must have the right type.
std::optional<Node> optional_field(const Node& parent, const char* key) {
  const auto it = parent.value->find(key);
  if (it == parent.value->end() || it->is_null()) return std::nullopt;
  return Node{&*it, parent.path + "." + key, parent.file};
}

std::optional<double> optional_number(const Node& parent, const char* key) {
  const std::optional<Node> node = optional_field(parent, key);
  return node ? std::optional<double>(as_number(*node)) : std::nullopt;
}

std::optional<int> optional_integer(const Node& parent, const char* key) {
  const std::optional<Node> node = optional_field(parent, key);
  return node ? std::optional<int>(as_int(*node)) : std::nullopt;
}

Stat read_stat(const Node& s) {
  if (!s.value->is_object()) wrong_type(s, "an object");
  Stat stat;
  stat.p50 = number(s, "p50");
  stat.p90 = number(s, "p90");
  stat.p99 = number(s, "p99");
  stat.mean = number(s, "mean");
  stat.stddev = number(s, "stddev");
  stat.min = number(s, "min");
  stat.max = number(s, "max");
  stat.samples = integer(s, "samples");
  return stat;
}

RunContext read_context(const Node& root) {
  const Node context = object(root, "context");
  const Node own = object(context, "t5bench");
  RunContext c;
  c.date = text(context, "date");
  c.version = text(own, "version");
  c.git_commit = text(own, "git_commit");
  c.git_dirty = boolean(own, "git_dirty");
  c.cpu_model = text(own, "cpu_model");
  // Since the kernel tiers, "isa" names the tier in use (it is in machine_class too) and "cpu_flags" holds the
  // CPU's flags, which earlier results called "isa".
  const Node flags = array(own, own.value->contains("cpu_flags") ? "cpu_flags" : "isa");
  for (size_t i = 0; i < flags.value->size(); ++i) c.isa.push_back(as_text(element(flags, i)));
  c.cores = integer(object(own, "topology"), "cores");
  c.machine_class = text(own, "machine_class");
  c.blas_core = text(object(own, "blas"), "core");
  c.threads = integer(own, "threads");
  const Node model = object(own, "model");
  c.model_name = text(model, "name");
  c.weights = text(model, "weights");
  return c;
}

// "none" or "fused_attention,preallocated_kv" as the bench writes Switches::enabled_list().
std::vector<std::string> split_switches(const std::string& list) {
  std::vector<std::string> names;
  if (list == "none") return names;
  size_t begin = 0;
  while (begin <= list.size()) {
    const size_t comma = std::min(list.find(',', begin), list.size());
    if (comma > begin) names.push_back(list.substr(begin, comma - begin));
    begin = comma + 1;
  }
  return names;
}

BenchConfiguration read_configuration(const Node& node) {
  BenchConfiguration c;
  c.name = text(node, "name");
  c.precision = text(node, "precision");
  c.enabled = split_switches(text(node, "enabled"));
  const Node runs = non_empty_array(node, "runs");
  for (size_t i = 0; i < runs.value->size(); ++i) {
    const Node run = element(runs, i);
    number(run, "end_to_end_ms");  // every run has it
    for (const auto& [key, value] : run.value->items()) c.runs[key].push_back(number(run, key.c_str()));
  }
  const Node statistics = object(node, "statistics");
  for (const auto& [metric, value] : statistics.value->items()) c.statistics[metric] = read_stat(field(statistics, metric));
  c.end_to_end = read_stat(field(statistics, "end_to_end_ms"));
  c.encoder = read_stat(field(statistics, "encoder_ms"));
  c.decoder = read_stat(field(statistics, "decoder_ms"));
  c.first_token = read_stat(field(statistics, "first_token_ms"));
  c.per_token = read_stat(field(statistics, "per_token_ms"));
  c.tokens_per_second = read_stat(field(statistics, "tokens_per_second"));
  const Node ops = object(node, "op_breakdown_ms");
  for (int k = 0; k < kOpKindCount; ++k) c.op_ms[k] = number(ops, kOpKindNames[k]);
  const Node roofline = object(node, "roofline");
  c.decode_floor_ms = number(roofline, "decode_floor_ms");
  c.decode_time_over_floor = number(roofline, "decode_time_over_floor");
  c.decode_fraction_of_floor = number(roofline, "decode_fraction_of_floor");
  c.encoder_fraction_of_sgemm_peak = number(roofline, "encoder_fraction_of_sgemm_peak");
  return c;
}

BenchResult read_bench(const Node& root) {
  BenchResult r;
  r.path = *root.file;
  r.context = read_context(root);
  const Node own = object(object(root, "context"), "t5bench");
  const Node suite = object(own, "suite");
  r.suite.name = text(suite, "name");
  r.suite.description = text(suite, "description");
  r.suite.input_tokens = integer(suite, "input_tokens");
  r.suite.output_tokens = integer(suite, "output_tokens");
  r.suite.batch = integer(suite, "batch");
  r.suite.requests = integer(suite, "requests");
  r.suite.warmup = integer(suite, "warmup");
  r.suite.runs = integer(suite, "runs");
  const Node roofline = object(own, "roofline");
  r.roofline.read_gb_per_s = number(roofline, "read_gb_per_s");
  r.roofline.sgemm_gflops = number(roofline, "sgemm_gflops");
  r.roofline.decode_floor_ms = number(roofline, "decode_floor_ms");
  r.roofline.encoder_floor_ms = number(roofline, "encoder_floor_ms");
  r.roofline.decode_step_weight_bytes = number(roofline, "decode_step_weight_bytes");
  const Node configurations = non_empty_array(root, "configurations");
  std::set<std::string> names;
  for (size_t i = 0; i < configurations.value->size(); ++i) {
    r.configurations.push_back(read_configuration(element(configurations, i)));
    // Names key the notes and the history lines, so each must be unique.
    if (!names.insert(r.configurations.back().name).second)
      t5::fail(r.path, "configuration '" + r.configurations.back().name + "' appears twice");
  }
  if (root.value->contains("comparisons")) {
    const Node comparisons = array(root, "comparisons");
    for (size_t i = 0; i < comparisons.value->size(); ++i) {
      const Node c = element(comparisons, i);
      BenchComparison comparison{text(c, "configuration"), text(c, "against"), {}};
      for (const auto& [key, value] : c.value->items())
        if (key != "configuration" && key != "against") comparison.values[key] = number(c, key.c_str());
      r.comparisons.push_back(std::move(comparison));
    }
  }
  return r;
}

AccuracyFigures read_figures(const Node& node) {
  AccuracyFigures f;
  f.cases = integer(node, "cases");
  f.exact = integer(node, "exact");
  f.exact_match_rate = number(node, "exact_match_rate");
  f.tie_aware = integer(node, "tie_aware");
  f.tie_aware_match_rate = number(node, "tie_aware_match_rate");
  f.ambiguous = integer(node, "ambiguous");
  f.token_agreement = number(node, "token_agreement");
  f.diverged = integer(node, "diverged");
  f.mean_first_divergence_step = number(node, "mean_first_divergence_step");
  f.compared_steps = integer(node, "compared_steps");
  f.logit_max_abs_error = number(node, "logit_max_abs_error");
  f.logit_cosine_mean = number(node, "logit_cosine_mean");
  f.logit_cosine_min = number(node, "logit_cosine_min");
  f.gap_error_median = optional_number(node, "gap_error_median");
  f.gap_error_p90 = optional_number(node, "gap_error_p90");
  f.gap_error_max = optional_number(node, "gap_error_max");
  f.close_decisions = optional_integer(node, "close_decisions");
  f.tokenizer_checked = integer(node, "tokenizer_checked");
  f.tokenizer_parity_rate = number(node, "tokenizer_parity_rate");
  f.answered = integer(node, "answered");
  f.task_accuracy = number(node, "task_accuracy");
  f.reference_task_accuracy = number(node, "reference_task_accuracy");
  f.beam_cases = integer(node, "beam_cases");
  if (f.beam_cases > 0) {
    f.beam_equal = integer(node, "beam_equal");
    f.beam_match_rate = number(node, "beam_match_rate");
    f.beam_max_score_error = number(node, "beam_max_score_error");
  }
  if (node.value->contains("teacher_forced_steps")) {
    f.teacher_forced_steps = integer(node, "teacher_forced_steps");
    f.teacher_forced_ambiguous_steps = integer(node, "teacher_forced_ambiguous_steps");
    f.teacher_forced_top1_agreement = number(node, "teacher_forced_top1_agreement");
    f.teacher_forced_top1_strict = number(node, "teacher_forced_top1_strict");
    f.task_accuracy_ratio = number(node, "task_accuracy_ratio");
  }
  if (node.value->contains("kld_steps")) {
    f.kld_steps = integer(node, "kld_steps");
    f.kld_mean = number(node, "kld_mean");
    f.kld_p99 = number(node, "kld_p99");
    f.kld_max = number(node, "kld_max");
    f.delta_p_mean = number(node, "delta_p_mean");
    f.delta_p_p99 = number(node, "delta_p_p99");
  }
  return f;
}

AccuracyResult read_accuracy(const Node& root) {
  AccuracyResult r;
  r.path = *root.file;
  r.context = read_context(root);
  const Node accuracy = object(root, "accuracy");
  const Node suite = object(accuracy, "suite");
  r.suite_name = text(suite, "name");
  r.suite_path = text(suite, "path");
  r.reference = text(suite, "reference");
  r.suite_cases = integer(suite, "cases");
  r.configuration = text(accuracy, "configuration");
  r.switches = split_switches(text(accuracy, "switches"));
  r.precision = text(accuracy, "precision");
  r.tie_margin = number(accuracy, "tie_margin");
  r.close_gap = optional_number(accuracy, "close_gap");
  r.overall = read_figures(object(accuracy, "overall"));
  const Node per_task = object(accuracy, "per_task");
  for (const auto& [task, value] : per_task.value->items())
    r.per_task.emplace_back(task, read_figures(object(per_task, task.c_str())));
  const Node divergences = array(accuracy, "divergences");
  for (size_t i = 0; i < divergences.value->size(); ++i) {
    const Node d = element(divergences, i);
    r.divergences.push_back({text(d, "id"), text(d, "task"), integer(d, "first_divergence"),
                             number(d, "reference_margin"), boolean(d, "ambiguous")});
  }
  return r;
}

}  // namespace

std::map<std::string, double> AccuracyFigures::by_name() const {
  std::map<std::string, double> figures = {
      {"cases", cases}, {"exact", exact}, {"exact_match_rate", exact_match_rate}, {"tie_aware", tie_aware},
      {"tie_aware_match_rate", tie_aware_match_rate}, {"ambiguous", ambiguous}, {"token_agreement", token_agreement},
      {"diverged", diverged}, {"mean_first_divergence_step", mean_first_divergence_step},
      {"compared_steps", compared_steps}, {"logit_max_abs_error", logit_max_abs_error},
      {"logit_cosine_mean", logit_cosine_mean}, {"logit_cosine_min", logit_cosine_min},
      {"tokenizer_checked", tokenizer_checked}, {"tokenizer_parity_rate", tokenizer_parity_rate},
      {"answered", answered}, {"task_accuracy", task_accuracy}, {"reference_task_accuracy", reference_task_accuracy},
      {"beam_cases", beam_cases}};
  const std::pair<const char*, std::optional<double>> optional[] = {
      {"gap_error_median", gap_error_median}, {"gap_error_p90", gap_error_p90}, {"gap_error_max", gap_error_max},
      {"close_decisions", close_decisions ? std::optional<double>(*close_decisions) : std::nullopt}};
  for (const auto& [name, value] : optional)
    if (value) figures[name] = *value;
  if (beam_cases > 0) {
    figures["beam_equal"] = beam_equal;
    figures["beam_match_rate"] = beam_match_rate;
    figures["beam_max_score_error"] = beam_max_score_error;
  }
  if (teacher_forced_steps > 0) {
    figures["teacher_forced_steps"] = teacher_forced_steps;
    figures["teacher_forced_ambiguous_steps"] = teacher_forced_ambiguous_steps;
    figures["teacher_forced_top1_agreement"] = teacher_forced_top1_agreement;
    figures["teacher_forced_top1_strict"] = teacher_forced_top1_strict;
    figures["task_accuracy_ratio"] = task_accuracy_ratio;
  }
  if (kld_steps > 0) {
    figures["kld_steps"] = kld_steps;
    figures["kld_mean"] = kld_mean;
    figures["kld_p99"] = kld_p99;
    figures["kld_max"] = kld_max;
    figures["delta_p_mean"] = delta_p_mean;
    figures["delta_p_p99"] = delta_p_p99;
  }
  return figures;
}

ResultFile read_result_file(const std::string& path) {
  const t5::json document = t5::read_json_file(path);
  const Node root{&document, "", &path};
  ResultFile file;
  if (document.is_object() && document.contains("configurations")) {
    file.bench = read_bench(root);
  } else if (document.is_object() && document.contains("accuracy")) {
    file.accuracy = read_accuracy(root);
  } else {
    t5::fail(path, "neither a bench result (no 'configurations' array) nor an accuracy result (no 'accuracy' object)");
  }
  return file;
}

}  // namespace t5bench
