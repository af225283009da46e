//! Tables of amounts by year: plain, or wrapped in `levels` or `increments` (docs/model.md
//! section 9.1), with the rules on their signs; and the fields that take no wrapper.

use super::*;

/// What a table of amounts by year may hold and mean (docs/model.md section 9.1).
#[derive(Clone, Copy, Debug)]
pub(super) struct Amounts {
    /// What a plain table (no `levels` or `increments` wrapper) means.
    pub plain: Basis,
    /// Whether a plain table's amounts may be negative.
    pub plain_signed: bool,
    /// Whether every level must be at least 0 (savings, planned savings, funding, a
    /// requirement), whichever form the table is written in.
    pub levels_at_least_zero: bool,
    /// What the amounts are, for messages ("a saving", "planned savings").
    pub what: &'static str,
    /// The help for a negative amount in a plain table that may not hold one.
    pub plain_negative_help: &'static str,
}

impl Amounts {
    /// Planned savings: plain increments of at least 0; levels never below 0.
    pub const PLANNED: Amounts = Amounts {
        plain: Basis::Increments,
        plain_signed: false,
        levels_at_least_zero: true,
        what: "planned savings",
        plain_negative_help: "a plain planned table holds the savings new in each year, each at least 0; for planned savings that fall, write planned = { increments = { ... } }, where an amount may be negative",
    };
    /// A saving profile: levels never below 0 (no plain form: a plain table is a figure).
    pub const SAVING: Amounts = Amounts {
        plain: Basis::Levels,
        plain_signed: false,
        levels_at_least_zero: true,
        what: "a saving",
        plain_negative_help: LEVEL_HELP,
    };
    /// `gap.unidentified` and `gap.required`: plain increments of at least 0; a level may be
    /// negative (a surplus).
    pub const GAP: Amounts = Amounts {
        plain: Basis::Increments,
        plain_signed: false,
        levels_at_least_zero: false,
        what: "a gap",
        plain_negative_help: "a plain gap table holds the gap new in each year, each at least 0; for a gap that shrinks, write { increments = { ... } }, where an amount may be negative",
    };
    /// A pressure: plain increments, of either sign in any form.
    pub const PRESSURE: Amounts = Amounts {
        plain: Basis::Increments,
        plain_signed: true,
        levels_at_least_zero: false,
        what: "a pressure",
        plain_negative_help: "",
    };
    /// A funding line: plain levels, never below 0.
    pub const FUNDING: Amounts = Amounts {
        plain: Basis::Levels,
        plain_signed: false,
        levels_at_least_zero: true,
        what: "funding",
        plain_negative_help: "funding is the amount of the resource in each year, never below 0",
    };
    /// `budget.requirement`: plain levels, never below 0.
    pub const REQUIREMENT: Amounts = Amounts {
        plain: Basis::Levels,
        plain_signed: false,
        levels_at_least_zero: true,
        what: "the requirement",
        plain_negative_help: "the requirement is the budget needed in each year, never below 0",
    };
}

/// The help for a level written below 0.
const LEVEL_HELP: &str =
    "a level is the amount in force in that year, never below 0; one that stops has a level of 0";

/// The wrappers of a table of amounts.
pub(super) const WRAPPERS: [&str; 2] = ["levels", "increments"];

/// The wrapper key of a table, if it has one: `{ levels = { ... } }`.
pub(super) fn wrapper_of(v: &RawValue) -> Option<&str> {
    match &v.kind {
        RawKind::Table(entries) => entries
            .iter()
            .map(|(k, _)| k.value.as_str())
            .find(|k| WRAPPERS.contains(k)),
        _ => None,
    }
}

