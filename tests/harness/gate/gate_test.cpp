#include "gate/baseline.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/error.h"
#include "support/shared_data.h"

namespace {

std::string baseline_error(const std::string& text) {
  try {
    t5bench::parse_baseline(text, "b.json");
  } catch (const t5::Error& e) {
    return e.what();
  }
  return "no error";
}

t5bench::ResultRecord record(const std::string& configuration, std::vector<double> e2e) {
  t5bench::ResultRecord r;
  r.file = "r.json";
  r.kind = "bench";
  r.keys = {{"machine_class", "x86_64-avx512-2c"}, {"model", "m"}, {"suite", "seed"},
            {"configuration", configuration}, {"precision", "f32"}};
  r.samples["end_to_end_ms"] = e2e;
  std::sort(e2e.begin(), e2e.end());
  r.metrics["end_to_end_ms.p50"] = e2e[e2e.size() / 2];
  r.metrics["tokens_per_second.p50"] = 32 / (e2e[e2e.size() / 2] / 1000);
  return r;
}

TEST(Baseline, RejectsMalformedFilesWithOneLine) {
  EXPECT_EQ(baseline_error("{"), "b.json: invalid JSON: parse error at line 1, column 2: syntax error while parsing "
                                 "object key - unexpected end of input; expected string literal");
  EXPECT_EQ(baseline_error(R"({"entries": []})"), "b.json: missing required field 'schema_version'");
  EXPECT_EQ(baseline_error(R"({"schema_version": 2, "entries": []})"),
            "b.json: schema_version 2 is not supported (1 is)");
  EXPECT_EQ(baseline_error(R"({"schema_version": 1, "entries": [{"match": {"gpu": "x"}, "thresholds": {}}]})"),
            "b.json: entries[0]: unknown match key 'gpu'");
  EXPECT_EQ(baseline_error(R"({"schema_version": 1, "entries": [{"thresholds": {"end_to_end_ms.p50": {"below": 3}}}]})"),
            "b.json: entries[0]: thresholds.end_to_end_ms.p50: unknown bound 'below' (min or max)");
  EXPECT_EQ(baseline_error(R"({"schema_version": 1, "entries": [{"thresholds": {"x": {"max": "fast"}}}]})"),
            "b.json: entries[0]: thresholds.x.max must be a number, got \"fast\"");
  EXPECT_EQ(baseline_error(R"({"schema_version": 1, "entries": [{"match": {}}]})"), "b.json: entries[0]: an entry checks nothing");
  EXPECT_EQ(baseline_error(R"({"schema_version": 1, "entries": [{"thresholds": {"x": {"max": NaN}}}]})"),
            "b.json: invalid JSON: NaN at line 1, column 64 is not a JSON number (write null or a finite value)");
}

TEST(Baseline, ThresholdsJudgeMatchingRecordsOnly) {
  const t5bench::Baseline b = t5bench::parse_baseline(
      R"({"schema_version": 1, "entries": [
           {"match": {"configuration": "optimized", "machine_class": "*"},
            "thresholds": {"end_to_end_ms.p50": {"max": 500}, "tokens_per_second.p50": {"min": 64}}},
           {"match": {"machine_class": "aarch64-neon-8c"}, "thresholds": {"end_to_end_ms.p50": {"max": 1}}}]})",
      "b.json");
  const std::vector<t5bench::GateCheck> pass = t5bench::evaluate_gate(b, {record("optimized", {400, 410, 420})});
  ASSERT_EQ(pass.size(), 2u);
  EXPECT_TRUE(pass[0].passed);
  EXPECT_EQ(pass[0].detail, "410.0 <= max 500.0");
  EXPECT_TRUE(pass[1].passed);
  const std::vector<t5bench::GateCheck> fail = t5bench::evaluate_gate(b, {record("optimized", {600, 610, 620})});
  EXPECT_FALSE(fail[0].passed);
  EXPECT_EQ(fail[0].record, "seed/optimized");
  EXPECT_EQ(fail[0].metric, "end_to_end_ms.p50");
  EXPECT_EQ(fail[0].detail, "610.0 > max 500.0");
  EXPECT_FALSE(fail[1].passed);
  EXPECT_EQ(fail[1].detail, "52.46 < min 64");
  EXPECT_TRUE(t5bench::evaluate_gate(b, {record("baseline", {1000, 1001, 1002})}).empty());
}

