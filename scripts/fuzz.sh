#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz (clang, ASan+UBSan) into build-fuzz/ and runs each for SECONDS
# on a fresh copy of its seed corpus: scripts/fuzz.sh [SECONDS] (default 60). Any crash, sanitizer report,
# leak or timeout is a finding: its input lands in build-fuzz/findings/ and the script exits 1.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
[[ $seconds =~ ^[1-9][0-9]*$ ]] || { echo "fuzz: SECONDS must be a positive whole number, got '$seconds'" >&2; exit 2; }
targets=(safetensors_fuzz config_fuzz reference_suite_fuzz bench_suite_fuzz baseline_fuzz)

scripts/setup.sh clang libclang-rt-14-dev
nice -n 10 cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Release -DT5BENCH_FUZZ=ON -DBUILD_TESTING=OFF \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ >/dev/null
nice -n 10 cmake --build build-fuzz -j"$(nproc)" --target "${targets[@]}"

export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
rm -rf build-fuzz/findings build-fuzz/corpus build-fuzz/logs
mkdir -p build-fuzz/findings build-fuzz/corpus build-fuzz/logs
failed=0
for target in "${targets[@]}"; do
  corpus=build-fuzz/corpus/$target
  log=build-fuzz/logs/$target.log
  cp -r "tests/fuzz/corpus/${target%_fuzz}" "$corpus"
  start=$SECONDS
  status=0
  # -timeout: one input running 10 s is a hang (the parsers take microseconds).
  nice -n 10 "build-fuzz/tests/fuzz/$target" "$corpus" -max_total_time="$seconds" -timeout=10 \
    -print_final_stats=1 -artifact_prefix="build-fuzz/findings/$target-" >"$log" 2>&1 || status=$?
  elapsed=$((SECONDS - start))
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  if ((status == 0)) && [ -n "$runs" ] && ! compgen -G "build-fuzz/findings/$target-*" >/dev/null; then
    echo "$target: $runs executions in $elapsed s, no findings"
  else
    failed=1
    tail -n 60 "$log" >&2
    echo "$target: FINDING (exit $status) after ${runs:-?} executions; input in build-fuzz/findings/, log $log" >&2
  fi
done
exit "$failed"
