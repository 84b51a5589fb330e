#!/usr/bin/env bash
# One bench of this build on a CPU the host is not, under qemu-user (ctest's EmulatedCpu.<CPU>.bench):
#   emulated_bench.sh QEMU CPU TIER T5BENCH SUITE OUT_DIR
# Passes when the bench exits 0 with a record whose context.t5bench.isa is TIER (the tier the CPU's CPUID
# earns), and when asking for avx512_bf16, which the CPU lacks, is a one-line error, exit 1 and no record.
set -euo pipefail
qemu=$1 cpu=$2 tier=$3 t5bench=$4 suite=$5 out_dir=$6
mkdir -p "$out_dir"
record=$out_dir/$cpu.json refused=$out_dir/$cpu-refused.json
rm -f "$record" "$refused"
# ctest unsets OPENBLAS_CORETYPE (tests/CMakeLists.txt): OpenBLAS reads the emulated CPUID, as on a real machine.
run() { "$qemu" -cpu "$cpu" "$t5bench" bench --synthetic flan-t5-small --suite "$suite" \
          --configs optimized --runs 1 --warmup 0 "$@" 2> >(grep -v "TCG doesn't support requested feature" >&2); }

run --out "$record"
isa=$(sed -n 's/.*"isa": *"\([a-z0-9_]*\)".*/\1/p' "$record" | head -n 1)
if [ "$isa" != "$tier" ]; then
  echo "emulated $cpu: the record names kernel tier '$isa', expected '$tier'" >&2
  exit 1
fi

status=0
message=$(T5BENCH_ISA=avx512_bf16 run --out "$refused" 2>&1 >/dev/null) || status=$?
expected="t5bench bench: T5BENCH_ISA=avx512_bf16: this CPU lacks "
if [ "$status" -ne 1 ] || [ "$(printf '%s\n' "$message" | wc -l)" -ne 1 ] || [[ $message != "$expected"* ]] ||
   [ -e "$refused" ]; then
  echo "emulated $cpu: T5BENCH_ISA=avx512_bf16 gave exit $status and '$message'" \
       "(expected exit 1, one line starting '$expected', no record)" >&2
  exit 1
fi
echo "emulated $cpu: kernels $isa; T5BENCH_ISA=avx512_bf16 refused: $message"
