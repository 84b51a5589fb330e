// Loading result files for a report: what is read, and the one-line error for each kind of mistake.

#include "report/inputs.h"

#include <gtest/gtest.h>

#include <functional>

#include "core/error.h"
#include "report_fixtures.h"

namespace {

using namespace t5bench::report;
using t5test::read_report_fixture;
using t5test::report_fixture;
using t5test::write_json;

std::string load_error(const std::string& path) {
  ReportInputs inputs;
  try {
    load_result(path, inputs);
  } catch (const t5::Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(ReportInputs, ReadsABenchResult) {
  ReportInputs in;
  load_result(report_fixture("bench.json"), in);
  ASSERT_EQ(in.bench.size(), 1u);
  EXPECT_TRUE(in.accuracy.empty());
  const BenchResult& r = in.bench[0];
  EXPECT_EQ(r.path, report_fixture("bench.json"));
  EXPECT_EQ(r.context.version, "0.2.0");
  EXPECT_EQ(r.context.cpu_model, "Fixture CPU 9000");
  EXPECT_EQ(r.context.cores, 4);
  EXPECT_EQ(r.context.blas_core, "Haswell");
  EXPECT_EQ(r.suite.name, "fixture");
  EXPECT_EQ(r.suite.runs, 3);
  EXPECT_DOUBLE_EQ(r.roofline.read_gb_per_s, 60.0);
  ASSERT_EQ(r.configurations.size(), 3u);
  EXPECT_TRUE(r.configurations[0].enabled.empty());
  EXPECT_EQ(r.configurations[1].enabled.size(), 6u);
  EXPECT_EQ(r.configurations[2].enabled, std::vector<std::string>{"fused_attention"});
  EXPECT_EQ(r.configurations[0].runs.at("end_to_end_ms"), (std::vector<double>{100, 110, 120}));
  EXPECT_DOUBLE_EQ(r.configurations[0].end_to_end.p90, 118);
  EXPECT_DOUBLE_EQ(r.configurations[0].end_to_end.stddev, 10);
  EXPECT_EQ(r.configurations[0].end_to_end.samples, 3);
  EXPECT_DOUBLE_EQ(r.configurations[1].op_ms[1], 2.0);  // cross_kv
  EXPECT_DOUBLE_EQ(r.configurations[0].decode_time_over_floor, 4.5);
}

TEST(ReportInputs, ReadsAnAccuracyResult) {
  ReportInputs in;
  load_result(report_fixture("accuracy.json"), in);
  ASSERT_EQ(in.accuracy.size(), 1u);
  const AccuracyResult& r = in.accuracy[0];
  EXPECT_EQ(r.suite_name, "synth-tasks");
  EXPECT_EQ(r.suite_cases, 10);
  EXPECT_EQ(r.overall.exact, 8);
  EXPECT_EQ(r.overall.beam_cases, 2);
  EXPECT_EQ(r.overall.beam_equal, 2);
  ASSERT_EQ(r.per_task.size(), 2u);
  EXPECT_EQ(r.per_task[0].first, "arithmetic");
  EXPECT_EQ(r.per_task[0].second.beam_cases, 0);
  ASSERT_EQ(r.divergences.size(), 2u);
  EXPECT_EQ(r.divergences[0].id, "arith-3");
  EXPECT_TRUE(r.divergences[0].ambiguous);
}

TEST(ReportInputs, MistakesAreOneLineNamingTheFileAndTheField) {
  t5test::TempDir dir("report-inputs");
  struct Case {
    const char* fixture;
    std::function<void(t5::json&)> change;
    std::string problem;
  } cases[] = {
      {"bench.json", [](t5::json& j) { j["configurations"][0]["statistics"]["end_to_end_ms"].erase("p90"); },
       "missing required field 'configurations[0].statistics.end_to_end_ms.p90'"},
      {"bench.json", [](t5::json& j) { j["configurations"][1]["runs"][2]["end_to_end_ms"] = "fast"; },
       "field 'configurations[1].runs[2].end_to_end_ms' must be a number, got \"fast\""},
      {"bench.json", [](t5::json& j) { j["configurations"] = t5::json::array(); }, "field 'configurations' is empty"},
      {"bench.json", [](t5::json& j) { j["configurations"] = 3; }, "field 'configurations' must be an array, got 3"},
      {"bench.json", [](t5::json& j) { j["configurations"][0]["runs"] = t5::json::object(); },
       "field 'configurations[0].runs' must be an array, got {}"},
      {"bench.json", [](t5::json& j) { j["configurations"][2]["op_breakdown_ms"].erase("lm_head"); },
       "missing required field 'configurations[2].op_breakdown_ms.lm_head'"},
      {"bench.json", [](t5::json& j) { j["context"]["t5bench"]["git_dirty"] = "yes"; },
       "field 'context.t5bench.git_dirty' must be true or false, got \"yes\""},
      {"bench.json", [](t5::json& j) { j["context"]["t5bench"]["suite"]["runs"] = 2.5; },
       "field 'context.t5bench.suite.runs' must be an integer, got 2.5"},
      {"bench.json", [](t5::json& j) { j["context"]["t5bench"]["isa"][1] = 7; },
       "field 'context.t5bench.isa[1]' must be a string, got 7"},
      {"bench.json", [](t5::json& j) { j.erase("context"); }, "missing required field 'context'"},
      {"bench.json", [](t5::json& j) { j["context"]["t5bench"] = "x"; },
       "field 'context.t5bench' must be an object, got \"x\""},
      {"bench.json", [](t5::json& j) { j["configurations"][2]["name"] = "baseline"; },
       "configuration 'baseline' appears twice"},
      {"bench.json", [](t5::json& j) { j = {{"benchmarks", t5::json::array()}}; },
       "neither a bench result (no 'configurations' array) nor an accuracy result (no 'accuracy' object)"},
      {"bench.json", [](t5::json& j) { j = t5::json::array(); },
       "neither a bench result (no 'configurations' array) nor an accuracy result (no 'accuracy' object)"},
      {"accuracy.json", [](t5::json& j) { j["accuracy"]["overall"].erase("beam_equal"); },
       "missing required field 'accuracy.overall.beam_equal'"},
      {"accuracy.json", [](t5::json& j) { j["accuracy"]["per_task"]["translate"]["cases"] = "x"; },
       "field 'accuracy.per_task.translate.cases' must be an integer, got \"x\""},
      {"accuracy.json", [](t5::json& j) { j["accuracy"]["divergences"][1].erase("ambiguous"); },
       "missing required field 'accuracy.divergences[1].ambiguous'"},
      {"accuracy.json", [](t5::json& j) { j["accuracy"]["suite"]["name"] = nullptr; },
       "field 'accuracy.suite.name' must be a string, got null"},
  };
  for (const Case& c : cases) {
    t5::json result = read_report_fixture(c.fixture);
    c.change(result);
    const std::string path = write_json(dir, "result.json", result);
    const std::string error = load_error(path);
    EXPECT_EQ(error, path + ": " + c.problem);
    EXPECT_EQ(error.find('\n'), std::string::npos);
  }
  t5test::write_file(dir.file("broken.json"), "{\"configurations\": [");
  EXPECT_EQ(load_error(dir.file("broken.json")).rfind(dir.file("broken.json") + ": invalid JSON: ", 0), 0u);
  EXPECT_EQ(load_error(dir.file("none.json")), dir.file("none.json") + ": cannot open: No such file or directory");
}

TEST(ReportInputs, VersionsCompareNumberByNumber) {
  EXPECT_LT(compare_versions("0.9.1", "0.10.0"), 0);
  EXPECT_GT(compare_versions("1.0.0", "0.99.99"), 0);
  EXPECT_EQ(compare_versions("0.1", "0.1.0"), 0);
  EXPECT_EQ(compare_versions("0.01.0", "0.1.0"), 0);
  EXPECT_LT(compare_versions("1.0.0-alpha", "1.0.0-beta"), 0);
}

TEST(ReportInputs, HistoryIsOrderedByVersionThenDateAndSkipsAccuracyResults) {
  t5test::TempDir dir("report-history");
  const t5::json bench = read_report_fixture("bench.json");
  auto release = [&](const std::string& file, const std::string& version, const std::string& date) {
    t5::json r = bench;
    r["context"]["t5bench"]["version"] = version;
    r["context"]["date"] = date;
    write_json(dir, file, r);
  };
  release("a.json", "0.10.0", "2026-01-01T00:00:00+00:00");
  release("b.json", "0.9.0", "2026-03-01T00:00:00+00:00");
  release("c.json", "0.9.0", "2026-02-01T00:00:00+00:00");
  write_json(dir, "d.json", read_report_fixture("accuracy.json"));
  t5test::write_file(dir.file("notes.txt"), "not a result");
  const std::vector<BenchResult> history = load_history(dir.path());
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[0].path, dir.file("c.json"));
  EXPECT_EQ(history[1].path, dir.file("b.json"));
  EXPECT_EQ(history[2].path, dir.file("a.json"));

  write_json(dir, "e.json", {{"hello", 1}});
  try {
    load_history(dir.path());
    FAIL() << "expected an error";
  } catch (const t5::Error& e) {
    EXPECT_EQ(std::string(e.what()), dir.file("e.json") + ": neither a bench result (no 'configurations' array) nor an "
                                                          "accuracy result (no 'accuracy' object)");
  }
  try {
    load_history(dir.file("missing"));
    FAIL() << "expected an error";
  } catch (const t5::Error& e) {
    EXPECT_EQ(std::string(e.what()), dir.file("missing") + ": cannot read the history directory: No such file or directory");
  }
}

TEST(ReportInputs, NotesMustBeSentencesForKnownConfigurations) {
  t5test::TempDir dir("report-notes");
  ReportInputs in;
  load_result(report_fixture("bench.json"), in);
  const std::string good = write_json(dir, "good.json", {{"fused_attention", "One pass over K and V."}});
  EXPECT_EQ(load_notes(good, in.bench).at("fused_attention"), "One pass over K and V.");
  auto error = [&](const t5::json& notes) {
    const std::string path = write_json(dir, "notes.json", notes);
    try {
      load_notes(path, in.bench);
    } catch (const t5::Error& e) {
      return std::string(e.what()).substr(path.size() + 2);
    }
    return std::string("no error");
  };
  EXPECT_EQ(error({{"fused_attention", 3}}), "note for 'fused_attention' must be a string, got 3");
  EXPECT_EQ(error({{"fused_atention", "typo"}}), "note for 'fused_atention' names no configuration of the bench results");
  EXPECT_EQ(error(t5::json::array()), "expected a JSON object of configuration name to sentence");
}

}  // namespace
