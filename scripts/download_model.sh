#!/usr/bin/env bash
# Fetches a HuggingFace model directory (config.json, spiece.model, safetensors single or sharded) into
# models/<name>: scripts/download_model.sh google/flan-t5-small [REVISION]
set -euo pipefail
cd "$(dirname "$0")/.."
repo=${1:?usage: scripts/download_model.sh OWNER/NAME [REVISION]}
revision=${2:-main}
dest="models/$(basename "$repo")"
base="https://huggingface.co/$repo/resolve/$revision"
mkdir -p "$dest"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fetch() {  # fetch FILE [optional]: into $dest, atomically; an optional file may be absent
  local status
  status=$(curl -sSL -w '%{http_code}' -o "$tmp/$1" "$base/$1") || { echo "download_model: $base/$1: network error" >&2; exit 1; }
  if [ "$status" = 200 ]; then
    mv "$tmp/$1" "$dest/$1"
    return 0
  fi
  [ "${2:-}" = optional ] && return 1
  echo "download_model: $base/$1: HTTP $status" >&2
  exit 1
}

fetch config.json
fetch spiece.model
if fetch model.safetensors.index.json optional; then
  for shard in $(grep -o '"[^"]*\.safetensors"' "$dest/model.safetensors.index.json" | tr -d '"' | sort -u); do
    fetch "$shard"
  done
else
  fetch model.safetensors
fi
echo "$dest"
