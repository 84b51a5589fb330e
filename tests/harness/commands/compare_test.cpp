// t5bench compare: two bench results, configuration by configuration, with the Hodges-Lehmann shift, its
// 95% interval and the Mann-Whitney p-value; --max-regression fails only on a whole interval beyond it.

#include "compare/comparison.h"

#include <gtest/gtest.h>

#include "harness/report/report_fixtures.h"  // read_report_fixture, write_json, count_of

namespace {

// A result whose every configuration ran `end_to_end` (ms per run, 32 tokens each); the other headline
// metrics follow from it: encoder a fifth, decoder the rest, ms/token decoder / 32, tokens/s 32 / run.
t5::json result_with_runs(const std::vector<double>& end_to_end, const std::string& machine_class) {
  t5::json result = t5test::read_report_fixture("bench.json");
  result["context"]["t5bench"]["machine_class"] = machine_class;
  for (t5::json& c : result["configurations"]) {
    const t5::json first = c["runs"][0];
    c["runs"] = t5::json::array();
    for (double ms : end_to_end) {
      t5::json run = first;
      run["end_to_end_ms"] = ms;
      run["encoder_ms"] = ms / 5;
      run["decoder_ms"] = ms * 4 / 5;
      run["per_token_ms"] = ms * 4 / 5 / 32;
      run["tokens_per_second"] = 32 / (ms / 1000);
      c["runs"].push_back(run);
    }
  }
  return result;
}

t5bench::BenchResult bench_result(const std::vector<double>& end_to_end, const std::string& machine_class = "x86_64-avx512-2c") {
  t5test::TempDir dir("compare-unit");
  const std::string path = t5test::write_json(dir, "r.json", result_with_runs(end_to_end, machine_class));
  return *t5bench::read_result_file(path).bench;
}

// Worked by hand (as in statistics_test): A = 100..108 step 2, B = 109, 111, 113, 115, 130. Medians 104 and
// 113, ratio 1.0865; the 25 differences B - A have median 9 and 95% interval [3, 26] (3rd smallest, 3rd
// largest); every B run is above every A run, so the two-sided exact p is 2 / C(10, 5) = 2/252. In percent
// of median A: +8.7% [+2.9%, +25.0%]. The whole interval is beyond 2% worse, not beyond 5%.
TEST(Compare, ShiftIntervalAndPValueMatchAHandComputation) {
  const t5bench::BenchResult a = bench_result({100, 102, 104, 106, 108}), b = bench_result({109, 111, 113, 115, 130});
  const t5bench::ResultComparison c = t5bench::compare_results(a, b);
  ASSERT_EQ(c.metrics.size(), 15u);  // 3 configurations x 5 headline metrics
  const t5bench::MetricComparison& e2e = c.metrics[0];
  EXPECT_EQ(e2e.configuration, "baseline");
  EXPECT_EQ(e2e.metric, "end_to_end_ms");
  EXPECT_DOUBLE_EQ(e2e.median_a, 104);
  EXPECT_DOUBLE_EQ(e2e.median_b, 113);
  EXPECT_DOUBLE_EQ(e2e.ratio(), 113.0 / 104);
  EXPECT_DOUBLE_EQ(e2e.shift.estimate, 9);
  EXPECT_DOUBLE_EQ(e2e.shift.low, 3);
  EXPECT_DOUBLE_EQ(e2e.shift.high, 26);
  EXPECT_DOUBLE_EQ(e2e.p_two_sided, 2.0 / 252);
  EXPECT_DOUBLE_EQ(*e2e.least_regression_percent(), 3.0 / 104 * 100);
  EXPECT_TRUE(e2e.regressed_beyond(2));
  EXPECT_FALSE(e2e.regressed_beyond(5));
  // Throughput falls as latency rises: its interval lies wholly below zero, a regression as well.
  const t5bench::MetricComparison& throughput = c.metrics[4];
  EXPECT_EQ(throughput.metric, "tokens_per_second");
  EXPECT_TRUE(throughput.higher_is_better);
  EXPECT_LT(throughput.shift.high, 0);
  EXPECT_TRUE(throughput.regressed_beyond(2));
  // The other way round B is faster: nothing regressed.
  for (const t5bench::MetricComparison& m : t5bench::compare_results(b, a).metrics) EXPECT_FALSE(m.regressed_beyond(0)) << m.metric;
}

class CompareCommand : public testing::Test {
 protected:
  std::string write(const std::string& name, const std::vector<double>& runs, const std::string& machine_class = "x86_64-avx512-2c") {
    return t5test::write_json(dir_, name, result_with_runs(runs, machine_class));
  }
  static t5test::CommandResult compare(const std::string& arguments) {
    return t5test::run_command(t5test::binary_path() + " compare " + arguments);
  }
  t5test::TempDir dir_{"compare"};
};

std::vector<double> ten_runs(double scale) {
  std::vector<double> runs;
  for (int i = 0; i < 10; ++i) runs.push_back(scale * (100 + (i * 7) % 10));  // 100..109, shuffled
  return runs;
}

TEST_F(CompareCommand, TwentyPercentSlowerFailsATenPercentLimit) {
  const std::string a = write("a.json", ten_runs(1)), b = write("b.json", ten_runs(1.2));
  const t5test::CommandResult r = compare(a + " " + b + " --max-regression 10");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_EQ(r.out.substr(0, 2 + a.size()), "A " + a) << r.out;
  EXPECT_NE(r.out.find("optimized f32"), std::string::npos) << r.out;
  EXPECT_EQ(t5test::count_of(r.out, "REGRESSED"), 15u) << r.out;
  EXPECT_NE(r.out.find("compare: 15 of 15 metrics regressed beyond 10% (the whole 95% interval worse)\n"), std::string::npos) << r.out;
  // Without a limit it only reports.
  EXPECT_EQ(compare(a + " " + b).exit_code, 0);
}

TEST_F(CompareCommand, SamplesOfOneDistributionPass) {
  // The same ten values in another order, and then slightly perturbed: intervals straddle zero.
  std::vector<double> shuffled = ten_runs(1), perturbed = ten_runs(1);
  std::reverse(shuffled.begin(), shuffled.end());
  for (size_t i = 0; i < perturbed.size(); ++i) perturbed[i] += (i % 2 ? 0.3 : -0.3);
  const std::string a = write("a.json", ten_runs(1));
  for (const std::string& b : {write("b.json", shuffled), write("c.json", perturbed)}) {
    const t5test::CommandResult r = compare(a + " " + b + " --max-regression 1");
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(t5test::count_of(r.out, "REGRESSED"), 0u) << r.out;
    EXPECT_NE(r.out.find("compare: 0 of 15 metrics regressed beyond 1% (the whole 95% interval worse)\n"), std::string::npos);
  }
}

TEST_F(CompareCommand, DifferentMachineClassesAreNamedOnTheFirstLineAndCompared) {
  const std::string a = write("a.json", ten_runs(1)), b = write("b.json", ten_runs(1), "x86_64-avx2-2c");
  const t5test::CommandResult r = compare(a + " " + b);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.substr(0, r.out.find('\n')),
            "different machine classes: A is x86_64-avx512-2c, B is x86_64-avx2-2c; compared anyway, so the "
            "difference includes the machines'");
  EXPECT_EQ(t5test::count_of(r.out, " f32 "), 15u) << r.out;
}

