//! Reading our own report workbook back (issue 17, the round trip): the xlsx that `savings
//! report --format xlsx` writes (`src/report/xlsx`) becomes a scenario again, with what an
//! officer changed in it: a saving, a go-live or a plan on Inputs, and on the Tracker the
//! delivered and forecast figures and the RAG ratings typed there (docs/model.md section 12).
//!
//! - [`is_report_workbook`]: whether a workbook is one of ours, from its sheets in order
//!   (Summary, Inputs, Projection, then Tracker and Simulation where written, Sources last),
//!   the defined names it writes, and the title and label cells of its Summary and Inputs; a
//!   council's own workbook with a sheet named "Inputs" is not taken for one;
//! - [`read_if_ours`]: what `savings import` calls once it has read the workbook within its
//!   limits: the scenario where the workbook is ours, else `None` (a council's spreadsheet);
//! - [`read_report_workbook`] (or [`from_book`] for a workbook already read): the raw layer of
//!   the scenario ([`RawFile`]) and its TOML text, laid out fresh by the raw-layer writer
//!   (`scenario::write::write`), with a comment at its top saying where it came from and what
//!   the workbook does not hold.
//!
//! The scenario projects as the workbook does: `savings run` of it gives every figure of `run`
//! of the scenario the report was made from (tests/cli/import_report.rs holds every shipped
//! scenario to that, row by row). Figures are read exactly: a number cell is a binary double,
//! read as the shortest decimal that gives the same double back (0.35 stays 0.35), and a text
//! cell holding a number from its text. Where the workbook holds a figure after optimism bias
//! (Inputs holds each option's saving, go-live and costs as the model counts them), the figure
//! is written as held and no bias, so that the projection is the same.
//!
//! What the workbook does not hold is lost, and the scenario's comment says so: Monte Carlo
//! risk (`risk`, `distribution`, `group`), optimism bias as a setting, service budgets (a saving
//! given as a share of the net budget comes back as its amount), the low and high ends and the
//! areas of pressure and funding lines, sources and notes, `extends` (the scenario comes back
//! whole), and the yearly amounts of an option that is written year by year and not taken
//! forward (only its steady state is on Inputs). Where an option taken forward sits among its
//! service's options is not shown either: it comes back first, marked preferred.
//!
//! Every problem names its cell (`monitoring.xlsx: Tracker!H12: service[a].forecast."2025/26":
//! ...`): what was typed on the Tracker is checked against the rules of docs/model.md section 10
//! where it is read (`tracker.rs`), and the scenario written is validated as any scenario is,
//! each of its problems traced back to the cell its value came from.

mod book;
mod build;
mod figures;
mod read;
mod tracker;

use std::fmt;
use std::path::Path;

pub use book::{Book, MAX_FILE_BYTES};
pub use figures::decimal_of_double;

use crate::scenario::raw::RawFile;
use crate::scenario::{self, MAX_PROBLEMS};
use read::Problems;

/// One problem with the workbook: where (sheet and cell), which field of the scenario, what
/// is wrong, and what to do; the spreadsheet import's own.
pub use crate::import::Problem;

/// Why a workbook could not be read back: every problem found (at most [`MAX_PROBLEMS`]).
/// Nothing is written.
#[derive(Clone, Debug)]
pub struct ReportImportError {
    /// The file as messages name it.
    pub file: String,
    pub problems: Vec<Problem>,
    /// Whether more problems were found than are listed.
    pub stopped: bool,
}

impl ReportImportError {
    fn new(file: &str, mut problems: Vec<Problem>) -> Self {
        let stopped = problems.len() > MAX_PROBLEMS;
        problems.truncate(MAX_PROBLEMS);
        Self {
            file: file.to_string(),
            problems,
            stopped,
        }
    }
}

