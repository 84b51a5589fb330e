// The stopping rule of `bench --runs auto`, on synthetic samples and a fake clock: no timings.

#include "bench/auto_runs.h"

#include <gtest/gtest.h>

#include <cmath>

#include "io/json_file.h"
#include "support/shared_data.h"

namespace {

// Two configurations whose runs come from `next_a` and `next_b`; each round costs `seconds_per_round` on
// the fake clock.
t5bench::AutoRunsOutcome simulate(const t5bench::AutoRunsPolicy& policy, const std::function<double(int)>& next_a,
                                  const std::function<double(int)>& next_b, double seconds_per_round) {
  std::vector<std::vector<double>> samples(2);
  double clock = 0;
  return t5bench::run_rounds_until_clear(
      policy,
      [&] {
        const int round = static_cast<int>(samples[0].size());
        samples[0].push_back(next_a(round));
        samples[1].push_back(next_b(round));
        clock += seconds_per_round;
      },
      [&] { return samples; }, [&] { return clock; });
}

// A quiet machine and a clear difference (B 30% faster, runs within ±1%): the minimum 5 rounds bound the
// shift to well within ±2%, so it stops there, long before the time limit.
TEST(AutoRuns, StopsEarlyOnAQuietClearDifference) {
  const t5bench::AutoRunsOutcome o = simulate(
      {2, 600}, [](int r) { return 100 + (r % 3) * 0.5; }, [](int r) { return 70 + (r % 2) * 0.5; }, 1);
  EXPECT_EQ(o.rounds, t5bench::kMinAutoRounds);
  EXPECT_EQ(o.reason, t5bench::StopReason::IntervalReached);
  EXPECT_STREQ(t5bench::stop_reason_name(o.reason), "interval");
  EXPECT_LT(o.widest_interval_percent, 2);
}

// Noise of ±40% never narrows the interval to ±2% in 60 rounds, so it runs until the 60 s are spent.
TEST(AutoRuns, RunsToTheLimitOnANoisyMachine) {
  auto noisy = [](int r) { return 100 + 40 * std::sin(r * 2.4); };  // deterministic, spread over [60, 140]
  const t5bench::AutoRunsOutcome o = simulate({2, 60}, noisy, [&](int r) { return noisy(r + 7); }, 1);
  EXPECT_EQ(o.rounds, 60);
  EXPECT_EQ(o.reason, t5bench::StopReason::TimeLimit);
  EXPECT_STREQ(t5bench::stop_reason_name(o.reason), "time limit");
  EXPECT_GT(o.widest_interval_percent, 2);
}

// However fast the rounds, at least 5 run; a time limit already passed ends it right after them.
TEST(AutoRuns, RunsAtLeastFiveRounds) {
  const t5bench::AutoRunsOutcome o = simulate({0.01, 1}, [](int r) { return 100.0 + r; }, [](int r) { return 300.0 - r; }, 100);
  EXPECT_EQ(o.rounds, 5);
  EXPECT_EQ(o.reason, t5bench::StopReason::TimeLimit);
}

// The interval itself, worked by hand: first 100..108 (step 2), second 109, 111, 113, 115, 130: the 95%
// Hodges-Lehmann interval of the shift is [3, 26] (see statistics_test), half-width 11.5 over the first
// median 104: ±11.06%. A lone configuration uses its median's interval: 6 runs 10..15 give [10, 15],
// ±2.5 over the median 12.5: ±20%; 5 runs are too few (P(Binomial(5, 1/2) = 0) = 1/32 > 2.5%).
TEST(AutoRuns, IntervalWidthAsPercentOfTheFirstMedian) {
  EXPECT_NEAR(t5bench::widest_interval_percent({{100, 102, 104, 106, 108}, {109, 111, 113, 115, 130}}), 11.5 / 104 * 100, 1e-12);
  EXPECT_DOUBLE_EQ(t5bench::widest_interval_percent({{10, 11, 12, 13, 14, 15}}), 20);
  EXPECT_TRUE(std::isinf(t5bench::widest_interval_percent({{10, 11, 12, 13, 14}})));
  // Below the minimum rounds the rule never stops, whatever the clock says.
  EXPECT_EQ(t5bench::auto_runs_decision({50, 1}, {{1, 1, 1, 1}, {1, 1, 1, 1}}, 1000), t5bench::StopReason::KeepGoing);
}

// The command records what the rule did: as many runs as rounds, at least 5, and why it stopped. (Which
// reason depends on this machine's timings, so either is accepted; the rule itself is tested above.)
TEST(AutoRuns, BenchRecordsRoundsAndStopReason) {
  t5test::TempDir dir("auto-runs");
  const std::string config = t5test::write_tiny_config(dir);
  t5test::write_file(dir.file("suite.json"), R"({"name": "tiny", "input_tokens": 8, "output_tokens": 2, "warmup": 0,
      "runs": 3, "prompts": {"kind": "random"}})");
  const std::string bench = t5test::binary_path() + " bench --synthetic " + config + " --suite " + dir.file("suite.json") +
                            " --configs baseline,optimized --out " + dir.file("r.json");
  const t5test::CommandResult r = t5test::run_command(bench + " --runs auto --target-ci 50 --max-seconds 1");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const t5::json result = t5::read_json_file(dir.file("r.json"));
  const t5::json& runs_auto = result["context"]["t5bench"]["runs_auto"];
  const int rounds = runs_auto["rounds"].get<int>();
  EXPECT_GE(rounds, t5bench::kMinAutoRounds);
  EXPECT_EQ(result["context"]["t5bench"]["suite"]["runs"], rounds);
  EXPECT_EQ(result["configurations"][0]["runs"].size(), static_cast<size_t>(rounds));
  EXPECT_EQ(result["configurations"][1]["runs"].size(), static_cast<size_t>(rounds));
  EXPECT_TRUE(runs_auto["stop_reason"] == "interval" || runs_auto["stop_reason"] == "time limit") << runs_auto;
  EXPECT_EQ(runs_auto["target_ci_percent"], 50.0);
  EXPECT_EQ(runs_auto["max_seconds"], 1.0);
  EXPECT_NE(r.out.find("--runs auto: " + std::to_string(rounds) + " rounds, stopped by the "), std::string::npos) << r.out;
  // The options of the rule go with --runs auto only.
  const t5test::CommandResult misuse = t5test::run_command(bench + " --runs 5 --target-ci 2");
  EXPECT_EQ(misuse.exit_code, 2);
  EXPECT_EQ(misuse.err.substr(0, misuse.err.find('\n')),
            "t5bench bench: options '--target-ci' and '--max-seconds' go with '--runs auto'");
}

}  // namespace
