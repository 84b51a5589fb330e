#include "report/charts.h"

#include <algorithm>
#include <cmath>

#include "report/format.h"
#include "report/svg.h"

namespace t5bench::report {

namespace {

constexpr double kCharWidth = 7;  // average advance of a 12px sans-serif character, for layout
constexpr double kRowHeight = 28;
constexpr double kBarHeight = 16;
constexpr double kPlotWidth = 560;   // the value axis of the row charts
constexpr double kAxisHeight = 44;   // tick labels and the axis label under a plot
constexpr double kLegendRowHeight = 20;
constexpr const char* kInk = "#222";
constexpr const char* kInkStroke = "stroke=\"#222\"";
constexpr const char* kOutline = "stroke=\"#222\" stroke-width=\"0.6\"";  // around segments and swatches
constexpr const char* kBarFill = "#31688e";
// A white outline under the glyphs keeps a label readable where it crosses a grid or reference line.
constexpr const char* kHalo = "paint-order=\"stroke\" stroke=\"#fff\" stroke-width=\"3\" stroke-linejoin=\"round\"";

// Viridis stops: their lightness rises steadily, so neighbouring segments stay apart in grayscale too.
constexpr const char* kSequential[] = {"#440154", "#443983", "#31688e", "#21918c", "#35b779", "#90d743", "#fde725"};
constexpr size_t kSequentialCount = sizeof kSequential / sizeof kSequential[0];

// Lines differ in dash pattern and marker as well as colour, for the same reason.
constexpr const char* kLineColors[] = {"#1f3b73", "#c44e00", "#2a7f62", "#7b3294", "#555555", "#b8860b", "#0072b2", "#d55e00"};
constexpr size_t kLineColorCount = sizeof kLineColors / sizeof kLineColors[0];
constexpr const char* kDashes[] = {"", "7 4", "2 3", "9 3 2 3"};
constexpr size_t kDashCount = sizeof kDashes / sizeof kDashes[0];
constexpr int kMarkerShapes = 4;  // circle, square, diamond, triangle

size_t sequential_stop(size_t index, size_t count) {
  if (count <= 1) return 2;
  return (index * 2 * (kSequentialCount - 1) + (count - 1)) / (2 * (count - 1));  // rounded spread over the stops
}

double text_width(const std::string& text) {
  double characters = 0;
  for (unsigned char c : text) characters += (c & 0xC0) != 0x80;  // count UTF-8 sequences, not bytes
  return characters * kCharWidth;
}

double widest(const std::vector<std::string>& texts) {
  double width = 0;
  for (const std::string& t : texts) width = std::max(width, text_width(t));
  return width;
}

std::string fill(const std::string& color) { return "fill=\"" + color + "\""; }

// Where the parts of a chart with one horizontal row per label go.
struct RowFrame {
  double width = 0, height = 0;
  double plot_left = 0, plot_right = 0, plot_top = 0, plot_bottom = 0;
  double row_center(size_t row) const { return plot_top + kRowHeight * (static_cast<double>(row) + 0.5); }
};

RowFrame row_frame(const std::vector<std::string>& labels, double space_above, double space_right) {
  RowFrame f;
  f.plot_left = 12 + widest(labels) + 10;
  f.plot_right = f.plot_left + kPlotWidth;
  f.width = f.plot_right + space_right + 12;
  f.plot_top = 10 + space_above;
  f.plot_bottom = f.plot_top + kRowHeight * static_cast<double>(labels.size());
  f.height = f.plot_bottom + kAxisHeight;
  return f;
}

// Legend entries flow left to right and wrap within `available` pixels. Spots are the top left corners of
// the swatches, relative to the legend's own top left; each entry's text follows its swatch.
struct Legend {
  std::vector<std::pair<double, double>> spots;
  double height = 0;
};

Legend legend_layout(const std::vector<std::string>& names, double swatch_width, double available) {
  Legend legend;
  double x = 0, y = 0;
  for (const std::string& name : names) {
    const double entry = swatch_width + 6 + text_width(name) + 18;
    if (x > 0 && x + entry > available) {
      x = 0;
      y += kLegendRowHeight;
    }
    legend.spots.push_back({x, y});
    x += entry;
  }
  legend.height = names.empty() ? 0 : y + kLegendRowHeight;
  return legend;
}

void draw_row_labels(Svg& svg, const RowFrame& f, const std::vector<std::string>& labels) {
  for (size_t row = 0; row < labels.size(); ++row)
    svg.text(f.plot_left - 8, f.row_center(row) + 4, labels[row], "text-anchor=\"end\" " + fill(kInk));
}

// Vertical grid lines at the ticks, the axis line with tick labels, and the axis label under it.
void draw_value_axis(Svg& svg, const RowFrame& f, const Scale& scale, const std::vector<double>& ticks,
                     const std::string& label) {
  const double step = ticks.size() > 1 ? ticks[1] - ticks[0] : 1;
  for (double t : ticks) {
    const double x = scale.at(t);
    svg.line(x, f.plot_top, x, f.plot_bottom, "stroke=\"#ddd\"");
    svg.line(x, f.plot_bottom, x, f.plot_bottom + 4, kInkStroke);
    svg.text(x, f.plot_bottom + 16, tick_label(t, step), "text-anchor=\"middle\" " + fill(kInk));
  }
  svg.line(f.plot_left, f.plot_bottom, f.plot_right, f.plot_bottom, kInkStroke);
  svg.text((f.plot_left + f.plot_right) / 2, f.plot_bottom + 36, label, "text-anchor=\"middle\" " + fill(kInk));
}

// A zero-based value axis long enough for `largest`.
std::vector<double> ticks_from_zero(double largest) { return nice_ticks(0, std::max(largest, 1e-9), 5); }

void draw_marker(Svg& svg, int shape, double x, double y, const std::string& attributes) {
  switch (shape % kMarkerShapes) {
    case 0: svg.circle(x, y, 4, attributes); break;
    case 1: svg.rect(x - 3.5, y - 3.5, 7, 7, attributes); break;
    case 2: svg.polygon({{x, y - 5}, {x + 5, y}, {x, y + 5}, {x - 5, y}}, attributes); break;
    default: svg.polygon({{x, y - 5}, {x + 5, y + 4}, {x - 5, y + 4}}, attributes); break;
  }
}

// Series differ in dash and marker: the pair repeats only after kDashCount * kMarkerShapes series.
std::string line_style(size_t series) {
  const std::string dash = kDashes[(series + series / kMarkerShapes) % kDashCount];
  return std::string("stroke=\"") + kLineColors[series % kLineColorCount] +
         "\" stroke-width=\"2\"" + (dash.empty() ? "" : " stroke-dasharray=\"" + dash + "\"");
}

}  // namespace

std::string bar_chart(const BarChart& chart) {
  const double label_space = widest(chart.value_labels) + 10;
  const RowFrame f = row_frame(chart.labels, chart.reference ? 18 : 0, label_space);
  double largest = chart.reference.value_or(0);
  for (double v : chart.values) largest = std::max(largest, v);
  const std::vector<double> ticks = ticks_from_zero(largest);
  const Scale scale{0, ticks.back(), f.plot_left, f.plot_right};

  Svg svg(f.width, f.height, chart.text.id, chart.text.title, chart.text.description);
  draw_value_axis(svg, f, scale, ticks, chart.text.axis_label);
  draw_row_labels(svg, f, chart.labels);
  for (size_t row = 0; row < chart.values.size(); ++row) {
    const double end = scale.at(chart.values[row]);
    svg.rect(f.plot_left, f.row_center(row) - kBarHeight / 2, end - f.plot_left, kBarHeight,
             "class=\"bar\" " + fill(kBarFill));
    svg.text(end + 5, f.row_center(row) + 4, chart.value_labels[row], fill(kInk) + " " + kHalo);
  }
  if (chart.reference) {
    const double x = scale.at(*chart.reference);
    svg.line(x, f.plot_top - 6, x, f.plot_bottom, "class=\"reference\" stroke=\"#000\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\"");
    // The label reads away from the line, towards the side with room.
    const bool right_of_line = x < (f.plot_left + f.plot_right) / 2;
    svg.text(right_of_line ? x + 5 : x - 5, f.plot_top - 8, chart.reference_label,
             std::string("text-anchor=\"") + (right_of_line ? "start" : "end") + "\" " + fill(kInk) + " " + kHalo);
  }
  return svg.finish();
}

std::string stacked_bar_chart(const StackedBarChart& chart) {
  const double label_space = widest(chart.total_labels) + 10;
  const double available = kPlotWidth + label_space;
  const Legend legend = legend_layout(chart.segment_names, 12, available);
  const RowFrame f = row_frame(chart.labels, legend.height + 6, label_space);
  double largest = 0;
  for (const std::vector<double>& row : chart.values) {
    double total = 0;
    for (double v : row) total += std::max(0.0, v);
    largest = std::max(largest, total);
  }
  const std::vector<double> ticks = ticks_from_zero(largest);
  const Scale scale{0, ticks.back(), f.plot_left, f.plot_right};

  Svg svg(f.width, f.height, chart.text.id, chart.text.title, chart.text.description);
  const size_t segments = chart.segment_names.size();
  for (size_t k = 0; k < segments; ++k) {
    const double x = f.plot_left + legend.spots[k].first, y = 8 + legend.spots[k].second;
    svg.rect(x, y, 12, 12, fill(kSequential[sequential_stop(k, segments)]) + " " + kOutline);
    svg.text(x + 18, y + 10, chart.segment_names[k], fill(kInk));
  }
  draw_value_axis(svg, f, scale, ticks, chart.text.axis_label);
  draw_row_labels(svg, f, chart.labels);
  for (size_t row = 0; row < chart.values.size(); ++row) {
    double at = 0;
    const double top = f.row_center(row) - kBarHeight / 2;
    for (size_t k = 0; k < segments; ++k) {
      const double v = chart.values[row][k];
      if (v <= 0) continue;  // nothing to draw, and a zero-width outline would still show
      const double x0 = scale.at(at), x1 = scale.at(at + v);
      const size_t stop = sequential_stop(k, segments);
      svg.rect(x0, top, x1 - x0, kBarHeight,
               "class=\"segment\" " + fill(kSequential[stop]) + " " + kOutline);
      // The value inside the segment where it fits, light on the dark stops and dark on the light ones.
      const std::string value = fixed(v, 1);
      if (x1 - x0 > text_width(value) + 6)
        svg.text((x0 + x1) / 2, top + 12, value,
                 "text-anchor=\"middle\" font-size=\"11\" " + fill(stop <= 3 ? "#fff" : "#000"));
      at += v;
    }
    svg.text(scale.at(at) + 5, f.row_center(row) + 4, chart.total_labels[row], fill(kInk) + " " + kHalo);
  }
  return svg.finish();
}

std::string dot_plot(const DotPlot& chart) {
  const std::vector<std::string> marks = {"run", "P50", "P90"};
  const Legend legend = legend_layout(marks, 14, kPlotWidth);
  const RowFrame f = row_frame(chart.labels, legend.height + 6, 0);
  double lo = 0, hi = 0;
  bool first = true;
  for (const std::vector<double>& row : chart.samples)
    for (double v : row) {
      lo = first ? v : std::min(lo, v);
      hi = first ? v : std::max(hi, v);
      first = false;
    }
  // Latencies sit far from zero, so this axis spans the data only; the dots are positions, not lengths.
  const std::vector<double> ticks = nice_ticks(lo, hi, 5);
  const Scale scale{ticks.front(), ticks.back(), f.plot_left, f.plot_right};

  Svg svg(f.width, f.height, chart.text.id, chart.text.title, chart.text.description);
  std::vector<std::pair<double, double>> at;  // the legend's swatch corners on the chart
  for (const auto& [x, y] : legend.spots) at.push_back({f.plot_left + x, 8 + y});
  svg.circle(at[0].first + 7, at[0].second + 6, 4.5, fill(kBarFill) + " fill-opacity=\"0.6\" stroke=\"#1b2a49\"");
  svg.line(at[1].first + 7, at[1].second, at[1].first + 7, at[1].second + 13, "stroke=\"#000\" stroke-width=\"3\"");
  svg.line(at[2].first + 7, at[2].second, at[2].first + 7, at[2].second + 13,
           "stroke=\"#000\" stroke-width=\"1.5\" stroke-dasharray=\"3 2\"");
  for (size_t k = 0; k < marks.size(); ++k) svg.text(at[k].first + 20, at[k].second + 10, marks[k], fill(kInk));

  draw_value_axis(svg, f, scale, ticks, chart.text.axis_label);
  draw_row_labels(svg, f, chart.labels);
  for (size_t row = 0; row < chart.samples.size(); ++row) {
    const double y = f.row_center(row);
    svg.line(f.plot_left, y, f.plot_right, y, "stroke=\"#eee\"");
    // Three lanes keep runs of equal time from hiding one another.
    for (size_t i = 0; i < chart.samples[row].size(); ++i)
      svg.circle(scale.at(chart.samples[row][i]), y + (static_cast<double>(i % 3) - 1) * 4, 4.5,
                 "class=\"run\" " + fill(kBarFill) + " fill-opacity=\"0.6\" stroke=\"#1b2a49\"");
    const double p50 = scale.at(chart.p50[row]), p90 = scale.at(chart.p90[row]);
    svg.line(p50, y - 11, p50, y + 11, "class=\"p50\" stroke=\"#000\" stroke-width=\"3\"");
    svg.line(p90, y - 11, p90, y + 11, "class=\"p90\" stroke=\"#000\" stroke-width=\"1.5\" stroke-dasharray=\"3 2\"");
  }
  return svg.finish();
}

std::string line_chart(const LineChart& chart) {
  constexpr double kWidth = 760, kPlotHeight = 220;
  const double plot_left = 64, plot_right = kWidth - 20;
  const Legend legend = legend_layout(chart.series_names, 28, plot_right - plot_left);
  const double plot_top = 18 + legend.height, plot_bottom = plot_top + kPlotHeight;
  const double height = plot_bottom + 44;
  double largest = 0;
  for (const auto& series : chart.values)
    for (const std::optional<double>& v : series)
      if (v) largest = std::max(largest, *v);
  const std::vector<double> ticks = ticks_from_zero(largest);
  const Scale y_scale{0, ticks.back(), plot_bottom, plot_top};
  const size_t positions = chart.x_labels.size();
  const double band = (plot_right - plot_left) / static_cast<double>(std::max<size_t>(1, positions));
  auto x_at = [&](size_t i) { return plot_left + band * (static_cast<double>(i) + 0.5); };

  Svg svg(kWidth, height, chart.text.id, chart.text.title, chart.text.description);
  for (size_t s = 0; s < chart.series_names.size(); ++s) {
    const double x = plot_left + legend.spots[s].first, y = 8 + legend.spots[s].second;
    svg.line(x, y + 6, x + 28, y + 6, line_style(s));
    draw_marker(svg, static_cast<int>(s), x + 14, y + 6, fill(kLineColors[s % kLineColorCount]));
    svg.text(x + 34, y + 10, chart.series_names[s], fill(kInk));
  }

  const double step = ticks.size() > 1 ? ticks[1] - ticks[0] : 1;
  for (double t : ticks) {
    const double y = y_scale.at(t);
    svg.line(plot_left, y, plot_right, y, "stroke=\"#ddd\"");
    svg.text(plot_left - 6, y + 4, tick_label(t, step), "text-anchor=\"end\" " + fill(kInk));
  }
  svg.line(plot_left, plot_top, plot_left, plot_bottom, kInkStroke);
  svg.line(plot_left, plot_bottom, plot_right, plot_bottom, kInkStroke);
  const double middle = (plot_top + plot_bottom) / 2;
  svg.text(16, middle, chart.text.axis_label,
           "transform=\"rotate(-90 16 " + fixed(middle, 1) + ")\" text-anchor=\"middle\" " + fill(kInk));
  // Labels keep at least ~80 pixels apart; with many releases only every n-th position is labelled.
  const size_t stride = static_cast<size_t>(std::ceil(80 / band));
  for (size_t i = 0; i < positions; i += std::max<size_t>(1, stride)) {
    svg.line(x_at(i), plot_bottom, x_at(i), plot_bottom + 4, kInkStroke);
    svg.text(x_at(i), plot_bottom + 16, chart.x_labels[i], "text-anchor=\"middle\" " + fill(kInk));
    svg.text(x_at(i), plot_bottom + 30, chart.x_sublabels[i], "text-anchor=\"middle\" font-size=\"10\" fill=\"#555\"");
  }

  for (size_t s = 0; s < chart.values.size(); ++s) {
    // A missing value breaks the line rather than bridging releases that did not measure the series.
    std::vector<std::pair<double, double>> run;
    for (size_t i = 0; i < positions; ++i) {
      if (chart.values[s][i]) {
        run.push_back({x_at(i), y_scale.at(*chart.values[s][i])});
        continue;
      }
      if (run.size() > 1) svg.polyline(run, line_style(s));
      run.clear();
    }
    if (run.size() > 1) svg.polyline(run, line_style(s));
    for (size_t i = 0; i < positions; ++i)
      if (chart.values[s][i])
        draw_marker(svg, static_cast<int>(s), x_at(i), y_scale.at(*chart.values[s][i]),
                    "class=\"point\" " + fill(kLineColors[s % kLineColorCount]));
  }
  return svg.finish();
}

}  // namespace t5bench::report
