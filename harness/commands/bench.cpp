// t5bench bench: configurations run interleaved over a suite; results to JSON, a table to the terminal.

#include <cmath>
#include <cstdio>
#include <optional>
#include <sstream>

#include "bench/bench_suite.h"
#include "bench/console_reporter.h"
#include "bench/json_reporter.h"
#include "bench/roofline.h"
#include "bench/runner.h"
#include "bench/sysinfo.h"
#include "cli/args.h"
#include "cli/model_args.h"
#include "commands/commands.h"
#include "io/atomic_file.h"

namespace t5bench {

namespace {

// "baseline,optimized", or "ablation": baseline, optimized and each optimization alone.
std::vector<Configuration> parse_configurations(const std::string& list) {
  std::vector<std::string> names;
  std::stringstream in(list);
  for (std::string name; std::getline(in, name, ',');) {
    if (name == "ablation") {
      names.push_back("baseline");
      names.push_back("optimized");
      for (const std::string& s : t5::Switches::names()) names.push_back(s);
    } else {
      names.push_back(name);
    }
  }
  if (names.empty()) throw UsageError("option '--configs' names no configuration");
  std::vector<Configuration> configurations;
  for (const std::string& name : names) {
    for (const Configuration& c : configurations)
      if (c.name == name) throw UsageError("option '--configs' names '" + name + "' twice");
    configurations.push_back({name, parse_configuration(name)});
  }
  return configurations;
}

}  // namespace

int run_bench(const std::vector<std::string>& argv) {
  Args::Spec spec{{"suite", "configs", "warmup", "runs", "target-ci", "max-seconds", "out"}, {}, {}};
  add_model_options(spec);
  Args args("bench", argv, spec);
  const std::string out_path = args.required("out");
  const std::vector<Configuration> configurations = parse_configurations(args.value("configs").value_or("baseline,optimized"));
  BenchSuite suite = load_bench_suite(args.required("suite"));
  suite.warmup = static_cast<int>(args.integer("warmup", suite.warmup, 0, 1000));
  std::optional<AutoRunsPolicy> auto_runs;
  if (args.value("runs") == "auto") {
    auto_runs = AutoRunsPolicy{args.number("target-ci", 2, 0.01, 100), args.number("max-seconds", 300, 1, 1e6)};
  } else {
    if (args.has("target-ci") || args.has("max-seconds"))
      throw UsageError("options '--target-ci' and '--max-seconds' go with '--runs auto'");
    suite.runs = static_cast<int>(args.integer("runs", suite.runs, 1, 100000));
  }

  std::unique_ptr<t5::Model> model = load_model(args);
  const t5::T5Config& c = model->config();
  t5::Engine engine(*model, thread_count(args));

  BenchInfo info;
  info.command_line = join_command_line("bench", argv);
  info.suite = suite;
  info.threads = engine.threads();
  info.model = model_description(*model);
  info.decode_step_weight_bytes = model->decode_step_weight_bytes();
  const unsigned long long length = static_cast<unsigned long long>(suite.input_tokens);
  info.encoder_flops = 2 * length * model->encoder_macs_per_token() +
                       4 * length * length * static_cast<unsigned long long>(c.inner_dim()) * c.num_layers +
                       2 * length * 2ull * c.inner_dim() * c.d_model * c.num_decoder_layers;  // cross K/V, once
  info.roofline.probe_bytes = 512ull << 20;
  probe_roofline(info.roofline, engine.pool(), suite.input_tokens, 2 * c.d_ff, c.d_model);

  ProgressBar progress;
  AutoRunsOutcome outcome;
  const std::vector<ConfigurationRuns> results = run_interleaved(
      engine, *model, suite, configurations,
      [&](int done, int total, const std::string& name, bool warmup) { progress.update(done, total, name, warmup); },
      auto_runs ? &*auto_runs : nullptr, &outcome);
  progress.finish();
  if (auto_runs) {
    info.suite.runs = outcome.rounds;
    info.runs_auto = {{"target_ci_percent", auto_runs->target_ci_percent},
                      {"max_seconds", auto_runs->max_seconds},
                      {"rounds", outcome.rounds},
                      {"stop_reason", stop_reason_name(outcome.reason)},
                      {"widest_interval_percent", std::isfinite(outcome.widest_interval_percent)
                                                      ? t5::json(outcome.widest_interval_percent)
                                                      : t5::json(nullptr)}};
  }
  probe_roofline(info.roofline, engine.pool(), suite.input_tokens, 2 * c.d_ff, c.d_model);

  const t5::json result = bench_result_json(info, results);
  write_file_atomically(out_path, result.dump(2) + "\n");
  print_bench_table(result, stdout);
  if (auto_runs)
    std::printf("--runs auto: %d rounds, stopped by the %s (widest 95%% interval ±%.2f%%, target ±%.2f%%)\n",
                outcome.rounds, stop_reason_name(outcome.reason), outcome.widest_interval_percent,
                auto_runs->target_ci_percent);
  std::printf("wrote %s\n", out_path.c_str());
  return 0;
}

}  // namespace t5bench
