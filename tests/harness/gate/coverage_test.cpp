// gate's coverage: every record listed with the entries that applied, unchecked records named with the
// command that adds entries for them, --require-coverage failing on them until `gate --update` merged
// entries for their machine class.

#include <gtest/gtest.h>

#include "gate/baseline.h"
#include "harness/report/report_fixtures.h"  // read_report_fixture, write_json, count_of

namespace {

// The report fixture's bench result (machine class x86_64-avx512-4c; configurations baseline, optimized
// and fused_attention, the comparisons optimized/baseline and fused_attention/baseline) and a baseline that covers only the baseline
// configuration on that class, plus a hand-written entry of another class.
class GateCoverage : public testing::Test {
 protected:
  void SetUp() override {
    result_ = t5test::write_json(dir_, "r.json", t5test::read_report_fixture("bench.json"));
    baseline_ = dir_.file("b.json");
    t5test::write_file(baseline_, R"({"schema_version": 1, "description": "two classes", "entries": [
        {"match": {"machine_class": "x86_64-avx512-4c", "configuration": "baseline"},
         "thresholds": {"end_to_end_ms.p50": {"max": 1000}}},
        {"match": {"machine_class": "x86_64-avx2-2c", "configuration": "optimized"},
         "thresholds": {"end_to_end_ms.p50": {"max": 7}}}]})");
  }
  t5test::CommandResult gate(const std::string& options) const {
    return t5test::run_command(t5test::binary_path() + " gate --result " + result_ + " --baseline " + baseline_ + options);
  }
  t5test::TempDir dir_{"gate-coverage"};
  std::string result_, baseline_;
};

TEST_F(GateCoverage, UnmatchedRecordsAreNamedAndFailOnlyWhenCoverageIsRequired) {
  const std::string keys = "machine_class=x86_64-avx512-4c model=fixture-t5 suite=fixture configuration=";
  t5test::CommandResult r = gate("");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;  // what was checked passed
  EXPECT_NE(r.out.find("PASS fixture/baseline end_to_end_ms.p50: 110.0 <= max 1000.0\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  fixture/baseline (" + keys + "baseline precision=f32): entries[0]\n"), std::string::npos) << r.out;
  for (const std::string name : {"optimized", "fused_attention", "optimized/baseline", "fused_attention/baseline"})
    EXPECT_NE(r.out.find("UNCHECKED fixture/" + name + " (" + keys + name + " precision=f32): no entry applies\n"),
              std::string::npos) << r.out;
  EXPECT_EQ(t5test::count_of(r.out, "UNCHECKED"), 4u) << r.out;
  const std::string command = "t5bench gate --update --result " + result_ + " --baseline " + baseline_;
  EXPECT_NE(r.out.find("to check the 4 unchecked record(s), add entries for them: " + command + "\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("gate: 0 of 1 checks failed against " + baseline_ + "; 4 of 5 records unchecked\n"), std::string::npos) << r.out;

  r = gate(" --require-coverage");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_EQ(t5test::count_of(r.out, "UNCHECKED"), 4u) << r.out;
  EXPECT_NE(r.out.find("; 4 of 5 records unchecked (--require-coverage: a failure)\n"), std::string::npos) << r.out;

  // The command the gate printed merges entries for this class; the other class's entry stays as written.
  r = t5test::run_command(t5test::binary_path() + command.substr(command.find(' ')));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  r = gate(" --require-coverage");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(t5test::count_of(r.out, "UNCHECKED"), 0u) << r.out;
  EXPECT_NE(r.out.find("; 0 of 5 records unchecked\n"), std::string::npos) << r.out;
  const t5bench::Baseline merged = t5bench::load_baseline(baseline_);
  EXPECT_EQ(merged.description, "two classes");
  ASSERT_EQ(merged.entries.size(), 7u);  // the two written by hand, then one per record
  EXPECT_EQ(merged.entries[1].match.at("machine_class"), "x86_64-avx2-2c");
  EXPECT_DOUBLE_EQ(*merged.entries[1].thresholds[0].max, 7);
  for (size_t i = 2; i < 7; ++i) EXPECT_EQ(merged.entries[i].match.at("machine_class"), "x86_64-avx512-4c");
}

}  // namespace
