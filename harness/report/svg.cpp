#include "report/svg.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace t5bench::report {

namespace {

// Coordinates to a tenth of a pixel keep the markup short without visible rounding.
std::string coordinate(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", v);
  return text;
}

std::string points_attribute(const std::vector<std::pair<double, double>>& points) {
  std::string list;
  for (const auto& [x, y] : points) {
    if (!list.empty()) list += ' ';
    list += coordinate(x);
    list += ',';
    list += coordinate(y);
  }
  return list;
}

}  // namespace

std::string escape_xml(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

double Scale::at(double value) const {
  if (domain_max == domain_min) return pixel_min;
  return pixel_min + (value - domain_min) / (domain_max - domain_min) * (pixel_max - pixel_min);
}

std::vector<double> nice_ticks(double lo, double hi, int count) {
  if (!(hi > lo)) hi = lo + (lo == 0 ? 1 : std::fabs(lo) * 0.1);
  const double raw = (hi - lo) / std::max(1, count);
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  const double normalized = raw / magnitude;
  const double step = (normalized <= 1 ? 1 : normalized <= 2 ? 2 : normalized <= 5 ? 5 : 10) * magnitude;
  const double first = std::floor(lo / step + 1e-9);
  const double last = std::ceil(hi / step - 1e-9);
  std::vector<double> ticks;
  for (double i = first; i <= last; i += 1) ticks.push_back(i * step);
  return ticks;
}

std::string tick_label(double value, double step) {
  const int decimals = step >= 1 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
  if (std::fabs(value) < step * 1e-9) value = 0;  // no "-0"
  char text[32];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

Svg::Svg(double width, double height, const std::string& id, const std::string& title, const std::string& description) {
  body_ = "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"" + escape_xml(id) + "\" viewBox=\"0 0 " + coordinate(width) +
          " " + coordinate(height) + "\" width=\"" + coordinate(width) + "\" height=\"" + coordinate(height) +
          "\" role=\"img\" aria-labelledby=\"" + escape_xml(id) + "-title " + escape_xml(id) +
          "-desc\" font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif\" font-size=\"12\">\n" +
          "<title id=\"" + escape_xml(id) + "-title\">" + escape_xml(title) + "</title>\n" + "<desc id=\"" +
          escape_xml(id) + "-desc\">" + escape_xml(description) + "</desc>\n";
}

void Svg::rect(double x, double y, double width, double height, const std::string& attributes) {
  body_ += "<rect x=\"" + coordinate(x) + "\" y=\"" + coordinate(y) + "\" width=\"" + coordinate(std::max(0.0, width)) +
           "\" height=\"" + coordinate(std::max(0.0, height)) + "\" " + attributes + "/>\n";
}

void Svg::line(double x1, double y1, double x2, double y2, const std::string& attributes) {
  body_ += "<line x1=\"" + coordinate(x1) + "\" y1=\"" + coordinate(y1) + "\" x2=\"" + coordinate(x2) + "\" y2=\"" +
           coordinate(y2) + "\" " + attributes + "/>\n";
}

void Svg::circle(double cx, double cy, double r, const std::string& attributes) {
  body_ += "<circle cx=\"" + coordinate(cx) + "\" cy=\"" + coordinate(cy) + "\" r=\"" + coordinate(r) + "\" " +
           attributes + "/>\n";
}

void Svg::polyline(const std::vector<std::pair<double, double>>& points, const std::string& attributes) {
  body_ += "<polyline points=\"" + points_attribute(points) + "\" fill=\"none\" " + attributes + "/>\n";
}

void Svg::polygon(const std::vector<std::pair<double, double>>& points, const std::string& attributes) {
  body_ += "<polygon points=\"" + points_attribute(points) + "\" " + attributes + "/>\n";
}

void Svg::text(double x, double y, const std::string& content, const std::string& attributes) {
  body_ += "<text x=\"" + coordinate(x) + "\" y=\"" + coordinate(y) + "\" " + attributes + ">" + escape_xml(content) +
           "</text>\n";
}

std::string Svg::finish() const { return body_ + "</svg>\n"; }

}  // namespace t5bench::report
