#!/usr/bin/env bash
# Whole-process timing of `savings import` (docs/model.md section 11) on a generated 5,000-line
# savings sheet laid out as a council lays one out: a title, a header of years with a unit
# row, a reference, name, directorate, status and RAG per line, figures printed negative, and
# a sub-total row with SUM formulas every 25 lines and a grand total. Written as xlsx (flat
# OpenDocument converted by LibreOffice, which saves every formula's value) and as CSV. With
# hyperfine (apt-get install hyperfine), python3 and soffice (LibreOffice). Usage:
#   scripts/bench-import.sh [LINES]
# Target: under 1 s for 5,000 lines.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "hyperfine is not installed (apt-get install hyperfine)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "python3 is not installed" >&2; exit 2; }
command -v soffice >/dev/null || { echo "soffice (LibreOffice) is not installed" >&2; exit 2; }
lines=${1:-5000}
work=$(mktemp -d "${TMPDIR:-/tmp}/savings-import.XXXXXX")
trap 'rm -rf "$work"' EXIT
python3 - "$lines" "$work" <<'PY'
import sys
from xml.sax.saxutils import escape

lines, work = int(sys.argv[1]), sys.argv[2]
years = ["2025/26", "2026/27", "2027/28", "2028/29", "2029/30"]
cols = "FGHIJ"
areas = ["Adults", "Children", "Environment", "Resources", "Place", "Public health"]
statuses = ["Approved", "Proposed", "In base", "Agreed", "Withdrawn"]
rags = ["G", "A", "R", "B", ""]
rows = [["Generated district council: savings plan"], ["Cumulative savings"], [],
        ["Ref", "Description", "Directorate", "Status", "RAG"] + years, [""] * 5 + ["£000"] * 5]
block_start = len(rows) + 1
for i in range(lines):
    level = ((i * 7919) % 2000) / 10 + 0.1
    rows.append([f"L-{i + 1:05d}", f"Saving number {i + 1}", areas[i % len(areas)],
                 statuses[i % len(statuses)], rags[i % len(rags)]]
                + [-round(level * (k + 1) / 5, 1) for k in range(5)])
    if (i + 1) % 25 == 0 or i + 1 == lines:
        end = len(rows)
        sums = [round(sum(r[5 + k] for r in rows[block_start - 1:end]), 1) for k in range(5)]
        rows.append(["Sub-total", "", "", "", ""]
                    + [("=SUM(%s%d:%s%d)" % (c, block_start, c, end), s) for c, s in zip(cols, sums)])
        block_start = len(rows) + 1


def cell(v):
    if isinstance(v, (int, float)):
        return f'<table:table-cell office:value-type="float" office:value="{v}"/>'
    if isinstance(v, tuple):
        f = v[0][1:].replace("SUM(", "SUM([.").replace(":", ":.").replace(")", "])")
        return f'<table:table-cell table:formula="of:={f}" office:value-type="float" office:value="{v[1]}"/>'
    if v == "":
        return "<table:table-cell/>"
    return f'<table:table-cell office:value-type="string"><text:p>{escape(v)}</text:p></table:table-cell>'


with open(f"{work}/plan.fods", "w", encoding="utf-8") as f:
    f.write('<?xml version="1.0" encoding="UTF-8"?><office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet"><office:body><office:spreadsheet><table:table table:name="Savings">')
    for row in rows:
        f.write("<table:table-row>" + "".join(cell(v) for v in row) + "<table:table-cell/></table:table-row>")
    f.write("</table:table></office:spreadsheet></office:body></office:document>")
with open(f"{work}/plan.csv", "w", encoding="utf-8") as f:
    for row in rows:
        f.write(",".join('"%s"' % v if isinstance(v, str) else str(v[1] if isinstance(v, tuple) else v) for v in row) + "\n")
PY
soffice --headless --convert-to xlsx --outdir "$work" "$work/plan.fods" >/dev/null 2>&1
cargo build --release --quiet
./target/release/savings import "$work/plan.xlsx" --dry-run | tail -1
hyperfine -N --warmup 3 \
  "./target/release/savings import $work/plan.xlsx --output $work/from-xlsx.toml" \
  "./target/release/savings import $work/plan.csv --amounts levels --output $work/from-csv.toml"
./target/release/savings check "$work/from-xlsx.toml" 2>/dev/null
