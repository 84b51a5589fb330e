// The report built from fixture results, as Markdown and as HTML: rows, numbers, sections, escaping.

#include "report/document.h"

#include <gtest/gtest.h>

#include "report/html.h"
#include "report/markdown.h"
#include "report_fixtures.h"

namespace {

using namespace t5bench::report;
using t5test::count_of;
using t5test::markup_problem;
using t5test::report_fixture;

ReportInputs fixture_inputs(const std::vector<std::string>& files) {
  ReportInputs in;
  for (const std::string& f : files) load_result(report_fixture(f), in);
  return in;
}

std::string markdown_of(const ReportInputs& in) { return render_markdown(build_report(in, "Fixture report"), "fixture.html"); }

void expect_line(const std::string& text, const std::string& line) {
  EXPECT_NE(text.find("\n" + line + "\n"), std::string::npos) << "missing line: " << line << "\nin:\n" << text;
}

TEST(ReportMarkdown, HeaderStatesMachineCommitModelSuiteAndThreads) {
  const std::string md = markdown_of(fixture_inputs({"bench.json"}));
  EXPECT_EQ(md.rfind("# Fixture report\n\nCharts: [fixture.html](fixture.html)\n", 0), 0u) << md;
  expect_line(md, "- **Date:** 2026-11-20T10:00:00+00:00");
  expect_line(md, "- **Machine:** Fixture CPU 9000, 4 cores, avx2 fma avx512f avx512_bf16; class x86_64-avx512-4c; "
                  "OpenBLAS Haswell kernels");
  expect_line(md, "- **Commit:** 0123456789ab, t5bench 0.2.0");
  expect_line(md, "- **Model:** fixture-t5, f32 weights");
  expect_line(md, "- **Suite:** fixture: 32 input → 8 output tokens, batch 1, 1 request per run");
  expect_line(md, "- **Threads:** 4");
  expect_line(md, "| " + report_fixture("bench.json") + " | bench | fixture | 2026-11-20T10:00:00+00:00 | 0123456789ab | "
                  "x86_64-avx512-4c |");
  EXPECT_NE(md.find("Each configuration ran 1 warmup run, then 3 measured runs; the configurations took turns"),
            std::string::npos);
  EXPECT_NE(md.find("P50 is the median"), std::string::npos);
  EXPECT_EQ(md.find("<svg"), std::string::npos);  // charts are the HTML's
}

TEST(ReportMarkdown, LatencyAblationOperationAndRooflineRows) {
  const std::string md = markdown_of(fixture_inputs({"bench.json"}));
  expect_line(md, "| Configuration | P50 ms | P90 ms | P99 ms | Mean ± sd ms | Min–max ms | Encoder ms | Decoder ms | "
                  "First token ms | ms/token | tok/s | vs first | Over floor |");
  expect_line(md, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  expect_line(md, "| baseline | 110.0 | 118.0 | 119.8 | 110.0 ± 10.0 | 100.0–120.0 | 20.0 | 90.0 | 31.2 | 11.25 | 72.7 | "
                  "1.000× | 4.500× |");
  expect_line(md, "| optimized | 75.0 | 79.0 | 79.9 | 75.0 ± 5.0 | 70.0–80.0 | 19.0 | 56.0 | 26.0 | 7.00 | 106.7 | "
                  "0.682× | 2.800× |");
  expect_line(md, "| Configuration | Enabled switches | P50 ms | vs baseline |");
  expect_line(md, "| baseline | none | 110.0 | 1.000× |");
  expect_line(md, "| optimized | fused_attention, preallocated_kv, fused_projections, pinned_threads, overlap, blocked_gemv "
                  "| 75.0 | 0.682× |");
  expect_line(md, "| fused_attention | fused_attention | 99.0 | 0.900× |");
  expect_line(md, "| baseline | 30.0 | 20.0 | 35.0 | 20.0 | 1.0 | 0.5 | 0.0 | 106.5 |");
  expect_line(md, "| baseline | 11.25 | 2.50 | 4.500× | 22.2% | 50.0% |");
  EXPECT_EQ(md.find("Note |"), std::string::npos);  // no notes, no column
  EXPECT_EQ(md.find("### History"), std::string::npos);
}

TEST(ReportMarkdown, NotesArePrintedVerbatimBesideTheirRows) {
  ReportInputs in = fixture_inputs({"bench.json"});
  in.notes = {{"fused_attention", "Scores, softmax and values in one pass | per head."}};
  const std::string md = markdown_of(in);
  expect_line(md, "| Configuration | Enabled switches | P50 ms | vs baseline | Note |");
  expect_line(md, "| fused_attention | fused_attention | 99.0 | 0.900× | Scores, softmax and values in one pass \\| per head. |");
  expect_line(md, "| baseline | none | 110.0 | 1.000× |  |");
  EXPECT_NE(render_html(build_report(in, "t")).find("<td>Scores, softmax and values in one pass | per head.</td>"),
            std::string::npos);
}

TEST(ReportMarkdown, AccuracyTablesPerTaskAndOverall) {
  const std::string md = markdown_of(fixture_inputs({"accuracy.json"}));
  expect_line(md, "## Accuracy: suite synth-tasks, fixture-t5, f32 weights");
  EXPECT_NE(md.find("10 cases of ../shared/reference/synth.json compared with transformers 4.46 f32; configuration "
                    "optimized (switches: fused_attention, preallocated_kv), f32 weights"),
            std::string::npos);
  expect_line(md, "| Task | Cases | Exact | Tie-aware | Ambiguous | Token agreement | Max \\|Δlogit\\| | Min cosine | "
                  "Gap error (median / max) | Close decisions | Tokenizer parity | Task accuracy (reference) | Beam match |");
  expect_line(md, "| arithmetic | 6 | 5 (83.3%) | 6 (100.0%) | 1 | 96.0% | 3.05e-05 | 0.999998 | 2.00e-06 / 2.50e-05 | 1 | "
                  "100.0% of 6 | 75.0% (80.0%) | – |");
  expect_line(md, "| translate | 4 | 3 (75.0%) | 3 (75.0%) | 0 | 96.0% | 3.05e-05 | 0.999998 | 3.00e-06 / 1.50e-05 | 2 | "
                  "100.0% of 4 | – | 100.0% of 2 |");
  expect_line(md, "| all | 10 | 8 (80.0%) | 9 (90.0%) | 1 | 96.0% | 3.05e-05 | 0.999998 | 2.00e-06 / 2.50e-05 | 3 | "
                  "100.0% of 10 | 75.0% (80.0%) | 100.0% of 2 |");
  expect_line(md, "| arith-3 | arithmetic | 2 | 4.00e-04 | yes |");
  expect_line(md, "| tr-1 | translate | 5 | 8.00e-01 | no |");
  expect_line(md, "- **Suite:** synth-tasks: accuracy, 10 cases against transformers 4.46 f32");
  EXPECT_EQ(md.find("## Benchmark"), std::string::npos);
}

TEST(ReportMarkdown, RatesJustBelowOneAreNotRoundedToAHundredPercent) {
  ReportInputs in = fixture_inputs({"accuracy.json"});
  in.accuracy[0].overall.token_agreement = 0.99997;
  EXPECT_NE(markdown_of(in).find("| 99.997% |"), std::string::npos);
}

TEST(ReportMarkdown, HistoryListsEarlierReleasesOfTheSameSuiteAndModelThenThisResult) {
  ReportInputs in = fixture_inputs({"bench.json"});
  BenchResult old = in.bench[0];
  old.path = "old.json";
  old.context.version = "0.1.0";
  old.context.date = "2026-01-05T10:00:00+00:00";
  old.context.git_commit = "fedcba9876543210";
  old.configurations.pop_back();  // fused_attention did not exist yet
  old.configurations[0].end_to_end.p50 = 130;
  BenchResult other_suite = in.bench[0];
  other_suite.suite.name = "long";
  other_suite.context.date = "2026-01-06T10:00:00+00:00";
  BenchResult other_weights = old;
  other_weights.context.weights = "bf16";
  other_weights.context.date = "2026-01-07T10:00:00+00:00";
  BenchResult other_model = old;
  other_model.context.model_name = "synthetic:flan-t5-small";
  other_model.context.date = "2026-01-08T10:00:00+00:00";
  in.history = {old, other_suite, other_weights, other_model, in.bench[0]};  // the current result itself is not repeated
  const Document doc = build_report(in, "t");
  const std::string md = render_markdown(doc, "t.html");
  expect_line(md, "### History");
  expect_line(md, "| 0.1.0 | 2026-01-05T10:00:00+00:00 | fedcba987654 | x86_64-avx512-4c | baseline | 130.0 | 72.7 |");
  expect_line(md, "| 0.2.0 (this report) | 2026-11-20T10:00:00+00:00 | 0123456789ab | x86_64-avx512-4c | fused_attention | 99.0 | 80.8 |");
  EXPECT_EQ(count_of(md, "| 0.1.0 |"), 2u);
  EXPECT_EQ(count_of(md, "| 0.2.0 (this report) |"), 3u);

  const std::string html = render_html(doc);
  EXPECT_EQ(count_of(html, "id=\"bench1-history-latency\""), 1u);
  EXPECT_EQ(count_of(html, "id=\"bench1-history-throughput\""), 1u);
  EXPECT_EQ(count_of(html, "class=\"point\""), 10u);  // (2 + 3) points in each of the two charts
  EXPECT_EQ(count_of(html, ">2026-01-05</text>"), 2u);
  EXPECT_EQ(count_of(html, ">this report</text>"), 2u);
}

TEST(ReportHtml, OnePageWithEveryChartAndNothingExternal) {
  const std::string html = render_html(build_report(fixture_inputs({"bench.json", "accuracy.json"}), "Fixture report"));
  EXPECT_EQ(html.rfind("<!DOCTYPE html>\n<html lang=\"en\">", 0), 0u);
  EXPECT_EQ(markup_problem(html, {"meta", "link"}), "");
  EXPECT_EQ(count_of(html, "<svg "), 6u);  // distribution, split, throughput, ablation, operations, roofline
  EXPECT_EQ(count_of(html, "<figure>"), 6u);
  EXPECT_EQ(count_of(html, "class=\"run\""), 9u);
  EXPECT_EQ(count_of(html, "class=\"p50\""), 3u);
  EXPECT_EQ(count_of(html, "class=\"bar\""), 9u);       // throughput, ablation, roofline: 3 each
  EXPECT_EQ(count_of(html, "class=\"segment\""), 24u);  // 3 × encoder/decoder, 3 × six operation kinds
  EXPECT_EQ(count_of(html, "<title"), 7u);              // the page's and one per chart
  EXPECT_EQ(count_of(html, "<desc"), 6u);
  EXPECT_NE(html.find("<td class=\"num\">110.0</td>"), std::string::npos);
  EXPECT_NE(html.find("<h2>Accuracy: suite synth-tasks, fixture-t5, f32 weights</h2>"), std::string::npos);
  // Self-contained: no scripts, no stylesheets or images from elsewhere.
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(count_of(html, "src="), 0u);
  EXPECT_EQ(count_of(html, "href="), 1u);  // the empty data: icon
  EXPECT_EQ(count_of(html, "http"), count_of(html, "xmlns=\"http://www.w3.org/2000/svg\""));
}

TEST(ReportHtml, EscapesEveryTextFromTheInputs) {
  ReportInputs in = fixture_inputs({"bench.json"});
  in.bench[0].configurations[2].name = "<b>&\"x\"";
  in.bench[0].context.model_name = "<img src=x onerror=alert(1)>";
  in.notes = {{"<b>&\"x\"", "a < b & c"}};
  const std::string html = render_html(build_report(in, "A & B <c>"));
  EXPECT_EQ(markup_problem(html, {"meta", "link"}), "");
  EXPECT_NE(html.find("<title>A &amp; B &lt;c&gt;</title>"), std::string::npos);
  EXPECT_NE(html.find("<h1>A &amp; B &lt;c&gt;</h1>"), std::string::npos);
  EXPECT_NE(html.find("<td>&lt;b&gt;&amp;&quot;x&quot;</td>"), std::string::npos);
  EXPECT_NE(html.find(">&lt;b&gt;&amp;&quot;x&quot;</text>"), std::string::npos);  // chart labels too
  EXPECT_NE(html.find("<td>a &lt; b &amp; c</td>"), std::string::npos);
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);

  const std::string md = render_markdown(build_report(in, "A & B <c>"), "x.html");
  EXPECT_NE(md.find("| &lt;b&gt;&\"x\" |"), std::string::npos);
  EXPECT_EQ(md.find("<b>"), std::string::npos);
}

}  // namespace