impl Validator<'_> {
    /// A table of amounts by year, plain or wrapped in `levels` or `increments`
    /// (docs/model.md section 9.1), checked by `rule`.
    pub(super) fn amounts(
        &self,
        v: &RawValue,
        path: &str,
        years: &YearRule,
        rule: Amounts,
    ) -> Result<YearSeries> {
        let RawKind::Table(entries) = &v.kind else {
            return self.year_table(v, path, years, rule.plain);
        };
        if wrapper_of(v).is_none() {
            // A misspelt wrapper reads as a year that is not one: say what was meant.
            for (key, _) in entries {
                if FinancialYear::parse(&key.value).is_err()
                    && let Some(close) = closest(&key.value, &WRAPPERS)
                {
                    return Err(self
                        .error(
                            &key.at,
                            &format!("{path}.{}", path_key(&key.value)),
                            format!(
                                "unknown field `{}`; did you mean `{close}`?",
                                shown(&key.value, 60)
                            ),
                        )
                        .with_help(WRAPPED_HELP));
                }
            }
            // Every year and every amount is checked, each on its own.
            let series = self.keep(self.signed_year_table(v, path, years, rule.plain, true));
            let signs = match rule.plain_signed {
                true => Some(()),
                false => self.keep(self.none_negative(v, path, rule.plain_negative_help)),
            };
            return match (series, signs) {
                (Some(series), Some(())) => Ok(series),
                _ => Err(self.stop()),
            };
        }
        let mut wrapped: Option<(&Located<String>, &RawValue)> = None;
        for (key, inner) in entries {
            let field = format!("{path}.{}", path_key(&key.value));
            if !WRAPPERS.contains(&key.value.as_str()) {
                return Err(self
                    .error(
                        &key.at,
                        &field,
                        format!(
                            "unknown field `{}` beside `{}`",
                            shown(&key.value, 60),
                            wrapper_of(v).unwrap_or("levels")
                        ),
                    )
                    .with_help(WRAPPED_HELP));
            }
            if let Some((first, _)) = wrapped {
                return Err(self
                    .error(
                        &key.at,
                        &field,
                        format!(
                            "amounts are written either as {{ levels = ... }} or as {{ increments = ... }}, not both (`{}` is given too)",
                            first.value
                        ),
                    )
                    .with_help(WRAPPED_HELP));
            }
            wrapped = Some((key, inner));
        }
        let Some((key, inner)) = wrapped else {
            return self.year_table(v, path, years, rule.plain);
        };
        let basis = if key.value == "levels" {
            Basis::Levels
        } else {
            Basis::Increments
        };
        let field = format!("{path}.{}", key.value);
        // A wrapped table names projected years only.
        let projected = YearRule {
            base_year_allowed: false,
            ..*years
        };
        if matches!(&inner.kind, RawKind::Table(years) if years.is_empty()) {
            self.warn(
                &key.at,
                &field,
                format!(
                    "{{ {} = {{}} }} names no year, so the amounts are 0 in every year",
                    key.value
                ),
                "add the amounts by year, or remove the field",
            );
        }
        let levels_signed = basis == Basis::Increments || !rule.levels_at_least_zero;
        let series = self.keep(self.signed_year_table(inner, &field, &projected, basis, true));
        let signs = match levels_signed {
            true => Some(()),
            false => self.keep(self.none_negative(inner, &field, LEVEL_HELP)),
        };
        let (Some(series), Some(())) = (series, signs) else {
            return Err(self.stop());
        };
        if rule.levels_at_least_zero && basis == Basis::Increments {
            self.levels_at_least_zero(inner, &series, &field, years, rule)?;
        }
        Ok(series)
    }

    /// The first projected year whose level is below 0 is an error naming it (docs/model.md
    /// section 9.1: a saving or planned savings cannot be negative in force).
    fn levels_at_least_zero(
        &self,
        v: &RawValue,
        series: &YearSeries,
        path: &str,
        years: &YearRule,
        rule: Amounts,
    ) -> Result<()> {
        let levels = series
            .levels(years.projected())
            .map_err(|e| self.error(&v.at, path, format!("cannot add up the amounts: {e}")))?;
        let Some((year, level)) = years
            .projected()
            .zip(levels)
            .find(|(_, level)| level.is_negative())
        else {
            return Ok(());
        };
        let RawKind::Table(entries) = &v.kind else {
            return Ok(());
        };
        // The level first falls below 0 in a year the table names.
        let at = entries
            .iter()
            .find(|(k, _)| FinancialYear::parse(&k.value).is_ok_and(|y| y == year))
            .map_or(&v.at, |(k, _)| &k.at);
        Err(self
            .error(
                at,
                &format!("{path}.{}", path_key(&year.to_string())),
                format!(
                    "the level of {} falls below 0 in {} (to {level}): the increments up to that year add up to less than 0",
                    rule.what,
                    year.quoted(),
                ),
            )
            .with_help("a level (the amount in force) is never below 0; a line that stops falls to 0, its increments adding up to 0"))
    }

    /// Each amount of a table whose amounts may not be negative is at least 0: one message
    /// per amount below it, with `help` on what the table holds.
    fn none_negative(&self, v: &RawValue, path: &str, help: &str) -> Result<()> {
        let RawKind::Table(entries) = &v.kind else {
            return Ok(());
        };
        let mut valid = true;
        for (key, value) in entries {
            // A key that is not a year is reported as such, and its amount not read.
            if let RawKind::Number {
                value: Ok(amount), ..
            } = &value.kind
                && amount.is_sign_negative()
                && !amount.is_zero()
                && FinancialYear::parse(&key.value).is_ok()
            {
                valid = false;
                self.keep::<()>(Err(self
                    .error(
                        &value.at,
                        &format!("{path}.{}", path_key(&key.value)),
                        format!("must be at least 0, found {}", v_literal(value)),
                    )
                    .with_help(help)));
            }
        }
        if valid { Ok(()) } else { Err(self.stop()) }
    }

    /// Money in each year, each amount counting in its own year only (one-off costs,
    /// reserves): a plain table, never a `levels` or `increments` wrapper.
    pub(super) fn in_year_table(
        &self,
        v: &RawValue,
        path: &str,
        years: &YearRule,
    ) -> Result<YearSeries> {
        self.no_wrapper(v, path)?;
        self.year_table(v, path, years, Basis::InYear)
    }

    /// A field whose amounts each count in their own year takes no wrapper.
    pub(super) fn no_wrapper(&self, v: &RawValue, path: &str) -> Result<()> {
        let RawKind::Table(entries) = &v.kind else {
            return Ok(());
        };
        match entries.iter().find(|(k, _)| WRAPPERS.contains(&k.value.as_str())) {
            Some((key, _)) => Err(self
                .error(
                    &key.at,
                    &format!("{path}.{}", key.value),
                    format!(
                        "{} takes no `{}` wrapper: each amount counts in its own year only, neither a level nor an increment",
                        path.rsplit('.').next().unwrap_or(path),
                        key.value
                    ),
                )
                .with_help("write the amounts as a plain table, { \"2025/26\" = 1.5 }")),
            None => Ok(()),
        }
    }
}

const WRAPPED_HELP: &str = "amounts by year are a plain table { \"2025/26\" = 1 }, or wrapped: { levels = { \"2025/26\" = 1 } } (the amount in force each year) or { increments = { ... } } (the change each year)";
