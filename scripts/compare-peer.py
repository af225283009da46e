#!/usr/bin/env python3
"""Check that `savings simulate` agrees with a numpy peer.

Usage:
    scripts/compare-peer.py --peer PEER [SCENARIO ...] [--trials N] [--seeds K]
    scripts/compare-peer.py SCENARIO --plain-copy OUT [--first-services K]

PEER (--peer, or the environment variable SAVINGS_BENCH_PEER; required, and not part of this
repository) is the yardstick: a Python program with numpy that runs the same Monte Carlo
(docs/model.md sections 4 and 5, plain savings, triangular draws, no optimism bias), called
as `python3 PEER SCENARIO -n TRIALS --seed S -o OUT.json`, whose JSON gives per projected
year mean/p10/p50/p90 of total D, N and R, P(R <= 0), and the same four of the ten-year total.

SCENARIO defaults to scenarios/kcc-2014-phase1.toml (1,000,000 trials), and with it the
scenario named by the environment variable SAVINGS_BENCH_SCENARIO where that is set (the
README's figures are for a 1,000-service scenario, at 20,000 trials); without --trials, the
trials of a scenario are about 2e7 / services, between 10,000 and 1,000,000.

The peer knows only plain savings (a number or low/central/high), triangular draws and no
optimism bias, so both programs run on a "plain copy" of each scenario: `extends` resolved,
`share_of_net` savings turned into figures (share x budget.net, exactly), and every field
outside the peer's format (`distribution`, `optimism_bias`, `source`, ...) dropped (each one
dropped is listed). The copy must pass `savings check`. Where nothing but `extends` and
`share_of_net` changed, the product's results on the copy must equal those on the original,
byte for byte.

The peer runs once (--peer-seed, default 1); the product runs K times (seeds 1..K). For every
statistic both give (per projected year: mean, p10, p50, p90 of D = in-year saving, N = contribution,
R = remaining gap, and P(R <= 0); the same four of the ten-year total), the product's Monte
Carlo standard error se is the sample sd of its K runs, and the check is
    |mean of the K runs - peer| <= 4 x sqrt(se^2 / K + se^2)
(the peer's own error taken as one run's). Where the K runs agree exactly (sd 0: a statistic
at a point mass, such as P(closed) = 0), or the bound is below float noise, agreement within
1e-9 relative (1e-9 absolute near zero) is required. Exit 0 when every statistic agrees,
1 on any disagreement, 2 on bad input or a program that fails.

With --plain-copy, only writes the plain copy of SCENARIO to OUT (and with --first-services K
keeps only the first K services); scripts/bench-simulate.sh uses it.
"""

import argparse
import decimal
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time
import tomllib
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILTIN = ROOT / "scenarios" / "kcc-2014-phase1.toml"
SAVINGS = ROOT / "target" / "release" / "savings"

Z_LIMIT = 4.0
EXACT_REL = 1e-9

# The scenario fields the peer reads: the plain model, without `extends`, `share_of_net`,
# `distribution`, `optimism_bias` or `source`.
PLAIN_FIELDS = {
    "": {"scenario", "gap", "service"},
    "scenario": {"name", "base_year", "horizon", "unit", "overlap", "discount_rate", "mtfp_period"},
    "gap": {"required", "unidentified"},
    "service": {"id", "name", "budget", "planned", "choose", "option"},
    "option": {"id", "name", "preferred", "saving", "start", "ramp", "one_off_cost", "risk", "group"},
    "budget": {"gross", "net"},
    "risk": {"fail", "slip_months"},
}

# (peer key, product key, label) of the per-year distributions.
MEASURES = [("D", "in_year_saving", "D"), ("N", "contribution", "N"), ("R", "remaining_gap", "R")]
STATS = ("mean", "p10", "p50", "p90")


class Failure(Exception):
    """Bad input or a program that failed: exit 2."""


# ---------------------------------------------------------------------------------------------
# The plain copy


