// The one result reader: gate, report and compare read result files through it, so they load the same
// files and refuse a malformed one with the same words.

#include "results/result_file.h"

#include <gtest/gtest.h>

#include <functional>

#include "core/error.h"
#include "harness/report/report_fixtures.h"  // read_report_fixture, write_json, count_of

namespace {

// stderr of each command on `result` (the bench fixture as the second, well-formed, file for compare),
// with "t5bench <command>: " taken off, and each exit status.
struct Verdicts {
  std::string gate, report, compare;
  int gate_exit = 0, report_exit = 0, compare_exit = 0;
};

// A baseline every bench record meets.
std::string write_baseline(const t5test::TempDir& dir) {
  t5test::write_file(dir.file("b.json"), R"({"schema_version": 1, "entries": [{"thresholds": {"end_to_end_ms.p50": {"max": 1e9}}}]})");
  return dir.file("b.json");
}

Verdicts run_all(const t5test::TempDir& dir, const std::string& result) {
  write_baseline(dir);
  const std::string t5bench = t5test::binary_path();
  const t5test::CommandResult gate = t5test::run_command(t5bench + " gate --result " + result + " --baseline " + dir.file("b.json"));
  const t5test::CommandResult report = t5test::run_command(t5bench + " report --history " + dir.path() + "/no-history --results " +
                                                           result + " --out " + dir.file("report/r"));
  const t5test::CommandResult compare = t5test::run_command(t5bench + " compare " + result + " " + t5test::report_fixture("bench.json"));
  auto message = [](const std::string& err, const std::string& command) {
    const std::string prefix = "t5bench " + command + ": ";
    return err.rfind(prefix, 0) == 0 ? err.substr(prefix.size()) : "unexpected: " + err;
  };
  return {message(gate.err, "gate"), message(report.err, "report"), message(compare.err, "compare"),
          gate.exit_code, report.exit_code, compare.exit_code};
}

TEST(ResultFile, SameMalformedFileSameErrorFromGateReportAndCompare) {
  t5test::TempDir dir("result-errors");
  std::filesystem::create_directories(dir.path() + "/no-history");
  const std::vector<std::pair<std::function<void(t5::json&)>, std::string>> cases = {
      {[](t5::json& r) { r["context"]["t5bench"].erase("machine_class"); },
       "missing required field 'context.t5bench.machine_class'"},
      {[](t5::json& r) { r["configurations"][0]["statistics"]["end_to_end_ms"]["p50"] = "110 ms"; },
       "field 'configurations[0].statistics.end_to_end_ms.p50' must be a number, got \"110 ms\""},
      {[](t5::json& r) { r["configurations"][1]["runs"][2]["encoder_ms"] = nullptr; },
       "field 'configurations[1].runs[2].encoder_ms' must be a number, got null"},
      {[](t5::json& r) { r["comparisons"][0]["end_to_end_p50_ratio"] = "fast"; },
       "field 'comparisons[0].end_to_end_p50_ratio' must be a number, got \"fast\""},
      {[](t5::json& r) { r["configurations"][0].erase("precision"); },
       "missing required field 'configurations[0].precision'"},
  };
  for (const auto& [edit, problem] : cases) {
    t5::json result = t5test::read_report_fixture("bench.json");
    edit(result);
    const std::string path = t5test::write_json(dir, "r.json", result);
    const Verdicts v = run_all(dir, path);
    EXPECT_EQ(v.gate, path + ": " + problem + "\n");
    EXPECT_EQ(v.report, v.gate);
    EXPECT_EQ(v.compare, v.gate);
    EXPECT_EQ(v.gate_exit, 2);  // gate and compare: 2, "could not judge"; report: 1, bad input
    EXPECT_EQ(v.report_exit, 1);
    EXPECT_EQ(v.compare_exit, 2);
  }
  // Cut short: the JSON parser's words, the same three times.
  t5test::write_file(dir.file("r.json"), R"({"context": {"t5bench": )");
  const Verdicts v = run_all(dir, dir.file("r.json"));
  EXPECT_EQ(v.gate, dir.file("r.json") + ": invalid JSON: parse error at line 1, column 25: syntax error while parsing "
                                         "value - unexpected end of input; expected '[', '{', or a literal\n");
  EXPECT_EQ(v.report, v.gate);
  EXPECT_EQ(v.compare, v.gate);
}

// What this build's bench writes, and the 0.1.0 release result in reports/history, load in all three.
TEST(ResultFile, CurrentAndEarlierBenchResultsLoadEverywhere) {
  t5test::TempDir dir("result-load");
  std::filesystem::create_directories(dir.path() + "/no-history");
  const std::string config = t5test::write_tiny_config(dir);
  t5test::write_file(dir.file("suite.json"), R"({"name": "tiny", "input_tokens": 8, "output_tokens": 2,
      "warmup": 0, "runs": 3, "prompts": {"kind": "random"}})");
  const t5test::CommandResult bench = t5test::run_command(t5test::binary_path() + " bench --synthetic " + config +
                                                          " --suite " + dir.file("suite.json") + " --out " + dir.file("now.json"));
  ASSERT_EQ(bench.exit_code, 0) << bench.err;
  for (const std::string& path : {dir.file("now.json"), t5test::source_dir() + "/reports/history/0.1.0-seed-base-f32.json"}) {
    const t5bench::ResultFile file = t5bench::read_result_file(path);
    ASSERT_TRUE(file.bench.has_value()) << path;
    EXPECT_EQ(file.bench->configurations[0].name, "baseline") << path;
    EXPECT_EQ(file.bench->comparisons[0].configuration, "optimized") << path;
    const std::string t5bench = t5test::binary_path();
    const t5test::CommandResult gate = t5test::run_command(t5bench + " gate --result " + path + " --baseline " + write_baseline(dir));
    EXPECT_EQ(gate.exit_code, 0) << gate.out << gate.err;
    const t5test::CommandResult report = t5test::run_command(t5bench + " report --history " + dir.path() +
                                                             "/no-history --results " + path + " --out " + dir.file("r"));
    EXPECT_EQ(report.exit_code, 0) << report.err;
    const t5test::CommandResult compare = t5test::run_command(t5bench + " compare " + path + " " + path);
    EXPECT_EQ(compare.exit_code, 0) << compare.err;
    EXPECT_NE(compare.out.find("baseline f32"), std::string::npos) << compare.out;
  }
}

