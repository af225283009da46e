#!/usr/bin/env bash
# Whole-process timings of `savings report` in every format (md, html, svg, png, xlsx), and how
# they grow with services, with hyperfine (Debian: apt-get install hyperfine) and python3.
# Usage:
#   scripts/bench-report.sh SCALED_SCENARIO
#   SAVINGS_BENCH_SCENARIO=SCALED_SCENARIO scripts/bench-report.sh
# SCALED_SCENARIO is a large scenario file of 1,000 services (not part of this repository).
# The script times every format on it, then on copies of its first 250, 500 and 1,000
# services and a doubled copy of 2,000 (ids suffixed), and on plans of as many lines from
# scripts/generate-plan.py (seed 1), untracked and tracked (`--as-at 2026-06`, which adds the
# Tracker sheet). Each size should take about twice the time of the one before (linear in
# services). Targets: the spreadsheet of the 1,000-service scenario under 0.5 s.
# Set BENCH_REPORT_SIZES (e.g. "250 2000") or BENCH_REPORT_FORMATS (e.g. "xlsx") to time less.
set -euo pipefail
usage="usage: scripts/bench-report.sh SCALED_SCENARIO (or set SAVINGS_BENCH_SCENARIO): a scenario file of 1,000 services"
scaled=${1:-${SAVINGS_BENCH_SCENARIO:-}}
[[ -n $scaled ]] || { echo "$usage" >&2; exit 2; }
[[ -f $scaled ]] || { echo "scripts/bench-report.sh: $scaled: no such file" >&2; echo "$usage" >&2; exit 2; }
scaled=$(realpath "$scaled")
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "hyperfine is not installed (apt-get install hyperfine)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "python3 is not installed" >&2; exit 2; }
sizes=${BENCH_REPORT_SIZES:-250 500 1000 2000}
formats=${BENCH_REPORT_FORMATS:-md html svg png xlsx}
work=$(mktemp -d "${TMPDIR:-/tmp}/savings-bench-report.XXXXXX")
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet
bin=$PWD/target/release/savings

# The first N services of the scaled scenario (its header kept), repeated with suffixed ids
# past its end.
first_services() {
  python3 - "$scaled" "$1" <<'EOF'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
n = int(sys.argv[2])
parts = re.split(r"(?m)^(?=\[\[service\]\]\s*$)", text)
head, blocks = parts[0], parts[1:]
if not blocks:
    sys.exit("no [[service]] tables in " + sys.argv[1])
out = [head]
for i in range(n):
    block = blocks[i % len(blocks)]
    copy = i // len(blocks)
    if copy:
        block = re.sub(r'(?m)^id = "([^"]*)"', lambda m: f'id = "{m.group(1)}-c{copy}"', block, count=1)
    out.append(block)
sys.stdout.write("".join(out))
EOF
}

for n in $sizes; do
  first_services "$n" >"$work/scaled-$n.toml"
  python3 scripts/generate-plan.py --services "$n" --seed 1 >"$work/plan-$n.toml"
  python3 scripts/generate-plan.py --services "$n" --seed 1 --as-at 2026-06 >"$work/tracked-$n.toml"
done
for kind in scaled plan tracked; do
  for format in $formats; do
    commands=()
    for n in $sizes; do
      commands+=("$bin report $work/$kind-$n.toml --format $format --output $work/out.$format")
    done
    echo "== $kind, --format $format, $sizes services"
    hyperfine -N --warmup 2 --min-runs 5 --style basic "${commands[@]}" 2>/dev/null |
      grep -E '^(Benchmark|  Time)'
  done
done
