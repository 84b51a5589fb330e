// Fuzzes the baseline parser on JSON text: an accepted baseline checks something in every entry, every
// threshold has a bound, and it survives a round trip through its own file format.

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/error.h"
#include "gate/baseline.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  t5bench::Baseline b;
  try {
    b = t5bench::parse_baseline(text, "baselines/fuzz.json");
  } catch (const t5::Error&) {
    return 0;
  }
  for (const t5bench::BaselineEntry& e : b.entries) {
    if (e.thresholds.empty() && e.relative.empty()) abort();
    for (const t5bench::Threshold& t : e.thresholds)
      if (!t.min && !t.max) abort();
    for (const t5bench::RelativeCheck& r : e.relative)
      if (r.reference.size() < 3 || !(r.significance > 0 && r.significance < 1) || !(r.max_regression_percent >= 0))
        abort();
  }
  const t5bench::Baseline again = t5bench::parse_baseline(t5bench::baseline_to_json(b).dump(), "round trip");
  if (again.entries.size() != b.entries.size()) abort();
  return 0;
}
