#!/usr/bin/env bash
# Checks that only the kernel tiers hold instructions beyond the x86-64 baseline: scripts/check_isa.sh [BUILD_DIR]
#   1. no object file of model/ or harness/ outside model/kernels' tier objects has an AVX instruction
#      (VEX/EVEX: any mnemonic starting with v, any ymm/zmm/mask register);
#   2. in the linked t5bench, every function holding one lives in a tier's namespace (t5::avx2, t5::avx512,
#      t5::avx512_bf16): an inline function or template instance a tier shares with the rest of the program
#      could be the copy the linker keeps, and crash a host without that tier with SIGILL;
#   3. the avx2 tier holds no AVX-512 instruction;
#   4. every tier's decode GEMV for fp32, bf16 and int8 weights prefetches (a compiler may delete the prefetches of
#      a helper it deems free of side effects, and the stream then slows without any test failing).
# Meaningful for the default build only (T5BENCH_NATIVE=OFF). Exit 1 naming what breaks the rule.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
command -v objdump >/dev/null || { echo "check_isa: objdump not found (binutils)" >&2; exit 2; }
[ -x "$build/t5bench" ] || { echo "check_isa: $build/t5bench: not built" >&2; exit 2; }

# Prints "<function>" for each function of the disassembly on stdin that has an instruction matching the
# awk regex $1.
functions_with() {
  awk -v pattern="$1" '
    /^[0-9a-f]+ <.*>:$/ { name = $0; sub(/^[0-9a-f]+ /, "", name); sub(/:$/, "", name); next }
    /^ *[0-9a-f]+:\t/ {
      n = split($0, f, "\t"); if (n < 2) next
      instruction = f[2]; sub(/<.*$/, "", instruction)  # drop the symbol a jump or call names
      if (instruction ~ pattern && !(name in seen)) { seen[name] = 1; print name }
    }'
}
readonly avx='^v|%[yz]mm|%k[0-7]'
readonly avx512='%zmm|%k[0-7]|%[xy]mm(1[6-9]|2[0-9]|3[01])'
failed=0

objects=$(find "$build/model" "$build/harness" -name '*.o' -not -path '*/t5kernels_avx2.dir/*' \
            -not -path '*/t5kernels_avx512.dir/*' -not -path '*/t5kernels_avx512_bf16.dir/*')
for object in $objects; do
  found=$(objdump -d -C --no-show-raw-insn "$object" | functions_with "$avx" | head -n 3)
  if [ -n "$found" ]; then
    echo "check_isa: $object: AVX instructions outside the kernel tiers, in: $found" >&2
    failed=1
  fi
done

# The linked program is disassembled once (about 30 MB of text) for the rules below.
disassembly=$(mktemp)
trap 'rm -f "$disassembly"' EXIT
objdump -d -C --no-show-raw-insn "$build/t5bench" >"$disassembly"
avx_functions=$(functions_with "$avx" <"$disassembly")

leaked=$(grep -v -E 't5::(avx2|avx512|avx512_bf16)::' <<<"$avx_functions" || true)
if [ -n "$leaked" ]; then
  echo "check_isa: $build/t5bench: functions outside the tier namespaces with AVX instructions:" >&2
  echo "$leaked" | head -n 20 >&2
  failed=1
fi

for object in $(find "$build/model" -path '*/t5kernels_avx2.dir/*' -name '*.o'); do
  found=$(objdump -d -C --no-show-raw-insn "$object" | functions_with "$avx512" | head -n 3)
  if [ -n "$found" ]; then
    echo "check_isa: $object: AVX-512 instructions in the avx2 tier, in: $found" >&2
    failed=1
  fi
done

prefetching=$(functions_with '^prefetch' <"$disassembly")
for tier in avx2 avx512 avx512_bf16; do
  for weights in float 'unsigned short' 'signed char'; do
    if ! grep -q -F "t5::$tier::matvec_typed<t5::$tier::(anonymous namespace)::Dot, $weights>" <<<"$prefetching"; then
      echo "check_isa: $build/t5bench: t5::$tier's decode GEMV for $weights weights has no prefetch instruction" >&2
      failed=1
    fi
  done
done

if ((failed == 0)); then
  tiers=$(grep -c -E 't5::(avx2|avx512|avx512_bf16)::' <<<"$avx_functions")
  echo "check_isa: only the kernel tiers use AVX ($tiers functions, all in t5::avx2, t5::avx512, t5::avx512_bf16)"
fi
exit "$failed"
