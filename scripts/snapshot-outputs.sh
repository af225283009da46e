#!/usr/bin/env bash
# Every output of every command, in every format, on the shipped scenarios (and any extra
# scenario files given), written into one folder: run it before and after a change that
# must not change any figure or word, and diff the two folders. Usage:
#   scripts/snapshot-outputs.sh OUT_DIR [EXTRA_SCENARIO...]
# e.g.  scripts/snapshot-outputs.sh /tmp/before "$SAVINGS_BENCH_SCENARIO"
#       (change, rebuild)
#       scripts/snapshot-outputs.sh /tmp/after "$SAVINGS_BENCH_SCENARIO"
#       diff -r /tmp/before /tmp/after
# Each file is one command's standard output; FILE.stderr beside it holds standard error
# and the exit code. Binary reports (xlsx, png) are unzipped or hashed so that a diff says
# which part changed. Uses the release build.
set -uo pipefail
usage="usage: scripts/snapshot-outputs.sh OUT_DIR [EXTRA_SCENARIO...]"
out=${1:-}
[[ -n $out ]] || { echo "$usage" >&2; exit 2; }
shift
extra=()
for f in "$@"; do
  [[ -f $f ]] || { echo "scripts/snapshot-outputs.sh: $f: no such file" >&2; exit 2; }
  extra+=("$(realpath "$f")")
done
mkdir -p "$out"
out=$(realpath "$out")
cd "$(dirname "$0")/.."
cargo build --release --quiet || exit 2
bin=$PWD/target/release/savings

# Runs `savings ARGS...`, its standard output to $out/NAME, the rest to $out/NAME.stderr.
snap() {
  local name=$1
  shift
  "$bin" "$@" >"$out/$name" 2>"$out/$name.stderr"
  echo "exit $?" >>"$out/$name.stderr"
}

scenarios=(builtin: scenarios/*.toml "${extra[@]}")
for scenario in "${scenarios[@]}"; do
  tag=$(basename "$scenario" .toml | tr -c 'A-Za-z0-9_.\n-' '_')
  for format in table csv json markdown; do
    snap "$tag.run.$format" run "$scenario" --format "$format"
    snap "$tag.options.$format" options "$scenario" --format "$format"
    snap "$tag.sensitivity.$format" sensitivity "$scenario" --format "$format"
    snap "$tag.simulate.$format" simulate "$scenario" --format "$format" --trials 2000 --seed 7
    snap "$tag.sweep.$format" sweep "$scenario" --vary scenario.overlap=0:1:0.5 --format "$format"
    snap "$tag.sweep-rate.$format" sweep "$scenario" --vary scenario.discount_rate=0:0.1:0.05 --format "$format"
    snap "$tag.sweep-grid.$format" sweep "$scenario" --vary scenario.overlap=0,0.35,1 \
      --vary scenario.discount_rate=0.02,0.06 --format "$format" --threads 3
    snap "$tag.simulate-pert.$format" simulate "$scenario" --format "$format" --trials 3000 --seed 11 \
      --set scenario.distribution='"pert"' --threads 2
    snap "$tag.compare.$format" compare "$scenario" --against '--set scenario.overlap=0.5' --format "$format"
  done
  snap "$tag.check" check "$scenario"
  for format in md html svg; do
    snap "$tag.report.$format" report "$scenario" --format "$format"
  done
  snap "$tag.report.png" report "$scenario" --format png
  sha256sum <"$out/$tag.report.png" >"$out/$tag.report.png.sha256" && rm -f "$out/$tag.report.png"
  if "$bin" report "$scenario" --format xlsx --output "$out/$tag.xlsx" 2>"$out/$tag.report.xlsx.stderr"; then
    mkdir -p "$out/$tag.xlsx.d"
    (cd "$out/$tag.xlsx.d" && unzip -q -o "$out/$tag.xlsx" && rm -f docProps/core.xml)
    rm -f "$out/$tag.xlsx"
  fi
done
snap kent.solve.table solve --target gap-closed=2016/17 --vary 'service[hr].option[jv].saving.central' --set 'service[hr].option[jv].start="2016-04"'
snap kent.solve.json solve --target ten-year-total=200 --vary 'service[property].option[latco].saving.central' --format json
for bad in tests/bad/*.toml; do
  snap "bad.$(basename "$bad" .toml)" check "$bad"
done
echo "wrote $(find "$out" -type f | wc -l) files to $out"