/// As the scenario loader prints its problems: each after its own `error: ` (the caller
/// prints the first), then a line counting them.
impl fmt::Display for ReportImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, problem) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("\n\nerror: ")?;
            }
            f.write_str(&problem.display(&self.file))?;
        }
        if self.problems.len() > 1 || self.stopped {
            write!(
                f,
                "\n\nerror: {}{} problems in {}; nothing was written",
                if self.stopped { "more than " } else { "" },
                self.problems.len(),
                self.file
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for ReportImportError {}

/// A report workbook read back.
#[derive(Debug)]
pub struct Imported {
    /// The scenario's raw layer.
    pub raw: RawFile,
    /// Its TOML text: the comment saying where it came from, then the scenario.
    pub text: String,
    /// What the reader noticed (also in the comment at the top of `text`), for a command to
    /// print as warnings.
    pub notes: Vec<String>,
}

/// The sheets our workbook has, in order: Summary, Inputs, Projection, then Tracker and
/// Simulation where written, Sources last.
fn sheets_are_ours(names: &[String]) -> bool {
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let (Some((&"Sources", middle)), true) = (
        names.split_last(),
        names.starts_with(&["Summary", "Inputs", "Projection"]),
    ) else {
        return false;
    };
    matches!(
        middle.get(3..),
        Some([] | ["Tracker"] | ["Simulation"] | ["Tracker", "Simulation"])
    )
}

/// Whether `book` is a workbook `savings report --format xlsx` wrote: its sheets, in order;
/// the names it defines (`Overlap`, `DiscountRate`, `BaseYear`; `AsAt` and the confidences
/// with a Tracker); its Summary's title and labels; its Inputs' parameters and the options
/// table's first headings. A workbook that differs in any of them is not ours (a council's
/// workbook with an "Inputs" sheet is read by the spreadsheet import instead). Document
/// properties are not required (a spreadsheet program may rewrite them), but a title that is
/// not the report's refuses it.
pub fn is_report_workbook(book: &Book) -> bool {
    if !sheets_are_ours(&book.sheet_names) {
        return false;
    }
    let tracked = book.sheet_names.iter().any(|n| n == "Tracker");
    let mut wanted = vec!["Overlap", "DiscountRate", "BaseYear"];
    if tracked {
        wanted.extend([
            "AsAt",
            "ConfidenceGreen",
            "ConfidenceAmber",
            "ConfidenceRed",
        ]);
    }
    let defined = |name: &str| {
        book.defined_names
            .iter()
            .any(|(n, _)| n.trim_start_matches("_xlnm.") == name)
    };
    if !wanted.iter().all(|n| defined(n)) {
        return false;
    }
    if book
        .title
        .as_deref()
        .is_some_and(|t| !t.starts_with("Savings report: "))
    {
        return false;
    }
    let (Some(summary), Some(inputs)) = (book.sheet("Summary"), book.sheet("Inputs")) else {
        return false;
    };
    let labelled = |sheet: &book::Sheet, row: u32, col: u32, test: &dyn Fn(&str) -> bool| {
        sheet.text(row, col).is_some_and(test)
    };
    let summary_labels = [
        "Scenario",
        "Base year",
        "Horizon",
        "Unit",
        "MTFP period",
        "Program",
    ];
    labelled(summary, 0, 0, &|t| t.starts_with("Savings report: "))
        && summary_labels
            .iter()
            .all(|label| (1..=20).any(|r| summary.text(r, 0) == Some(label)))
        && (1..=20).any(|r| {
            summary.text(r, 0) == Some("Program")
                && labelled(summary, r, 1, &|t| t.starts_with("savings-modeller "))
        })
        && labelled(inputs, 0, 0, &|t| t.starts_with("Inputs, in "))
        && labelled(inputs, 1, 0, &|t| t == "Overlap w")
        && labelled(inputs, 5, 0, &|t| t == "Service id")
        && labelled(inputs, 5, 2, &|t| t == "Option id")
}

/// For `savings import`: the scenario of the workbook at `path` where it is ours, else `None`
/// (a council's spreadsheet, for the import of docs/model.md section 11). `sheet_names` are its
/// sheets as the import has already read them (within its limits), so a workbook whose sheets
/// are not ours is not opened again.
pub fn read_if_ours(
    path: &Path,
    shown: &str,
    sheet_names: &[String],
) -> Result<Option<Imported>, ReportImportError> {
    if !sheets_are_ours(sheet_names) {
        return Ok(None);
    }
    let book = Book::open(path).map_err(|p| ReportImportError::new(shown, vec![p]))?;
    if !is_report_workbook(&book) {
        return Ok(None);
    }
    from_book(&book, shown).map(Some)
}

/// Reads the report workbook at `path` back into a scenario; `shown` is the file as messages
/// name it.
pub fn read_report_workbook(path: &Path, shown: &str) -> Result<Imported, ReportImportError> {
    let book = Book::open(path).map_err(|p| ReportImportError::new(shown, vec![p]))?;
    from_book(&book, shown)
}

/// Reads a workbook already read back into a scenario.
pub fn from_book(book: &Book, shown: &str) -> Result<Imported, ReportImportError> {
    let fail = |problems: Vec<Problem>| ReportImportError::new(shown, problems);
    if !is_report_workbook(book) {
        return Err(fail(vec![Problem::new(
            "is not a workbook written by savings report --format xlsx (its sheets, names and title cells differ)",
        )
        .help("import a council's own spreadsheet with savings import and its options")]));
    }
    let (Some(summary), Some(inputs)) = (book.sheet("Summary"), book.sheet("Inputs")) else {
        return Err(fail(vec![Problem::new("has no Summary or Inputs sheet")]));
    };
    let mut problems = Problems::default();
    let settings = read::read_settings(summary, inputs, &mut problems);
    let read_inputs = settings
        .as_ref()
        .and_then(|s| read::read_inputs(inputs, s, &mut problems));
    let tracker = match (&settings, &read_inputs, book.sheet("Tracker")) {
        (Some(settings), Some(read_inputs), Some(sheet)) => {
            let statuses: std::collections::HashMap<(&str, &str), crate::model::Status> =
                read_inputs
                    .options
                    .iter()
                    .filter(|o| o.taken)
                    .map(|o| {
                        let status = o
                            .status
                            .as_ref()
                            .map_or(crate::model::Status::Proposed, |s| s.value);
                        ((o.service_id.value.as_str(), o.id.value.as_str()), status)
                    })
                    .collect();
            let status_of = |service: &str, option: &str| statuses.get(&(service, option)).copied();
            tracker::read_tracker(sheet, settings, &status_of, &mut problems)
        }
        _ => None,
    };
    if !problems.found.is_empty() {
        return Err(fail(problems.found));
    }
    let (Some(settings), Some(read_inputs)) = (settings, read_inputs) else {
        return Err(fail(vec![Problem::new("could not be read")]));
    };
    let mut built = build::build(&settings, &read_inputs, tracker.as_ref()).map_err(fail)?;
    built.notes.splice(0..0, problems.notes);
    let body = scenario::write::write(&built.raw, None).map_err(|e| {
        fail(vec![Problem::new(format!(
            "the scenario could not be written: {e}"
        ))])
    })?;
    let text = format!("{}{body}", header(book, shown, &settings, &built.notes));
    check(&text, shown, &built.places).map_err(fail)?;
    Ok(Imported {
        raw: built.raw,
        text,
        notes: built.notes,
    })
}

/// The comment at the top of the scenario: where it came from, what the workbook does not
/// hold, and what the reader noticed.
fn header(book: &Book, shown: &str, settings: &read::Settings, notes: &[String]) -> String {
    let file = book
        .sheet("Summary")
        .and_then(|s| {
            (1..=20)
                .find(|r| s.text(*r, 0) == Some("Scenario file"))
                .and_then(|r| s.text(r, 1).map(str::to_string))
        })
        .unwrap_or_else(|| "?".to_string());
    let mut paragraphs = vec![
        format!(
            "Read back from {shown}, a workbook written by savings report --format xlsx (its scenario file: {file}), by savings import. It projects as the workbook does."
        ),
        "The workbook does not hold, so this scenario does not have: Monte Carlo risk (risk, distribution, group), optimism bias as a setting, service budgets (a saving given as a share of the net budget is its amount here), the low and high ends and the areas of pressure and funding lines, sources and notes, the comments of the scenario file, extends (the scenario is here whole), and where the option taken forward sat among its service's options (it is first here, and preferred).".to_string(),
    ];
    if settings.biased {
        paragraphs.push("The workbook's figures are after optimism bias (its Summary says which): they are written as held, with no bias, except an approved line whose saving a haircut alone made from its plan, which is written as its plan and that haircut (noted below).".to_string());
    }
    paragraphs.extend(notes.iter().map(|n| format!("Note: {n}")));
    let mut out = String::new();
    for (i, paragraph) in paragraphs.iter().enumerate() {
        if i > 0 {
            out.push_str("#\n");
        }
        // Text from the workbook goes into a comment: line breaks become spaces (wrap) and
        // other control characters their codes, so nothing can end the comment early.
        for line in wrap(&scenario::displayed(paragraph), 92) {
            out.push_str(&format!("# {line}\n"));
        }
    }
    out.push('\n');
    out
}

/// `text` in lines of at most `width` characters, broken between words (a word longer than a
/// line has a line of its own).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Validates the scenario written as any scenario is; each problem is traced back to the cell
/// its value came from, where the field names one.
fn check(text: &str, shown: &str, places: &[(String, String)]) -> Result<(), Vec<Problem>> {
    let name = format!("{shown}.toml");
    let Err(diagnostic) = scenario::from_text(&name, text) else {
        return Ok(());
    };
    let (diagnostics, _) = diagnostic.into_problems();
    Err(diagnostics
        .iter()
        .map(|d| {
            let details = d.details();
            let place = details.field.as_deref().and_then(|f| place_of(places, f));
            let problem = match place {
                Some(place) => Problem::at(place, details.message.clone()),
                None => Problem::new(format!(
                    "{}{}",
                    details
                        .position
                        .map(|(l, _)| format!("line {l} of the scenario read back: "))
                        .unwrap_or_default(),
                    details.message
                )),
            };
            let problem = match &details.field {
                Some(field) => problem.field(field.clone()),
                None => problem,
            };
            match &details.help {
                Some(help) => problem.help(help.clone()),
                None => problem,
            }
        })
        .collect())
}

/// The cell a field's value came from: the field itself, else the first value within it
/// (`service[a].forecast` is its first year's cell), else the nearest field around it.
fn place_of(places: &[(String, String)], field: &str) -> Option<String> {
    if let Some((_, at)) = places.iter().find(|(p, _)| p == field) {
        return Some(at.clone());
    }
    let within = |p: &str| {
        p.strip_prefix(field)
            .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
    };
    if let Some((_, at)) = places.iter().find(|(p, _)| within(p)) {
        return Some(at.clone());
    }
    places
        .iter()
        .filter(|(p, _)| {
            field
                .strip_prefix(p.as_str())
                .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
        })
        .max_by_key(|(p, _)| p.len())
        .map(|(_, at)| at.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn our_sheets_in_our_order() {
        for ours in [
            &["Summary", "Inputs", "Projection", "Sources"][..],
            &["Summary", "Inputs", "Projection", "Tracker", "Sources"],
            &["Summary", "Inputs", "Projection", "Simulation", "Sources"],
            &[
                "Summary",
                "Inputs",
                "Projection",
                "Tracker",
                "Simulation",
                "Sources",
            ],
        ] {
            assert!(sheets_are_ours(&names(ours)), "{ours:?}");
        }
        for not in [
            &["Inputs"][..],
            &["Summary", "Inputs", "Projection"],
            &["Inputs", "Summary", "Projection", "Sources"],
            &[
                "Summary",
                "Inputs",
                "Projection",
                "Savings 2025-28",
                "Sources",
            ],
            &["Summary", "Inputs", "Projection", "Sources", "Notes"],
        ] {
            assert!(!sheets_are_ours(&names(not)), "{not:?}");
        }
    }

    #[test]
    fn comments_are_wrapped_between_words() {
        assert_eq!(wrap("a bb ccc dddd", 6), ["a bb", "ccc", "dddd"]);
        assert_eq!(
            wrap("averyveryverylongword x", 6),
            ["averyveryverylongword", "x"]
        );
        assert!(wrap("", 6).is_empty());
    }

    #[test]
    fn a_field_finds_its_cell_or_the_nearest() {
        let places = vec![
            (
                "service[a].forecast.\"2026/27\"".to_string(),
                "Tracker!H9".to_string(),
            ),
            ("service[a]".to_string(), "Inputs!A7".to_string()),
        ];
        assert_eq!(
            place_of(&places, "service[a].forecast.\"2026/27\"").as_deref(),
            Some("Tracker!H9")
        );
        assert_eq!(
            place_of(&places, "service[a].forecast").as_deref(),
            Some("Tracker!H9")
        );
        assert_eq!(
            place_of(&places, "service[a].start").as_deref(),
            Some("Inputs!A7")
        );
        assert_eq!(place_of(&places, "service[b].start"), None);
    }
}
