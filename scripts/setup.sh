#!/usr/bin/env bash
# Installs the Debian packages t5bench builds with (only those missing; silent when none are) and links
# the shared models into models/ when ../shared exists. Safe to run any number of times.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(cmake g++ make pkg-config libopenblas-dev libhwloc-dev libsentencepiece-dev nlohmann-json3-dev
          libgtest-dev libbenchmark-dev)
# The tests run the build on emulated CPUs the host is not (tests/CMakeLists.txt, EmulatedCpu).
[ "$(uname -m)" != x86_64 ] || packages+=(qemu-user)
packages+=("$@")  # callers add what only they need (clang for fuzzing, chromium for report checks)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq >/dev/null
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ -d ../shared/models ]; then
  mkdir -p models
  for m in ../shared/models/*/; do
    name=$(basename "$m")
    [ -e "models/$name" ] || ln -s "$(cd "$m" && pwd)" "models/$name"
  done
fi
