// Fuzzes the bench-suite parser on JSON text: an accepted suite keeps every bound it claims to check.

#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "bench/bench_suite.h"
#include "core/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  t5bench::BenchSuite s;
  try {
    s = t5bench::parse_bench_suite(text, "suites/fuzz.json");
  } catch (const t5::Error&) {
    return 0;
  }
  if (s.name.empty() || s.input_tokens < 2 || s.output_tokens < 1 || s.batch < 1 || s.requests < 1 || s.warmup < 0 ||
      s.runs < 1)
    abort();
  if (s.prompt_kind != "random" && !(s.prompt_kind == "reference" && !s.reference_path.empty())) abort();
  return 0;
}
