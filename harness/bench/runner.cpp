#include "bench/runner.h"

#include <time.h>

#include <chrono>
#include <fstream>
#include <string>

#include "cli/interrupt.h"

namespace t5bench {

namespace {

double process_cpu_ms() {
  timespec ts;
  ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

// Linux keeps a high-water mark of resident memory (VmHWM); writing 5 to clear_refs resets it, so each
// run reports its own peak. Where the reset is refused, the mark is the process-wide peak.
void reset_peak_rss() {
  std::ofstream refs("/proc/self/clear_refs");
  if (refs) refs << "5";
}

long peak_rss_kb() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6);
  return 0;
}

RunRecord run_once(t5::Engine& engine, const std::vector<std::vector<int32_t>>& prompts, int first_prompt,
                   const BenchSuite& suite) {
  t5::GenerateOptions options;
  options.max_new_tokens = suite.output_tokens;
  options.ignore_eos = true;
  RunRecord record;
  record.requests = suite.requests;
  record.batch = suite.batch;
  record.output_tokens = suite.output_tokens;
  reset_peak_rss();
  const double cpu_start = process_cpu_ms();
  const auto start = std::chrono::steady_clock::now();
  auto add = [&](const t5::GenerationTimes& g) {
    record.encoder_ms += g.encoder_seconds * 1e3;
    record.decoder_ms += g.decoder_seconds * 1e3;
    record.first_token_ms += g.first_token_seconds * 1e3;
    record.per_token_ms += g.decoder_seconds * 1e3 / static_cast<double>(g.step_seconds.size());
    record.op_times.add(g.op_times);
  };
  if (suite.batch == 1 && suite.requests > 1) {  // a stream: the overlap switch pipelines it
    std::vector<std::vector<int32_t>> requests;
    for (int r = 0; r < suite.requests; ++r) requests.push_back(prompts[static_cast<size_t>(first_prompt + r) % prompts.size()]);
    engine.generate_stream(requests, options, [&](size_t, const t5::Generation& g) { add(g); });
  } else {
    for (int r = 0; r < suite.requests; ++r) {
      std::vector<std::vector<int32_t>> inputs;
      for (int b = 0; b < suite.batch; ++b)
        inputs.push_back(prompts[static_cast<size_t>((first_prompt + r) * suite.batch + b) % prompts.size()]);
      add(engine.generate_batch(inputs, options));
    }
  }
  record.end_to_end_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  record.cpu_ms = process_cpu_ms() - cpu_start;
  record.peak_rss_kb = peak_rss_kb();
  const double n = suite.requests;
  record.encoder_ms /= n;
  record.decoder_ms /= n;
  record.first_token_ms /= n;
  record.per_token_ms /= n;
  return record;
}

}  // namespace

std::vector<ConfigurationRuns> run_interleaved(t5::Engine& engine, const t5::Model& model, const BenchSuite& suite,
                                               const std::vector<Configuration>& configurations,
                                               const ProgressCallback& progress, const AutoRunsPolicy* auto_runs,
                                               AutoRunsOutcome* outcome) {
  // Automatic runs cycle through the prompts of the minimum number of rounds; every round still gives
  // every configuration the same prompts.
  const int planned = suite.warmup + (auto_runs ? kMinAutoRounds : suite.runs);
  const std::vector<std::vector<int32_t>> prompts =
      bench_prompts(suite, model.config(), std::max(1, suite.requests * suite.batch * planned));
  std::vector<ConfigurationRuns> results;
  for (const Configuration& c : configurations) results.push_back({c, {}, {}});
  const int per_round = static_cast<int>(configurations.size());
  int done = 0, round = 0;
  auto run_round = [&](bool warmup) {
    // Under --runs auto the total is only known at the end: the bar shows at least one round to go.
    const int total = std::max(planned, round + 1 + (auto_runs && !warmup ? 1 : 0)) * per_round;
    for (ConfigurationRuns& result : results) {
      throw_if_interrupted();
      if (progress) progress(done, total, result.configuration.name, warmup);
      engine.set_switches(result.configuration.switches);
      result.pinned_processors = engine.pinned_processors();
      RunRecord record = run_once(engine, prompts, round * suite.requests, suite);
      if (!warmup) result.runs.push_back(record);
      ++done;
    }
    ++round;
  };
  for (int w = 0; w < suite.warmup; ++w) run_round(true);
  if (auto_runs) {
    const auto start = std::chrono::steady_clock::now();
    const AutoRunsOutcome o = run_rounds_until_clear(
        *auto_runs, [&] { run_round(false); },
        [&] {
          std::vector<std::vector<double>> samples;
          for (const ConfigurationRuns& r : results) {
            samples.emplace_back();
            for (const RunRecord& run : r.runs) samples.back().push_back(run.end_to_end_ms);
          }
          return samples;
        },
        [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); });
    if (outcome) *outcome = o;
  } else {
    for (int r = 0; r < suite.runs; ++r) run_round(false);
  }
  if (progress) progress(done, done, "", false);
  return results;
}

}  // namespace t5bench
