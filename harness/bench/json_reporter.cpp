#include "bench/json_reporter.h"

#include <algorithm>

#include "bench/sysinfo.h"

namespace t5bench {

namespace {

std::vector<double> values_of(const std::vector<RunRecord>& runs, double (*value)(const RunRecord&)) {
  std::vector<double> values;
  for (const RunRecord& r : runs) values.push_back(value(r));
  return values;
}

double end_to_end(const RunRecord& r) { return r.end_to_end_ms; }
double cpu(const RunRecord& r) { return r.cpu_ms; }

// One Google Benchmark entry; counters are every metric but end-to-end (which is real_time).
t5::json benchmark_entry(const std::string& name, int family, int threads, int repetitions, double real_time,
                         double cpu_time, const std::vector<std::pair<std::string, double>>& counters) {
  t5::json entry = {{"name", name},          {"family_index", family},
                    {"per_family_instance_index", 0}, {"run_name", name},
                    {"repetitions", repetitions},     {"threads", threads},
                    {"iterations", 1},                {"real_time", real_time},
                    {"cpu_time", cpu_time},           {"time_unit", "ms"}};
  for (const auto& [key, value] : counters) entry[key] = value;
  return entry;
}

}  // namespace

const std::vector<Metric>& run_metrics() {
  static const std::vector<Metric> metrics = {
      {"end_to_end_ms", "ms", [](const RunRecord& r) { return r.end_to_end_ms; }},
      {"encoder_ms", "ms", [](const RunRecord& r) { return r.encoder_ms; }},
      {"decoder_ms", "ms", [](const RunRecord& r) { return r.decoder_ms; }},
      {"first_token_ms", "ms", [](const RunRecord& r) { return r.first_token_ms; }},
      {"per_token_ms", "ms", [](const RunRecord& r) { return r.per_token_ms; }},
      {"tokens_per_second", "1/s", [](const RunRecord& r) { return r.tokens_per_second(); }},
      {"decode_tokens_per_second", "1/s", [](const RunRecord& r) { return r.decode_tokens_per_second(); }},
      {"requests_per_second", "1/s", [](const RunRecord& r) { return r.requests_per_second(); }},
      {"peak_rss_mb", "MiB", [](const RunRecord& r) { return static_cast<double>(r.peak_rss_kb) / 1024.0; }},
  };
  return metrics;
}

t5::json summary_json(const Summary& s) {
  return {{"p50", s.p50}, {"p90", s.p90}, {"p99", s.p99},   {"mean", s.mean},
          {"stddev", s.stddev}, {"min", s.min}, {"max", s.max}, {"samples", s.count}};
}

t5::json bench_result_json(const BenchInfo& info, const std::vector<ConfigurationRuns>& results) {
  t5::json context = machine_context(info.command_line);
  t5::json& own = context["t5bench"];
  own["threads"] = info.threads;
  own["model"] = info.model;
  own["suite"] = {{"name", info.suite.name},
                  {"path", info.suite.path},
                  {"description", info.suite.description},
                  {"input_tokens", info.suite.input_tokens},
                  {"output_tokens", info.suite.output_tokens},
                  {"batch", info.suite.batch},
                  {"requests", info.suite.requests},
                  {"warmup", info.suite.warmup},
                  {"runs", info.suite.runs},
                  {"prompts", info.suite.prompt_kind}};
  if (!info.runs_auto.is_null()) own["runs_auto"] = info.runs_auto;
  const double floor_ms = info.roofline.read_gb_per_s > 0
                              ? static_cast<double>(info.decode_step_weight_bytes) / (info.roofline.read_gb_per_s * 1e6)
                              : 0;
  const double encoder_floor_ms =
      info.roofline.sgemm_gflops > 0 ? static_cast<double>(info.encoder_flops) / (info.roofline.sgemm_gflops * 1e6) : 0;
  own["roofline"] = {{"read_gb_per_s", info.roofline.read_gb_per_s},
                     {"read_gb_per_s_probes", info.roofline.read_gb_per_s_probes},
                     {"probe_bytes", info.roofline.probe_bytes},
                     {"sgemm_gflops", info.roofline.sgemm_gflops},
                     {"sgemm_gflops_probes", info.roofline.sgemm_gflops_probes},
                     {"decode_step_weight_bytes", info.decode_step_weight_bytes},
                     {"decode_floor_ms", floor_ms},
                     {"encoder_flops", info.encoder_flops},
                     {"encoder_floor_ms", encoder_floor_ms}};

  t5::json benchmarks = t5::json::array();
  t5::json configurations = t5::json::array();
  int family = 0;
  for (const ConfigurationRuns& c : results) {
    const std::string name = info.suite.name + "/" + c.configuration.name;
    const int repetitions = static_cast<int>(c.runs.size());
    // Iteration entries, one per run.
    for (int i = 0; i < repetitions; ++i) {
      const RunRecord& r = c.runs[static_cast<size_t>(i)];
      std::vector<std::pair<std::string, double>> counters;
      for (const Metric& m : run_metrics())
        if (std::string(m.name) != "end_to_end_ms") counters.emplace_back(m.name, m.value(r));
      t5::json entry = benchmark_entry(name, family, info.threads, repetitions, r.end_to_end_ms, r.cpu_ms, counters);
      entry["run_type"] = "iteration";
      entry["repetition_index"] = i;
      benchmarks.push_back(entry);
    }
    // Aggregates over the runs, of real_time, cpu_time and every counter.
    const Summary e2e = summarize(values_of(c.runs, end_to_end)), cpu_time = summarize(values_of(c.runs, cpu));
    std::vector<std::pair<std::string, Summary>> counter_summaries;
    for (const Metric& m : run_metrics())
      if (std::string(m.name) != "end_to_end_ms") counter_summaries.emplace_back(m.name, summarize(values_of(c.runs, m.value)));
    const std::pair<const char*, double (*)(const Summary&)> aggregates[] = {
        {"mean", [](const Summary& s) { return s.mean; }},   {"median", [](const Summary& s) { return s.p50; }},
        {"stddev", [](const Summary& s) { return s.stddev; }}, {"cv", [](const Summary& s) { return s.cv(); }},
        {"p90", [](const Summary& s) { return s.p90; }},     {"p99", [](const Summary& s) { return s.p99; }},
        {"min", [](const Summary& s) { return s.min; }},     {"max", [](const Summary& s) { return s.max; }}};
    for (const auto& [aggregate, pick] : aggregates) {
      std::vector<std::pair<std::string, double>> counters;
      for (const auto& [counter, summary] : counter_summaries) counters.emplace_back(counter, pick(summary));
      t5::json entry = benchmark_entry(name + "_" + aggregate, family, info.threads, repetitions, pick(e2e),
                                       pick(cpu_time), counters);
      entry["run_name"] = name;
      entry["run_type"] = "aggregate";
      entry["aggregate_name"] = aggregate;
      entry["aggregate_unit"] = std::string(aggregate) == "cv" ? "percentage" : "time";
      entry["iterations"] = repetitions;
      benchmarks.push_back(entry);
    }
    ++family;

    // t5bench's own record of the configuration.
    t5::json switches = t5::json::object();
    for (const std::string& s : t5::Switches::names()) switches[s] = c.configuration.switches.get(s);
    t5::json runs = t5::json::array();
    t5::OpTimes ops;
    for (const RunRecord& r : c.runs) {
      t5::json run = t5::json::object();
      for (const Metric& m : run_metrics()) run[m.name] = m.value(r);
      run["cpu_ms"] = r.cpu_ms;
      runs.push_back(run);
      ops.add(r.op_times);
    }
    t5::json statistics = t5::json::object();
    for (const Metric& m : run_metrics()) statistics[m.name] = summary_json(summarize(values_of(c.runs, m.value)));
    t5::json breakdown = t5::json::object();
    const double per_request = repetitions > 0 ? 1e3 / (repetitions * info.suite.requests) : 0;
    for (int k = 0; k < static_cast<int>(t5::OpKind::Count); ++k)
      breakdown[t5::op_kind_name(static_cast<t5::OpKind>(k))] = ops.seconds[k] * per_request;
    const Summary per_token = summarize(values_of(c.runs, [](const RunRecord& r) { return r.per_token_ms; }));
    const Summary encoder = summarize(values_of(c.runs, [](const RunRecord& r) { return r.encoder_ms; }));
    configurations.push_back({
        {"name", c.configuration.name},
        {"switches", switches},
        {"enabled", c.configuration.switches.enabled_list()},
        {"pinned_processors", c.pinned_processors},
        {"precision", info.model.value("weights", "f32")},
        {"runs", runs},
        {"statistics", statistics},
        {"op_breakdown_ms", breakdown},
        {"roofline",
         {{"decode_floor_ms", floor_ms},
          {"per_token_p50_ms", per_token.p50},
          {"decode_time_over_floor", floor_ms > 0 ? per_token.p50 / floor_ms : 0},
          {"decode_fraction_of_floor", per_token.p50 > 0 ? floor_ms / per_token.p50 : 0},
          {"encoder_floor_ms", encoder_floor_ms},
          {"encoder_fraction_of_sgemm_peak", encoder.p50 > 0 ? encoder_floor_ms / encoder.p50 : 0}}},
    });
  }

  t5::json comparisons = t5::json::array();
  if (!results.empty()) {
    const t5::json& reference = configurations[0]["statistics"];
    for (size_t i = 1; i < results.size(); ++i) {
      const t5::json& s = configurations[i]["statistics"];
      auto ratio = [&](const char* metric, const char* stat) {
        const double base = reference[metric][stat].get<double>();
        return base != 0 ? s[metric][stat].get<double>() / base : 0.0;
      };
      // The same effect size compare and gate report: the Hodges-Lehmann shift of the runs with its 95%
      // interval (bounds left out while too few runs bound it) and the two-sided Mann-Whitney p-value.
      const std::vector<double> first = values_of(results[0].runs, end_to_end), runs = values_of(results[i].runs, end_to_end);
      const Shift shift = hodges_lehmann(first, runs);
      t5::json comparison = {{"configuration", results[i].configuration.name},
                             {"against", results[0].configuration.name},
                             {"end_to_end_p50_ratio", ratio("end_to_end_ms", "p50")},
                             {"end_to_end_mean_ratio", ratio("end_to_end_ms", "mean")},
                             {"encoder_p50_ratio", ratio("encoder_ms", "p50")},
                             {"decoder_p50_ratio", ratio("decoder_ms", "p50")},
                             {"per_token_p50_ratio", ratio("per_token_ms", "p50")},
                             {"tokens_per_second_p50_ratio", ratio("tokens_per_second", "p50")},
                             {"requests_per_second_p50_ratio", ratio("requests_per_second", "p50")},
                             {"end_to_end_shift_ms", shift.estimate},
                             {"end_to_end_p_value", mann_whitney(runs, first).p_two_sided}};
      if (shift.bounded()) {
        comparison["end_to_end_shift_low_ms"] = shift.low;
        comparison["end_to_end_shift_high_ms"] = shift.high;
      }
      comparisons.push_back(comparison);
    }
  }
  return {{"context", context}, {"benchmarks", benchmarks}, {"configurations", configurations}, {"comparisons", comparisons}};
}

}  // namespace t5bench
