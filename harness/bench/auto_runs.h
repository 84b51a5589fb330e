#pragma once

#include <functional>
#include <string>
#include <vector>

namespace t5bench {

// `bench --runs auto`: measured rounds (every configuration once, interleaved) continue after the warmup,
// at least kMinAutoRounds of them, until every configuration's P50 is known to within ±target percent at
// 95% confidence, or max_seconds of measuring have passed. As MLPerf LoadGen's early stopping and Google
// Benchmark's repetitions, the rule looks only at the runs so far.
constexpr int kMinAutoRounds = 5;

struct AutoRunsPolicy {
  double target_ci_percent = 2;
  double max_seconds = 300;
};

// The widest 95% interval, as a ± half-width in percent of the first configuration's median, over the
// configurations' end-to-end runs (samples[c], one per round): each configuration after the first by the
// Hodges-Lehmann interval of its shift from the first (the P50 ratio's uncertainty); a lone configuration
// by the order-statistic interval of its own median. Infinite while an interval is unbounded (too few runs).
double widest_interval_percent(const std::vector<std::vector<double>>& samples);

enum class StopReason { KeepGoing, IntervalReached, TimeLimit };
const char* stop_reason_name(StopReason reason);  // "interval", "time limit"

// The stopping rule, a pure function of the runs so far and the seconds spent measuring them.
StopReason auto_runs_decision(const AutoRunsPolicy& policy, const std::vector<std::vector<double>>& samples,
                              double elapsed_seconds);

struct AutoRunsOutcome {
  int rounds = 0;
  StopReason reason = StopReason::KeepGoing;
  double widest_interval_percent = 0;
};

// Calls run_round (which adds one run per configuration) until the rule says stop. `samples` gives the
// end-to-end runs so far and `elapsed_seconds` the measuring time: the real clock in bench, a fake one in
// tests.
AutoRunsOutcome run_rounds_until_clear(const AutoRunsPolicy& policy, const std::function<void()>& run_round,
                                       const std::function<std::vector<std::vector<double>>()>& samples,
                                       const std::function<double()>& elapsed_seconds);

}  // namespace t5bench
