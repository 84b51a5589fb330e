#pragma once

#include <optional>
#include <string>
#include <vector>

namespace t5bench::report {

// The charts of a report, as self-contained SVG elements. Every chart takes an id unique within the page
// (its <title>/<desc> ids derive from it), a title and a description for screen readers (the caller
// states the numbers there), and the label of its value axis with the unit. Each drawn datum carries a
// class ("bar", "segment", "run", "p50", "p90", "point") so tests and stylesheets can find it.
struct ChartText {
  std::string id, title, description, axis_label;
};

// One horizontal bar per row with its value printed at the end; optionally a vertical reference line
// (the baseline's 1.0, the bandwidth floor) with its label.
struct BarChart {
  ChartText text;
  std::vector<std::string> labels;
  std::vector<double> values;
  std::vector<std::string> value_labels;
  std::optional<double> reference;
  std::string reference_label;
};
std::string bar_chart(const BarChart& chart);

// Horizontal bars split into segments (encoder + decoder, time per operation), with a legend.
struct StackedBarChart {
  ChartText text;
  std::vector<std::string> labels;
  std::vector<std::string> segment_names;
  std::vector<std::vector<double>> values;  // [row][segment]
  std::vector<std::string> total_labels;    // printed after each bar
};
std::string stacked_bar_chart(const StackedBarChart& chart);

// Every sample of each row as a dot, with the row's P50 and P90 marked.
struct DotPlot {
  ChartText text;
  std::vector<std::string> labels;
  std::vector<std::vector<double>> samples;
  std::vector<double> p50, p90;
};
std::string dot_plot(const DotPlot& chart);

// One line per series over evenly spaced x positions (releases); a series may miss some positions.
struct LineChart {
  ChartText text;
  std::vector<std::string> x_labels, x_sublabels;  // e.g. version and date, two lines under the axis
  std::vector<std::string> series_names;
  std::vector<std::vector<std::optional<double>>> values;  // [series][x position]
};
std::string line_chart(const LineChart& chart);

}  // namespace t5bench::report
