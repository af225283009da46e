//! The Tracker sheet read back (`src/report/xlsx/tracker.rs` writes it): `as_at`, the
//! confidence of each rating, and per line taken forward what an officer typed, its RAG rating
//! and its delivered and forecast figures by year (a blank cell is a year not named).
//!
//! What was typed is checked here against the rules of docs/model.md section 10, so that each
//! break is reported at its cell (`Tracker!H12`) rather than at a line of the scenario written
//! from it: a delivered figure not after the current year, a forecast not before it, not both
//! in one year, only on an approved or withdrawn line, never below 0, a RAG word, and a figure,
//! not text, in a figure cell.

use rust_decimal::Decimal;

use super::Problem;
use super::book::{At, Sheet};
use super::figures::{figure, required, user_text};
use super::read::{Cited, Problems, Settings};
use crate::model::{FinancialYear, GoLive, Rag, Status};

/// The rows and columns of the Tracker's parameters and table.
const AS_AT_ROW: u32 = 1;
const GREEN_ROW: u32 = 2;
const AMBER_ROW: u32 = 3;
const RED_ROW: u32 = 4;
const PARAMETER_COL: u32 = 1;
const GROUP_ROW: u32 = 6;
const HEADER_ROW: u32 = 7;
const FIRST_LINE_ROW: u32 = 8;
const RAG_COL: u32 = 5;

/// One line's row on the Tracker.
#[derive(Clone, Debug)]
pub struct TrackedLine {
    pub service_id: String,
    pub option_id: String,
    pub row: u32,
    pub rag: Option<Cited<Rag>>,
    /// (year, figure) in year order.
    pub delivered: Vec<(FinancialYear, Cited<Decimal>)>,
    pub forecast: Vec<(FinancialYear, Cited<Decimal>)>,
}

/// The Tracker as typed.
#[derive(Clone, Debug)]
pub struct TrackerRead {
    pub as_at: Option<Cited<String>>,
    /// Green, amber, red.
    pub confidence: [Cited<Decimal>; 3],
    pub lines: Vec<TrackedLine>,
}

fn layout_problem(sheet: &Sheet, at: At, expected: &str) -> Problem {
    Problem::at(
        sheet.place(at),
        format!(
            "expected {expected}, found {}: the Tracker is not laid out as savings report --format xlsx lays it out",
            sheet.value(at.row, at.col).describe()
        ),
    )
    .help("type in the shaded cells; rows and columns may not be added, moved or removed")
}

/// The month in the As at cell: `2025-12` as text (a date a spreadsheet made of it is read as
/// its month).
fn as_at(sheet: &Sheet, problems: &mut Problems) -> Option<Option<Cited<String>>> {
    let at = At::new(AS_AT_ROW, PARAMETER_COL);
    let place = sheet.place(at);
    match sheet.value(at.row, at.col) {
        v if v.is_blank() => Some(None),
        super::book::Value::Text(t) => {
            let text = t.trim();
            match GoLive::parse(text) {
                Ok(_) if !text.contains('/') => Some(Some(Cited::new(text.to_string(), place))),
                _ => {
                    problems.push(
                        Problem::at(
                            place,
                            format!(
                                "as at: expected a month written like \"2025-12\", found {text:?}"
                            ),
                        )
                        .field("scenario.as_at"),
                    );
                    None
                }
            }
        }
        super::book::Value::Date(serial) => match month_of_serial(*serial) {
            Some(month) => Some(Some(Cited::new(month, place))),
            None => {
                problems.push(Problem::at(
                    place,
                    "as at: the date cannot be read as a month",
                ));
                None
            }
        },
        other => {
            problems.push(
                Problem::at(
                    place,
                    format!(
                        "as at: expected a month written like \"2025-12\", found {}",
                        other.describe()
                    ),
                )
                .field("scenario.as_at"),
            );
            None
        }
    }
}

