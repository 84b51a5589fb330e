#!/usr/bin/env bash
# Installs what is missing, builds, and runs the main job.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh build
if [ -d models/t5-synth-tasks ]; then
  build/t5bench generate --model models/t5-synth-tasks --prompt "translate English to German: The house is wonderful."
fi
