#!/usr/bin/env bash
# Whole-process timing of `savings run --format csv` on a generated plan (docs/model.md
# section 9): 2,000 one-line services, each saving a profile over 10 years, half with a low,
# central and high range, the gap built from a budget. With hyperfine (Debian: apt-get install
# hyperfine) and python3. Usage:
#   scripts/bench-plan.sh [--services N] [--seed S]
# The options go to scripts/generate-plan.py (defaults: 2,000 services, seed 1), which writes
# the plan to a temporary file, removed at the end; the plan is checked (`savings check`)
# before it is timed.
# Target: under 200 ms for 2,000 services.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "hyperfine is not installed (apt-get install hyperfine)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "python3 is not installed" >&2; exit 2; }
plan=$(mktemp --suffix=.toml "${TMPDIR:-/tmp}/savings-plan.XXXXXX")
trap 'rm -f "$plan"' EXIT
python3 scripts/generate-plan.py "$@" > "$plan"
cargo build --release --quiet
./target/release/savings check "$plan"
hyperfine -N --warmup 10 \
  "./target/release/savings run $plan --format csv"
