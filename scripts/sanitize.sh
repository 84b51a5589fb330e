#!/usr/bin/env bash
# Builds t5bench with gcc's sanitizers and runs the tests they watch: scripts/sanitize.sh address|thread
#   address: ASan+UBSan into build-asan/, every test but the single-switch suite runs;  thread: TSan into
#   build-tsan/, the thread-pool and task-queue tests. Any sanitizer report fails the test that caused it.
set -euo pipefail
cd "$(dirname "$0")/.."
# Under ASan the end-to-end suite tests run the baseline and optimized configurations: the single-switch ones
# run no code those two do not, and are 170 s of the 373 s that the plain build's tests take (2-core Zen 5).
case "${1:-}" in
  address) build_dir=build-asan; sanitize=address,undefined; targets=(all)
    filter=(-E 'EngineTest[.]GreedyOutputsMatchEveryReferenceSuite/"(blocked_gemm|blocked_gemv|fused_attention|fused_projections|overlap|pinned_threads|preallocated_kv)"') ;;
  # Races depend on timing: each thread test runs several times; only their binaries are built.
  thread) build_dir=build-tsan; sanitize=thread; targets=(model_core_tests model_generation_tests)
    filter=(-R 'ThreadPool|Stream' --repeat until-fail:10) ;;
  *) echo "usage: scripts/sanitize.sh address|thread" >&2; exit 2 ;;
esac

scripts/setup.sh
# RelWithDebInfo: reports with file:line, still fast enough for the numeric tests.
nice -n 10 cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DT5BENCH_SANITIZE="$sanitize" -DT5BENCH_MICRO=OFF \
  -DCMAKE_C_COMPILER=gcc -DCMAKE_CXX_COMPILER=g++ >/dev/null

export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1:strict_string_checks=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
nice -n 10 cmake --build "$build_dir" -j"$(nproc)" --target "${targets[@]}"
cd "$build_dir"
nice -n 10 ctest --output-on-failure --no-tests=error -j"$(nproc)" "${filter[@]}"