def read_toml(path):
    try:
        with open(path, "rb") as f:
            return tomllib.load(f, parse_float=Decimal)  # figures exactly as written
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise Failure(f"{path}: {e}") from e


def resolve_extends(path, depth=0):
    """The scenario at `path` with its `extends` chain laid under it, as the product does."""
    if depth > 16:
        raise Failure(f"{path}: extends chain longer than 16")
    doc = read_toml(path)
    parent_name = doc.get("scenario", {}).pop("extends", None)
    if parent_name is None:
        return doc
    if parent_name in ("builtin:", "builtin:kcc-2014-phase1.toml"):
        parent_path = BUILTIN
    else:
        parent_path = (Path(path).parent / parent_name).resolve()
    parent = resolve_extends(parent_path, depth + 1)
    overlay(parent, doc)
    return parent


def overlay(parent, child):
    """src/scenario/edit.rs `overlay`: fields replace, services and options match by id,
    budget/risk/optimism_bias merge field by field, `remove = true` drops."""
    for key, value in child.get("scenario", {}).items():
        if key == "optimism_bias" and isinstance(parent.get("scenario", {}).get(key), dict):
            parent["scenario"][key].update(value)
        else:
            parent.setdefault("scenario", {})[key] = value
    for key, value in child.get("gap", {}).items():
        parent.setdefault("gap", {})[key] = value
    services = parent.setdefault("service", [])
    for svc in child.get("service", []):
        match = [s for s in services if s.get("id") == svc.get("id")]
        if svc.get("remove") is True:
            if not match:
                raise Failure(f"extends: no service {svc.get('id')!r} to remove")
            services.remove(match[0])
        elif not match:
            services.append(svc)
        else:
            merge_fields(match[0], svc, {"budget"}, "option")
    return parent


def merge_fields(parent, child, by_field, children_key):
    for key, value in child.items():
        if key == "remove":
            continue
        if key == children_key:
            options = parent.setdefault(key, [])
            for opt in value:
                match = [o for o in options if o.get("id") == opt.get("id")]
                if opt.get("remove") is True:
                    if not match:
                        raise Failure(f"extends: service {parent.get('id')!r} has no option {opt.get('id')!r} to remove")
                    options.remove(match[0])
                elif not match:
                    options.append(opt)
                else:
                    merge_fields(match[0], opt, {"risk", "optimism_bias"}, None)
        elif key in by_field and isinstance(parent.get(key), dict) and isinstance(value, dict):
            parent[key].update(value)
        else:
            parent[key] = value


def plain(doc, first_services=None):
    """The peer's view of a resolved scenario; returns (doc, list of what was dropped or changed)."""
    changes = []

    def keep(table, kind, where):
        for key in list(table):
            if key not in PLAIN_FIELDS[kind]:
                changes.append(f"dropped {where}{key}")
                del table[key]

    keep(doc, "", "")
    keep(doc.setdefault("scenario", {}), "scenario", "scenario.")
    keep(doc.get("gap", {}), "gap", "gap.")
    if first_services is not None:
        doc["service"] = doc.get("service", [])[:first_services]
    for si, svc in enumerate(doc.get("service", [])):
        sid = svc.get("id", f"#{si + 1}")
        keep(svc, "service", f"service[{sid}].")
        if isinstance(svc.get("budget"), dict):
            keep(svc["budget"], "budget", f"service[{sid}].budget.")
        for oi, opt in enumerate(svc.get("option", [])):
            where = f"service[{sid}].option[{opt.get('id', f'#{oi + 1}')}]."
            keep(opt, "option", where)
            if isinstance(opt.get("risk"), dict):
                keep(opt["risk"], "risk", where + "risk.")
            saving = opt.get("saving")
            if isinstance(saving, dict) and "share_of_net" in saving:
                net = svc.get("budget", {}).get("net")
                if net is None:
                    raise Failure(f"{where}saving: share_of_net needs service budget.net")
                share = saving["share_of_net"]
                if isinstance(share, dict):
                    opt["saving"] = {k: Decimal(share[k]) * Decimal(net) for k in ("low", "central", "high")}
                else:
                    opt["saving"] = Decimal(share) * Decimal(net)
                changes.append(f"share_of_net as figures: {where}saving")
    return doc, changes


