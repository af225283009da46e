//! Warnings: what the format allows but is far more often a slip than a wish (an option that
//! saves nothing over the horizon, a gap year no saving can reach).

use super::*;

impl Validator<'_> {
    /// Warns when an option, taken forward, would save nothing in any projected year: it
    /// goes live after the horizon, or its ramp stays at 0 until after it.
    pub(super) fn warn_saves_nothing(
        &self,
        o: &super::option::OptionFields,
        path: &str,
        start: GoLive,
        ramp: &Ramp,
        rule: &YearRule,
    ) {
        let go_live = start.financial_year();
        let last = rule.last_year;
        if go_live > last {
            if let Some(v) = &o.start {
                self.warn(
                    &v.at,
                    &format!("{path}.start"),
                    format!(
                        "goes live in {}, after {}, the last projected year: taken forward, this option saves nothing over the horizon",
                        go_live.quoted(),
                        last.quoted()
                    ),
                    "check the year; to look further ahead, lengthen scenario.horizon",
                );
            }
            return;
        }
        let years_live = u32::try_from(last.years_after(go_live) + 1).unwrap_or(0);
        let saves = (1..=years_live).any(|k| ramp.fraction(k).0 > Decimal::ZERO);
        if !saves && let Some(v) = &o.ramp {
            self.warn(
                &v.at,
                &format!("{path}.ramp"),
                format!(
                    "the ramp is still at 0 in {}, the last projected year: taken forward, this option saves nothing over the horizon",
                    last.quoted()
                ),
                "check the ramp's first steps; to look further ahead, lengthen scenario.horizon",
            );
        }
    }

    /// Warns about each year of the unidentified gap that no option of any service can reach:
    /// every option goes live, or starts to save, after it, so the year cannot close whatever
    /// is taken forward.
    pub(super) fn warn_unreachable_gap_years(
        &self,
        raw: &RawFile,
        services: &[Service],
        base_year: FinancialYear,
        last_year: FinancialYear,
    ) {
        let Some(RawValue {
            kind: RawKind::Table(entries),
            ..
        }) = raw.gap.as_ref().and_then(|g| g.value.unidentified.as_ref())
        else {
            return;
        };
        // A wrapped table's years are inside it: a positive level, or a positive increment,
        // is a gap in that year as a positive plain amount is.
        let (entries, wrapper) = match entries.as_slice() {
            [
                (
                    key,
                    RawValue {
                        kind: RawKind::Table(inner),
                        ..
                    },
                ),
            ] if key.value == "levels" || key.value == "increments" => {
                (inner, Some(key.value.as_str()))
            }
            _ => (entries, None),
        };
        let horizon = u32::try_from(last_year.years_after(base_year)).unwrap_or(0);
        let first_saving = services
            .iter()
            .flat_map(|service| &service.options)
            // A withdrawn line saves nothing; a profile may save in some years only.
            .filter(|option| option.status != Status::Withdrawn)
            .filter_map(|option| match &option.build {
                Build::Ramp { start, ramp } if option.saving.high.is_positive() => {
                    let go_live = start.financial_year();
                    (1..=horizon)
                        .find(|&k| ramp.fraction(k).0 > Decimal::ZERO)
                        .and_then(|k| go_live.plus(u16::try_from(k - 1).ok()?))
                }
                Build::Profile(levels) => levels
                    .high
                    .iter()
                    .position(|m| m.is_positive())
                    .and_then(|i| base_year.plus(u16::try_from(i + 1).ok()?)),
                Build::Ramp { .. } => None,
            })
            .filter(|first| *first <= last_year)
            .min();
        for (key, value) in entries {
            let Ok(year) = FinancialYear::parse(&key.value) else {
                continue;
            };
            let positive =
                matches!(&value.kind, RawKind::Number { value: Ok(d), .. } if *d > Decimal::ZERO);
            if !positive || year > last_year || first_saving.is_some_and(|first| first <= year) {
                continue;
            }
            let why = match first_saving {
                Some(first) => format!(
                    "the earliest any option starts to save is {}",
                    first.quoted()
                ),
                None => "no option saves anything over the horizon".to_string(),
            };
            self.warn(
                &key.at,
                &match wrapper {
                    Some(wrapper) => format!("gap.unidentified.{wrapper}.{}", path_key(&key.value)),
                    None => format!("gap.unidentified.{}", path_key(&key.value)),
                },
                format!("no saving can reach {}: {why}, so this gap year cannot close whatever is taken forward", year.quoted()),
                match wrapper {
                    Some("levels") => "check the go-live dates and the gap's years (levels are the gap to date in each year)",
                    _ => "check the go-live dates and the gap's years (the gap is new each year, not a running total)",
                },
            );
        }
    }
}

/// A warning for each `# TODO(import)` comment in the files read (the scenario and those it
/// extends): `savings import` leaves one where the spreadsheet could not say something the
/// scenario needs (the gap, a unit), so that an officer cannot forget it.
pub(super) fn todo_comments(sources: &Sources) -> Vec<Diagnostic> {
    const MARKER: &str = "TODO(import)";
    let mut found = Vec::new();
    for (index, source) in sources.iter().enumerate() {
        if source.typed {
            continue;
        }
        let mut offset = 0;
        for line in source.text.split_inclusive('\n') {
            // A comment: a `#` with only spaces between it and the marker.
            if let Some(at) = line.find(MARKER)
                && line[..at].trim_end().ends_with('#')
            {
                let text = line[at..].trim_end();
                let loc = crate::scenario::raw::Loc {
                    source: crate::scenario::raw::SourceId(index),
                    span: offset + at..offset + at + text.len(),
                };
                let note = text
                    .strip_prefix(MARKER)
                    .unwrap_or(text)
                    .trim_start_matches([':', ' ']);
                found.push(
                    sources
                        .diagnostic(
                            &loc,
                            None,
                            format!("left to do after savings import: {}", shown(note, 300)),
                        )
                        .with_help("deal with it, then delete the comment"),
                );
            }
            offset += line.len();
        }
    }
    found
}