TEST_F(CompareCommand, MarkdownTableAndJsonOut) {
  const std::string a = write("a.json", {100, 102, 104, 106, 108}), b = write("b.json", {109, 111, 113, 115, 130});
  const std::string out = dir_.file("cmp.json");
  const t5test::CommandResult r = compare(a + " " + b + " --format markdown --max-regression 5 --out " + out);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;  // +2.9% at the interval's low end is not beyond 5%
  EXPECT_NE(r.out.find("| configuration | metric | median A | median B | B/A | shift B−A [95% interval] | p | verdict |\n"
                       "|---|---|---:|---:|---:|---|---:|---|\n"
                       "| baseline f32 | end-to-end P50 ms | 104.0 | 113.0 | 1.087x | +8.7% [+2.9%, +25.0%] | 0.00794 | ok |\n"),
            std::string::npos) << r.out;
  const t5::json json = t5::read_json_file(out);
  EXPECT_EQ(json["a"]["path"], a);
  EXPECT_EQ(json["same_machine_class"], true);
  EXPECT_EQ(json["max_regression_percent"], 5.0);
  EXPECT_EQ(json["regressed"], 0);
  const t5::json& row = json["metrics"][0];
  EXPECT_EQ(row["metric"], "end_to_end_ms");
  EXPECT_DOUBLE_EQ(row["shift"]["low"].get<double>(), 3);
  EXPECT_DOUBLE_EQ(row["shift"]["high"].get<double>(), 26);
  EXPECT_DOUBLE_EQ(row["p_two_sided"].get<double>(), 2.0 / 252);
  EXPECT_EQ(row["regressed"], false);
  // Three runs against three bound no 95% interval: written as null, never a regression.
  const std::string c = write("c.json", {100, 101, 102}), d = write("d.json", {200, 201, 202});
  const t5test::CommandResult few = compare(c + " " + d + " --max-regression 1 --out " + out);
  EXPECT_EQ(few.exit_code, 0) << few.out;
  EXPECT_NE(few.out.find("+99.0% [no 95% interval: too few runs]"), std::string::npos) << few.out;
  EXPECT_TRUE(t5::read_json_file(out)["metrics"][0]["shift"]["low"].is_null());
}

TEST_F(CompareCommand, BadUsageAndInput) {
  const std::string a = write("a.json", ten_runs(1));
  t5test::CommandResult r = compare(a);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.substr(0, r.err.find('\n')), "t5bench compare: compare takes two result files first: compare A.json B.json [options]");
  r = compare(a + " " + a + " --format html");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.substr(0, r.err.find('\n')), "t5bench compare: option '--format' takes text or markdown");
  r = compare(a + " " + t5test::report_fixture("accuracy.json"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "t5bench compare: " + t5test::report_fixture("accuracy.json") +
                       ": is an accuracy result; compare takes two bench results\n");
  t5::json other = result_with_runs(ten_runs(1), "x86_64-avx512-2c");
  for (t5::json& c : other["configurations"]) c["precision"] = "bf16";
  const std::string bf16 = t5test::write_json(dir_, "bf16.json", other);
  r = compare(a + " " + bf16);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "t5bench compare: " + bf16 + ": shares no configuration and precision with " + a + "\n");
  EXPECT_EQ(r.out, "");
}

}  // namespace
