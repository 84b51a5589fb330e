// The SVG primitives and charts: element counts, structure, escaping, axes.

#include "report/charts.h"

#include <gtest/gtest.h>

#include "report/svg.h"
#include "report_fixtures.h"

namespace {

using namespace t5bench::report;
using t5test::count_of;
using t5test::markup_problem;

ChartText text_of(const std::string& id) { return {id, "A <chart> & co", "Numbers: \"a\" < b", "time (ms)"}; }

void expect_one_svg(const std::string& svg) {
  EXPECT_EQ(markup_problem(svg), "") << svg;
  EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
  EXPECT_EQ(count_of(svg, "<svg"), 1u);
  EXPECT_EQ(svg.substr(svg.size() - 7), "</svg>\n");
  EXPECT_NE(svg.find("role=\"img\""), std::string::npos);
}

TEST(Svg, EscapesTextAndAttributes) {
  EXPECT_EQ(escape_xml("a<b>&\"c\"'d'"), "a&lt;b&gt;&amp;&quot;c&quot;&#39;d&#39;");
  Svg svg(100, 50, "x\"y", "t<", "d&");
  svg.text(1, 2, "<script>", "fill=\"#000\"");
  const std::string out = svg.finish();
  EXPECT_NE(out.find("<title id=\"x&quot;y-title\">t&lt;</title>"), std::string::npos) << out;
  EXPECT_NE(out.find("<desc id=\"x&quot;y-desc\">d&amp;</desc>"), std::string::npos);
  EXPECT_NE(out.find(">&lt;script&gt;</text>"), std::string::npos);
  EXPECT_EQ(out.find("<script"), std::string::npos);
  EXPECT_EQ(markup_problem(out), "");
}

TEST(Svg, NiceTicksCoverTheDataInRoundSteps) {
  EXPECT_EQ(nice_ticks(0, 57.7, 5), (std::vector<double>{0, 20, 40, 60}));
  EXPECT_EQ(nice_ticks(39.1, 71.8, 5), (std::vector<double>{30, 40, 50, 60, 70, 80}));
  EXPECT_EQ(nice_ticks(0, 194, 5), (std::vector<double>{0, 50, 100, 150, 200}));
  const std::vector<double> small = nice_ticks(0, 1.021, 5);
  EXPECT_DOUBLE_EQ(small.front(), 0);
  EXPECT_GE(small.back(), 1.021);
  EXPECT_EQ(tick_label(0.5, 0.5), "0.5");
  EXPECT_EQ(tick_label(40, 10), "40");
  EXPECT_EQ(tick_label(-1e-17, 0.2), "0.0");
  EXPECT_GE(nice_ticks(5, 5, 5).size(), 2u);  // a flat series still gets an axis
}

TEST(Charts, BarChartHasABarAndLabelPerRowAndTheReference) {
  BarChart chart{text_of("bars"), {"baseline", "optimized", "x<y"}, {1.0, 0.714, 1.021}, {"1.000×", "0.714×", "1.021×"},
                 1.0, "baseline 1.000×"};
  const std::string svg = bar_chart(chart);
  expect_one_svg(svg);
  EXPECT_EQ(count_of(svg, "class=\"bar\""), 3u);
  EXPECT_EQ(count_of(svg, "class=\"reference\""), 1u);
  EXPECT_EQ(count_of(svg, ">0.714×</text>"), 1u);
  EXPECT_EQ(count_of(svg, ">x&lt;y</text>"), 1u);
  EXPECT_NE(svg.find("<title id=\"bars-title\">A &lt;chart&gt; &amp; co</title>"), std::string::npos);
  EXPECT_NE(svg.find(">time (ms)</text>"), std::string::npos);  // axis label with unit

  chart.reference.reset();
  EXPECT_EQ(count_of(bar_chart(chart), "class=\"reference\""), 0u);
}

TEST(Charts, BarLengthsAreProportional) {
  const std::string svg = bar_chart({text_of("p"), {"a", "b"}, {50, 100}, {"50", "100"}, {}, ""});
  // Bars start at the same x; b's width is twice a's.
  const size_t first = svg.find("class=\"bar\""), second = svg.find("class=\"bar\"", first + 1);
  auto width_before = [&](size_t at) {
    const size_t w = svg.rfind("width=\"", at);
    return std::stod(svg.substr(w + 7));
  };
  EXPECT_NEAR(width_before(second), 2 * width_before(first), 0.2);
}

TEST(Charts, StackedBarsSkipEmptySegmentsAndHaveALegend) {
  StackedBarChart chart{text_of("stack"), {"baseline", "optimized"}, {"encoder", "decoder", "other"},
                        {{11.2, 46.5, 0.0}, {12.7, 28.6, 1.0}}, {"57.7 ms", "42.3 ms"}};
  const std::string svg = stacked_bar_chart(chart);
  expect_one_svg(svg);
  EXPECT_EQ(count_of(svg, "class=\"segment\""), 5u);  // 2 + 3, the zero is not drawn
  EXPECT_EQ(count_of(svg, ">encoder</text>"), 1u);
  EXPECT_EQ(count_of(svg, ">decoder</text>"), 1u);
  EXPECT_EQ(count_of(svg, ">57.7 ms</text>"), 1u);
  EXPECT_EQ(count_of(svg, ">46.5</text>"), 1u);  // a wide segment carries its value
}

TEST(Charts, DotPlotDrawsEveryRunAndTheMarks) {
  DotPlot plot{text_of("dots"), {"a", "b"}, {{57.7, 58.0, 71.8, 60.1, 57.6}, {41.2, 39.1, 44.5}}, {57.7, 41.2}, {66.7, 44.0}};
  const std::string svg = dot_plot(plot);
  expect_one_svg(svg);
  EXPECT_EQ(count_of(svg, "class=\"run\""), 8u);
  EXPECT_EQ(count_of(svg, "class=\"p50\""), 2u);
  EXPECT_EQ(count_of(svg, "class=\"p90\""), 2u);
  EXPECT_NE(svg.find(">30</text>"), std::string::npos);  // the axis spans the data, not from zero
  EXPECT_EQ(svg.find(">0</text>"), std::string::npos);
}

TEST(Charts, LineChartBreaksAtMissingValues) {
  LineChart chart{text_of("lines"), {"0.1.0", "0.2.0", "0.3.0"}, {"2026-01-01", "2026-02-01", "2026-03-01"},
                  {"baseline", "optimized"}, {{60.0, 58.0, 57.7}, {std::nullopt, 45.0, 41.2}}};
  const std::string svg = line_chart(chart);
  expect_one_svg(svg);
  EXPECT_EQ(count_of(svg, "class=\"point\""), 5u);
  EXPECT_EQ(count_of(svg, "<polyline"), 2u);
  EXPECT_EQ(count_of(svg, ">0.2.0</text>"), 1u);
  EXPECT_EQ(count_of(svg, ">2026-03-01</text>"), 1u);
  EXPECT_NE(svg.find("stroke-dasharray=\"7 4\""), std::string::npos);  // the second line is dashed

  chart.values[1] = {45.0, std::nullopt, 41.2};  // no line across the gap: lone points only
  EXPECT_EQ(count_of(line_chart(chart), "<polyline"), 1u);
}

}  // namespace
