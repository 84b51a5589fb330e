// t5bench_micro: the kernels one at a time at FLAN-T5 shapes, through Google Benchmark (so
// --benchmark_filter, --benchmark_repetitions and --benchmark_format=json work as usual).
#include <cblas.h>

#include <cstdlib>

#include <benchmark/benchmark.h>

#include "core/cpu.h"
#include "fixtures.h"

int main(int argc, char** argv) {
  openblas_set_num_threads(1);  // as in the engine: OpenBLAS runs single-threaded inside our tasks
  // OpenBLAS's kernel family decides its numbers; record it with the results.
  const char* coretype = std::getenv("OPENBLAS_CORETYPE");
  benchmark::AddCustomContext("OPENBLAS_CORETYPE", coretype ? coretype : "(unset)");
  benchmark::AddCustomContext("openblas_core", t5::blas_core_name());

  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  t5::micro::register_attention_benchmarks();
  t5::micro::register_product_benchmarks();
  t5::micro::register_elementwise_benchmarks();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
