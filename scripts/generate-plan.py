#!/usr/bin/env python3
"""Write a large savings plan, as a council would type one in, to standard output.

Usage:
    scripts/generate-plan.py [--services N] [--seed S] [--as-at YYYY-MM] > plan.toml

The plan (docs/model.md section 9) has N one-line services (default 2,000), base year
2024/25 and a horizon of 10 years. Every line's saving is a profile over the ten projected
years: half of them with a low, central and high table, half with one table; each table
written as levels (every year, or only the years where the level changes) or as increments
(only the years that change), the cases of one range free to use different forms. Some lines
build up, some hold, and some fall (a one-off saving, a saving that tails off), with a
negative increment only where the level stays 0 or more.

Lines are spread over a dozen areas. Most are proposed or approved, some in-base and some
withdrawn; some proposed lines carry planned savings (a line with any other status never
does: its own central amounts are its plan), some a one-off cost, a few a delivery risk or
the PERT distribution. The gap is built from a `[budget]` with a net budget, a few pressure
lines (one of them falling), funding lines and a one-off use of reserves, sized so that the
gap is near what the proposed lines contribute: some years close, some do not.

Figures have at most 3 decimal places and are worked in whole thousandths, so every figure
written is exact. The same N and S always give the same file, byte for byte. Python 3
standard library only. scripts/bench-plan.sh times `savings run --format csv` on it.

With --as-at (docs/model.md section 10), the plan is also being monitored: `[scenario] as_at`
is that month, and some approved and withdrawn lines carry `delivered` figures (in past
years and the current one) and `forecast` figures (the current year, if not delivered, and
a year or two after it), and most lines but in-base ones a `rag` rating. These come from a
random stream of their own, so the plan itself is the same file with or without --as-at.
scripts/bench-track.sh times `savings track` on it.
"""

import argparse
import random
import sys

BASE = 2024  # base year 2024/25
HORIZON = 10
YEARS = [f"{BASE + k}/{(BASE + k + 1) % 100:02d}" for k in range(1, HORIZON + 1)]

AREAS = [
    "Adult Social Care",
    "Children's Services",
    "Corporate Resources",
    "Cultural Services",
    "Environment and Waste",
    "Highways and Transport",
    "Housing",
    "Legal and Democratic",
    "Planning and Regeneration",
    "Public Health",
    "Property and Assets",
    "Revenues and Benefits",
]

WHAT = [
    "Review of contracts",
    "Service redesign",
    "Income from fees and charges",
    "Shared service with a neighbour",
    "Digital by default",
    "Staffing restructure",
    "Demand management",
    "Asset rationalisation",
    "Procurement savings",
    "Commissioning review",
]

# Statuses: mostly proposed and approved, some in-base and withdrawn (weights out of 100).
STATUSES = [("proposed", 50), ("approved", 32), ("in-base", 12), ("withdrawn", 6)]


def money(thousandths):
    """A whole number of thousandths as an exact decimal: 1500 -> 1.5, -20 -> -0.02."""
    sign = "-" if thousandths < 0 else ""
    whole, part = divmod(abs(thousandths), 1000)
    if part == 0:
        return f"{sign}{whole}"
    return f"{sign}{whole}.{part:03d}".rstrip("0")


def table(pairs):
    """An inline TOML table of year = amount."""
    cells = ", ".join(f'"{year}" = {money(v)}' for year, v in pairs)
    return "{ " + cells + " }" if cells else "{}"


def increments(levels):
    """The change in each year (the base year's level is 0)."""
    return [lv - (levels[k - 1] if k else 0) for k, lv in enumerate(levels)]


def written(rng, levels, allow_plain=False):
    """A table of levels in one of the forms a council prints: every year's level, the levels
    where they change (carried forward in between), or the increments that are not 0. With
    allow_plain, also a plain table of increments (as `planned` reads one)."""
    forms = ["levels-full", "levels-sparse", "increments"]
    if allow_plain:
        forms.append("plain")
    form = rng.choice(forms)
    if form == "levels-full":
        return "{ levels = " + table(zip(YEARS, levels)) + " }"
    if form == "levels-sparse":
        pairs, before = [], 0
        for year, lv in zip(YEARS, levels):
            if lv != before:
                pairs.append((year, lv))
            before = lv
        return "{ levels = " + table(pairs) + " }"
    pairs = [(y, d) for y, d in zip(YEARS, increments(levels)) if d != 0]
    if form == "plain":
        return table(pairs)
    return "{ increments = " + table(pairs) + " }"