// A regression must be both larger than allowed and significant: noise alone passes.
TEST(Baseline, RelativeChecksNeedSizeAndSignificance) {
  std::vector<double> reference, noisy, slower;
  for (int i = 0; i < 10; ++i) {
    reference.push_back(400 + (i % 5));
    noisy.push_back(i == 0 ? 900 : 401 + (i % 5));  // one outlier run
    slower.push_back(470 + (i % 5));               // +17%, every run
  }
  t5bench::Baseline b;
  t5bench::BaselineEntry entry;
  entry.relative.push_back({"end_to_end_ms", reference, 10, 0.01, ""});
  b.entries.push_back(entry);
  EXPECT_TRUE(t5bench::evaluate_gate(b, {record("optimized", noisy)})[0].passed);
  const t5bench::GateCheck regressed = t5bench::evaluate_gate(b, {record("optimized", slower)})[0];
  EXPECT_FALSE(regressed.passed);
  EXPECT_EQ(regressed.detail.substr(0, 34), "+17.4% vs reference median 402.0 (");
  // A +17% median that one of three runs contradicts is not significant (p = 0.22), so it passes.
  EXPECT_TRUE(t5bench::evaluate_gate(b, {record("optimized", {380, 470, 475})})[0].passed);
}

TEST(Baseline, UpdateWritesThresholdsAroundTodaysValues) {
  const t5bench::Baseline updated = t5bench::update_baseline({}, {record("optimized", {100, 105, 110, 115, 120})}, 10);
  ASSERT_EQ(updated.entries.size(), 1u);
  const t5bench::BaselineEntry& e = updated.entries[0];
  EXPECT_EQ(e.match.at("configuration"), "optimized");
  ASSERT_EQ(e.thresholds.size(), 2u);
  EXPECT_EQ(e.thresholds[0].metric, "end_to_end_ms.p50");
  EXPECT_DOUBLE_EQ(*e.thresholds[0].max, 121);
  EXPECT_EQ(e.thresholds[1].metric, "tokens_per_second.p50");
  EXPECT_NEAR(*e.thresholds[1].min, 32 / 0.11 * 0.9, 1e-9);
  ASSERT_EQ(e.relative.size(), 1u);
  EXPECT_EQ(e.relative[0].reference, (std::vector<double>{100, 105, 110, 115, 120}));
  // Round trip through the file format, and a second update replaces rather than duplicates.
  const t5bench::Baseline reread = t5bench::parse_baseline(t5bench::baseline_to_json(updated).dump(), "b.json");
  EXPECT_EQ(t5bench::update_baseline(reread, {record("optimized", {90, 91, 92})}, 10).entries.size(), 1u);
  // 3 runs against 3 can never reach p < 0.01, so an update from 3 runs writes no relative check.
  EXPECT_TRUE(t5bench::update_baseline({}, {record("optimized", {100, 110, 120})}, 10).entries[0].relative.empty());
}

// Merging into an existing baseline: the result's machine class gains or replaces its entries, every
// other class keeps its own, hand-written thresholds included.
TEST(Baseline, UpdateMergesByMachineClass) {
  const t5bench::Baseline existing = t5bench::parse_baseline(
      R"({"schema_version": 1, "description": "hand-written", "entries": [
           {"match": {"machine_class": "x86_64-avx512-2c", "model": "m", "suite": "seed", "configuration": "optimized",
                      "precision": "f32"}, "thresholds": {"end_to_end_ms.p50": {"max": 500}}}]})",
      "b.json");
  t5bench::ResultRecord avx2 = record("optimized", {200, 210, 220, 230, 240});
  avx2.keys["machine_class"] = "x86_64-avx2-2c";
  const t5bench::Baseline merged = t5bench::update_baseline(existing, {avx2}, 10);
  ASSERT_EQ(merged.entries.size(), 2u);
  EXPECT_EQ(merged.description, "hand-written");
  EXPECT_EQ(merged.entries[0].match.at("machine_class"), "x86_64-avx512-2c");
  EXPECT_DOUBLE_EQ(*merged.entries[0].thresholds[0].max, 500);
  EXPECT_EQ(merged.entries[1].match.at("machine_class"), "x86_64-avx2-2c");
  EXPECT_DOUBLE_EQ(*merged.entries[1].thresholds[0].max, 242);  // P50 220 + 10%
  // A later update of the avx2 class replaces its entry and still leaves the avx512 one alone.
  const t5bench::Baseline again = t5bench::update_baseline(merged, {record("optimized", {600, 600, 600})}, 0);
  ASSERT_EQ(again.entries.size(), 2u);
  EXPECT_DOUBLE_EQ(*again.entries[0].thresholds[0].max, 600);  // the avx512 record this time
  const t5bench::Baseline avx2_again = t5bench::update_baseline(merged, {avx2}, 20);
  ASSERT_EQ(avx2_again.entries.size(), 2u);
  EXPECT_DOUBLE_EQ(*avx2_again.entries[0].thresholds[0].max, 500);
  EXPECT_DOUBLE_EQ(*avx2_again.entries[1].thresholds[0].max, 264);
}

