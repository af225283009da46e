#!/usr/bin/env bash
# Every speed target of issue 18 in one table, each command paired with the same command of
# an older build (hyperfine runs both in one session, so load falls on both alike), and each
# counted in instructions under valgrind (callgrind), which load does not disturb. Usage:
#   scripts/bench-targets.sh [--baseline OLD_BINARY] SCALED_SCENARIO
# SCALED_SCENARIO is the 1,000-service scenario (not part of this repository). OLD_BINARY is a
# release build of an earlier commit (`git worktree add /tmp/old REV && cargo build --release`
# there). Needs hyperfine; valgrind for the instruction counts (skipped without it). The Monte
# Carlo's yardstick and peer are measured by scripts/bench-simulate-kernel.sh, the growth of
# reports with services by scripts/bench-report.sh.
# Targets: run --format csv and json within 2x of check (check no slower than before); a
# sweep of the overlap or the discount rate over 101 points under 5x one run; the
# 1,000-service spreadsheet under 0.5 s.
set -euo pipefail
usage="usage: scripts/bench-targets.sh [--baseline OLD_BINARY] SCALED_SCENARIO"
baseline=
if [[ ${1:-} == --baseline ]]; then
  baseline=${2:-}
  [[ -x $baseline ]] || { echo "scripts/bench-targets.sh: --baseline needs a savings binary" >&2; echo "$usage" >&2; exit 2; }
  baseline=$(realpath "$baseline")
  shift 2
fi
scaled=${1:-${SAVINGS_BENCH_SCENARIO:-}}
[[ -n $scaled ]] || { echo "$usage" >&2; exit 2; }
[[ -f $scaled ]] || { echo "scripts/bench-targets.sh: $scaled: no such file" >&2; echo "$usage" >&2; exit 2; }
scaled=$(realpath "$scaled")
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "hyperfine is not installed (apt-get install hyperfine)" >&2; exit 2; }
cargo build --release --quiet
bin=$(realpath target/release/savings)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-targets.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# The commands, by name; each is run as `BINARY ARGS`, its output discarded.
names=(check run-csv run-json sweep-overlap sweep-rate report-xlsx simulate-kent)
declare -A args=(
  [check]="check $scaled"
  [run-csv]="run $scaled --format csv"
  [run-json]="run $scaled --format json"
  [sweep-overlap]="sweep $scaled --vary scenario.overlap=0:1:0.01 --format csv"
  [sweep-rate]="sweep $scaled --vary scenario.discount_rate=0:0.1:0.001 --format csv"
  [report-xlsx]="report $scaled --format xlsx --output $tmp/out.xlsx"
  [simulate-kent]="simulate --trials 1000000 --seed 1 --threads 1 --format csv"
)

commands=()
for name in "${names[@]}"; do
  commands+=(-n "$name" "$bin ${args[$name]}")
  [[ -n $baseline ]] && commands+=(-n "$name (before)" "$baseline ${args[$name]}")
done
hyperfine -N --warmup 1 --min-runs 5 --style basic --export-json "$tmp/t.json" "${commands[@]}" \
  2>/dev/null | grep -E '^(Benchmark|  Time)'

count() {
  command -v valgrind >/dev/null || { echo "-"; return; }
  # shellcheck disable=SC2086 # the arguments are split on purpose
  valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out" "$1" $2 >/dev/null 2>"$tmp/cg.err" || true
  awk '/Collected :/ { printf "%d", $NF / 1000000 }' "$tmp/cg.err"
}

python3 - "$tmp/t.json" >"$tmp/times.txt" <<'EOF'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(r["command"], r["mean"], r["user"])
EOF
# time_of NAME FIELD: NAME's mean wall time (FIELD 1) or user time (2), in seconds.
time_of() { awk -v n="$1" -v f="$2" '{ name = $0; sub(/ [^ ]+ [^ ]+$/, "", name); if (name == n) { k = split($0, a, " "); print a[k - 2 + f] } }' "$tmp/times.txt"; }

echo
printf '%-15s %10s %10s %12s %12s\n' "command" "wall s" "user s" "instr (M)" "before (M)"
declare -A user
for name in "${names[@]}"; do
  wall=$(time_of "$name" 1)
  user[$name]=$(time_of "$name" 2)
  now=$(count "$bin" "${args[$name]}")
  before=-
  # (Not the old sweeps: seconds each, minutes under valgrind.)
  [[ -n $baseline && $name != sweep-* ]] && before=$(count "$baseline" "${args[$name]}")
  printf '%-15s %10.3f %10.3f %12s %12s\n' "$name" "$wall" "${user[$name]}" "$now" "$before"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo
echo "run csv / check (user time):       $(ratio "${user[run-csv]}" "${user[check]}")x   target <= 2x"
echo "run json / check (user time):      $(ratio "${user[run-json]}" "${user[check]}")x   target <= 2x"
echo "sweep overlap / run csv (user):    $(ratio "${user[sweep-overlap]}" "${user[run-csv]}")x   target < 5x"
echo "sweep rate / run csv (user):       $(ratio "${user[sweep-rate]}" "${user[run-csv]}")x   target < 5x"
echo "report xlsx (wall):                $(time_of report-xlsx 1) s   target < 0.5 s"
