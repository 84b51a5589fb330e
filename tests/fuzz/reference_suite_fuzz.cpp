// Fuzzes the reference-suite parser on JSON text: it must return a suite that keeps the checks it claims
// to make, or throw t5::Error.

#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/error.h"
#include "suites/reference_suite.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  t5bench::ReferenceSuite suite;
  try {
    suite = t5bench::parse_reference_suite(text, "suite.json");
  } catch (const t5::Error&) {
    return 0;
  }
  if (suite.max_new_tokens < 1 || suite.cases.empty()) abort();
  for (const t5bench::ReferenceCase& c : suite.cases) {
    const t5bench::ReferenceGreedy& g = c.greedy;
    if (g.input_ids.empty() || g.steps.size() != g.output_ids.size()) abort();
    for (const t5bench::ReferenceStep& s : g.steps)
      if (s.top_ids.size() < 2 || s.top_ids.size() != s.top_logits.size()) abort();
    for (const auto* ids : {&g.input_ids, &g.output_ids})
      for (int32_t id : *ids)
        if (id < 0) abort();
  }
  return 0;
}