def amount(rng):
    """A line's full saving in thousandths: mostly small, a few large (0.01 to 2.5)."""
    return rng.choice([rng.randint(10, 150), rng.randint(100, 600), rng.randint(400, 2500)])


def profile(rng):
    """A line's central levels over the horizon, each 0 or more, not all 0."""
    full = amount(rng)
    first = rng.choice([0, 0, 0, 1, 1, 2, 3, 4])
    shape = rng.choices(
        ["step", "build", "one-off", "tail-off", "stops"], weights=[4, 4, 1, 1, 1]
    )[0]
    levels = [0] * HORIZON
    if shape == "step":
        for k in range(first, HORIZON):
            levels[k] = full
    elif shape == "build":
        steps = rng.randint(2, 4)
        for k in range(first, HORIZON):
            levels[k] = full * min(k - first + 1, steps) // steps
    elif shape == "one-off":  # one year only: a negative increment the year after
        levels[first] = full
    elif shape == "tail-off":  # full, then falls to a lower level and holds
        last = min(first + rng.randint(1, 4), HORIZON - 1)
        lower = full * rng.randint(20, 80) // 100
        for k in range(first, HORIZON):
            levels[k] = full if k < last else lower
    else:  # stops: a time-limited saving (a level of 0 again)
        end = min(first + rng.randint(2, 5), HORIZON - 1)
        for k in range(first, end):
            levels[k] = full
    if not any(levels):
        levels[first] = max(full, 1)
    return levels


