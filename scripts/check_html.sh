#!/usr/bin/env bash
# Loads an HTML report in headless Chromium and fails when the page logs anything to the console
# (script errors, invalid SVG attributes, blocked or failed loads) or when the loaded DOM lacks any of
# the SVG charts the file holds. With a second argument, also saves a screenshot of the page there.
# usage: scripts/check_html.sh FILE.html [SCREENSHOT.png]
set -euo pipefail
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 FILE.html [SCREENSHOT.png]" >&2
  exit 2
fi
if [ ! -f "$1" ]; then
  echo "check_html: $1: no such file" >&2
  exit 2
fi
page=$(realpath "$1")
command -v chromium >/dev/null || "$(dirname "$0")/setup.sh" chromium

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --user-data-dir="$work/profile")

# --enable-logging=stderr copies every console message of the page to stderr as "...:CONSOLE:<line>]".
if ! timeout 120 chromium "${flags[@]}" --enable-logging=stderr --v=0 --dump-dom "file://$page" \
    >"$work/dom.html" 2>"$work/log"; then
  echo "check_html: chromium failed on $1:" >&2
  tail -n 5 "$work/log" >&2
  exit 1
fi
# A page without scripts should log nothing at any level. Chromium's own lines (D-Bus, GPU) do not
# name the page or come from its console, so they are left out.
messages=$(grep -E ':CONSOLE[:(]|Uncaught' "$work/log" || true)
messages+=$(grep -F "file://$page" "$work/log" | grep -vE ':CONSOLE[:(]|Uncaught' || true)
if [ -n "$messages" ]; then
  echo "check_html: $1 logged to the console:" >&2
  echo "$messages" >&2
  exit 1
fi

expected=$(grep -o '<svg ' "$page" | wc -l)
loaded=$(grep -o '<svg ' "$work/dom.html" | wc -l)
if [ "$loaded" -ne "$expected" ] || ! grep -q '</html>' "$work/dom.html"; then
  echo "check_html: $1 holds $expected SVG charts but the loaded DOM has $loaded" >&2
  exit 1
fi

if [ $# -eq 2 ]; then
  # Headless screenshots cover the window only: a tall one holds a whole report.
  timeout 120 chromium "${flags[@]}" --hide-scrollbars --window-size=1280,9000 --screenshot="$(realpath -m "$2")" \
    "file://$page" >/dev/null 2>&1
fi
echo "check_html: $1 loaded in $(chromium --version 2>/dev/null) with no console messages; $loaded of $expected SVG charts in the DOM"
