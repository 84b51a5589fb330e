// t5bench report as users run it: files written, exit statuses, and nothing written on bad input.

#include <gtest/gtest.h>

#include <signal.h>

#include <filesystem>

#include "commands/commands.h"
#include "report_fixtures.h"
#include "support/interrupted_write.h"

namespace {

using t5test::report_fixture;
using t5test::run_command;

std::string report_command(const std::string& args) { return t5test::binary_path() + " report " + args; }

bool exists(const std::string& path) { return std::filesystem::exists(path); }

TEST(ReportCommand, WritesMarkdownAndHtml) {
  t5test::TempDir dir("report-cli");
  const std::string out = dir.file("reports/fixture");  // the directory is created
  const t5test::CommandResult r = run_command(report_command("--results " + report_fixture("bench.json") + " --results " +
                                                             report_fixture("accuracy.json") + " --out " + out +
                                                             " --title 'Release 0.2.0' --history " + dir.path()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "wrote " + out + ".md and " + out + ".html\n");
  EXPECT_EQ(r.err, "");
  const std::string md = t5test::read_file(out + ".md");
  EXPECT_EQ(md.rfind("# Release 0.2.0\n\nCharts: [fixture.html](fixture.html)\n", 0), 0u);
  EXPECT_NE(md.find("## Benchmark: suite fixture, fixture-t5, f32 weights\n"), std::string::npos);
  EXPECT_NE(md.find("## Accuracy: suite synth-tasks, fixture-t5, f32 weights\n"), std::string::npos);
  const std::string html = t5test::read_file(out + ".html");
  EXPECT_EQ(t5test::markup_problem(html, {"meta", "link"}), "");
  EXPECT_EQ(t5test::count_of(html, "<svg "), 6u);
}

TEST(ReportCommand, ReadsReportsHistoryByDefaultAndNotesWhenGiven) {
  t5test::TempDir dir("report-cli");
  std::filesystem::create_directories(dir.file("reports/history"));
  t5::json old = t5test::read_report_fixture("bench.json");
  old["context"]["t5bench"]["version"] = "0.1.0";
  old["context"]["date"] = "2026-01-01T00:00:00+00:00";
  t5test::write_json(dir, "reports/history/0.1.0.json", old);
  const std::string notes = t5test::write_json(dir, "notes.json", {{"fused_attention", "Measured: 10% fewer reads."}});
  const t5test::CommandResult r = run_command("env -C " + dir.path() + " " +
                                              report_command("--results " + report_fixture("bench.json") +
                                                             " --out reports/now --notes " + notes));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string md = t5test::read_file(dir.file("reports/now.md"));
  EXPECT_NE(md.find("### History"), std::string::npos);
  EXPECT_NE(md.find("| fused_attention | fused_attention | 99.0 | 0.900× | Measured: 10% fewer reads. |"), std::string::npos);
}

TEST(ReportCommand, BadInputExitsOneWithOneLineAndWritesNothing) {
  t5test::TempDir dir("report-cli");
  t5::json broken = t5test::read_report_fixture("bench.json");
  broken["configurations"][1]["statistics"]["tokens_per_second"].erase("p50");
  const std::string bad = t5test::write_json(dir, "bad.json", broken);
  const std::string bad_notes = t5test::write_json(dir, "notes.json", {{"nothing", "x"}});
  const std::string good = report_fixture("bench.json");
  struct Case {
    std::string args, error;
  } cases[] = {
      {"--results " + good + " --results " + bad,
       bad + ": missing required field 'configurations[1].statistics.tokens_per_second.p50'"},
      {"--results " + dir.file("none.json"), dir.file("none.json") + ": cannot open: No such file or directory"},
      {"--results " + good + " --history " + dir.file("nowhere"),
       dir.file("nowhere") + ": cannot read the history directory: No such file or directory"},
      {"--results " + good + " --notes " + bad_notes,
       bad_notes + ": note for 'nothing' names no configuration of the bench results"},
  };
  for (const Case& c : cases) {
    const t5test::CommandResult r = run_command(report_command(c.args + " --out " + dir.file("out/r")));
    EXPECT_EQ(r.exit_code, 1) << c.args;
    EXPECT_EQ(r.err, "t5bench report: " + c.error + "\n");
    EXPECT_EQ(r.out, "");
    EXPECT_FALSE(exists(dir.file("out/r.md")));
    EXPECT_FALSE(exists(dir.file("out/r.html")));
    EXPECT_FALSE(exists(dir.file("out")));
  }
}

TEST(ReportCommand, UsageErrorsExitTwo) {
  const std::string good = report_fixture("bench.json");
  struct Case {
    std::string args, error;
  } cases[] = {
      {"--out /tmp/x", "missing required option '--results'"},
      {"--results " + good, "missing required option '--out'"},
      {"--results " + good + " --out r.html", "option '--out' takes a name without extension: reports/NAME writes NAME.md and NAME.html"},
      {"--results " + good + " --out r --colour red", "unknown option '--colour'"},
      {"--results " + good + " --out r --title a --title b", "option '--title' given twice"},
  };
  for (const Case& c : cases) {
    const t5test::CommandResult r = run_command(report_command(c.args));
    EXPECT_EQ(r.exit_code, 2) << c.args;
    EXPECT_EQ(r.err.substr(0, r.err.find('\n')), "t5bench report: " + c.error);
    EXPECT_NE(r.err.find("  report    --results FILE.json"), std::string::npos);  // the usage follows
  }
}

// SIGINT while the report is written, after the .md's temporary file or after both: exit 130, the earlier .md
// and .html both as they were, no temporary file left.
TEST(ReportCommand, InterruptedWhileWritingLeavesBothEarlierFiles) {
  t5test::TempDir dir("report-cli");
  const std::string out = dir.file("r");
  const t5test::CommandResult first = run_command(
      report_command("--results " + report_fixture("bench.json") + " --out " + out + " --history " + dir.path()));
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const std::string md = t5test::read_file(out + ".md"), html = t5test::read_file(out + ".html");
  // A second run under another title: what it would write differs from the first.
  const std::vector<std::string> second = {"--results", report_fixture("bench.json"), "--out", out,
                                           "--history", dir.path(), "--title", "Second"};
  for (const int nth : {1, 2}) {
    EXPECT_EXIT(t5test::run_interrupted_at_write(nth, SIGINT, [&] { t5bench::run_report(second); }),
                testing::ExitedWithCode(130), "")
        << nth;
    EXPECT_EQ(t5test::read_file(out + ".md"), md) << nth;
    EXPECT_EQ(t5test::read_file(out + ".html"), html) << nth;
    size_t files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
      EXPECT_EQ(entry.path().filename().string().find(".tmp"), std::string::npos) << entry.path();
      ++files;
    }
    EXPECT_EQ(files, 2u);
  }
}

}  // namespace
