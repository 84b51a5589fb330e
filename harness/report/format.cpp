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
  // 99.97% would round to "100.0%", claiming every case matched: such rates get the decimals they need.
  for (int decimals = 1;; ++decimals) {
    const std::string text = fixed(100 * rate, decimals);
    if (rate >= 1 || text.rfind("100", 0) != 0 || decimals == 6) return text + "%";
  }
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
