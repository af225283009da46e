//! Delivery tracking (docs/model.md section 10): `[scenario] as_at`, `[tracking] confidence`,
//! and a line's `delivered`, `forecast` and `rag`, with the rules that tie them together:
//! delivered and forecast only on approved or withdrawn lines and only with `as_at`,
//! delivered in no year after the current one, forecast in none before it, never both in
//! one year.

use super::*;
use crate::model::{Confidence, LineTracking, Rag, Tracking};

/// What a line's tracking fields are checked against: the scenario's `as_at`.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct AsAt {
    /// Whether `as_at` is written at all (valid or not): a line's figures are not also told
    /// that they need it when it is there but wrong.
    pub written: bool,
    /// Its financial year, the current year, where it is valid.
    pub current_year: Option<FinancialYear>,
}

/// A line's tracking fields as written (on an option table or a one-line service).
pub(super) struct TrackingFields<'r> {
    pub delivered: &'r Option<RawValue>,
    pub forecast: &'r Option<RawValue>,
    pub rag: &'r Option<RawValue>,
}

impl Validator<'_> {
    /// `[scenario] as_at = "2025-12"`: a month in the base year or a projected year.
    pub(super) fn as_at(&self, v: &RawValue, rule: &YearRule) -> Result<GoLive> {
        const FIELD: &str = "scenario.as_at";
        const HELP: &str = "as_at is the month the delivered and forecast figures describe, written like \"2025-12\"; its financial year is the current year";
        let text = self.string(v, FIELD).map_err(|e| e.with_help(HELP))?;
        if text.contains('/') {
            return Err(self
                .error(
                    &v.at,
                    FIELD,
                    format!(
                        "expected a month like \"2025-12\", found the year \"{}\"",
                        shown(text, 40)
                    ),
                )
                .with_help(HELP));
        }
        let month = GoLive::parse(text).map_err(|m| {
            self.error(&v.at, FIELD, m.replace("a go-live month", "a month"))
                .with_help(HELP)
        })?;
        let year = month.financial_year();
        if year < rule.base_year || year > rule.last_year {
            return Err(self
                .error(
                    &v.at,
                    FIELD,
                    format!(
                        "\"{text}\" falls in {}, outside the base year {} and the projected years (to {})",
                        year.quoted(),
                        rule.base_year.quoted(),
                        rule.last_year.quoted()
                    ),
                )
                .with_help(HELP));
        }
        Ok(month)
    }

    /// `[tracking] confidence = { green, amber, red }`, each a fraction; blue is always 1.
    pub(super) fn confidence(&self, v: &RawValue) -> Result<Confidence> {
        const FIELD: &str = "tracking.confidence";
        const HELP: &str = "confidence is the share of a rated line's delivery the risk-adjusted view counts: { green = 1, amber = 0.5, red = 0 } (the defaults)";
        let RawKind::Table(entries) = &v.kind else {
            return Err(self
                .error(
                    &v.at,
                    FIELD,
                    format!(
                        "expected a table {{ green, amber, red }}, found {}",
                        v.kind.describe()
                    ),
                )
                .with_help(HELP));
        };
        let mut confidence = Confidence::default();
        for (key, value) in entries {
            let field = format!("{FIELD}.{}", path_key(&key.value));
            let slot = match key.value.as_str() {
                "green" => &mut confidence.green,
                "amber" => &mut confidence.amber,
                "red" => &mut confidence.red,
                "blue" => {
                    return Err(self
                        .error(
                            &key.at,
                            &field,
                            "blue may not be set: a blue line has delivered, so it always counts in full",
                        )
                        .with_help(HELP));
                }
                other => {
                    let mut message = format!("unknown field `{}`", shown(other, 60));
                    if let Some(close) = closest(other, &["green", "amber", "red"]) {
                        message.push_str(&format!("; did you mean `{close}`?"));
                    }
                    return Err(self.error(&key.at, &field, message).with_help(HELP));
                }
            };
            *slot = self.share(value, &field)?;
        }
        Ok(confidence)
    }

    /// The scenario's tracking settings; `as_at` is checked by the caller (it is needed
    /// before the services are).
    pub(super) fn tracking(&self, raw: &RawFile, as_at: Option<GoLive>) -> Result<Tracking> {
        let confidence = match raw
            .tracking
            .as_ref()
            .and_then(|t| t.value.confidence.as_ref())
        {
            Some(v) => self.confidence(v)?,
            None => Confidence::default(),
        };
        Ok(Tracking { as_at, confidence })
    }

    /// A line's `delivered`, `forecast` and `rag`, checked against its status and `as_at`.
    pub(super) fn line_tracking(
        &self,
        t: &TrackingFields,
        path: &str,
        status: Option<Status>,
        rule: &YearRule,
        as_at: AsAt,
    ) -> Result<LineTracking> {
        let projected = YearRule {
            base_year_allowed: false,
            ..*rule
        };
        let rag = match t.rag {
            Some(v) => self.keep(self.rag(v, &format!("{path}.rag"))).map(Some),
            None => Some(None),
        };
        let table = |v: &Option<RawValue>, name: &str| -> Option<YearSeries> {
            let Some(v) = v else {
                return Some(YearSeries::in_year_of(BTreeMap::new()));
            };
            let field = format!("{path}.{name}");
            let series = self.keep(self.in_year_table(v, &field, &projected))?;
            let allowed = self.keep(self.tracked_status(v, &field, name, status));
            let dated = match (as_at.written, allowed) {
                (false, Some(())) => self.keep::<()>(Err(self
                    .error(
                        &v.at,
                        &field,
                        format!("{name} needs [scenario] as_at, the month the figures describe"),
                    )
                    .with_help("add as_at = \"2025-12\" to [scenario]; its financial year is the current year"))),
                _ => Some(()),
            };
            allowed.and(dated).map(|()| series)
        };
        let delivered = table(t.delivered, "delivered");
        let forecast = table(t.forecast, "forecast");
        let (Some(rag), Some(delivered), Some(forecast)) = (rag, delivered, forecast) else {
            return Err(self.stop());
        };
        if let Some(current) = as_at.current_year {
            self.years_against_current(t, path, &delivered, &forecast, current)?;
        }
        Ok(LineTracking {
            delivered,
            forecast,
            rag,
        })
    }

    /// `rag = "blue" | "green" | "amber" | "red"`.
    fn rag(&self, v: &RawValue, path: &str) -> Result<Rag> {
        let word = self.string(v, path)?;
        let names: Vec<&str> = Rag::ALL.iter().map(|r| r.name()).collect();
        Rag::ALL
            .into_iter()
            .find(|r| r.name() == word)
            .ok_or_else(|| {
                let mut message = format!("unknown rating \"{}\"", shown(word, 40));
                if let Some(close) = closest(word, &names) {
                    message.push_str(&format!("; did you mean \"{close}\"?"));
                }
                self.error(&v.at, path, message).with_help(
                    "rag is \"blue\" (delivered), \"green\" (on track), \"amber\" (at risk) or \"red\" (will not deliver as planned)",
                )
            })
    }

    /// Delivered and forecast figures belong to a line already in the plan and not yet out of
    /// the budget: approved or withdrawn.
    fn tracked_status(
        &self,
        v: &RawValue,
        field: &str,
        name: &str,
        status: Option<Status>,
    ) -> Result<()> {
        match status {
            Some(status @ (Status::Proposed | Status::InBase)) => Err(self
                .error(
                    &v.at,
                    field,
                    format!("{name} is for an approved or withdrawn line, and this line is {status}"),
                )
                .with_help(match status {
                    Status::Proposed => "a proposed saving is not yet in the plan, so there is no delivery to track; make it approved, or rate it with rag",
                    _ => "an in-base saving is already out of the budget: it delivers its plan by definition",
                })),
            // An unknown status is reported on its own.
            _ => Ok(()),
        }
    }

    /// Delivered names no year after the current one, forecast none before it, and the two
    /// never name the same year.
    fn years_against_current(
        &self,
        t: &TrackingFields,
        path: &str,
        delivered: &YearSeries,
        forecast: &YearSeries,
        current: FinancialYear,
    ) -> Result<()> {
        let key_at = |v: &Option<RawValue>, year: FinancialYear| {
            let v = v.as_ref()?;
            let RawKind::Table(entries) = &v.kind else {
                return Some(v.at.clone());
            };
            entries
                .iter()
                .find(|(k, _)| FinancialYear::parse(&k.value).is_ok_and(|y| y == year))
                .map(|(k, _)| k.at.clone())
        };
        let field = |name: &str, year: FinancialYear| {
            format!("{path}.{name}.{}", path_key(&year.to_string()))
        };
        let current_is = format!("as_at makes {} the current year", current.quoted());
        if let Some((year, _)) = delivered.iter().find(|(y, _)| *y > current) {
            let at = key_at(t.delivered, year).unwrap_or_default();
            return Err(self
                .error(
                    &at,
                    &field("delivered", year),
                    format!("{} is after the current year {}: delivered is what a past or the current year achieved", year.quoted(), current.quoted()),
                )
                .with_help(format!("{current_is}; write what is now expected for later years in forecast")));
        }
        if let Some((year, _)) = forecast.iter().find(|(y, _)| *y < current) {
            let at = key_at(t.forecast, year).unwrap_or_default();
            return Err(self
                .error(
                    &at,
                    &field("forecast", year),
                    format!("{} is before the current year {}: forecast is what the current or a later year is expected to achieve", year.quoted(), current.quoted()),
                )
                .with_help(format!("{current_is}; write what a past year achieved in delivered")));
        }
        if let Some((year, _)) = forecast.iter().find(|(y, _)| delivered.contains(*y)) {
            let at = key_at(t.forecast, year).unwrap_or_default();
            return Err(self
                .error(
                    &at,
                    &field("forecast", year),
                    format!("{} is in both delivered and forecast; a year's delivery is one or the other", year.quoted()),
                )
                .with_help("keep delivered once the year's figure is known, forecast while it is expected"));
        }
        Ok(())
    }
}
