#include "report/format.h"

#include <cstdio>

namespace t5bench::report {

std::string fixed(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

std::string ms(double value) { return fixed(value, 1); }

std::string ratio(double value) { return fixed(value, 3) + "×"; }

std::string percent(double rate) {
  const std::string text = fixed(100 * rate, 1);
  // 99.97% rounds to "100.0%", which would claim every case matched.
  if (rate < 1 && text == "100.0") return ">99.9%";
  return text + "%";
}

std::string scientific(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.2e", value);
  return text;
}

std::string commit_text(const std::string& commit, bool dirty) {
  return commit.substr(0, 12) + (dirty ? " (dirty)" : "");
}

}  // namespace t5bench::report
