#!/usr/bin/env bash
# Whole-process timing of `savings track` (docs/model.md section 10) on a generated plan that
# is being monitored: 2,000 one-line services as scripts/bench-plan.sh times, with as_at,
# delivered and forecast figures on some approved and withdrawn lines and RAG ratings on most
# lines (scripts/generate-plan.py --as-at). With hyperfine (Debian: apt-get install hyperfine)
# and python3. Usage:
#   scripts/bench-track.sh [--services N] [--seed S] [--as-at YYYY-MM]
# The options go to scripts/generate-plan.py (defaults: 2,000 services, seed 1, as at
# 2026-09). The plan is checked (`savings check`) before it is timed, as a table and as CSV,
# and with --since on itself (two scenarios loaded and compared line by line).
# Target: under 200 ms for 2,000 services.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "hyperfine is not installed (apt-get install hyperfine)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "python3 is not installed" >&2; exit 2; }
plan=$(mktemp --suffix=.toml "${TMPDIR:-/tmp}/savings-track.XXXXXX")
trap 'rm -f "$plan"' EXIT
args=("$@")
[[ " $* " == *" --as-at "* ]] || args+=(--as-at 2026-09)
python3 scripts/generate-plan.py "${args[@]}" > "$plan"
cargo build --release --quiet
./target/release/savings check "$plan"
hyperfine -N --warmup 5 \
  "./target/release/savings track $plan" \
  "./target/release/savings track $plan --format csv" \
  "./target/release/savings track $plan --since $plan --format json"
