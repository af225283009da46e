#!/usr/bin/env python3
"""Write the example spreadsheets of `savings import` (README "Importing a spreadsheet").

Usage:
    scripts/make-import-examples.py            # writes spreadsheets/*.xlsx, *.ods, *.csv

Each workbook is laid out as councils lay theirs out: a notes sheet first, a title, a header
row of years with a unit row under it, figures printed as negatives in brackets, section
headings, sub-total rows with formulas, a total, a hidden row, a number typed as text. The
workbooks are written as flat OpenDocument (.fods) and converted with LibreOffice
(`soffice --headless --convert-to xlsx` and `ods`), which saves every formula with its value.
The figures are made up (Riverside District Council is not a real council).

- spreadsheets/plan.xlsx, plan.ods: the plan, new savings each year (increments), in £000.
- spreadsheets/draft-plan.xlsx: a draft with "Still to be confirmed" statuses and a sub-total
  typed over its formula, 10 out.
- spreadsheets/tracker.csv: a quarter-2 tracker: cumulative plan, delivered and forecast
  blocks, an "As at" line, headings the import does not know (so --columns names them).

Python 3 standard library and LibreOffice only. The same script always writes the same
figures; the xlsx and ods files LibreOffice writes carry its own timestamps.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
from xml.sax.saxutils import escape, quoteattr

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "spreadsheets")


def odf_formula(formula):
    """SUM(F7:F8) and F9+F14 as OpenDocument writes them: of:=SUM([.F7:.F8])."""
    f = re.sub(r"([A-Z]+[0-9]+):([A-Z]+[0-9]+)", r"[.\1:.\2]", formula)
    f = re.sub(r"(?<![.:A-Z])([A-Z]+[0-9]+)(?![0-9:\]])", r"[.\1]", f)
    return "of:=" + f


def cell_xml(cell):
    """A cell: None (empty), text, a number, ("=FORMULA", value), or ("merge", text, n)."""
    if cell is None:
        return "<table:table-cell/>"
    if isinstance(cell, tuple) and cell[0] == "merge":
        _, text, n = cell
        covered = "<table:covered-table-cell/>" * (n - 1)
        return (
            f'<table:table-cell table:number-columns-spanned="{n}" office:value-type="string">'
            f"<text:p>{escape(text)}</text:p></table:table-cell>{covered}"
        )
    if isinstance(cell, tuple):
        formula, value = cell
        return (
            f"<table:table-cell table:formula={quoteattr(odf_formula(formula[1:]))} "
            f'office:value-type="float" office:value="{value}" table:style-name="neg">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    if isinstance(cell, (int, float)):
        return (
            f'<table:table-cell office:value-type="float" office:value="{cell}" '
            f'table:style-name="neg"><text:p>{cell}</text:p></table:table-cell>'
        )
    return f'<table:table-cell office:value-type="string"><text:p>{escape(cell)}</text:p></table:table-cell>'


def fods(sheets):
    """A flat OpenDocument spreadsheet: sheets is a list of (name, rows, hidden_rows)."""
    body = []
    for name, rows, hidden in sheets:
        body.append(f"<table:table table:name={quoteattr(name)}>")
        for i, row in enumerate(rows):
            visibility = ' table:visibility="collapse"' if i in hidden else ""
            cells = "".join(cell_xml(c) for c in row) or "<table:table-cell/>"
            body.append(f"<table:table-row{visibility}>{cells}</table:table-row>")
        body.append("</table:table>")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
<office:automatic-styles>
 <number:number-style style:name="pos"><number:number number:decimal-places="1" number:min-integer-digits="1" number:grouping="true"/></number:number-style>
 <number:number-style style:name="bracketed"><number:text>(</number:text><number:number number:decimal-places="1" number:min-integer-digits="1" number:grouping="true"/><number:text>)</number:text><style:map style:condition="value()&gt;=0" style:apply-style-name="pos"/></number:number-style>
 <style:style style:name="neg" style:family="table-cell" style:data-style-name="bracketed"/>
</office:automatic-styles>
<office:body><office:spreadsheet>
{chr(10).join(body)}
</office:spreadsheet></office:body></office:document>
"""


NOTES = (
    "Notes",
    [
        ["Riverside District Council (a made-up council): savings plan 2025/26 to 2027/28"],
        ["Figures are in £000. Savings are shown as negative figures, in brackets."],
        ["The plan is on the next sheet."],
    ],
    set(),
)


