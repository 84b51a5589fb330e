#!/usr/bin/env bash
# The main job. Installs what is missing and builds, then on this machine:
#   1. the seed conditions (128 input ids -> 32 generated ids, batch 1, 2 threads by default) on seeded
#      synthetic weights at the real flan-t5-base shape: baseline and optimized, interleaved, fp32; then
#      optimized with bf16 weights;
#   2. accuracy of the shared trained model on every reference suite, when ../shared is present;
#   3. gate: everything against baselines/seed.json (exit 1 on a violation); records no entry checks (a
#      machine class the baseline has no entries for) are named at the end with the command that adds them;
#   4. a report: out/bench/report.md and out/bench/report.html.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh build

out=out/bench
mkdir -p "$out"
build/t5bench bench --synthetic flan-t5-base --suite suites/seed.json --configs baseline,optimized --out "$out/seed.json"
build/t5bench bench --synthetic flan-t5-base --weights bf16 --suite suites/seed.json --configs optimized --out "$out/seed-bf16.json"
results=("$out/seed.json" "$out/seed-bf16.json")

shared=${T5BENCH_SHARED_DIR:-../shared}
if [ -d "$shared/reference" ] && [ -d models/t5-synth-tasks ]; then
  for suite in suite-dev suite-dev-long suite-seed suite-seed-128x32; do
    build/t5bench accuracy --model models/t5-synth-tasks --suite "$shared/reference/$suite.json" --out "$out/accuracy-$suite.json"
    results+=("$out/accuracy-$suite.json")
  done
else
  echo "bench.sh: no shared model and references at $shared: accuracy skipped" >&2
fi

gate_args=()
report_args=()
for r in "${results[@]}"; do
  gate_args+=(--result "$r")
  report_args+=(--results "$r")
done
status=0
build/t5bench gate "${gate_args[@]}" --baseline baselines/seed.json | tee "$out/gate.txt" || status=${PIPESTATUS[0]}
build/t5bench report "${report_args[@]}" --title "t5bench main job" --out "$out/report"
if grep -q '^UNCHECKED ' "$out/gate.txt"; then
  echo "bench.sh: no entry of baselines/seed.json checks these records (the gate status covers only what it checked):"
  grep -E '^(UNCHECKED |to check the )' "$out/gate.txt"
fi
echo "bench.sh: results and report in $out (gate exit status $status)"
exit "$status"