/// `2025-12` for a spreadsheet's day number (the 1900 system).
fn month_of_serial(serial: f64) -> Option<String> {
    if !serial.is_finite() || !(61.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let days = serial.floor() as i64;
    // Days since 1899-12-30 to a civil date (Howard Hinnant's algorithm).
    let z = days - 25_569 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    Some(format!("{year:04}-{month:02}"))
}

/// Reads the Tracker; `statuses` gives each line's status on Inputs (the one the Projection
/// follows), by (service id, option id).
pub fn read_tracker(
    sheet: &Sheet,
    settings: &Settings,
    status_of: &dyn Fn(&str, &str) -> Option<Status>,
    problems: &mut Problems,
) -> Option<TrackerRead> {
    for (row, label) in [
        (AS_AT_ROW, "As at"),
        (GREEN_ROW, "Confidence green"),
        (AMBER_ROW, "Confidence amber"),
        (RED_ROW, "Confidence red"),
    ] {
        if sheet.text(row, 0) != Some(label) {
            problems.push(layout_problem(
                sheet,
                At::new(row, 0),
                &format!("{label:?}"),
            ));
            return None;
        }
    }
    for (col, label) in [
        (0, "Service id"),
        (1, "Option id"),
        (2, "Line"),
        (3, "Area"),
        (4, "Status"),
        (RAG_COL, "RAG"),
    ] {
        if sheet.text(HEADER_ROW, col) != Some(label) {
            problems.push(layout_problem(
                sheet,
                At::new(HEADER_ROW, col),
                &format!("{label:?}"),
            ));
            return None;
        }
    }
    let as_at = as_at(sheet, problems)?;
    let confidence = [GREEN_ROW, AMBER_ROW, RED_ROW].map(|row| {
        let at = At::new(row, PARAMETER_COL);
        problems.keep(
            required(sheet, at, "confidence")
                .map(|v| Cited::new(v, sheet.place(at)))
                .map_err(|p| p.field("tracking.confidence")),
        )
    });
    let [Some(green), Some(amber), Some(red)] = confidence else {
        return None;
    };
    let block = |title: &str| -> Option<u32> {
        let horizon = u32::from(settings.horizon);
        (RAG_COL + 1..RAG_COL + 1 + 8 * horizon).find(|col| {
            sheet
                .text(GROUP_ROW, *col)
                .is_some_and(|t| t.starts_with(title))
        })
    };
    let (Some(delivered_col), Some(forecast_col)) = (block("Delivered ("), block("Forecast ("))
    else {
        problems.push(layout_problem(
            sheet,
            At::new(GROUP_ROW, RAG_COL + 1),
            "the group titles \"Delivered\" and \"Forecast\"",
        ));
        return None;
    };
    for first in [delivered_col, forecast_col] {
        for (t, year) in (0..).zip(&settings.years) {
            if sheet.text(HEADER_ROW, first + t) != Some(year.to_string().as_str()) {
                problems.push(layout_problem(
                    sheet,
                    At::new(HEADER_ROW, first + t),
                    &format!("the year {year}"),
                ));
                return None;
            }
        }
    }

    let current = as_at
        .as_ref()
        .and_then(|m| GoLive::parse(&m.value).ok())
        .map(GoLive::financial_year);
    let mut lines = Vec::new();
    let none_taken = sheet
        .text(FIRST_LINE_ROW, 0)
        .is_some_and(|t| t.starts_with("No option is taken forward"));
    let rows = (FIRST_LINE_ROW..).take_while(|r| !none_taken && !sheet.value(*r, 0).is_blank());
    for row in rows {
        let (Some(service_id), Some(option_id)) = (
            user_text(sheet, At::new(row, 0)),
            user_text(sheet, At::new(row, 1)),
        ) else {
            problems.push(layout_problem(sheet, At::new(row, 1), "an option id"));
            continue;
        };
        let status = status_of(&service_id, &option_id);
        let line = read_line(
            sheet,
            row,
            (service_id, option_id),
            (delivered_col, forecast_col),
            settings,
            (status, current, as_at.as_ref()),
            problems,
        );
        lines.extend(line);
    }
    Some(TrackerRead {
        as_at,
        confidence: [green, amber, red],
        lines,
    })
}

/// One line's rating and figures, each checked where it was typed.
fn read_line(
    sheet: &Sheet,
    row: u32,
    (service_id, option_id): (String, String),
    (delivered_col, forecast_col): (u32, u32),
    settings: &Settings,
    (status, current, as_at): (
        Option<Status>,
        Option<FinancialYear>,
        Option<&Cited<String>>,
    ),
    problems: &mut Problems,
) -> Option<TrackedLine> {
    let Some(status) = status else {
        problems.push(Problem::at(
            sheet.place(At::new(row, 0)),
            format!("the line {service_id} / {option_id} is not an option taken forward on Inputs"),
        ));
        return None;
    };
    let path = if service_id == option_id {
        format!("service[{service_id}]")
    } else {
        format!("service[{service_id}].option[{option_id}]")
    };
    let rag_at = At::new(row, RAG_COL);
    let rag = match sheet.value(rag_at.row, rag_at.col) {
        v if v.is_blank() => None,
        super::book::Value::Text(t) => {
            let word = t.trim().to_lowercase();
            match Rag::ALL.into_iter().find(|r| r.name() == word) {
                Some(rag) => Some(Cited::new(rag, sheet.place(rag_at))),
                None => {
                    problems.push(
                        Problem::at(
                            sheet.place(rag_at),
                            format!(
                                "RAG: expected blue, green, amber or red, found {}",
                                sheet.value(rag_at.row, rag_at.col).describe()
                            ),
                        )
                        .field(format!("{path}.rag"))
                        .help("blue (delivered), green (on track), amber (at risk) or red (will not deliver as planned); clear the cell for a line not rated"),
                    );
                    None
                }
            }
        }
        other => {
            problems.push(
                Problem::at(
                    sheet.place(rag_at),
                    format!(
                        "RAG: expected blue, green, amber or red, found {}",
                        other.describe()
                    ),
                )
                .field(format!("{path}.rag")),
            );
            None
        }
    };
    let tracks = matches!(status, Status::Approved | Status::Withdrawn);
    let mut delivered = Vec::new();
    let mut forecast = Vec::new();
    for (t, year) in (0..).zip(&settings.years) {
        let mut typed = [None, None];
        for (i, (what, col)) in [("delivered", delivered_col), ("forecast", forecast_col)]
            .into_iter()
            .enumerate()
        {
            let at = At::new(row, col + t);
            let field = format!("{path}.{what}.{}", year.quoted());
            let place = sheet.place(at);
            let value = match figure(sheet, at, &format!("{what} for {year}")) {
                Ok(Some(v)) => v,
                Ok(None) => continue,
                Err(p) => {
                    problems.push(p.field(field));
                    continue;
                }
            };
            let refuse = |message: String, help: &str| {
                Problem::at(place.clone(), message)
                    .field(field.clone())
                    .help(help.to_string())
            };
            if !tracks {
                problems.push(refuse(
                    format!("{what} for {year}: delivery is recorded only for an approved or withdrawn line, and this line is {status}"),
                    "clear the cell: a proposed line is not yet in the plan, an in-base one delivers its plan by definition",
                ));
                continue;
            }
            let Some(current) = current else {
                problems.push(refuse(
                    format!("{what} for {year}: a figure needs the month the figures describe, and the As at cell is blank"),
                    "type the month in the As at cell (2025-12): its financial year is the current year",
                ));
                continue;
            };
            let as_at = as_at.map(|m| m.value.as_str()).unwrap_or_default();
            if i == 0 && *year > current {
                problems.push(refuse(
                    format!("{what} for {year}: {year} is after the current year {current} (as at {as_at}): delivered is what a past or the current year achieved"),
                    "type what is now expected for a later year in its Forecast cell",
                ));
                continue;
            }
            if i == 1 && *year < current {
                problems.push(refuse(
                    format!("{what} for {year}: {year} is before the current year {current} (as at {as_at}): a forecast is what the current or a later year is expected to achieve"),
                    "type what a past year achieved in its Delivered cell",
                ));
                continue;
            }
            if value < Decimal::ZERO {
                problems.push(refuse(
                    format!("{what} for {year}: must be at least 0, found {value}"),
                    "a delivered or forecast figure is the in-year saving for the full year, 0 or more",
                ));
                continue;
            }
            typed[i] = Some(Cited::new(value, place));
        }
        if let [Some(_), Some(f)] = &typed {
            problems.push(
                Problem::at(
                    f.at.clone(),
                    format!("forecast for {year}: {year} has both a delivered figure and a forecast; a year's delivery is one or the other"),
                )
                .field(format!("{path}.forecast.{}", year.quoted()))
                .help("keep the delivered figure once the year's figure is known, the forecast while it is expected"),
            );
            continue;
        }
        let [d, f] = typed;
        if let Some(d) = d {
            delivered.push((*year, d));
        }
        if let Some(f) = f {
            forecast.push((*year, f));
        }
    }
    Some(TrackedLine {
        service_id,
        option_id,
        row,
        rag,
        delivered,
        forecast,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_reads_as_its_month() {
        // 45992 is 1 December 2025; 45658 is 1 January 2025.
        assert_eq!(month_of_serial(45_992.0).as_deref(), Some("2025-12"));
        assert_eq!(month_of_serial(45_658.0).as_deref(), Some("2025-01"));
        assert_eq!(month_of_serial(f64::NAN), None);
    }
}
