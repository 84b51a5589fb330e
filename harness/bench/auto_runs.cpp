#include "bench/auto_runs.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "stats/statistics.h"

namespace t5bench {

double widest_interval_percent(const std::vector<std::vector<double>>& samples) {
  constexpr double kUnbounded = std::numeric_limits<double>::infinity();
  if (samples.empty() || samples[0].empty()) return kUnbounded;
  const double first_median = percentile(samples[0], 0.5);
  if (first_median == 0) return kUnbounded;
  double widest = 0;
  if (samples.size() == 1) {
    const Shift median = median_interval(samples[0]);
    if (!median.bounded()) return kUnbounded;
    widest = (median.high - median.low) / 2;
  }
  for (size_t c = 1; c < samples.size(); ++c) {
    const Shift shift = hodges_lehmann(samples[0], samples[c]);
    if (!shift.bounded()) return kUnbounded;
    widest = std::max(widest, (shift.high - shift.low) / 2);
  }
  return widest / first_median * 100;
}

const char* stop_reason_name(StopReason reason) {
  switch (reason) {
    case StopReason::IntervalReached: return "interval";
    case StopReason::TimeLimit: return "time limit";
    case StopReason::KeepGoing: break;
  }
  return "running";
}

StopReason auto_runs_decision(const AutoRunsPolicy& policy, const std::vector<std::vector<double>>& samples,
                              double elapsed_seconds) {
  size_t rounds = samples.empty() ? 0 : samples[0].size();
  for (const std::vector<double>& s : samples) rounds = std::min(rounds, s.size());
  if (rounds < static_cast<size_t>(kMinAutoRounds)) return StopReason::KeepGoing;
  if (widest_interval_percent(samples) < policy.target_ci_percent) return StopReason::IntervalReached;
  if (elapsed_seconds >= policy.max_seconds) return StopReason::TimeLimit;
  return StopReason::KeepGoing;
}

AutoRunsOutcome run_rounds_until_clear(const AutoRunsPolicy& policy, const std::function<void()>& run_round,
                                       const std::function<std::vector<std::vector<double>>()>& samples,
                                       const std::function<double()>& elapsed_seconds) {
  AutoRunsOutcome outcome;
  while (outcome.reason == StopReason::KeepGoing) {
    run_round();
    ++outcome.rounds;
    outcome.reason = auto_runs_decision(policy, samples(), elapsed_seconds());
  }
  outcome.widest_interval_percent = widest_interval_percent(samples());
  return outcome;
}

}  // namespace t5bench