def plan_sheet(draft):
    """The plan: new savings each year (increments), in £000, negative in brackets."""
    confirmed = "Still to be confirmed" if draft else "Approved"
    resources_subtotal = -1290.5 if draft else ("=SUM(F13:F16)", -1280.5)
    rows = [
        ["Riverside District Council"],
        ["Savings plan 2025/26 to 2027/28: new savings each year"],
        [],
        ["Ref", "Description", "Directorate", "Status", "RAG", "2025/26", "2026/27", "2027/28", "Total"],
        [None, None, None, None, None, "£000", "£000", "£000", "£000"],
        [("merge", "Environment", 2)],
        ["ENV-01", "Garden waste charge", "Environment", "Approved", "G", -320, -80, None, ("=SUM(F7:H7)", -400)],
        ["ENV-02", "LED street lighting", "Environment", confirmed, "A", -150, "-", "-", ("=SUM(F8:H8)", -150)],
        ["ENV-03", "Bulky waste collections", "Environment", "Proposed", None, None, -45.5, -20, ("=SUM(F9:H9)", -65.5)],
        ["Sub-total Environment", None, None, None, None, ("=SUM(F7:F9)", -470), ("=SUM(G7:G9)", -125.5), ("=SUM(H7:H9)", -20), ("=SUM(I7:I9)", -615.5)],
        [],
        [("merge", "Resources", 2)],
        ["RES-01", "Review of leisure contracts", "Resources", "Proposed", None, None, "(1,200.5)", None, ("=SUM(F13:H13)", 0)],
        ["RES-02", "Office rationalisation", "Resources", "In base", "B", -80, None, None, ("=SUM(F14:H14)", -80)],
        ["RES-03", "Income from the new car park", "Resources", confirmed, "R", -567.2, None, None, ("=SUM(F15:H15)", -567.2)],
        ["RES-04", "Shared legal service", "Resources", "Approved", "A", -633.3, None, -50, ("=SUM(F16:H16)", -683.3)],
        ["Sub-total Resources", None, None, None, None, resources_subtotal, ("=SUM(G13:G16)", 0), ("=SUM(H13:H16)", -50), ("=SUM(I13:I16)", -1330.5)],
        [],
        ["Total savings", None, None, None, None, ("=F10+F17", -1750.5 if not draft else -1760.5), ("=G10+G17", -125.5), ("=H10+H17", -70), ("=I10+I17", -1946)],
    ]
    # RES-01 is typed as text ("(1,200.5)"), which a spreadsheet's SUM leaves out: its
    # sub-total and the total are written as the sheet would show them.
    return ("Savings 2025-28", rows, {13})


TRACKER = """Riverside District Council: savings tracker, quarter 2
As at,30/09/2025
,,,,,Plan: cumulative savings (£000),,,Delivered (£000),Forecast (£000),,
No.,Proposal,Portfolio,Position,Risk,2025/26,2026/27,2027/28,2025/26,2025/26,2026/27,2027/28
ENV-01,Garden waste charge,Environment,Approved,G,320,400,400,,320,400,400
ENV-02,LED street lighting,Environment,Approved,A,150,150,150,,120,150,150
RES-02,Office rationalisation,Resources,In base,B,80,80,80,,,,
RES-03,Income from the new car park,Resources,Approved,R,567.2,0,0,,300,0,0
RES-04,Shared legal service,Resources,Approved,B,633.3,633.3,683.3,633.3,,633.3,683.3
RES-05,Review of leisure contracts,Resources,Proposed,,,"1,200.5","1,200.5",,,,
"""


def convert(fods_path, fmt, out_dir):
    subprocess.run(
        ["soffice", "--headless", "--convert-to", fmt, "--outdir", out_dir, fods_path],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def main():
    if not shutil.which("soffice"):
        sys.exit("soffice (LibreOffice) is not installed")
    os.makedirs(OUT, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name, draft, formats in [("plan", False, ["xlsx", "ods"]), ("draft-plan", True, ["xlsx"])]:
            path = os.path.join(tmp, name + ".fods")
            with open(path, "w", encoding="utf-8") as f:
                f.write(fods([NOTES, plan_sheet(draft)]))
            for fmt in formats:
                convert(path, fmt, tmp)
                shutil.copy(os.path.join(tmp, f"{name}.{fmt}"), os.path.join(OUT, f"{name}.{fmt}"))
    with open(os.path.join(OUT, "tracker.csv"), "w", encoding="utf-8", newline="") as f:
        f.write(TRACKER)


if __name__ == "__main__":
    main()