TEST(Baseline, RejectsMalformedRelativeChecks) {
  auto relative = [](const std::string& check) {
    return baseline_error(R"({"schema_version": 1, "entries": [{"relative": {"end_to_end_ms": )" + check + "}}]}");
  };
  EXPECT_EQ(relative(R"({"reference": [1, 2]})"), "b.json: entries[0]: relative.end_to_end_ms.reference must list at least 3 runs");
  EXPECT_EQ(relative(R"({"reference": 400})"), "b.json: entries[0]: relative.end_to_end_ms.reference must list at least 3 runs");
  EXPECT_EQ(relative(R"({"reference": [1, 2, "3"]})"),
            "b.json: entries[0]: relative.end_to_end_ms.reference[] must be a number, got \"3\"");
  EXPECT_EQ(relative(R"({"max_regression_percent": 10})"),
            "b.json: entries[0]: relative.end_to_end_ms: missing required field 'reference'");
  EXPECT_EQ(relative(R"({"reference": [1, 2, 3], "max_regression_percent": -1})"),
            "b.json: entries[0]: relative.end_to_end_ms.max_regression_percent must be >= 0");
  EXPECT_EQ(relative(R"({"reference": [1, 2, 3], "significance": 0})"),
            "b.json: entries[0]: relative.end_to_end_ms.significance must be in (0, 1)");
  EXPECT_EQ(relative(R"({"reference": [1, 2, 3], "significance": 1})"),
            "b.json: entries[0]: relative.end_to_end_ms.significance must be in (0, 1)");
  EXPECT_EQ(relative(R"({"reference": [1, 2, 3], "significance": "0.01"})"),
            "b.json: entries[0]: relative.end_to_end_ms: field 'significance' must be a number, got \"0.01\"");
}

t5bench::Baseline relative_baseline(const std::string& metric, const std::string& reference, double significance) {
  return t5bench::parse_baseline(R"({"schema_version": 1, "entries": [{"relative": {")" + metric +
                                     R"(": {"reference": )" + reference + R"(, "max_regression_percent": 10,
                                     "significance": )" + std::to_string(significance) + "}}}]}",
                                 "b.json");
}

// The bug: 3 reference runs at significance 0.01 passed every result of 3 runs, however slow, because
// no 3-against-3 split gives p below 0.05. Such a check is now refused; one that can fail, does.
TEST(Baseline, RelativeCheckThatCanNeverFailIsRefused) {
  const t5bench::Baseline strict = relative_baseline("end_to_end_ms", "[400, 401, 402]", 0.01);
  try {
    t5bench::evaluate_gate(strict, {record("optimized", {800, 801, 802})});
    ADD_FAILURE() << "no error";
  } catch (const t5::Error& e) {
    EXPECT_STREQ(e.what(), "b.json: entries[0]: relative.end_to_end_ms: 3 reference runs against the 3 runs of "
                           "seed/optimized in r.json can never reach significance 0.01 (the smallest one-sided p "
                           "is 0.05): add runs or raise the significance");
  }
  // At 0.1 the same counts can fail: every run 100% slower gives the smallest p, 0.05.
  const std::vector<t5bench::GateCheck> loose =
      t5bench::evaluate_gate(relative_baseline("end_to_end_ms", "[400, 401, 402]", 0.1), {record("optimized", {800, 801, 802})});
  ASSERT_EQ(loose.size(), 1u);
  EXPECT_FALSE(loose[0].passed);
  EXPECT_EQ(loose[0].detail, "+99.8% vs reference median 401.0 (regression limit 10.0%, one-sided p = 0.05, alpha 0.1; "
                             "shift +99.8% [no 95% interval: too few runs])");
  // 3 reference runs against 10 can reach 0.01 (1 / C(13, 3) = 0.0035), so that check is judged.
  std::vector<double> slow;
  for (int i = 0; i < 10; ++i) slow.push_back(800 + i);
  EXPECT_FALSE(t5bench::evaluate_gate(strict, {record("optimized", slow)})[0].passed);
}