// An accuracy result from before the gap error (no close_gap, gap_error_*, close_decisions) still loads;
// the report shows those figures as "–" and the gate finds no such metric.
TEST(ResultFile, AccuracyResultsWithoutTheGapErrorLoad) {
  t5test::TempDir dir("result-old-accuracy");
  t5::json old = t5test::read_report_fixture("accuracy.json");
  old["accuracy"].erase("close_gap");
  auto strip = [](t5::json& figures) {
    for (const char* field : {"gap_error_median", "gap_error_p90", "gap_error_max", "close_decisions"}) figures.erase(field);
  };
  strip(old["accuracy"]["overall"]);
  for (auto& [task, figures] : old["accuracy"]["per_task"].items()) strip(figures);
  const std::string path = t5test::write_json(dir, "old.json", old);
  const t5bench::ResultFile file = t5bench::read_result_file(path);
  ASSERT_TRUE(file.accuracy.has_value());
  EXPECT_FALSE(file.accuracy->close_gap.has_value());
  EXPECT_FALSE(file.accuracy->overall.gap_error_median.has_value());
  EXPECT_FALSE(file.accuracy->overall.close_decisions.has_value());
  EXPECT_EQ(file.accuracy->overall.by_name().count("gap_error_median"), 0u);
  EXPECT_EQ(file.accuracy->overall.by_name().at("tie_aware_match_rate"), file.accuracy->overall.tie_aware_match_rate);

  const t5test::CommandResult report = t5test::run_command(t5test::binary_path() + " report --history " + dir.path() +
                                                           " --results " + path + " --out " + dir.file("r"));
  ASSERT_EQ(report.exit_code, 0) << report.err;
  const std::string markdown = t5test::read_file(dir.file("r.md"));
  // Gap error and close decisions of every row (two tasks and "all") are "–".
  EXPECT_EQ(t5test::count_of(markdown, "| – | – |"), 3u) << markdown;
  EXPECT_NE(markdown.find("reference steps with a small gap (– : not in results written before the gap error)"),
            std::string::npos);
  // The newer fields, when present, must still have the right type.
  t5::json wrong = t5test::read_report_fixture("accuracy.json");
  wrong["accuracy"]["overall"]["close_decisions"] = 2.5;
  const std::string wrong_path = t5test::write_json(dir, "wrong.json", wrong);
  try {
    t5bench::read_result_file(wrong_path);
    ADD_FAILURE() << "no error";
  } catch (const t5::Error& e) {
    EXPECT_EQ(std::string(e.what()), wrong_path + ": field 'accuracy.overall.close_decisions' must be an integer, got 2.5");
  }
}

}  // namespace
