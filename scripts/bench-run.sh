#!/usr/bin/env bash
# Whole-process timings of `savings run` (the first issue's speed targets), with hyperfine
# (Debian: apt-get install hyperfine). Usage:
#   scripts/bench-run.sh SCALED_SCENARIO
#   SAVINGS_BENCH_SCENARIO=SCALED_SCENARIO scripts/bench-run.sh
# SCALED_SCENARIO is a large scenario file to time beside the built-in Kent scenario: the
# figures in the README are for a 1,000-service scenario. It is not part of this repository;
# give its path (an argument, or the environment variable SAVINGS_BENCH_SCENARIO).
# Targets: the Kent scenario below 10 ms; the 1,000-service scenario as CSV below 200 ms.
set -euo pipefail
usage="usage: scripts/bench-run.sh SCALED_SCENARIO (or set SAVINGS_BENCH_SCENARIO): a large scenario file, e.g. one of 1,000 services"
scaled=${1:-${SAVINGS_BENCH_SCENARIO:-}}
[[ -n $scaled ]] || { echo "$usage" >&2; exit 2; }
[[ -f $scaled ]] || { echo "scripts/bench-run.sh: $scaled: no such file" >&2; echo "$usage" >&2; exit 2; }
scaled=$(realpath "$scaled")
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "hyperfine is not installed (apt-get install hyperfine)" >&2; exit 2; }
cargo build --release --quiet
hyperfine -N --warmup 10 \
  './target/release/savings' \
  "./target/release/savings run $scaled --format csv" \
  "./target/release/savings run $scaled --format json" \
  "./target/release/savings run $scaled"