def scaled(levels, lo_pct, hi_pct, rng, up):
    """A case's levels from the central ones: each year times a share near lo_pct..hi_pct,
    rounded down for the low case and up for the high, so low <= central <= high holds in
    every year and levels stay 0 or more."""
    out = []
    for lv in levels:
        pct = rng.randint(lo_pct, hi_pct)
        out.append(-(-lv * pct // 100) if up else lv * pct // 100)
    return out


def weighted(rng, pairs):
    return rng.choices([p for p, _ in pairs], weights=[w for _, w in pairs])[0]


def financial_year_index(as_at):
    """The index in YEARS of the financial year of the month `as_at` (YYYY-MM); -1 for the
    base year."""
    year, month = (int(part) for part in as_at.split("-"))
    start = year if month >= 4 else year - 1
    index = start - BASE - 1
    if not -1 <= index < HORIZON:
        raise ValueError(f"--as-at {as_at} is not in the base year or a projected year")
    return index


def tracking(trng, status, central, current):
    """A line's tracking fields (docs/model.md section 10) as TOML lines, `current` the index
    of the current year: delivered and forecast on approved and withdrawn lines only."""
    body = []
    if status in ("approved", "withdrawn"):
        delivered, forecast = [], []
        if trng.random() < 0.4:
            delivered = [(YEARS[j], central[j] * trng.randint(50, 110) // 100)
                         for j in range(0, current)]
            if current >= 0 and trng.random() < 0.3:
                delivered.append((YEARS[current], central[current] * trng.randint(60, 100) // 100))
        if trng.random() < 0.6:
            first = current + 1 if any(y == YEARS[current] for y, _ in delivered) else current
            first = max(first, 0)
            last = min(first + trng.randint(0, 2), HORIZON - 1)
            forecast = [(YEARS[j], central[j] * trng.randint(40, 120) // 100)
                        for j in range(first, last + 1)]
        if delivered:
            body.append(f"delivered = {table(delivered)}")
        if forecast:
            body.append(f"forecast = {table(forecast)}")
    if status != "in-base" and trng.random() < 0.8:
        rag = weighted(trng, [("blue", 10), ("green", 50), ("amber", 25), ("red", 15)])
        body.append(f'rag = "{rag}"')
    return body


def plan(services, seed, as_at=None):
    rng = random.Random(seed)
    # Tracking fields draw from a stream of their own, so the plan is the same with them.
    trng = random.Random(seed * 1_000_003 + 16)
    current = financial_year_index(as_at) if as_at else None
    out = []
    say = out.append
    say(f"# A generated savings plan: {services} one-line services, seed {seed}.")
    say("# Written by scripts/generate-plan.py; every figure is made up (an assumption).")
    say("")
    say("[scenario]")
    say(f'name = "Generated plan ({services} lines, seed {seed})"')
    say(f'base_year = "{BASE}/{(BASE + 1) % 100:02d}"')
    say(f"horizon = {HORIZON}")
    if as_at:
        say(f'as_at = "{as_at}"')
    say('unit = "£m"')
    say('source = "generated by scripts/generate-plan.py: figures made up"')
    say("")

    ranged = [k < services // 2 for k in range(services)]
    rng.shuffle(ranged)
    lines = []
    # What the proposed lines contribute (central, thousandths): sizes the gap below.
    contribution = [0] * HORIZON
    for k in range(services):
        status = weighted(rng, STATUSES)
        area = rng.choice(AREAS)
        central = profile(rng)
        body = [
            "[[service]]",
            f'id = "line-{k + 1:05d}"',
            f'name = "{rng.choice(WHAT)} {k + 1}"',
            f'area = "{area}"',
        ]
        if status != "proposed" or rng.random() < 0.5:
            body.append(f'status = "{status}"')
        if ranged[k]:
            low = scaled(central, rng.randint(50, 80), rng.randint(85, 100), rng, up=False)
            high = scaled(central, rng.randint(100, 110), rng.randint(115, 160), rng, up=True)
            body.append(
                f"saving = {{ low = {written(rng, low)}, central = {written(rng, central)},"
                f" high = {written(rng, high)} }}"
            )
        else:
            body.append(f"saving = {written(rng, central)}")
        planned = [0] * HORIZON
        if status == "proposed" and rng.random() < 0.3:
            # Savings the plan already counts on for this line: part of its own central
            # amounts, never above them.
            share = rng.randint(30, 100)
            planned = [lv * share // 100 for lv in central]
            running = 0
            for j, lv in enumerate(planned):  # planned levels never fall
                running = max(running, lv)
                planned[j] = running
            if any(planned):
                body.append(f"planned = {written(rng, planned, allow_plain=True)}")
        if rng.random() < 0.15:
            year = rng.choice([f"{BASE}/{(BASE + 1) % 100:02d}"] + YEARS[:3])
            body.append(f'one_off_cost = {{ "{year}" = {money(rng.randint(5, 400))} }}')
        if status == "proposed" and rng.random() < 0.05:
            body.append(
                f"risk = {{ fail = 0.{rng.randint(1, 3)}, slip_months = [0, {rng.choice([3, 6, 12])}] }}"
            )
        if rng.random() < 0.05:
            body.append('distribution = "pert"')
        if rng.random() < 0.1:
            body.append(f'source = "Savings proposals {BASE + 1}/{(BASE + 2) % 100:02d}, line {k + 1}"')
        if current is not None:
            body.extend(tracking(trng, status, central, current))
        lines.append("\n".join(body))
        for j in range(HORIZON):
            if status == "proposed":
                contribution[j] += central[j] - planned[j]
            elif status == "withdrawn":
                contribution[j] -= central[j]

    # The gap, built from the budget.
    net = 100_000 + services * rng.randint(450, 600)  # about £1bn for 2,000 lines
    reserves = [(YEARS[0], rng.randint(2_000, 9_000)), (YEARS[1], rng.randint(500, 3_000)),
                (YEARS[3], -rng.randint(1_000, 4_000))]
    pressures = [
        ("pay", "Pay awards", "Corporate", [rng.randint(15_000, 25_000) for _ in YEARS], "plain"),
        ("inflation", "Contract inflation", "Corporate", [rng.randint(8_000, 14_000) for _ in YEARS], "increments"),
        ("demand-adults", "Demand: adult social care", "Adult Social Care",
         [rng.randint(5_000, 12_000) for _ in YEARS], "plain"),
        ("demand-children", "Demand: looked-after children", "Children's Services",
         [rng.randint(3_000, 9_000) for _ in YEARS], "levels"),
        ("base-adjustments", "Base adjustments", None,
         [-rng.randint(200, 1_500) if j % 3 == 1 else rng.randint(0, 800) for j in range(HORIZON)], "plain"),
    ]
    pressure_level = [0] * HORIZON
    for *_, steps, _form in pressures:
        running = 0
        for j, step in enumerate(steps):
            running += step
            pressure_level[j] += running
    requirement = [net + pressure_level[j] for j in range(HORIZON)]
    used = dict(reserves)
    # Gap to date near what the proposed lines contribute: above it in some years (not
    # closed), below in others.
    swing = max(max(contribution) // 10, 1_000)
    gap = [max(contribution[j], 0) + rng.randint(-swing, swing) for j in range(HORIZON)]
    funding_total = [requirement[j] - used.get(YEARS[j], 0) - gap[j] for j in range(HORIZON)]
    # Council tax and business rates grow steadily; grants take up the rest (never below 0).
    council_tax = [funding_total[0] * 54 // 100 * 1030**j // 1000**j for j in range(HORIZON)]
    business_rates = [funding_total[0] * 30 // 100 * 1015**j // 1000**j for j in range(HORIZON)]
    grant = [f - c - b for f, c, b in zip(funding_total, council_tax, business_rates)]
    if min(grant) < 0:
        council_tax = [f * 54 // 100 for f in funding_total]
        business_rates = [f * 30 // 100 for f in funding_total]
        grant = [f - c - b for f, c, b in zip(funding_total, council_tax, business_rates)]

    say("[budget]")
    say(f"net = {money(net)}                 # the base year's net budget")
    say(f"reserves = {table(reserves)}   # one-off use of reserves (negative: a contribution)")
    say('source = "generated: made up"')
    say("")
    for pid, name, area, steps, form in pressures:
        say("[[pressure]]")
        say(f'id = "{pid}"')
        say(f'name = "{name}"')
        if area:
            say(f'area = "{area}"')
        pairs = [(y, s) for y, s in zip(YEARS, steps) if s != 0]
        if form == "plain":
            say(f"amount = {table(pairs)}   # increments")
        elif form == "increments":
            say(f"amount = {{ increments = {table(pairs)} }}")
        else:
            running, levels = 0, []
            for s in steps:
                running += s
                levels.append(running)
            say(f"amount = {{ levels = {table(zip(YEARS, levels))} }}")
        say("")
    for fid, name, levels, form in [
        ("council-tax", "Council Tax", council_tax, "plain"),
        ("business-rates", "Retained business rates", business_rates, "increments"),
        ("grant", "Revenue support and other grants", grant, "levels"),
    ]:
        say("[[funding]]")
        say(f'id = "{fid}"')
        say(f'name = "{name}"')
        if form == "plain":
            say(f"amount = {table(zip(YEARS, levels))}   # levels")
        elif form == "increments":
            pairs = [(y, d) for y, d in zip(YEARS, increments(levels)) if d != 0]
            say(f"amount = {{ increments = {table(pairs)} }}")
        else:
            say(f"amount = {{ levels = {table(zip(YEARS, levels))} }}")
        say("")
    for line in lines:
        say(line)
        say("")
    return "\n".join(out)


def main():
    parser = argparse.ArgumentParser(
        description="Write a generated savings plan of one-line services (TOML) to stdout."
    )
    parser.add_argument("--services", type=int, default=2000,
                        help="how many one-line services (1 to 10,000; default 2,000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--as-at", metavar="YYYY-MM",
                        help="monitor the plan as at this month: as_at, delivered, forecast, rag")
    args = parser.parse_args()
    if not 1 <= args.services <= 10_000:
        parser.error("--services must be from 1 to 10,000 (the tool's limit on services)")
    if args.as_at:
        try:
            financial_year_index(args.as_at)
        except ValueError as e:
            parser.error(str(e))
    sys.stdout.write(plan(args.services, args.seed, args.as_at))


if __name__ == "__main__":
    main()
