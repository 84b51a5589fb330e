#!/usr/bin/env bash
# The CI gates after the unit tests: only the kernel tiers use instructions beyond the x86-64 baseline
# (scripts/check_isa.sh), then a quick benchmark (at the best tier and, on AVX-512 hosts, at the AVX2 tier) and
# suite-dev accuracy, each judged by `t5bench gate` against baselines/ci.json (exit 1 on a violation or on a
# record no entry checks, 2 on bad input).
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${T5BENCH_SHARED_DIR:-../shared}
out=${1:-build/ci}
mkdir -p "$out"
scripts/check_isa.sh build
build/t5bench bench --synthetic flan-t5-small --suite suites/quick.json --configs baseline,optimized --out "$out/quick.json"
results=(--result "$out/quick.json")
# An AVX-512 host also gates the AVX2 tier, which the AVX2-only hosts run.
if grep -qw avx512f /proc/cpuinfo; then
  T5BENCH_ISA=avx2 build/t5bench bench --synthetic flan-t5-small --suite suites/quick.json --configs baseline,optimized \
    --out "$out/quick-avx2.json"
  results+=(--result "$out/quick-avx2.json")
fi
if [ -d "$shared/reference" ] && [ -d "$shared/models/t5-synth-tasks" ]; then
  build/t5bench accuracy --model "$shared/models/t5-synth-tasks" --suite "$shared/reference/suite-dev.json" --out "$out/accuracy-dev.json"
  results+=(--result "$out/accuracy-dev.json")
elif [ "${T5BENCH_REQUIRE_SHARED:-}" = 1 ]; then
  echo "ci_checks: no shared data at $shared, and T5BENCH_REQUIRE_SHARED=1 requires it" >&2
  exit 1
else
  echo "ci_checks: no shared data at $shared: accuracy skipped" >&2
fi
build/t5bench gate "${results[@]}" --baseline baselines/ci.json --require-coverage
