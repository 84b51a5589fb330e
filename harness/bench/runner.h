#pragma once

#include <functional>
#include <string>
#include <vector>

#include "bench/auto_runs.h"
#include "bench/bench_suite.h"
#include "t5.h"

namespace t5bench {

// One measured run of one configuration: a request (or a stream of `requests`) at the suite's conditions.
struct RunRecord {
  double end_to_end_ms = 0;   // wall time of the whole run
  double encoder_ms = 0;      // per request, averaged over the run's requests
  double decoder_ms = 0;
  double first_token_ms = 0;
  double per_token_ms = 0;    // decode step time
  double cpu_ms = 0;          // process CPU time over the run (all threads)
  int requests = 1;
  int batch = 1;              // prompts per request, decoded together
  int output_tokens = 0;      // per prompt
  long peak_rss_kb = 0;       // peak resident set during the run
  t5::OpTimes op_times;       // summed over the run's requests

  double tokens_per_second() const {
    return end_to_end_ms > 0 ? requests * batch * output_tokens / (end_to_end_ms / 1e3) : 0;
  }
  double decode_tokens_per_second() const { return per_token_ms > 0 ? 1e3 / per_token_ms : 0; }
  double requests_per_second() const { return end_to_end_ms > 0 ? requests / (end_to_end_ms / 1e3) : 0; }
};

struct Configuration {
  std::string name;
  t5::Switches switches;
};

struct ConfigurationRuns {
  Configuration configuration;
  std::vector<int> pinned_processors;
  std::vector<RunRecord> runs;  // measured runs only, warmups dropped
};

// Called before each run: (index of the run over all configurations, total, configuration, is_warmup).
using ProgressCallback = std::function<void(int done, int total, const std::string& configuration, bool warmup)>;

// Runs every configuration over the suite, interleaved (A B A B ...) so machine drift hits all alike:
// the warmups first, then suite.runs measured rounds, or with `auto_runs` as many rounds as its rule
// asks for (how many and why it stopped go to `outcome`). Polls the interrupt flag between runs.
std::vector<ConfigurationRuns> run_interleaved(t5::Engine& engine, const t5::Model& model, const BenchSuite& suite,
                                               const std::vector<Configuration>& configurations,
                                               const ProgressCallback& progress,
                                               const AutoRunsPolicy* auto_runs = nullptr,
                                               AutoRunsOutcome* outcome = nullptr);

}  // namespace t5bench
