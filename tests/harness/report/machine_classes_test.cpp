// A report of results from several machine classes: the headline rows side by side, a section per class
// holding that class's bench and accuracy results, and each class's own history.

#include <gtest/gtest.h>

#include "report/document.h"
#include "report/markdown.h"
#include "report_fixtures.h"

namespace {

using namespace t5bench::report;

TEST(ReportMachineClasses, SideBySideTableSectionPerClassAndHistoryPerClass) {
  ReportInputs in;
  load_result(t5test::report_fixture("bench.json"), in);  // x86_64-avx512-4c
  BenchResult avx2 = in.bench[0];
  avx2.path = "avx2.json";
  avx2.context.machine_class = "x86_64-avx2-2c";
  avx2.configurations.pop_back();  // no fused_attention on this class
  avx2.configurations[0].end_to_end.p50 = 250;
  avx2.configurations[0].tokens_per_second.p50 = 32;
  in.bench.push_back(avx2);
  // One earlier release per class.
  BenchResult old512 = in.bench[0], old2 = avx2;
  old512.context.version = old2.context.version = "0.1.0";
  old512.context.date = "2026-01-05T10:00:00+00:00";
  old2.context.date = "2026-01-06T10:00:00+00:00";
  old512.configurations[0].end_to_end.p50 = 130;
  old2.configurations[0].end_to_end.p50 = 300;
  in.history = {old512, old2};

  const std::string md = render_markdown(build_report(in, "t"), "t.html");
  EXPECT_NE(md.find("\n## Machine classes side by side\n"), std::string::npos) << md;
  EXPECT_NE(md.find("| Suite | Model | Configuration | x86_64-avx512-4c P50 ms | x86_64-avx512-4c tok/s | "
                    "x86_64-avx2-2c P50 ms | x86_64-avx2-2c tok/s |\n"),
            std::string::npos) << md;
  EXPECT_NE(md.find("| fixture | fixture-t5, f32 weights | baseline | 110.0 | 72.7 | 250.0 | 32.0 |\n"), std::string::npos) << md;
  EXPECT_NE(md.find("| fixture | fixture-t5, f32 weights | fused_attention | 99.0 | 80.8 | – | – |\n"), std::string::npos) << md;
  const size_t section512 = md.find("\n## Machine class x86_64-avx512-4c\n"), section2 = md.find("\n## Machine class x86_64-avx2-2c\n");
  ASSERT_NE(section512, std::string::npos);
  ASSERT_NE(section2, std::string::npos);
  ASSERT_LT(section512, section2);
  // Each class's history holds its own earlier release only.
  const std::string part512 = md.substr(section512, section2 - section512), part2 = md.substr(section2);
  EXPECT_NE(part512.find("| 0.1.0 | 2026-01-05T10:00:00+00:00 | 0123456789ab | x86_64-avx512-4c | baseline | 130.0 |"),
            std::string::npos) << part512;
  EXPECT_EQ(part512.find("x86_64-avx2-2c"), std::string::npos) << part512;
  EXPECT_NE(part2.find("| 0.1.0 | 2026-01-06T10:00:00+00:00 | 0123456789ab | x86_64-avx2-2c | baseline | 300.0 |"),
            std::string::npos) << part2;
  EXPECT_EQ(part2.find("| x86_64-avx512-4c |"), std::string::npos) << part2;
  EXPECT_NE(part2.find("Suite fixture on x86_64-avx2-2c in 1 earlier result"), std::string::npos) << part2;

  // One class: no side-by-side table and no class headings.
  in.bench.pop_back();
  const std::string single = render_markdown(build_report(in, "t"), "t.html");
  EXPECT_EQ(single.find("## Machine class"), std::string::npos);
}

TEST(ReportMachineClasses, AccuracyOfEachClassSideBySideAndInItsOwnSection) {
  ReportInputs in;
  load_result(t5test::report_fixture("bench.json"), in);     // x86_64-avx512-4c
  load_result(t5test::report_fixture("accuracy.json"), in);  // x86_64-avx512-4c: 9 of 10 tie-aware
  // The same CPU forced to a lower tier: another class, the same machine.
  AccuracyResult avx2 = in.accuracy[0];
  avx2.path = "avx2-accuracy.json";
  avx2.context.machine_class = "x86_64-avx2-4c";
  avx2.overall.tie_aware = 10;
  avx2.overall.tie_aware_match_rate = 1.0;
  avx2.overall.logit_max_abs_error = 4.5e-5;
  in.accuracy.push_back(avx2);

  const std::string md = render_markdown(build_report(in, "t"), "t.html");
  EXPECT_NE(md.find("class x86_64-avx512-4c"), std::string::npos) << md;
  EXPECT_NE(md.find("; classes x86_64-avx512-4c, x86_64-avx2-4c; "), std::string::npos) << md;
  EXPECT_EQ(md.find("Not every result comes from the machine above"), std::string::npos) << md;
  EXPECT_NE(md.find("| Suite | Model | Configuration | x86_64-avx512-4c tie-aware | x86_64-avx512-4c max \\|Δlogit\\| | "
                    "x86_64-avx2-4c tie-aware | x86_64-avx2-4c max \\|Δlogit\\| |\n"),
            std::string::npos) << md;
  EXPECT_NE(md.find("| synth-tasks | fixture-t5, f32 weights | optimized | 9 (90.0%) | 3.05e-05 | 10 (100.0%) | 4.50e-05 |\n"),
            std::string::npos) << md;
  // The avx2 class measured no bench: its bench row says so.
  EXPECT_NE(md.find("| fixture | fixture-t5, f32 weights | baseline | 110.0 | 72.7 | – | – |\n"), std::string::npos) << md;
  const size_t section512 = md.find("\n## Machine class x86_64-avx512-4c\n"), section2 = md.find("\n## Machine class x86_64-avx2-4c\n");
  ASSERT_NE(section512, std::string::npos);
  ASSERT_NE(section2, std::string::npos);
  const std::string part512 = md.substr(section512, section2 - section512), part2 = md.substr(section2);
  EXPECT_EQ(t5test::count_of(part512, "## Accuracy: suite synth-tasks"), 1u) << part512;
  EXPECT_NE(part512.find("(from " + in.accuracy[0].path + ", "), std::string::npos) << part512;
  EXPECT_EQ(t5test::count_of(part2, "## Accuracy: suite synth-tasks"), 1u) << part2;
  EXPECT_NE(part2.find("(from avx2-accuracy.json, "), std::string::npos) << part2;
  EXPECT_EQ(part2.find("## Benchmark"), std::string::npos) << part2;

  // Another CPU is another machine, and the report says so.
  in.accuracy[1].context.cpu_model = "Other CPU";
  const std::string other = render_markdown(build_report(in, "t"), "t.html");
  EXPECT_NE(other.find("Not every result comes from the machine above"), std::string::npos) << other;
}

}  // namespace
