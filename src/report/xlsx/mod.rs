//! The spreadsheet report (`savings report --format xlsx`): the projection of docs/model.md
//! section 4 as live Excel formulas over the scenario's inputs, so that an officer can change
//! a saving, a go-live, a ramp step, a planned saving, the gap or the overlap and see the
//! remaining gap move.
//!
//! Sheets, in order (the workbook opens on the first):
//!
//! - `Summary`: scenario, file, base year, horizon, unit, overlap and discount rate (live, from
//!   Inputs), MTFP period, overrides applied, program version; per case (low, central, high)
//!   the total saving over the horizon, average a year, steady-state saving, NPV, payback
//!   year, years closed and first year closed, all formulas over Projection and Inputs; the
//!   services whose decision is deferred; notes.
//! - `Inputs`: the named parameters `Overlap` (w), `DiscountRate` and `BaseYear` (the calendar
//!   year the base year starts in; the layout depends on it, so it is not for changing); one
//!   row per option taken forward (service, option, saving low/central/high, go-live as
//!   written, go-live year as the calendar year it starts in, months counted in the go-live
//!   year, ramp `r(1)..r(H)` padded with its last value, one-off costs for the base year and
//!   each projected year); below, the other options for reference (the Projection does not use
//!   them); planned savings `P(y)` of every service (the base year's reported, not counted;
//!   deferred services' not counted); the unidentified gap `G(y)` and the required savings
//!   (context). Input cells are shaded. A plan (docs/model.md section 9) adds to each option its
//!   status and area; for a saving written year by year, its levels per projected year in each
//!   case (its `S` cells then the last year's levels); for a saving already in the plan
//!   (approved, in-base, withdrawn), its plan `LP` by year (its central amounts as written,
//!   before optimism bias); and what the gap is built from: the net budget (or the requirement
//!   as given), each pressure's and funding line's levels, and reserves used. Tables written in
//!   levels are held as what is new each year where the layout counts increments (`P`, `G`).
//!   Where an option has optimism bias, its cells hold its figures after it (as the model uses
//!   them), and the Summary's notes say so.
//! - `Projection`: years across (header rows: the year, and the calendar year it starts in,
//!   which the formulas use), frozen with the label columns. First the figures that are the same
//!   in every case: planned savings to date `LP`, one-off costs `C` (and the base year's, t =
//!   0), the unidentified gap to date `LG`. Then for each case: in-year saving
//!   `D = S x r(k) x months / 12` with `k = year - go-live year + 1` (0 before go-live, the go-live
//!   year's months only in year 1, the ramp held at its last value), incremental saving `I`,
//!   contribution `N = D - w x LP`, remaining gap `R = LG - N(total)`, whether the year is
//!   closed, and cumulative `D - C` from the base year (for payback). Per service and in total.
//!   A plan's lines follow their status (docs/model.md section 9.4): a profile's `D` is its
//!   levels on Inputs; a saving already in the plan has its plan as `LP` and `N = D - LP`
//!   (no `w`); an in-base line's `D` is its `LP` in every case, a withdrawn line's 0. A gap
//!   built from the budget is `LG = RQ - F - V`, with rows for the requirement, funding and
//!   reserves; pressures without a budget add their levels to the unidentified gap to date.
//!   With a Tracker, an approved or withdrawn line's `D` (every case) is its delivered figure
//!   typed there, else its forecast there, else as above.
//! - `Tracker` (a tracked scenario only, `Scenario::is_tracked`: docs/model.md section 10):
//!   `as_at` and the confidence of each rating above (named `AsAt`, `ConfidenceGreen`,
//!   `ConfidenceAmber`, `ConfidenceRed`, shaded); then a plain table, one row per line taken
//!   forward: service id, option id, line, area, status, RAG (an input: a list of blue, green,
//!   amber, red; blank not rated), Delivered and Forecast per projected year (inputs prefilled
//!   from the scenario, blank where it names none, shaded where the rules allow a figure and
//!   grey elsewhere), then per year, central case: `LP`, `D` as the Projection counts it, the
//!   variance `D - LP` (approved and withdrawn lines), `D` as planned and `D` risk-adjusted
//!   (the confidence of its rating where no delivered figure, never an in-base line). A row of
//!   group titles and one header row of years as the scenario writes them (`2025/26`), no
//!   merged cells, so the sheet can be read back. Below, per year: savings at risk (`D` as
//!   planned of the amber and red lines, approved or proposed), the remaining gap as planned,
//!   as forecast (the Projection's central `R`) and risk-adjusted, and lines, `LP`, `D` and
//!   variance per RAG and per status, all formulas.
//! - `Simulation` (with `--simulate`): the Monte Carlo spreads as run (values, not formulas:
//!   they are statistics of random draws, held as binary floating point by the simulation).
//! - `Sources`: every figure the scenario writes, its note, source and place.
//!
//! Layout for reading: figures in the scenario's unit shown to `--dp` places (`#,##0.0` by
//! default; ramp shares `0.0###`, the discount rate as a percentage), the unit in every
//! header, header rows and label columns frozen (Inputs: the parameters, the options header
//! and the service columns; Projection: the two year rows and the two label columns; Tracker:
//! the rows down to its year header and the id and line columns), column widths set.
//!
//! Recalculation: no formula carries a cached result (each is written with an empty one,
//! `set_formula_result_default("")`, and the workbook asks for a full calculation on load), so
//! Excel and LibreOffice show what the formulas compute, never a stale figure.
//!
//! Exactness: input cells hold the model's exact decimals as the nearest binary double (the
//! format's limit) and the formulas compute in double precision, so the figures agree with
//! `savings run --format csv` to floating-point rounding (the tests hold them to 1e-9
//! relative), not to the last decimal digit.
//! Figures are shown to `--dp` places in the scenario's unit; cells hold them unrounded, and
//! totals use the unrounded values.
//!
//! Safety and determinism: all user text (ids, names, notes, file names, overrides) is
//! written as a string cell, never a formula, neutralised (a leading `'` where a spreadsheet
//! would read a formula), with invisible characters written as their codes (`\u{202e}`), and
//! cut with a marker where longer than a cell holds (32,767 characters), never refused late. The document's creation time is fixed (1 January 1980,
//! the zip entries' time), so the same input gives the same bytes.
//!
//! Files: `inputs.rs` (with `plan_inputs.rs`, its blocks by year below the options),
//! `projection.rs`, `summary.rs`, `tracker.rs`, `simulation.rs` and `sources.rs` write one
//! sheet each;
//! `cells.rs` holds cell references and the writing of user text; `formats.rs` the cell
//! formats and the page setup.