TEST(Baseline, RelativeCheckNeedsThreeRuns) {
  const std::vector<t5bench::GateCheck> checks =
      t5bench::evaluate_gate(relative_baseline("end_to_end_ms", "[400, 401, 402, 403, 404]", 0.01), {record("optimized", {400, 401})});
  ASSERT_EQ(checks.size(), 1u);
  EXPECT_FALSE(checks[0].passed);
  EXPECT_EQ(checks[0].metric, "end_to_end_ms (relative)");
  EXPECT_EQ(checks[0].detail, "needs at least 3 runs of 'end_to_end_ms' in r.json");
}

// Throughput regresses downwards: 20% fewer tokens/s fails, 20% more passes. By hand: medians 102.5 and
// 82.5 (-19.5%); the 36 differences are -20 + (i - j), i, j in 0..5, so their median is -20 and, for 6
// against 6 (P(U <= 5) = 19/924 <= 0.025 < P(U <= 6) = 30/924), the 95% interval runs from the 6th
// smallest (-23) to the 6th largest (-17); every run below every reference run: one-sided p = 1/924.
TEST(Baseline, RelativeCheckOfThroughputFailsOnlyWhenItFalls) {
  const t5bench::Baseline b = relative_baseline("tokens_per_second", "[100, 101, 102, 103, 104, 105]", 0.01);
  auto with_throughput = [](double base) {
    t5bench::ResultRecord r = record("optimized", {1, 1, 1});
    r.samples["tokens_per_second"] = {base, base + 1, base + 2, base + 3, base + 4, base + 5};
    return r;
  };
  const t5bench::GateCheck fell = t5bench::evaluate_gate(b, {with_throughput(80)})[0];
  EXPECT_FALSE(fell.passed);
  EXPECT_EQ(fell.detail, "-19.5% vs reference median 102.5 (regression limit 10.0%, one-sided p = 0.00108, alpha 0.01; "
                         "shift -19.5% [-22.4%, -16.6%])");
  const t5bench::GateCheck rose = t5bench::evaluate_gate(b, {with_throughput(120)})[0];
  EXPECT_TRUE(rose.passed);
  EXPECT_EQ(rose.detail.substr(0, 6), "+19.5%");
}

// "optimized/baseline" entries judge the comparison records of one run and nothing else; entries without
// a comparison configuration never judge comparisons.
TEST(Baseline, ComparisonRecordsMatchComparisonEntriesOnly) {
  const t5bench::Baseline b = t5bench::parse_baseline(
      R"({"schema_version": 1, "entries": [
           {"match": {"suite": "seed"}, "thresholds": {"end_to_end_ms.p50": {"max": 1000}}},
           {"match": {"configuration": "optimized/baseline"}, "thresholds": {"end_to_end_p50_ratio": {"max": 0.5}}},
           {"match": {"configuration": "optimized/fused_attention"}, "thresholds": {"end_to_end_p50_ratio": {"max": 0.1}}}]})",
      "b.json");
  t5bench::ResultRecord comparison;
  comparison.file = "r.json";
  comparison.kind = "comparison";
  comparison.keys = {{"machine_class", "x86_64-avx512-2c"}, {"model", "m"}, {"suite", "seed"},
                     {"configuration", "optimized/baseline"}, {"precision", "f32"}};
  comparison.metrics["end_to_end_p50_ratio"] = 0.31;
  const std::vector<t5bench::GateCheck> checks = t5bench::evaluate_gate(b, {comparison, record("optimized", {400, 410, 420})});
  ASSERT_EQ(checks.size(), 2u);
  EXPECT_EQ(checks[0].record, "seed/optimized/baseline");
  EXPECT_EQ(checks[0].metric, "end_to_end_p50_ratio");
  EXPECT_EQ(checks[0].detail, "0.31 <= max 0.5");
  EXPECT_EQ(checks[1].record, "seed/optimized");
  EXPECT_EQ(checks[1].metric, "end_to_end_ms.p50");
  const std::vector<t5bench::RecordCoverage> coverage = t5bench::gate_coverage(b, {comparison, record("optimized", {400})});
  ASSERT_EQ(coverage.size(), 2u);
  EXPECT_EQ(coverage[0].entries, (std::vector<size_t>{1}));
  EXPECT_EQ(coverage[1].entries, (std::vector<size_t>{0}));
}

