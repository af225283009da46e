#!/usr/bin/env bash
# Whole-process timings of `savings sweep` (issue 18), with hyperfine (Debian: apt-get install
# hyperfine), beside one `savings run` of the same scenario. Usage:
#   scripts/bench-sweep.sh SCALED_SCENARIO
#   SAVINGS_BENCH_SCENARIO=SCALED_SCENARIO scripts/bench-sweep.sh
# SCALED_SCENARIO is a large scenario file (the README's figures are for one of 1,000
# services); it is not part of this repository. Target: a sweep of a scenario-wide field
# (overlap, discount rate) over 101 points under 5x one `run --format csv`. Also timed: the
# same sweep on one thread, and a sweep of one option's saving (validated again at each point,
# that service alone projected again). SWEEP_OPTION names the field for the last (default: the
# first service's first option's central saving).
set -euo pipefail
usage="usage: scripts/bench-sweep.sh SCALED_SCENARIO (or set SAVINGS_BENCH_SCENARIO): a large scenario file, e.g. one of 1,000 services"
scaled=${1:-${SAVINGS_BENCH_SCENARIO:-}}
[[ -n $scaled ]] || { echo "$usage" >&2; exit 2; }
[[ -f $scaled ]] || { echo "scripts/bench-sweep.sh: $scaled: no such file" >&2; echo "$usage" >&2; exit 2; }
scaled=$(realpath "$scaled")
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "hyperfine is not installed (apt-get install hyperfine)" >&2; exit 2; }
cargo build --release --quiet
bin=./target/release/savings
option=${SWEEP_OPTION:-'service[#1].option[#1].saving.high'}
# Warnings about the scenario go to standard error once per run: not timed output.
hyperfine -N --warmup 2 --runs 10 \
  "$bin run $scaled --format csv" \
  "$bin sweep $scaled --vary scenario.overlap=0:1:0.01 --format csv" \
  "$bin sweep $scaled --vary scenario.overlap=0:1:0.01 --format csv --threads 1" \
  "$bin sweep $scaled --vary scenario.discount_rate=0:0.1:0.001 --format csv" \
  "$bin sweep $scaled --vary $option=10:20:1 --format csv"
