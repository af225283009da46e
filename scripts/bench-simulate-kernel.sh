#!/usr/bin/env bash
# The Monte Carlo kernel against its yardsticks (issue 18), in one run: `savings simulate` on
# the built-in Kent scenario at 1,000,000 trials beside examples/mc_yardstick.rs (the same
# model written as plainly as it can be: the draws, D, R and the percentiles, nothing else),
# on one thread and on every core, and beside the numpy peer. Usage:
#   scripts/bench-simulate-kernel.sh PEER
#   SAVINGS_BENCH_PEER=PEER scripts/bench-simulate-kernel.sh
# PEER is peer_numpy.py (the numpy implementation of the model; not part of this
# repository). Needs hyperfine (Debian: apt-get install hyperfine) and python3 with numpy;
# with valgrind installed (apt-get install valgrind) it also counts instructions on one
# thread, which a busy machine does not disturb.
# First it checks that the yardstick and the product agree: the yardstick's D per year
# (mean, P10, P50, P90) is the product's in_year_saving to the last digit.
# Targets: the product within 1.25x of the yardstick; at least 15x faster than the peer in
# wall time. The peer reads plain scenarios only, so it runs on the plain copy that
# scripts/compare-peer.py writes (the same draws for this scenario).
set -euo pipefail
usage="usage: scripts/bench-simulate-kernel.sh PEER (or set SAVINGS_BENCH_PEER): the numpy peer program"
peer=${1:-${SAVINGS_BENCH_PEER:-}}
[[ -n $peer ]] || { echo "$usage" >&2; exit 2; }
[[ -f $peer ]] || { echo "scripts/bench-simulate-kernel.sh: $peer: no such file" >&2; echo "$usage" >&2; exit 2; }
peer=$(realpath "$peer")
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "hyperfine is not installed (apt-get install hyperfine)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "python3 is not installed" >&2; exit 2; }
python3 -c 'import numpy' 2>/dev/null || { echo "python3 has no numpy (pip install numpy)" >&2; exit 2; }
cargo build --release --quiet
cargo build --release --quiet --example mc_yardstick
savings=./target/release/savings
yardstick=./target/release/examples/mc_yardstick

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-kernel.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
kent=$tmp/kent-plain.toml
scripts/compare-peer.py scenarios/kcc-2014-phase1.toml --plain-copy "$kent" 2>"$tmp/plain.log"
trials=1000000

echo "== agreement (seed 1, $trials trials, one thread)"
"$yardstick" --trials "$trials" --seed 1 --threads 1 >"$tmp/yardstick.txt"
"$savings" simulate --trials "$trials" --seed 1 --threads 1 --format json >"$tmp/product.json"
python3 - "$tmp/yardstick.txt" "$tmp/product.json" <<'EOF'
import json, sys
rows = [line.split() for line in open(sys.argv[1]).read().splitlines()[1:]]
years = json.load(open(sys.argv[2]))["years"]
if len(rows) != len(years):
    sys.exit(f"the yardstick has {len(rows)} years, the product {len(years)}")
for row, year in zip(rows, years):
    d = year["in_year_saving"]
    ours = [float(d[k]) for k in ("mean", "p10", "p50", "p90")]
    theirs = [float(x) for x in row[1:5]]
    if ours != theirs:
        sys.exit(f"{year['year']}: the product's D {ours} is not the yardstick's {theirs}")
print(f"D agrees in all {len(rows)} years (mean, P10, P50, P90)")
EOF

# mean_of JSON INDEX: the mean wall time (s) of hyperfine's INDEX-th command.
mean_of() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]["mean"])' "$1" "$2"; }
# user_of JSON INDEX: the mean user CPU time (s).
user_of() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]["user"])' "$1" "$2"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
verdict() { awk -v v="$1" -v l="$3" -v op="$2" 'BEGIN { ok = (op == "<=") ? v <= l : v >= l; print ok ? "ok" : "MISSED" }'; }

echo
echo "== timings (hyperfine -N, paired in one run; $(nproc) cores)"
hyperfine -N --warmup 2 --min-runs 8 --export-json "$tmp/t.json" \
  -n "yardstick, 1 thread" "$yardstick --trials $trials --seed 1 --threads 1" \
  -n "savings, 1 thread" "$savings simulate --trials $trials --seed 1 --threads 1 --format csv" \
  -n "yardstick" "$yardstick --trials $trials --seed 1" \
  -n "savings" "$savings simulate --trials $trials --seed 1 --format csv" \
  -n "peer" "python3 $peer $kent -n $trials --seed 1 -o $tmp/peer.json"

one=$(ratio "$(user_of "$tmp/t.json" 1)" "$(user_of "$tmp/t.json" 0)")
all=$(ratio "$(mean_of "$tmp/t.json" 3)" "$(mean_of "$tmp/t.json" 2)")
peer_ratio=$(ratio "$(mean_of "$tmp/t.json" 4)" "$(mean_of "$tmp/t.json" 3)")
echo
echo "== summary"
printf '%-44s %6sx  target <= 1.25x  %s\n' "savings / yardstick, one thread (CPU time)" "$one" "$(verdict "$one" "<=" 1.25)"
printf '%-44s %6sx  target <= 1.25x  %s\n' "savings / yardstick, every core (wall time)" "$all" "$(verdict "$all" "<=" 1.25)"
printf '%-44s %6sx  target >= 15x    %s\n' "peer / savings (wall time)" "$peer_ratio" "$(verdict "$peer_ratio" ">=" 15)"

if command -v valgrind >/dev/null; then
  count() {
    valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out" "$@" >/dev/null 2>"$tmp/cg.err"
    awk '/Collected :/ { print $NF }' "$tmp/cg.err"
  }
  y=$(count "$yardstick" --trials "$trials" --seed 1 --threads 1)
  s=$(count "$savings" simulate --trials "$trials" --seed 1 --threads 1 --format csv)
  printf '%-44s %6sx  (%dM against %dM instructions)\n' "savings / yardstick, instructions" \
    "$(ratio "$s" "$y")" $((s / 1000000)) $((y / 1000000))
else
  echo "instruction counts: skipped (valgrind is not installed)"
fi
