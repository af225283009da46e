#!/usr/bin/env bash
# Whole-process timings of `savings simulate` against a numpy peer, with hyperfine (Debian:
# apt-get install hyperfine) and python3 with numpy. Usage:
#   scripts/bench-simulate.sh PEER SCALED_SCENARIO
#   SAVINGS_BENCH_PEER=PEER SAVINGS_BENCH_SCENARIO=SCALED_SCENARIO scripts/bench-simulate.sh
# PEER is the yardstick: a Python program with numpy that runs the same Monte Carlo
# (docs/model.md sections 4 and 5, plain savings, triangular draws, no optimism bias), called
# as `python3 PEER SCENARIO -n TRIALS --seed S -o OUT.json`. SCALED_SCENARIO is a large
# scenario (the README's figures are for 1,000 services). Neither is part of this repository:
# give their paths as arguments or in the environment variables above.
# Prints: the product and the peer side by side (Kent at 1,000,000 trials, SCALED_SCENARIO
# at 10,000) and the speed ratio peer/product; the product's peak RSS on Kent at 1,000,000
# trials (GNU /usr/bin/time); and how the product's time grows with trials (Kent, 10k to
# 10M) and with services (the first 100 to 1,000 services of SCALED_SCENARIO, 10,000 trials).
# Targets: Kent 1M <= 0.2 s, >= 12x faster than the peer, peak RSS < 128 MiB; the
# 1,000-service scenario at 10k < 0.15 s.
# The peer reads only plain savings, triangular draws and no optimism bias: both programs run
# on plain copies written by scripts/compare-peer.py --plain-copy, so both do the same work.
# The product writes CSV to standard output, which hyperfine discards.
set -euo pipefail
usage="usage: scripts/bench-simulate.sh PEER SCALED_SCENARIO (or set SAVINGS_BENCH_PEER and SAVINGS_BENCH_SCENARIO): the numpy peer program and a large scenario file"
peer=${1:-${SAVINGS_BENCH_PEER:-}}
scaled=${2:-${SAVINGS_BENCH_SCENARIO:-}}
[[ -n $peer && -n $scaled ]] || { echo "$usage" >&2; exit 2; }
for f in "$peer" "$scaled"; do
  [[ -f $f ]] || { echo "scripts/bench-simulate.sh: $f: no such file" >&2; echo "$usage" >&2; exit 2; }
done
peer=$(realpath "$peer")
scaled=$(realpath "$scaled")
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "hyperfine is not installed (apt-get install hyperfine)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "python3 is not installed" >&2; exit 2; }
python3 -c 'import numpy' 2>/dev/null || { echo "python3 has no numpy (pip install numpy)" >&2; exit 2; }
cargo build --release --quiet
savings=./target/release/savings

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-simulate.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
kent=$tmp/kent-plain.toml
scripts/compare-peer.py scenarios/kcc-2014-phase1.toml --plain-copy "$kent"
scripts/compare-peer.py "$scaled" --plain-copy "$tmp/scaled-1000.toml"
for k in 100 250 500; do
  scripts/compare-peer.py "$scaled" --plain-copy "$tmp/scaled-$k.toml" --first-services "$k"
done
"$savings" check "$kent" "$tmp"/scaled-*.toml

# mean_of JSON [INDEX]: the mean wall time (s) of hyperfine's INDEX-th command.
mean_of() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]["mean"])' "$1" "${2:-0}"; }
# verdict VALUE OP LIMIT: "ok" or "MISSED" for VALUE OP LIMIT (awk numbers).
verdict() { awk -v v="$1" -v l="$3" -v op="$2" 'BEGIN { ok = (op == "<=") ? v <= l : (op == "<") ? v < l : v >= l; print ok ? "ok" : "MISSED" }'; }

echo "== product vs peer (hyperfine -N, $(nproc) cores; the product uses one thread per core)"
hyperfine -N --warmup 2 --min-runs 5 --export-json "$tmp/kent.json" \
  -n "savings Kent 1M" "$savings simulate $kent --trials 1000000 --seed 1 --format csv" \
  -n "peer Kent 1M" "python3 $peer $kent -n 1000000 --seed 1 -o $tmp/peer-kent.json"
