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
  entry.relative.push_back({"end_to_end_ms", reference, 10, 0.01});
  b.entries.push_back(entry);
  EXPECT_TRUE(t5bench::evaluate_gate(b, {record("optimized", noisy)})[0].passed);
  const t5bench::GateCheck regressed = t5bench::evaluate_gate(b, {record("optimized", slower)})[0];
  EXPECT_FALSE(regressed.passed);
  EXPECT_EQ(regressed.detail.substr(0, 34), "+17.4% vs reference median 402.0 (");
  // A +17% median that one of three runs contradicts is not significant (p = 0.22), so it passes.
  EXPECT_TRUE(t5bench::evaluate_gate(b, {record("optimized", {380, 470, 475})})[0].passed);
}

TEST(Baseline, UpdateWritesThresholdsAroundTodaysValues) {
  const t5bench::Baseline updated = t5bench::update_baseline({}, {record("optimized", {100, 110, 120})}, 10);
  ASSERT_EQ(updated.entries.size(), 1u);
  const t5bench::BaselineEntry& e = updated.entries[0];
  EXPECT_EQ(e.match.at("configuration"), "optimized");
  ASSERT_EQ(e.thresholds.size(), 2u);
  EXPECT_EQ(e.thresholds[0].metric, "end_to_end_ms.p50");
  EXPECT_DOUBLE_EQ(*e.thresholds[0].max, 121);
  EXPECT_EQ(e.thresholds[1].metric, "tokens_per_second.p50");
  EXPECT_NEAR(*e.thresholds[1].min, 32 / 0.11 * 0.9, 1e-9);
  EXPECT_EQ(e.relative[0].reference, (std::vector<double>{100, 110, 120}));
  // Round trip through the file format, and a second update replaces rather than duplicates.
  const t5bench::Baseline reread = t5bench::parse_baseline(t5bench::baseline_to_json(updated).dump(), "b.json");
  EXPECT_EQ(t5bench::update_baseline(reread, {record("optimized", {90, 91, 92})}, 10).entries.size(), 1u);
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
  EXPECT_EQ(r.err, "t5bench gate: " + dir_->file("broken-result.json") + ": context: missing required field 't5bench'\n");
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
