//! The readers of single values and year tables: strings, text, ids, years, numbers, money,
//! shares and whole numbers, each with its message when the value is not one.

use super::*;

impl Validator<'_> {
    /// A table of year -> money (planned savings, one-off costs, gaps).
    pub(super) fn year_table(
        &self,
        v: &RawValue,
        path: &str,
        rule: &YearRule,
        basis: Basis,
    ) -> Result<YearSeries> {
        self.signed_year_table(v, path, rule, basis, false)
    }

    /// A table of year -> money whose amounts may be negative where `signed`.
    pub(super) fn signed_year_table(
        &self,
        v: &RawValue,
        path: &str,
        rule: &YearRule,
        basis: Basis,
        signed: bool,
    ) -> Result<YearSeries> {
        let RawKind::Table(entries) = &v.kind else {
            return Err(self
                .error(
                    &v.at,
                    path,
                    format!("expected a table of years, found {}", v.kind.describe()),
                )
                .with_help("for example { \"2015/16\" = 1.5, \"2016/17\" = 2 }"));
        };
        // Each year is checked on its own, so that every bad year is reported.
        let mut values = BTreeMap::new();
        let mut valid = true;
        for (key, value) in entries {
            match self.year_entry(key, value, path, rule, signed) {
                Ok(Some((year, amount))) => {
                    values.insert(year, amount);
                }
                Ok(None) => {}
                Err(problem) => {
                    valid = false;
                    self.keep::<()>(Err(problem));
                }
            }
        }
        if !valid {
            return Err(self.stop());
        }
        Ok(YearSeries::new(basis, values))
    }

    /// One year of a table: the year and its amount, or `None` for a year after the horizon
    /// (with a warning).
    fn year_entry(
        &self,
        key: &Located<String>,
        value: &RawValue,
        path: &str,
        rule: &YearRule,
        signed: bool,
    ) -> Result<Option<(FinancialYear, Money)>> {
        let earliest = if rule.base_year_allowed {
            rule.base_year
        } else {
            rule.base_year.plus(1).unwrap_or(rule.base_year)
        };
        // The common case, a good figure in a year in range, without naming the field (a
        // table of a plan holds thousands of them).
        if let RawKind::Number { value: Ok(d), .. } = &value.kind
            && d.abs() <= Decimal::from(MAX_FIGURE)
            && (signed || !d.is_sign_negative() || d.is_zero())
            && let Ok(year) = FinancialYear::parse(&key.value)
            && (earliest..=rule.last_year).contains(&year)
        {
            return Ok(Some((year, Money::new(*d))));
        }
        let field = format!("{path}.{}", path_key(&key.value));
        let year = FinancialYear::parse(&key.value).map_err(|m| self.error(&key.at, &field, m))?;
        let amount = if signed {
            self.signed_money(value, &field)?
        } else {
            self.money(value, &field)?
        };
        if year < earliest {
            let which = if rule.base_year_allowed {
                format!("before the base year {}", rule.base_year.quoted())
            } else {
                format!(
                    "not a projected year (the base year is {})",
                    rule.base_year.quoted()
                )
            };
            return Err(self.error(
                &key.at,
                &field,
                format!(
                    "{} is {which}; this table names years from {} on",
                    year.quoted(),
                    earliest.quoted()
                ),
            ));
        }
        // Years after the horizon are ignored (docs/model.md section 7), with a warning:
        // a year there is far more often a typing slip than a figure meant to be unused.
        if year <= rule.last_year {
            return Ok(Some((year, amount)));
        }
        self.warn(
            &key.at,
            &field,
            format!(
                "{} is after {}, the last projected year, so this figure is not used",
                year.quoted(),
                rule.last_year.quoted()
            ),
            "check the year; to use it, lengthen scenario.horizon",
        );
        Ok(None)
    }

    pub(super) fn string<'v>(&self, v: &'v RawValue, path: &str) -> Result<&'v str> {
        match &v.kind {
            RawKind::String(s) => Ok(s),
            other => Err(self.error(
                &v.at,
                path,
                format!("expected a string in quotes, found {}", other.describe()),
            )),
        }
    }

    /// A `source` note: where the table's figures come from.
    pub(super) fn source(&self, v: &Option<RawValue>, path: &str) -> Result<Option<String>> {
        v.as_ref()
            .map(|v| self.text(v, path, MAX_SOURCE_CHARS))
            .transpose()
    }

    /// Display text: a name, unit or source, one line, without control or invisible
    /// characters (zero-width, bidirectional overrides, fillers; a zero-width joiner or
    /// non-joiner only inside a word, where Persian or an Indic script needs it).
    pub(super) fn text(&self, v: &RawValue, path: &str, max_chars: usize) -> Result<String> {
        let s = self.string(v, path)?;
        if let Some(c) = first_hidden(s) {
            let error = self.error(
                &v.at,
                path,
                format!(
                    "contains {}; names and notes are one line of plain text",
                    name_char(c)
                ),
            );
            return Err(if matches!(c, '\u{200C}' | '\u{200D}') {
                error.with_help(
                    "a zero-width joiner or non-joiner is allowed only between two visible characters, where a script needs it",
                )
            } else {
                error
            });
        }
        if s.trim().is_empty() {
            return Err(self.error(&v.at, path, "is empty"));
        }
        if s.chars().count() > max_chars {
            return Err(self.error(
                &v.at,
                path,
                format!("is longer than {max_chars} characters"),
            ));
        }
        Ok(s.to_string())
    }

    /// An id: letters, digits, `-`, `_`, `.`, starting with a letter or digit.
    pub(super) fn identifier(&self, v: &RawValue, path: &str) -> Result<String> {
        let s = self.string(v, path)?;
        let valid_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
        let problem = if s.is_empty() {
            Some("is empty".to_string())
        } else if s.chars().count() > MAX_ID_CHARS {
            Some(format!("is longer than {MAX_ID_CHARS} characters"))
        } else if let Some(c) = s.chars().find(|c| !valid_char(*c)) {
            Some(format!("\"{}\" contains {}", shown(s, 60), name_char(c)))
        } else if !s.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            Some(format!(
                "\"{}\" does not start with a letter or digit",
                shown(s, 60)
            ))
        } else {
            None
        };
        match problem {
            Some(problem) => Err(self
                .error(
                    &v.at,
                    path,
                    format!("{problem}; ids use ASCII letters, digits, '-', '_' and '.'"),
                )
                .with_help(
                    "ids appear in field paths, CSV rows and commands; keep free text for name",
                )),
            None => Ok(s.to_string()),
        }
    }

    pub(super) fn boolean(&self, v: &RawValue, path: &str) -> Result<bool> {
        match &v.kind {
            RawKind::Bool(b) => Ok(*b),
            other => Err(self.error(
                &v.at,
                path,
                format!("expected true or false, found {}", other.describe()),
            )),
        }
    }

    pub(super) fn year(&self, v: &RawValue, path: &str) -> Result<FinancialYear> {
        let text = self.string(v, path).map_err(|e| {
            if matches!(v.kind, RawKind::Number { .. }) {
                e.with_help("write financial years in quotes, like \"2014/15\"")
            } else {
                e
            }
        })?;
        FinancialYear::parse(text).map_err(|m| self.error(&v.at, path, m))
    }

    pub(super) fn array<'v>(&self, v: &'v RawValue, path: &str) -> Result<&'v [RawValue]> {
        match &v.kind {
            RawKind::Array(items) => Ok(items),
            other => Err(self.error(
                &v.at,
                path,
                format!("expected an array [...], found {}", other.describe()),
            )),
        }
    }

    /// A number read exactly from its literal.
    pub(super) fn number(&self, v: &RawValue, path: &str) -> Result<Decimal> {
        match &v.kind {
            RawKind::Number { value: Ok(d), .. } => Ok(*d),
            RawKind::Number {
                value: Err(e),
                literal,
                ..
            } => Err(self.error(&v.at, path, e.describe(literal))),
            other => Err(self.error(
                &v.at,
                path,
                format!("expected a number, found {}", other.describe()),
            )),
        }
    }

    /// A figure that may be negative (a net budget), within the absurdity cap.
    pub(super) fn signed_money(&self, v: &RawValue, path: &str) -> Result<Money> {
        let d = self.number(v, path)?;
        if d.abs() > Decimal::from(MAX_FIGURE) {
            return Err(self.error(
                &v.at,
                path,
                format!(
                    "{} is beyond the largest figure accepted ({MAX_FIGURE} in any unit)",
                    v_literal(v)
                ),
            ));
        }
        Ok(Money::new(d))
    }

    /// A figure of at least 0 (savings, costs, gaps).
    pub(super) fn money(&self, v: &RawValue, path: &str) -> Result<Money> {
        let m = self.signed_money(v, path)?;
        if m.amount() < Decimal::ZERO {
            return Err(self
                .error(
                    &v.at,
                    path,
                    format!("must be at least 0, found {}", v_literal(v)),
                )
                .with_help("savings, costs and gaps are written as positive figures"));
        }
        Ok(m)
    }

    pub(super) fn share(&self, v: &RawValue, path: &str) -> Result<Share> {
        let d = self.number(v, path)?;
        Share::new(d).ok_or_else(|| {
            self.error(
                &v.at,
                path,
                format!("must be a fraction from 0 to 1, found {}", v_literal(v)),
            )
            .with_help("write shares as fractions: 0.5 for a half")
        })
    }

    /// A whole number in `min..=max`, written as a TOML integer (`10`, not `10.0`).
    pub(super) fn whole(&self, v: &RawValue, path: &str, min: u32, max: u32) -> Result<u32> {
        let d = self.number(v, path)?;
        let written_whole = matches!(v.kind, RawKind::Number { integer: true, .. });
        let n = (written_whole && d.scale() == 0)
            .then(|| u32::try_from(d.mantissa()).ok())
            .flatten()
            .filter(|n| (min..=max).contains(n));
        n.ok_or_else(|| {
            let error = self.error(
                &v.at,
                path,
                format!(
                    "must be a whole number from {min} to {max}, found {}",
                    v_literal(v)
                ),
            );
            if written_whole {
                error
            } else {
                error.with_help("write whole numbers without a decimal point or exponent, like 10")
            }
        })
    }
}
