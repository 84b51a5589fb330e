#pragma once

#include <string>
#include <utility>
#include <vector>

namespace t5bench::report {

// Text made safe for XML and HTML content and attribute values.
std::string escape_xml(const std::string& text);

// Maps data values in [domain_min, domain_max] linearly onto pixels in [pixel_min, pixel_max].
struct Scale {
  double domain_min, domain_max, pixel_min, pixel_max;
  double at(double value) const;
};

// Round tick values (steps of 1, 2 or 5 times a power of ten), about `count` of them, whose first is at
// or below `lo` and whose last is at or above `hi`, so an axis over them covers the data.
std::vector<double> nice_ticks(double lo, double hi, int count);
// A tick value with as many decimals as the step between ticks needs.
std::string tick_label(double value, double step);

// An SVG document built element by element. Attributes are given as written ("fill=\"#333\""); text
// content is escaped here. The root carries role="img" and <title>/<desc> for screen readers.
class Svg {
 public:
  Svg(double width, double height, const std::string& id, const std::string& title, const std::string& description);

  void rect(double x, double y, double width, double height, const std::string& attributes);
  void line(double x1, double y1, double x2, double y2, const std::string& attributes);
  void circle(double cx, double cy, double r, const std::string& attributes);
  void polyline(const std::vector<std::pair<double, double>>& points, const std::string& attributes);
  void polygon(const std::vector<std::pair<double, double>>& points, const std::string& attributes);
  void text(double x, double y, const std::string& content, const std::string& attributes);
  std::string finish() const;

 private:
  std::string body_;
};

}  // namespace t5bench::report
