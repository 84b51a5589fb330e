#include "stats/text.h"

#include <cmath>
#include <cstdio>

namespace t5bench {

std::string short_number(double v) {
  char text[32];
  std::snprintf(text, sizeof text, std::fabs(v) >= 100 && std::fabs(v) < 1e6 ? "%.1f" : "%.4g", v);
  return text;
}

std::string shift_percent_text(const Shift& shift, double reference) {
  auto percent = [&](double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%+.1f%%", reference != 0 ? v / reference * 100 : 0.0);
    return std::string(text);
  };
  if (!shift.bounded()) return percent(shift.estimate) + " [no 95% interval: too few runs]";
  return percent(shift.estimate) + " [" + percent(shift.low) + ", " + percent(shift.high) + "]";
}

}  // namespace t5bench
