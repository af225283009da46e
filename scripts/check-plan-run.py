#!/usr/bin/env python3
"""An independent check of `savings run --format csv` on a plan (docs/model.md sections 4 and 9):
D, I, LP, N per line and case, and the totals (requirement, funding, reserves, LG, N, R), computed
here from the TOML with exact fractions and compared figure by figure. Stdlib only.

    scripts/check-plan-run.py scenarios/worked-example-plan.toml [path/to/savings]

Covers what the shipped plans use: one-line services and options, steady-state savings with a
go-live and ramp, profiles (levels/increments, ranges), statuses, planned savings, the gap built
from [budget]/[[pressure]]/[[funding]] or gap.unidentified. No optimism bias (refused)."""
import csv, io, subprocess, sys, tomllib
from fractions import Fraction as Q
from decimal import Decimal


def num(x):
    return Q(Decimal(str(x))) if not isinstance(x, bool) else None


def fy_start(text):
    return int(text.split("/")[0])


def yname(y):
    return f"{y}/{(y + 1) % 100:02d}"


def table(value, years, plain):
    """Levels per projected year of a money table; `plain` is how a bare table reads."""
    if isinstance(value, dict) and set(value) <= {"levels"} and "levels" in value:
        form, t = "levels", value["levels"]
    elif isinstance(value, dict) and set(value) <= {"increments"} and "increments" in value:
        form, t = "increments", value["increments"]
    else:
        form, t = plain, value
    t = {fy_start(k): num(v) for k, v in t.items()}
    out, level = [], Q(0)
    for y in years:
        if form == "levels":
            if y in t:
                level = t[y]
        else:
            level += t.get(y, Q(0))
        out.append(level)
    return out


def go_live(start):
    s = str(start)
    if "/" in s:
        return fy_start(s), 12
    y, m = map(int, s.split("-"))
    return (y, 16 - m) if m >= 4 else (y - 1, 4 - m)


def ramp_at(ramp, k):
    if ramp is None or ramp == "immediate":
        return Q(1)
    if isinstance(ramp, str) and ramp.startswith("linear"):
        n = int(ramp.split()[1])
        return min(Q(k, n), Q(1))
    return num(ramp[min(k, len(ramp)) - 1])


def cases_of(option, years):
    """D per case (low, central, high) and the central plan as written."""
    s = option["saving"]
    def is_profile(v):
        return isinstance(v, dict) and ("levels" in v or "increments" in v)
    if is_profile(s):
        p = table(s, years, None)
        return [p, p, p]
    if isinstance(s, dict) and all(k in s for k in ("low", "central", "high")) and is_profile(s["central"]):
        return [table(s[c], years, None) for c in ("low", "central", "high")]
    if isinstance(s, dict):
        values = [num(s[c]) for c in ("low", "central", "high")]
    else:
        values = [num(s)] * 3
    gy, months = go_live(option["start"])
    out = []
    for value in values:
        row = []
        for y in years:
            k = y - gy + 1
            if k < 1:
                row.append(Q(0))
            else:
                row.append(value * ramp_at(option.get("ramp"), k) * (Q(months, 12) if k == 1 else 1))
        out.append(row)
    return out


def model(path):
    sc = tomllib.load(open(path, "rb"))
    meta = sc["scenario"]
    assert "optimism_bias" not in meta
    base = fy_start(meta["base_year"])
    horizon = meta.get("horizon", 10)
    years = [base + i for i in range(1, horizon + 1)]
    w = num(meta.get("overlap", 1))
    zero = [Q(0)] * horizon
    lines = {}
    for svc in sc.get("service", []):
        if "option" in svc:
            chosen = [o for o in svc["option"] if o.get("preferred")]
            if "choose" in svc:
                chosen = [o for o in svc["option"] if o["id"] == svc["choose"]]
            if not chosen:
                continue
            opt = chosen[0]
        else:
            opt = svc
        assert "optimism_bias" not in opt
        status = opt.get("status", "proposed")
        d = cases_of(opt, years)
        if status == "proposed":
            lp = table(svc["planned"], years, "increments") if "planned" in svc else zero
            n = [[di - w * l for di, l in zip(dc, lp)] for dc in d]
        else:
            lp = d[1]
            if status == "in-base":
                d = [lp, lp, lp]
            elif status == "withdrawn":
                d = [zero] * 3
            n = [[di - l for di, l in zip(dc, lp)] for dc in d]
        lines[svc["id"]] = {"in_year_saving": d, "planned_to_date": [lp] * 3, "contribution": n}
    total = {m: [[sum(l[m][c][t] for l in lines.values()) for t in range(horizon)] for c in range(3)]
             for m in ("in_year_saving", "planned_to_date", "contribution")}
    pressures = [table(p["amount"], years, "increments") for p in sc.get("pressure", [])]
    plev = [sum(p[t] for p in pressures) for t in range(horizon)]
    if "budget" in sc:
        b = sc["budget"]
        if "requirement" in b:
            rq = table(b["requirement"], years, "levels")
        else:
            rq = [num(b["net"]) + plev[t] for t in range(horizon)]
        fund = [sum(table(f["amount"], years, "levels")[t] for f in sc.get("funding", [])) for t in range(horizon)]
        res = b.get("reserves", {})
        res = [num(res[yname(y)]) if yname(y) in res else Q(0) for y in years]
        lg = [rq[t] - fund[t] - res[t] for t in range(horizon)]
        for m, v in (("requirement", rq), ("funding", fund), ("reserves", res)):
            total[m] = [v] * 3
    else:
        g = sc.get("gap", {}).get("unidentified", {})
        lg = [a + b for a, b in zip(table(g, years, "increments"), plev)]
    total["gap_to_date"] = [lg] * 3
    total["remaining_gap"] = [[lg[t] - total["contribution"][c][t] for t in range(horizon)] for c in range(3)]
    lines["total"] = total
    return years, lines


def main():
    path = sys.argv[1]
    exe = sys.argv[2] if len(sys.argv) > 2 else "savings"
    years, lines = model(path)
    out = subprocess.run([exe, "run", path, "--format", "csv"], capture_output=True, text=True, check=True).stdout
    seen = bad = 0
    case = {"low": 0, "central": 1, "high": 2}
    for row in csv.DictReader(io.StringIO(out)):
        figures = lines.get(row["service"], {}).get(row["measure"])
        if figures is None:
            continue
        mine = figures[case[row["case"]]][years.index(fy_start(row["year"]))]
        seen += 1
        if abs(Q(Decimal(row["value"])) - mine) > Q(1, 10**20):
            bad += 1
            print(f"DIFFER {row['service']} {row['measure']} {row['year']} {row['case']}: tool {row['value']}, here {float(mine)}")
    print(f"{path}: {seen} figures compared, {bad} differ")
    sys.exit(1 if bad or not seen else 0)


main()
