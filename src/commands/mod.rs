//! One module per command. Each loads its scenarios (with `extends` and overrides), computes
//! everything it will report, then writes once (docs/model.md section 6: nothing is written
//! before every figure is known).

pub mod check;
pub mod compare;
pub mod import;
pub mod meta;
pub mod options;
pub mod report;
pub mod run;
pub mod sensitivity;
pub mod simulate;
pub mod solve;
pub mod sweep;
pub mod track;

use std::cell::RefCell;
use std::collections::HashSet;
use std::io::{self, Write};
use std::path::Path;

use anyhow::Result;

use crate::cli::OutputArgs;
use crate::output::Report;
use crate::output::sink::{Destination, Written};
use crate::projection::{self, Projection};
use crate::scenario::{Diagnostic, Input, Loaded, MAX_PROBLEMS, Override, Prepared, Sources};

/// A scenario loaded, overridden, validated and projected.
pub struct Projected {
    pub loaded: Loaded,
    pub projection: Projection,
}

impl Projected {
    /// The scenario file as the user named it.
    pub fn file_name(&self) -> &str {
        self.loaded.file_name()
    }

    /// The scenarios it extends (nearest first), without the file itself.
    pub fn extends(&self) -> &[String] {
        self.loaded.chain.get(1..).unwrap_or_default()
    }
}

/// The scenario an argument names; none is the built-in one.
pub fn input_of(arg: Option<&str>) -> Input {
    arg.map_or(Input::Builtin, Input::from_arg)
}

/// Reads the scenario `arg` names, with everything it extends, and applies `overrides`.
pub fn prepare(arg: Option<&str>, overrides: &[Override]) -> Result<Prepared, Diagnostic> {
    let mut prepared = Prepared::read(&input_of(arg))?;
    prepared.apply_all(overrides)?;
    Ok(prepared)
}

/// Validates and projects a prepared scenario. A figure that cannot be computed is reported
/// like bad input, at the field it comes from.
pub fn project(prepared: &Prepared) -> Result<Projected, Diagnostic> {
    project_as(prepared, projection::Delivery::Forecast)
}

/// [`project`] counting `delivery` for tracked lines (docs/model.md section 10).
pub fn project_as(
    prepared: &Prepared,
    delivery: projection::Delivery,
) -> Result<Projected, Diagnostic> {
    let loaded = prepared.validate()?;
    let projection = projection::project_as(&loaded.scenario, delivery).map_err(|e| {
        loaded
            .sources
            .diagnostic_for_field(e.field.as_deref(), e.to_string())
    })?;
    Ok(Projected { loaded, projection })
}

/// Loads and projects in one step, reporting the scenario's warnings.
pub fn load(
    arg: Option<&str>,
    overrides: &[Override],
    warnings: &Warnings,
) -> Result<Projected, Diagnostic> {
    let projected = project(&prepare(arg, overrides)?)?;
    warnings.report(&projected.loaded)?;
    Ok(projected)
}

/// The warnings about the scenarios a command reads (what the contract allows but is more
/// often a slip, such as a go-live after the horizon): each printed once on standard error,
/// before any output, or with `--deny-warnings` an error (exit 2, nothing written).
#[derive(Debug, Default)]
pub struct Warnings {
    deny: bool,
    /// Warnings printed so far, so that two scenarios read from one file (`compare
    /// --against`) do not repeat them.
    printed: RefCell<HashSet<String>>,
}

impl Warnings {
    /// `deny`: `--deny-warnings` was given.
    pub fn new(deny: bool) -> Self {
        Self {
            deny,
            printed: RefCell::default(),
        }
    }

    /// Prints the warnings about `loaded` not printed before; with `--deny-warnings`, an
    /// error if there are any.
    pub fn report(&self, loaded: &Loaded) -> Result<(), Diagnostic> {
        let mut printed = self.printed.borrow_mut();
        let mut stderr = io::stderr().lock();
        // A closed standard error cannot be told anything; the run goes on.
        for warning in loaded.warnings.iter().take(MAX_PROBLEMS) {
            let text = warning.to_string();
            if !printed.contains(&text) {
                let _ = writeln!(stderr, "warning: {text}");
                printed.insert(text);
            }
        }
        let more = loaded.warnings.len().saturating_sub(MAX_PROBLEMS);
        if more > 0 {
            let _ = writeln!(
                stderr,
                "warning: {}: {more} more warnings not shown",
                loaded.file_name()
            );
        }
        match loaded.warnings.len() {
            0 => Ok(()),
            _ if !self.deny => Ok(()),
            n => Err(Diagnostic::file(
                loaded.file_name(),
                format!(
                    "{n} warning{}, and --deny-warnings makes warnings errors",
                    if n == 1 { "" } else { "s" }
                ),
            )),
        }
    }
}

impl Warnings {
    /// Prints warnings that are plain text (`savings import`'s, about a spreadsheet `file`),
    /// as [`Warnings::report`] prints a scenario's; with `--deny-warnings`, an error if there
    /// are any.
    pub fn report_texts(&self, file: &str, texts: &[String]) -> Result<(), Diagnostic> {
        let mut stderr = io::stderr().lock();
        for text in texts.iter().take(MAX_PROBLEMS) {
            let _ = writeln!(stderr, "warning: {text}");
        }
        let more = texts.len().saturating_sub(MAX_PROBLEMS);
        if more > 0 {
            let _ = writeln!(stderr, "warning: {file}: {more} more warnings not shown");
        }
        match texts.len() {
            0 => Ok(()),
            _ if !self.deny => Ok(()),
            n => Err(Diagnostic::file(
                file,
                format!(
                    "{n} warning{}, and --deny-warnings makes warnings errors; nothing was written",
                    if n == 1 { "" } else { "s" }
                ),
            )),
        }
    }
}

/// Where to write `output` (standard output if none) for a run that read the scenario
/// files in `read`: refused at once, before the work, if it would replace one of them or
/// cannot be written.
pub fn destination<'a>(
    output: Option<&Path>,
    read: impl IntoIterator<Item = &'a Sources>,
) -> Result<Destination> {
    Destination::new(output, read.into_iter().flat_map(Sources::iter))
}

/// Writes a finished report in the format the output arguments say, to `to`.
pub fn emit(report: &dyn Report, output: &OutputArgs, to: &Destination) -> Result<Written> {
    to.write(|out| output.format.write(report, out))
}
