#include "report/inputs.h"

#include <algorithm>
#include <climits>
#include <filesystem>
#include <set>

#include "core/error.h"
#include "io/json_file.h"

namespace t5bench::report {

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

Stat read_stat(const Node& statistics, const char* metric) {
  const Node s = object(statistics, metric);
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
  c.enabled = split_switches(text(node, "enabled"));
  const Node runs = non_empty_array(node, "runs");
  for (size_t i = 0; i < runs.value->size(); ++i) c.end_to_end_ms.push_back(number(element(runs, i), "end_to_end_ms"));
  const Node statistics = object(node, "statistics");
  c.end_to_end = read_stat(statistics, "end_to_end_ms");
  c.encoder = read_stat(statistics, "encoder_ms");
  c.decoder = read_stat(statistics, "decoder_ms");
  c.first_token = read_stat(statistics, "first_token_ms");
  c.per_token = read_stat(statistics, "per_token_ms");
  c.tokens_per_second = read_stat(statistics, "tokens_per_second");
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
  f.gap_error_median = number(node, "gap_error_median");
  f.gap_error_max = number(node, "gap_error_max");
  f.close_decisions = integer(node, "close_decisions");
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
  r.close_gap = number(accuracy, "close_gap");
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

std::vector<std::string> version_parts(const std::string& version) {
  std::vector<std::string> parts(1);
  for (char c : version) {
    if (c == '.' || c == '-' || c == '+') parts.emplace_back();
    else parts.back() += c;
  }
  return parts;
}

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

int compare_versions(const std::string& a, const std::string& b) {
  const std::vector<std::string> pa = version_parts(a), pb = version_parts(b);
  for (size_t i = 0; i < std::max(pa.size(), pb.size()); ++i) {
    std::string x = i < pa.size() ? pa[i] : "0", y = i < pb.size() ? pb[i] : "0";
    if (all_digits(x) && all_digits(y)) {
      // Numbers of any length: without leading zeros, the longer is larger, else compare as text.
      x.erase(0, std::min(x.find_first_not_of('0'), x.size() - 1));
      y.erase(0, std::min(y.find_first_not_of('0'), y.size() - 1));
      if (x.size() != y.size()) return x.size() < y.size() ? -1 : 1;
    }
    if (const int c = x.compare(y); c != 0) return c < 0 ? -1 : 1;
  }
  return 0;
}

void load_result(const std::string& path, ReportInputs& inputs) {
  const t5::json document = t5::read_json_file(path);
  const Node root{&document, "", &path};
  if (document.is_object() && document.contains("configurations")) {
    inputs.bench.push_back(read_bench(root));
  } else if (document.is_object() && document.contains("accuracy")) {
    inputs.accuracy.push_back(read_accuracy(root));
  } else {
    t5::fail(path, "neither a bench result (no 'configurations' array) nor an accuracy result (no 'accuracy' object)");
  }
}

std::vector<BenchResult> load_history(const std::string& directory) {
  std::error_code error;
  std::filesystem::directory_iterator entries(directory, error);
  if (error) t5::fail(directory, "cannot read the history directory: " + error.message());
  std::vector<std::string> paths;
  for (const std::filesystem::directory_entry& entry : entries)
    if (entry.path().extension() == ".json" && entry.is_regular_file()) paths.push_back(entry.path().string());
  std::sort(paths.begin(), paths.end());  // a stable order for releases that tie on version and date

  std::vector<BenchResult> history;
  for (const std::string& path : paths) {
    const t5::json document = t5::read_json_file(path);
    if (document.is_object() && document.contains("accuracy") && !document.contains("configurations")) continue;
    history.push_back(read_bench({&document, "", &path}));
  }
  std::stable_sort(history.begin(), history.end(), [](const BenchResult& a, const BenchResult& b) {
    const int order = compare_versions(a.context.version, b.context.version);
    return order != 0 ? order < 0 : a.context.date < b.context.date;
  });
  return history;
}

std::map<std::string, std::string> load_notes(const std::string& path, const std::vector<BenchResult>& bench) {
  const t5::json document = t5::read_json_file(path);
  if (!document.is_object()) t5::fail(path, "expected a JSON object of configuration name to sentence");
  std::map<std::string, std::string> notes;
  for (const auto& [name, sentence] : document.items()) {
    if (!sentence.is_string()) t5::fail(path, "note for '" + name + "' must be a string, got " + brief(sentence));
    bool known = false;
    for (const BenchResult& r : bench)
      for (const BenchConfiguration& c : r.configurations) known = known || c.name == name;
    if (!known) t5::fail(path, "note for '" + name + "' names no configuration of the bench results");
    notes[name] = sentence.get<std::string>();
  }
  return notes;
}

}  // namespace t5bench::report