// The command as CI runs it, on a real bench result.
class GateCommand : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new t5test::TempDir("gate");
    const std::string config = t5test::write_tiny_config(*dir_);
    t5test::write_file(dir_->file("suite.json"), R"({"name": "tiny", "input_tokens": 12, "output_tokens": 3,
        "warmup": 1, "runs": 5, "prompts": {"kind": "random"}})");
    const t5test::CommandResult r = t5test::run_command(t5test::binary_path() + " bench --synthetic " + config +
                                                        " --suite " + dir_->file("suite.json") + " --out " +
                                                        dir_->file("result.json"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static void TearDownTestSuite() { delete dir_; }
  static t5test::CommandResult gate(const std::string& baseline_text) {
    t5test::write_file(dir_->file("baseline.json"), baseline_text);
    return t5test::run_command(t5test::binary_path() + " gate --result " + dir_->file("result.json") +
                               " --baseline " + dir_->file("baseline.json"));
  }
  static t5test::TempDir* dir_;
};
t5test::TempDir* GateCommand::dir_ = nullptr;

TEST_F(GateCommand, PassesABaselineTheResultMeets) {
  const t5test::CommandResult r = gate(R"({"schema_version": 1, "entries": [{"match": {"configuration": "optimized"},
      "thresholds": {"end_to_end_ms.p50": {"max": 100000}, "tokens_per_second.p50": {"min": 0.001}}}]})");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("PASS tiny/optimized end_to_end_ms.p50: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("gate: 0 of 2 checks failed"), std::string::npos) << r.out;
}

TEST_F(GateCommand, FailsWithOneLinePerViolation) {
  const t5test::CommandResult r = gate(R"({"schema_version": 1, "entries": [{"match": {"suite": "tiny"},
      "thresholds": {"end_to_end_ms.p50": {"max": 0.000001}, "tokens_per_second.p50": {"min": 1e12}}}]})");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  int failures = 0;
  for (size_t at = r.out.find("FAIL tiny/"); at != std::string::npos; at = r.out.find("FAIL tiny/", at + 1)) ++failures;
  EXPECT_EQ(failures, 4);  // two metrics, baseline and optimized
  EXPECT_NE(r.out.find("FAIL tiny/baseline end_to_end_ms.p50: "), std::string::npos);
  EXPECT_NE(r.out.find(" > max 1e-06\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(" < min 1e+12\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("gate: 4 of 4 checks failed"), std::string::npos);
}

TEST_F(GateCommand, MalformedInputExitsTwo) {
  t5test::CommandResult r = gate(R"({"schema_version": 1, "entries": [{"thresholds": {"x": {"max": "fast"}}}]})");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "t5bench gate: " + dir_->file("baseline.json") +
                       ": entries[0]: thresholds.x.max must be a number, got \"fast\"\n");
  r = gate("not json");
  EXPECT_EQ(r.exit_code, 2);
  t5test::write_file(dir_->file("broken-result.json"), R"({"context": {}})");
  r = t5test::run_command(t5test::binary_path() + " gate --result " + dir_->file("broken-result.json") +
                          " --baseline " + dir_->file("baseline.json"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "t5bench gate: " + dir_->file("broken-result.json") +
                       ": neither a bench result (no 'configurations' array) nor an accuracy result (no 'accuracy' "
                       "object)\n");
}

TEST_F(GateCommand, NothingApplicableIsAFailure) {
  const t5test::CommandResult r = gate(R"({"schema_version": 1, "entries": [{"match": {"machine_class": "riscv-none-1c"},
      "thresholds": {"end_to_end_ms.p50": {"max": 1}}}]})");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out.substr(0, 20), "FAIL no entry of " + dir_->file("baseline.json").substr(0, 3));
}

TEST_F(GateCommand, UpdateWritesABaselineThatPasses) {
  const std::string baseline = dir_->file("updated.json");
  std::filesystem::remove(baseline);
  t5test::CommandResult r = t5test::run_command(t5test::binary_path() + " gate --update --margin 50 --result " +
                                                dir_->file("result.json") + " --baseline " + baseline);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = t5test::run_command(t5test::binary_path() + " gate --result " + dir_->file("result.json") + " --baseline " + baseline);
  EXPECT_EQ(r.exit_code, 0) << r.out;
}

}  // namespace
