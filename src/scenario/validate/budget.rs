//! The gap built from the budget (docs/model.md section 9.5): `[budget]` (a net budget rolled
//! forward, or the requirement as printed; one-off reserves), `[[pressure]]` and `[[funding]]`
//! lines, and the rules between them and `gap.unidentified`.

use super::amounts::Amounts;
use super::*;

/// Which kind of gap line a table is.
#[derive(Clone, Copy)]
enum LineKind {
    Pressure,
    Funding,
}

impl LineKind {
    fn table(self) -> &'static str {
        match self {
            LineKind::Pressure => "pressure",
            LineKind::Funding => "funding",
        }
    }

    fn rule(self) -> Amounts {
        match self {
            LineKind::Pressure => Amounts::PRESSURE,
            LineKind::Funding => Amounts::FUNDING,
        }
    }
}

/// `pressure[pay]`, or `pressure[#1]` for a first line whose id is not a string.
fn line_path(table: &str, line: &Located<RawGapLine>) -> String {
    match line.value.id.as_ref().map(|v| &v.kind) {
        Some(RawKind::String(id)) => format!("{table}[{}]", shown(id, 60)),
        _ => format!("{table}[#1]"),
    }
}

impl Validator<'_> {
    /// `[budget]`, `[[pressure]]` and `[[funding]]`, each table and line checked on its own.
    pub(super) fn gap_inputs(&self, raw: &RawFile, years: &YearRule) -> Result<GapInputs> {
        let projected = YearRule {
            base_year_allowed: false,
            ..*years
        };
        let budget = match &raw.budget {
            Some(b) => self.keep(self.plan_budget(b, raw, &projected)).map(Some),
            None => Some(None),
        };
        if let (Some(first), None) = (raw.funding.first(), &raw.budget) {
            let at = first.value.id.as_ref().map_or(&first.at, |v| &v.at);
            self.keep::<()>(Err(self
                .error(
                    at,
                    &line_path("funding", first),
                    "[[funding]] lines need [budget]: the gap is the budget requirement less funding",
                )
                .with_help("add [budget] with net = ... (the base year's net budget) or requirement = { ... }")));
        }
        if let (Some(budget), Some(gap)) = (&raw.budget, &raw.gap)
            && let Some(unidentified) = &gap.value.unidentified
        {
            self.keep::<()>(Err(self
                .error(
                    &unidentified.at,
                    "gap.unidentified",
                    "a scenario with [budget] builds its gap from the budget, so it cannot also give gap.unidentified",
                )
                .with_help(format!(
                    "remove gap.unidentified, or remove [budget] ({}) to test against the unidentified gap",
                    self.sources.place_of(&budget.at, &unidentified.at)
                ))));
        }
        let pressures = self.gap_lines(&raw.pressure, LineKind::Pressure, &projected);
        let funding = self.gap_lines(&raw.funding, LineKind::Funding, &projected);
        match (budget, pressures, funding) {
            (Some(budget), Some(pressures), Some(funding)) => Ok(GapInputs {
                budget,
                pressures,
                funding,
            }),
            _ => Err(self.stop()),
        }
    }

    fn plan_budget(
        &self,
        b: &Located<RawPlanBudget>,
        raw: &RawFile,
        years: &YearRule,
    ) -> Result<PlanBudget> {
        let r = &b.value;
        let net = r
            .net
            .as_ref()
            .map(|v| self.keep(self.money(v, "budget.net")));
        let requirement = r
            .requirement
            .as_ref()
            .map(|v| self.keep(self.amounts(v, "budget.requirement", years, Amounts::REQUIREMENT)));
        let reserves = match &r.reserves {
            Some(v) => self.keep(self.reserves(v, years)),
            None => Some(YearSeries::in_year_of(BTreeMap::new())),
        };
        let source = self.keep(self.source(&r.source, "budget.source"));
        let base = match (net, requirement, &r.requirement) {
            (Some(_), Some(_), Some(v)) => {
                self.keep::<()>(Err(self
                    .error(
                        &v.at,
                        "budget.requirement",
                        "[budget] gives both net and requirement; give one: net (rolled forward with [[pressure]] lines) or requirement (the total as the document prints it)",
                    )
                    .with_help("remove requirement to build it from net and the pressures, or remove net")));
                None
            }
            (Some(Some(net)), None, _) => Some(Requirement::Net(net)),
            (None, Some(Some(levels)), Some(v)) => match raw.pressure.first() {
                Some(pressure) => {
                    let at = pressure.value.id.as_ref().map_or(&pressure.at, |p| &p.at);
                    self.keep::<()>(Err(self
                        .error(
                            at,
                            &line_path("pressure", pressure),
                            format!(
                                "[[pressure]] lines add to a net budget, but [budget] gives requirement ({}), the total with every pressure in it",
                                self.sources.place_of(&v.at, at)
                            ),
                        )
                        .with_help("give net = ... (the base year's net budget) instead of requirement, or remove the [[pressure]] lines")));
                    None
                }
                None => Some(Requirement::Levels(levels)),
            },
            (None, None, _) => {
                self.keep::<()>(Err(self
                    .error(
                        &b.at,
                        "budget",
                        "[budget] needs net (the base year's net budget, rolled forward with [[pressure]] lines) or requirement (the total by year)",
                    )
                    .with_help("add net = 206.999, or requirement = { \"2025/26\" = 320.6 }")));
                None
            }
            // A bad figure is reported where it was read.
            _ => None,
        };
        match (base, reserves, source) {
            (Some(base), Some(reserves), Some(source)) => Ok(PlanBudget {
                base,
                reserves,
                source,
            }),
            _ => Err(self.stop()),
        }
    }

    /// `reserves = { "2025/26" = 8.5 }`: one-off use in that year only (negative: a
    /// contribution to reserves); a plain table only.
    fn reserves(&self, v: &RawValue, years: &YearRule) -> Result<YearSeries> {
        self.no_wrapper(v, "budget.reserves")?;
        self.signed_year_table(v, "budget.reserves", years, Basis::InYear, true)
    }

    /// The `[[pressure]]` or `[[funding]]` lines, each checked on its own, ids unique.
    fn gap_lines(
        &self,
        lines: &[Located<RawGapLine>],
        kind: LineKind,
        years: &YearRule,
    ) -> Option<Vec<GapLine>> {
        let mut out: Vec<GapLine> = Vec::with_capacity(lines.len());
        let mut valid = true;
        for (index, line) in lines.iter().enumerate() {
            if self.full() {
                self.stopped.set(true);
                return None;
            }
            let Some(validated) = self.keep(self.gap_line(line, index, kind, years)) else {
                valid = false;
                continue;
            };
            if let Some(first) = out.iter().position(|l| l.id == validated.id) {
                let at = line.value.id.as_ref().map_or(&line.at, |v| &v.at);
                self.keep::<()>(Err(self.error(
                    at,
                    &format!("{}[{}].id", kind.table(), validated.id),
                    format!(
                        "{} id {:?} is used twice ({} lines {} and {}); each line needs its own id",
                        kind.table(),
                        validated.id,
                        kind.table(),
                        first + 1,
                        index + 1
                    ),
                )));
                valid = false;
                continue;
            }
            out.push(validated);
        }
        valid.then_some(out)
    }

    fn gap_line(
        &self,
        line: &Located<RawGapLine>,
        index: usize,
        kind: LineKind,
        years: &YearRule,
    ) -> Result<GapLine> {
        let l = &line.value;
        let table = kind.table();
        let id = match &l.id {
            Some(v) => self.identifier(v, &format!("{table}[#{}].id", index + 1))?,
            None => {
                return Err(self
                    .error(
                        &line.at,
                        &format!("{table}[#{}].id", index + 1),
                        format!("missing: every {table} line needs an id"),
                    )
                    .with_help("add id = \"...\" (letters, digits, '-', '_' or '.')"));
            }
        };
        let path = format!("{table}[{id}]");
        let removed = self.keep(self.no_remove(&l.remove, &path));
        let name = match &l.name {
            Some(v) => self.keep(self.text(v, &format!("{path}.name"), MAX_NAME_CHARS)),
            None => Some(id.clone()),
        };
        let area = match &l.area {
            Some(v) => self
                .keep(self.text(v, &format!("{path}.area"), MAX_NAME_CHARS))
                .map(Some),
            None => Some(None),
        };
        let source = self.keep(self.source(&l.source, &format!("{path}.source")));
        let amount = match &l.amount {
            Some(v) => self.keep(self.amounts(v, &format!("{path}.amount"), years, kind.rule())),
            None => {
                let help = match kind {
                    LineKind::Pressure => {
                        "add amount = { \"2025/26\" = 1.2 } (the growth new in each year) or amount = { levels = { ... } }"
                    }
                    LineKind::Funding => {
                        "add amount = { \"2025/26\" = 93.6 } (the resource in each year) or amount = { increments = { ... } }"
                    }
                };
                self.keep::<()>(Err(self
                    .error(
                        &line.at,
                        &format!("{path}.amount"),
                        format!("missing: every {table} line needs an amount"),
                    )
                    .with_help(help)));
                None
            }
        };
        // The ends of a range, in the same forms as the amount (a plain table meaning what a
        // plain amount means).
        let end = |v: &Option<RawValue>, which: &str| match v {
            Some(v) => self
                .keep(self.amounts(v, &format!("{path}.{which}"), years, kind.rule()))
                .map(Some),
            None => Some(None),
        };
        let low = end(&l.low, "low");
        let high = end(&l.high, "high");
        // Each end that reads is checked against the amount, whether or not the other does.
        let ordered = match &amount {
            Some(amount) => self.keep(self.line_range(
                l,
                &path,
                amount,
                [
                    low.as_ref().and_then(Option::as_ref),
                    high.as_ref().and_then(Option::as_ref),
                ],
                years,
            )),
            None => None,
        };
        match (removed, name, area, source, amount, low, high, ordered) {
            (
                Some(()),
                Some(name),
                Some(area),
                Some(source),
                Some(amount),
                Some(low),
                Some(high),
                Some(()),
            ) => Ok(GapLine {
                id,
                name,
                amount,
                low,
                high,
                area,
                source,
            }),
            _ => Err(self.stop()),
        }
    }

    /// A line's range holds low <= amount <= high, as levels, in every projected year: each
    /// end that does not is an error naming it and the first year where it crosses.
    fn line_range(
        &self,
        l: &RawGapLine,
        path: &str,
        amount: &YearSeries,
        [low, high]: [Option<&YearSeries>; 2],
        years: &YearRule,
    ) -> Result<()> {
        let Some(written) = &l.amount else {
            return Ok(());
        };
        let levels = |series: &YearSeries, at: &Loc, field: &str| -> Result<Series> {
            series
                .levels(years.projected())
                .map_err(|e| self.error(at, field, format!("cannot add up the amounts: {e}")))
        };
        let amount = levels(amount, &written.at, &format!("{path}.amount"))?;
        let mut valid = true;
        for (end, raw, which) in [(low, &l.low, "low"), (high, &l.high, "high")] {
            let (Some(end), Some(raw)) = (end, raw) else {
                continue;
            };
            let field = format!("{path}.{which}");
            let Some(ends) = self.keep(levels(end, &raw.at, &field)) else {
                valid = false;
                continue;
            };
            let crossing =
                years
                    .projected()
                    .zip(ends.iter().zip(&amount))
                    .find(|(_, (end, amount))| match which {
                        "low" => end > amount,
                        _ => end < amount,
                    });
            if let Some((year, (end, amount))) = crossing {
                valid = false;
                let side = if which == "low" { "above" } else { "below" };
                self.keep::<()>(Err(self
                    .error(
                        &raw.at,
                        &field,
                        format!(
                            "the {which} level {end} is {side} the amount's level {amount} in {}; a range needs low <= amount <= high in every year",
                            year.quoted()
                        ),
                    )
                    .with_help("low and high are compared with amount as levels, the amount in force each year (a level not named is carried from the year before)")));
            }
        }
        if valid { Ok(()) } else { Err(self.stop()) }
    }
}