hyperfine -N --warmup 2 --min-runs 5 --export-json "$tmp/scaled.json" \
  -n "savings scaled-1000 10k" "$savings simulate $tmp/scaled-1000.toml --trials 10000 --seed 1 --format csv" \
  -n "peer scaled-1000 10k" "python3 $peer $tmp/scaled-1000.toml -n 10000 --seed 1 -o $tmp/peer-scaled.json"

kent_s=$(mean_of "$tmp/kent.json" 0); kent_peer=$(mean_of "$tmp/kent.json" 1)
scaled_s=$(mean_of "$tmp/scaled.json" 0); scaled_peer=$(mean_of "$tmp/scaled.json" 1)
kent_ratio=$(awk -v a="$kent_peer" -v b="$kent_s" 'BEGIN { printf "%.1f", a / b }')
scaled_ratio=$(awk -v a="$scaled_peer" -v b="$scaled_s" 'BEGIN { printf "%.1f", a / b }')
echo
echo "== summary"
printf '%-28s %9.3f s   target <= 0.2 s    %s\n' "Kent 1M, product" "$kent_s" "$(verdict "$kent_s" "<=" 0.2)"
printf '%-28s %9.3f s\n' "Kent 1M, peer" "$kent_peer"
printf '%-28s %9sx     target >= 12x      %s\n' "Kent 1M, peer / product" "$kent_ratio" "$(verdict "$kent_ratio" ">=" 12)"
printf '%-28s %9.3f s   target < 0.15 s    %s\n' "scaled-1000 10k, product" "$scaled_s" "$(verdict "$scaled_s" "<" 0.15)"
printf '%-28s %9.3f s\n' "scaled-1000 10k, peer" "$scaled_peer"
printf '%-28s %9sx\n' "scaled-1000 10k, peer/prod" "$scaled_ratio"

if /usr/bin/time -v true >/dev/null 2>&1; then
  /usr/bin/time -v "$savings" simulate "$kent" --trials 1000000 --seed 1 --format csv >/dev/null 2>"$tmp/time.txt"
  rss_kib=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$tmp/time.txt")
  rss_mib=$(awk -v k="$rss_kib" 'BEGIN { printf "%.1f", k / 1024 }')
  printf '%-28s %9s MiB target < 128 MiB  %s\n' "Kent 1M, product peak RSS" "$rss_mib" "$(verdict "$rss_mib" "<" 128)"
else
  echo "peak RSS: skipped (GNU time is not at /usr/bin/time; Debian: apt-get install time)"
fi

echo
echo "== how the product's time grows (hyperfine means)"
hyperfine -N --warmup 1 --min-runs 3 --max-runs 20 --style none --export-json "$tmp/trials.json" \
  -L trials 10000,100000,1000000,10000000 "$savings simulate $kent --trials {trials} --seed 1 --format csv"
hyperfine -N --warmup 1 --min-runs 3 --max-runs 20 --style none --export-json "$tmp/services.json" \
  -L k 100,250,500,1000 "$savings simulate $tmp/scaled-{k}.toml --trials 10000 --seed 1 --format csv"
python3 - "$tmp/trials.json" "$tmp/services.json" <<'EOF'
import json, sys
for path, name, what in ((sys.argv[1], "trials", "Kent, trials"), (sys.argv[2], "k", "scaled, services (10k trials)")):
    print(f"{what:<30} {'mean':>10} {'sd':>9} {'x previous':>13}")
    previous = None
    for r in json.load(open(path))["results"]:
        n = int(r["parameters"][name])
        growth = f"{r['mean'] / previous[1]:.2f} (x{n / previous[0]:g})" if previous else ""
        print(f"{n:>30,} {r['mean'] * 1000:>8.1f}ms {r['stddev'] * 1000:>7.1f}ms {growth:>13}")
        previous = (n, r["mean"])
EOF