mod cells;
mod formats;
mod inputs;
mod plan_inputs;
mod projection;
mod simulation;
mod sources;
mod summary;
mod tracker;

use anyhow::{Context, Result};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook, Worksheet};

use self::cells::abs;
use self::formats::{Formats, print_setup};
use self::inputs::{
    BASE_YEAR_ROW, InputsLayout, OVERLAP_ROW, PARAMETER_COL, RATE_ROW, write_inputs,
};
use self::projection::write_projection;
use self::simulation::write_simulation;
use self::sources::write_sources;
use self::summary::write_summary;
use self::tracker::{TRACKER, TrackerLayout, write_tracker};
use super::ReportInput;
use crate::model::Scenario;
use crate::output::PROGRAM;
use crate::scenario::displayed;

const SUMMARY: &str = "Summary";
pub(super) const INPUTS: &str = "Inputs";
pub(super) const PROJECTION: &str = "Projection";

/// Lines taken forward times projected years past which the workbook is compressed at zip
/// level 1 rather than the default 6 (the Projection holds about 11 cells a line-year). Every
/// shipped scenario is far below it (at most 13 lines over 10 years), so its bytes are the
/// same at either level; at 1,000 lines, level 6 took a quarter of the whole report.
const FAST_COMPRESSION_LINE_YEARS: usize = 2_000;

/// The workbook's bytes (deterministic: no timestamps).
pub fn workbook(input: &ReportInput) -> Result<Vec<u8>> {
    let scenario = input.scenario;
    let formats = Formats::new(input.dp);
    let layout = InputsLayout::new(scenario)?;

    let mut inputs = Worksheet::new();
    inputs.set_name(INPUTS)?;
    write_inputs(&mut inputs, scenario, &layout, &formats)?;

    let tracker = TrackerLayout::new(scenario, &layout)?;
    let mut projection = Worksheet::new();
    projection.set_name(PROJECTION)?;
    let rows = write_projection(
        &mut projection,
        scenario,
        &layout,
        tracker.as_ref(),
        &formats,
    )?;

    let mut summary = Worksheet::new();
    summary.set_name(SUMMARY)?;
    write_summary(&mut summary, input, &layout, &rows, &formats)?;

    let mut workbook = Workbook::new();
    workbook.set_properties(&properties(scenario)?);
    workbook.push_worksheet(summary);
    workbook.push_worksheet(inputs);
    workbook.push_worksheet(projection);
    if let Some(tracker) = &tracker {
        let mut sheet = Worksheet::new();
        sheet.set_name(TRACKER)?;
        write_tracker(&mut sheet, scenario, &layout, tracker, &rows, &formats)?;
        workbook.push_worksheet(sheet);
    }
    if let Some(simulation) = input.simulation {
        let mut sheet = Worksheet::new();
        sheet.set_name("Simulation")?;
        write_simulation(&mut sheet, scenario, simulation, &formats)?;
        workbook.push_worksheet(sheet);
    }
    let mut sources = Worksheet::new();
    sources.set_name("Sources")?;
    write_sources(&mut sources, input, &formats)?;
    workbook.push_worksheet(sources);
    let title = format!("Savings report: {}", scenario.name);
    for sheet in workbook.worksheets_mut() {
        print_setup(sheet, &title);
    }

    for (name, row) in [
        ("Overlap", OVERLAP_ROW),
        ("DiscountRate", RATE_ROW),
        ("BaseYear", BASE_YEAR_ROW),
    ] {
        workbook.define_name(name, &format!("={INPUTS}!{}", abs(row, PARAMETER_COL)))?;
    }
    if tracker.is_some() {
        for (name, row, col) in tracker::names() {
            workbook.define_name(name, &format!("={TRACKER}!{}", abs(row, col)))?;
        }
    }
    // A large workbook spends most of its time compressing: past so many line-years, the
    // fastest level (a plan of 2,000 lines: 0.9 s of work to 0.65 s, 2.6 MB to 4.2 MB).
    if layout.taken.len() * usize::from(scenario.horizon) > FAST_COMPRESSION_LINE_YEARS {
        workbook.set_zip_compression_level(1);
    }
    workbook
        .save_to_buffer()
        .context("could not assemble the spreadsheet")
}

/// Title, author and a creation time fixed so that two runs give the same bytes.
fn properties(scenario: &Scenario) -> Result<DocProperties> {
    let fixed = ExcelDateTime::from_ymd(1980, 1, 1)?;
    Ok(DocProperties::new()
        .set_title(format!("Savings report: {}", displayed(&scenario.name)))
        .set_author(PROGRAM)
        .set_comment("The projection is live formulas over the Inputs sheet.")
        .set_creation_datetime(&fixed))
}
