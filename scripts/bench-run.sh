#!/usr/bin/env bash
# Whole-process timings of `savings run` (the first issue's speed targets), with hyperfine
# (Debian: apt-get install hyperfine). Usage:
#   scripts/bench-run.sh [SCALED_SCENARIO]
# SCALED_SCENARIO defaults to ../shared/bench/scaled-1000.toml (a 1,000-service scenario).
# Targets: the Kent scenario below 10 ms; the 1,000-service scenario as CSV below 200 ms.
set -euo pipefail
cd "$(dirname "$0")/.."
scaled=${1:-../shared/bench/scaled-1000.toml}
command -v hyperfine >/dev/null || { echo "hyperfine is not installed (apt-get install hyperfine)" >&2; exit 2; }
cargo build --release --quiet
hyperfine -N --warmup 10 \
  './target/release/savings' \
  "./target/release/savings run $scaled --format csv" \
  "./target/release/savings run $scaled --format json" \
  "./target/release/savings run $scaled"
