#!/usr/bin/env bash
# Whole-process timings of the long-form writers (issue 18): `savings check` against
# `savings run --format csv` and `--format json` on the same large scenario, with hyperfine
# (Debian: apt-get install hyperfine) and python3 for the ratios. Usage:
#   scripts/bench-writers.sh [--baseline OLD_BINARY] SCALED_SCENARIO
#   SAVINGS_BENCH_SCENARIO=SCALED_SCENARIO scripts/bench-writers.sh
# SCALED_SCENARIO is a large scenario file (the figures in the README are for one of 1,000
# services); it is not part of this repository. With --baseline, the same three commands of
# an older build run in the same hyperfine run (paired), so a change is measured under the
# same load: copy target/release/savings aside before the change.
# Target: each writer within 2x of `check` (which parses, validates and projects the same
# scenario, and writes nothing).
set -euo pipefail
usage="usage: scripts/bench-writers.sh [--baseline OLD_BINARY] SCALED_SCENARIO (or set SAVINGS_BENCH_SCENARIO)"
baseline=
if [[ ${1:-} == --baseline ]]; then
  baseline=${2:-}
  [[ -x $baseline ]] || { echo "scripts/bench-writers.sh: --baseline needs a savings binary" >&2; echo "$usage" >&2; exit 2; }
  baseline=$(realpath "$baseline")
  shift 2
fi
scaled=${1:-${SAVINGS_BENCH_SCENARIO:-}}
[[ -n $scaled ]] || { echo "$usage" >&2; exit 2; }
[[ -f $scaled ]] || { echo "scripts/bench-writers.sh: $scaled: no such file" >&2; echo "$usage" >&2; exit 2; }
scaled=$(realpath "$scaled")
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "hyperfine is not installed (apt-get install hyperfine)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "python3 is not installed" >&2; exit 2; }
cargo build --release --quiet
results=$(mktemp --suffix=.json "${TMPDIR:-/tmp}/savings-bench-writers.XXXXXX")
trap 'rm -f "$results"' EXIT
commands=()
for bin in ./target/release/savings ${baseline:+"$baseline"}; do
  commands+=("$bin check $scaled" "$bin run $scaled --format csv" "$bin run $scaled --format json")
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
hyperfine -N --warmup 5 --export-json "$results" "${commands[@]}"
python3 - "$results" <<'EOF'
import json, sys
times = {r["command"]: r["mean"] for r in json.load(open(sys.argv[1]))["results"]}
builds = {}
for command, mean in times.items():
    binary, rest = command.split(" ", 1)
    what = "check" if rest.startswith("check") else rest.rsplit(" ", 1)[-1]
    builds.setdefault(binary, {})[what] = mean
for binary, t in builds.items():
    print(f"{binary}: check {t['check'] * 1000:.1f} ms; "
          + "; ".join(f"{w} {t[w] * 1000:.1f} ms = {t[w] / t['check']:.2f}x check" for w in ("csv", "json"))
          + " (target: within 2x)")
EOF
