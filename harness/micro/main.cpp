// t5bench_micro: the kernels one at a time at FLAN-T5 shapes, through Google Benchmark (so
// --benchmark_filter, --benchmark_repetitions and --benchmark_format=json work as usual).
#include <cstdio>
#include <cstdlib>

#include <benchmark/benchmark.h>

#include "core/cpu.h"
#include "core/error.h"
#include "kernels/dispatch.h"
#include "fixtures.h"

int main(int argc, char** argv) {
  // OpenBLAS's kernel family decides its numbers; record it with the results.
  const char* coretype = std::getenv("OPENBLAS_CORETYPE");
  benchmark::AddCustomContext("OPENBLAS_CORETYPE", coretype ? coretype : "(unset)");
  benchmark::AddCustomContext("openblas_core", t5::blas_core_name());
  try {  // T5BENCH_ISA picks a lower tier, as for t5bench
    benchmark::AddCustomContext("isa", t5::isa_tier_name(t5::active_isa_tier()));
  } catch (const t5::Error& e) {
    std::fprintf(stderr, "t5bench_micro: %s\n", e.what());
    return 1;
  }

  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  t5::micro::register_attention_benchmarks();
  t5::micro::register_product_benchmarks();
  t5::micro::register_elementwise_benchmarks();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