def toml_key(key):
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else toml_string(key)


def toml_string(text):
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007F")


def toml_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return format(value, "f")  # exactly as read, never an exponent
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items()) + " }"
    raise Failure(f"cannot write {value!r} ({type(value).__name__}) in the plain copy")


def is_table_array(value):
    return isinstance(value, list) and value and all(isinstance(v, dict) for v in value)


def toml_document(doc):
    """A TOML writer for the scenario shape: top-level tables as [sections], arrays of tables
    as [[a.b]] at any depth, every other table inline."""
    lines = []

    def body(table, path):
        for key, value in table.items():
            if not is_table_array(value):
                lines.append(f"{toml_key(key)} = {toml_value(value)}")
        for key, value in table.items():
            if is_table_array(value):
                name = path + [toml_key(key)]
                for item in value:
                    lines.append("")
                    lines.append(f"[[{'.'.join(name)}]]")
                    body(item, name)

    top = {k: v for k, v in doc.items() if not isinstance(v, dict)}
    for key, value in top.items():  # top-level values before any [section]
        if not is_table_array(value):
            lines.append(f"{toml_key(key)} = {toml_value(value)}")
    for key, value in doc.items():
        if isinstance(value, dict):
            lines.append("")
            lines.append(f"[{toml_key(key)}]")
            body(value, [toml_key(key)])
    body({k: v for k, v in top.items() if is_table_array(v)}, [])
    return "\n".join(lines).strip() + "\n"


def write_plain_copy(src, dst, first_services=None):
    doc, changes = plain(resolve_extends(src), first_services)
    with open(dst, "w", encoding="utf-8") as f:
        f.write(f"# Plain copy of {src} for the numpy peer, written by scripts/compare-peer.py\n")
        f.write(toml_document(doc))
    return doc, changes


# ---------------------------------------------------------------------------------------------
# Running the two programs


def run(cmd, what):
    try:
        p = subprocess.run([str(c) for c in cmd], capture_output=True, text=True)
    except OSError as e:
        raise Failure(f"{what} could not start: {e}") from e
    if p.returncode != 0:
        raise Failure(f"{what} failed (exit {p.returncode}): {' '.join(map(str, cmd))}\n{p.stderr.strip()}")
    return p


def product(scenario, trials, seed, out):
    run([SAVINGS, "simulate", scenario, "--trials", trials, "--seed", seed, "--format", "json", "-o", out], "savings simulate")
    with open(out) as f:
        return json.load(f)


def peer(program, scenario, trials, seed, out):
    run([sys.executable, program, scenario, "-n", trials, "--seed", seed, "-o", out], "the peer")
    with open(out) as f:
        return json.load(f)


def statistics_of_product(doc):
    """{(year, label, stat): float} plus the years in order."""
    out = {}
    years = [y["year"] for y in doc["years"]]
    for y in doc["years"]:
        for _, key, label in MEASURES:
            for s in STATS:
                out[(y["year"], label, s)] = float(y[key][s])
        out[(y["year"], "P(closed)", "")] = float(y["probability_closed"])
    for s in STATS:
        out[("total", "D", s)] = float(doc["total_saving"][s])
    return out, years


def statistics_of_peer(doc):
    out = {}
    years = doc["years"]
    for i, year in enumerate(years):
        for key, _, label in MEASURES:
            for s in STATS:
                out[(year, label, s)] = float(doc[key][s][i])
        out[(year, "P(closed)", "")] = float(doc["p_closed"][i])
    for s in STATS:
        out[("total", "D", s)] = float(doc["total"][s])
    return out, years


def default_trials(doc):
    services = max(1, len(doc.get("service", [])))
    return int(min(1_000_000, max(10_000, round(2e7 / services, -4))))


def label(key):
    year, measure, stat = key
    return f"{year} {measure} {stat}".strip()


def compare(peer_program, scenario, trials, seeds, peer_seed, tmp, index):
    """One scenario: returns (ok, lines to print)."""
    lines = []
    copy = Path(tmp) / f"plain-{index}-{Path(scenario).stem}.toml"
    doc, changes = write_plain_copy(scenario, copy)
    trials = trials or default_trials(doc)
    run([SAVINGS, "check", copy], "savings check of the plain copy")
    dropped = [c for c in changes if c.startswith("dropped")]
    converted = len(changes) - len(dropped)
    lines.append(f"== {scenario}: {len(doc.get('service', []))} services, {trials:,} trials, "
                 f"product seeds 1..{seeds}, peer seed {peer_seed}")
    lines.append("   plain copy: passes `savings check`; " + (
        f"{converted} share_of_net saving(s) as figures; " if converted else "") + (
        "dropped " + ", ".join(c[len("dropped "):] for c in dropped[:6]) + (" ..." if len(dropped) > 6 else "")
        if dropped else "nothing dropped"))

    # The copy must change nothing for the product where only extends/share_of_net changed.
    if not dropped:
        n = min(trials, 20_000)
        a = product(scenario, n, 1, Path(tmp) / "orig.json")
        b = product(copy, n, 1, Path(tmp) / "copy.json")
        same = all(a[k] == b[k] for k in ("years", "services", "total_saving", "npv"))
        lines.append(f"   product on original vs plain copy ({n:,} trials, seed 1): "
                     + ("identical" if same else "DIFFERENT"))
        if not same:
            return False, lines
    else:
        lines.append("   (the original has fields the peer lacks: both programs run the plain model)")

    t0 = time.perf_counter()
    peer_doc = peer(peer_program, copy, trials, peer_seed, Path(tmp) / "peer.json")
    t_peer = time.perf_counter() - t0
    runs = []
    t0 = time.perf_counter()
    for seed in range(1, seeds + 1):
        runs.append(product(copy, trials, seed, Path(tmp) / f"product-{seed}.json"))
    t_product = (time.perf_counter() - t0) / seeds
    lines.append(f"   wall time per run: peer {t_peer:.2f} s, product {t_product:.3f} s")

    ok = True
    peer_stats, peer_years = statistics_of_peer(peer_doc)
    prod = [statistics_of_product(r) for r in runs]
    prod_years = prod[0][1]
    if prod_years != peer_years:
        ok = False
        lines.append(f"   YEARS DIFFER: product {prod_years} vs peer {peer_years}")
    only_peer = sorted(set(peer_stats) - set(prod[0][0]))
    only_prod = sorted(set(prod[0][0]) - set(peer_stats))
    if only_peer or only_prod:
        ok = False
        lines.append(f"   statistics only in the peer: {[label(k) for k in only_peer][:8]}; "
                     f"only in the product: {[label(k) for k in only_prod][:8]}")
    keys = [k for k in prod[0][0] if k in peer_stats]

    rows = []
    for key in keys:
        values = [p[0][key] for p in prod]
        m = sum(values) / seeds
        sd = math.sqrt(sum((v - m) ** 2 for v in values) / (seeds - 1)) if seeds > 1 else 0.0
        ref = peer_stats[key]
        diff = m - ref
        sigma = math.sqrt(sd * sd / seeds + sd * sd)
        floor = EXACT_REL * max(abs(m), abs(ref), 1.0)
        if sigma * Z_LIMIT > floor:
            z = diff / sigma
            bad = abs(z) > Z_LIMIT
            score = abs(z) / Z_LIMIT
            how = f"z {z:+6.2f}"
        else:  # a point mass, or spread below float noise: must agree to 1e-9
            bad = abs(diff) > floor
            score = abs(diff) / floor
            how = f"exact, diff {diff:+.1e}"
        rows.append((score, key, ref, m, sd, how, bad))
        ok &= not bad
    rows.sort(key=lambda r: -r[0])
    n_exact = sum(1 for r in rows if r[5].startswith("exact"))
    failures = [r for r in rows if r[6]]
    lines.append(f"   {len(rows)} statistics compared ({n_exact} exact-match point masses); "
                 f"disagreements: {len(failures)}")
    lines.append(f"   {'statistic':<26} {'peer':>16} {'product mean':>16} {'product sd':>11}  check")
    for score, key, ref, m, sd, how, bad in (failures or rows[:5])[:max(5, len(failures))]:
        lines.append(f"   {label(key):<26} {ref:>16.6f} {m:>16.6f} {sd:>11.2e}  {how}"
                     + ("  DISAGREES" if bad else ""))
    extra = ["npv", "services[*].probability_meets_plan", "services[*].mean_in_year_saving"]
    lines.append("   product only, not compared: " + ", ".join(k for k in extra if k.split("[")[0] in runs[0]))
    lines.append(f"   verdict: {'agrees' if ok else 'DISAGREES'}")
    return ok, lines


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="\n".join(__doc__.splitlines()[1:]))
    ap.add_argument("scenarios", nargs="*", metavar="SCENARIO")
    ap.add_argument("--peer", metavar="PEER", default=os.environ.get("SAVINGS_BENCH_PEER"),
                    help="the numpy peer program (default: $SAVINGS_BENCH_PEER); required to compare")
    ap.add_argument("--trials", type=int, help="trials per run (default: by scenario size)")
    ap.add_argument("--seeds", type=int, default=8, help="product runs per scenario (default 8)")
    ap.add_argument("--peer-seed", type=int, default=1, help="seed of the one peer run (default 1)")
    ap.add_argument("--no-build", action="store_true", help="do not run cargo build --release")
    ap.add_argument("--plain-copy", metavar="OUT", help="only write the plain copy of SCENARIO to OUT")
    ap.add_argument("--first-services", type=int, metavar="K", help="with --plain-copy: keep the first K services")
    args = ap.parse_args(argv)
    decimal.getcontext().prec = 60  # share x net exactly

    try:
        if args.plain_copy:
            if len(args.scenarios) != 1:
                ap.error("--plain-copy takes exactly one SCENARIO")
            doc, changes = write_plain_copy(args.scenarios[0], args.plain_copy, args.first_services)
            for c in changes:
                if c.startswith("dropped"):
                    print(f"{args.plain_copy}: {c}", file=sys.stderr)
            return 0
        if args.seeds < 2:
            ap.error("--seeds needs at least 2 (the spread of the runs is the standard error)")
        if args.trials is not None and not 1 <= args.trials <= 10_000_000:
            ap.error("--trials must be 1 to 10,000,000")
        if not args.peer:
            ap.error("the numpy peer is not given: pass --peer PEER or set SAVINGS_BENCH_PEER "
                     "(it is not part of this repository)")
        peer_program = Path(args.peer)
        if not peer_program.is_file():
            raise Failure(f"{peer_program}: the peer is missing (--peer or SAVINGS_BENCH_PEER)")
        if not args.no_build:
            run(["cargo", "build", "--release", "--quiet", "--manifest-path", ROOT / "Cargo.toml"], "cargo build")
        scenarios = args.scenarios or [os.path.relpath(BUILTIN)] + (
            [os.environ["SAVINGS_BENCH_SCENARIO"]] if os.environ.get("SAVINGS_BENCH_SCENARIO") else [])
        verdicts = []
        with tempfile.TemporaryDirectory(prefix="compare-peer.") as tmp:
            for i, scenario in enumerate(scenarios):
                ok, lines = compare(peer_program, scenario, args.trials, args.seeds, args.peer_seed, tmp, i)
                print("\n".join(lines), flush=True)
                verdicts.append(ok)
        bad = verdicts.count(False)
        print(f"VERDICT: {'product agrees with the peer' if not bad else 'DISAGREEMENT'} "
              f"({len(verdicts) - bad} of {len(verdicts)} scenarios agree; |z| <= {Z_LIMIT:g})")
        return 0 if not bad else 1
    except Failure as e:
        print(f"compare-peer: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
