//! `savings import`: reads the flags, the spreadsheet and (with `--extends`) the scenario it
//! extends; runs the import's stages (src/import); checks that the scenario written loads;
//! then prints the dry run or writes the scenario, once, atomically.

use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use anyhow::{Result, anyhow, bail};

use super::{Warnings, destination};
use crate::cli::{AmountsArg, ImportArgs, SignArg};
use crate::exit::Exit;
use crate::import::grid::parse_column;
use crate::import::words::{self, Role};
use crate::import::write::{self, Parent, Settings, TODO_MARKER};
use crate::import::{self, ImportError, Month, Options, Problem, Sign, read};
use crate::import_report;
use crate::model::{Basis, FinancialYear, Rag, Status};
use crate::scenario::{self, FileId, Input, Source, first_hidden, shown_name, shown_path};

pub fn run(args: &ImportArgs, warnings: &Warnings) -> Result<Exit> {
    let shown = shown_path(&args.file);
    let (options, base_year) = options_of(args).map_err(|problems| {
        ImportError::from_problems("savings import", problems).map_or_else(
            || anyhow!("the flags could not be read"),
            anyhow::Error::new,
        )
    })?;
    if let Some(output) = &args.output
        && let (Some(a), Some(b)) = (FileId::of_path(output), FileId::of_path(&args.file))
        && a == b
    {
        bail!(
            "cannot write {}: it is the spreadsheet this import reads ({shown}); choose another output file",
            shown_path(output)
        );
    }
    let parent = match &args.extends {
        Some(arg) => Some(load_parent(arg, args.output.as_deref())?),
        None => None,
    };
    let destination = if args.dry_run {
        None
    } else {
        let read = parent.as_ref().map(|(_, loaded)| &loaded.sources);
        Some(destination(args.output.as_deref(), read)?)
    };

    let book = read::read(&args.file, &shown)?;
    // The report's own workbook reads back whole (docs/model.md section 12).
    if book.kind == import::grid::Kind::Xlsx {
        let names: Vec<String> = book.sheets.iter().map(|s| s.name.clone()).collect();
        if let Some(imported) = import_report::read_if_ours(&args.file, &shown, &names)? {
            if let Some(flag) = council_flag(args) {
                bail!(
                    "{shown}: {flag} does not apply: the file is a workbook written by savings report --format xlsx, which reads back whole (docs/model.md section 12)"
                );
            }
            let notes: Vec<String> = imported
                .notes
                .iter()
                .map(|n| format!("{shown}: {n}"))
                .collect();
            warnings.report_texts(&shown, &notes)?;
            if args.dry_run {
                let mut stdout = io::stdout().lock();
                let _ = stdout.write_all(imported.text.as_bytes());
                let _ = stdout.flush();
            } else if let Some(destination) = destination {
                destination
                    .write(|out| out.write_all(imported.text.as_bytes()).map_err(Into::into))?;
            }
            return Ok(Exit::Success);
        }
    }
    let plan = import::plan_from_workbook(&book, &options)?;
    let fail = |problem: Problem| ImportError::one(&shown, problem);
    if !plan
        .year_columns
        .iter()
        .any(|c| c.block == words::Block::Plan)
        && parent.is_none()
    {
        return Err(fail(Problem::new(
            "the table has delivered or forecast figures but no plan: a scenario's lines need their plan",
        )
        .help("add the lines to the scenario that holds their plan: --extends PLAN.toml"))
        .into());
    }
    if let (Some((parent, loaded)), Some(unit)) = (&parent, &plan.unit)
        && loaded.scenario.unit != unit.value
    {
        return Err(fail(
            Problem::new(format!(
                "the sheet's unit is {} ({}), but {} is in {}; figures are never scaled",
                unit.value, unit.from, parent.path, loaded.scenario.unit
            ))
            .field("unit"),
        )
        .into());
    }
    let settings = Settings {
        command: command_line(),
        base_year,
        parent: parent.as_ref().map(|(p, _)| p.clone()),
    };
    let frame = write::frame(&plan, &settings).map_err(fail)?;
    let text = write::scenario_text(&plan, &settings).map_err(fail)?;
    let mut notes: Vec<String> = plan
        .warnings
        .iter()
        .map(|w| format!("{shown}: {w}"))
        .collect();
    // A total that does not add up is a warning, or with --check-totals the check that fails
    // (named after the output is written, as the other checks are).
    let mismatches: Vec<String> = plan
        .mismatches()
        .map(|(total, check)| {
            format!(
                "{shown}: {}",
                check.describe(&plan.sheet, total.label.as_deref())
            )
        })
        .collect();
    if !args.check_totals {
        notes.extend(mismatches.iter().cloned());
    }
    notes.extend(verify(&text, args.output.as_deref())?);
    warnings.report_texts(&shown, &notes)?;

    let mismatched = !mismatches.is_empty();
    if args.dry_run {
        let report = import::dryrun::report(&plan, Some(&frame));
        let mut stdout = io::stdout().lock();
        let _ = stdout.write_all(report.as_bytes());
        let _ = stdout.flush();
    } else if let Some(destination) = destination {
        destination.write(|out| out.write_all(text.as_bytes()).map_err(Into::into))?;
    }
    if args.check_totals && mismatched {
        let mut stderr = io::stderr().lock();
        for mismatch in &mismatches {
            let _ = writeln!(stderr, "check failed: --check-totals: {mismatch}");
        }
        return Ok(Exit::CheckFailed);
    }
    Ok(Exit::Success)
}

/// The first flag given that shapes how a council's table is read, which the report's own
/// workbook does not take.
fn council_flag(args: &ImportArgs) -> Option<&'static str> {
    [
        ("--sheet", args.sheet.is_some()),
        ("--header-row", args.header_row.is_some()),
        ("--columns", !args.columns.is_empty()),
        ("--amounts", args.amounts.is_some()),
        ("--unit", args.unit.is_some()),
        ("--savings-sign", args.savings_sign.is_some()),
        ("--status", !args.status.is_empty()),
        ("--rag", !args.rag.is_empty()),
        ("--base-year", args.base_year.is_some()),
        ("--extends", args.extends.is_some()),
        ("--as-at", args.as_at.is_some()),
        ("--check-totals", args.check_totals),
    ]
    .into_iter()
    .find_map(|(flag, given)| given.then_some(flag))
}

/// Loads the scenario `--extends` names, and how the written file will name it (relative to
/// the output file's folder, or the current folder for standard output).
fn load_parent(arg: &str, output: Option<&Path>) -> Result<(Parent, scenario::Loaded)> {
    let input = Input::from_arg(arg);
    let path = match &input {
        Input::Stdin => {
            bail!("--extends -: the scenario extended must be a file, not standard input")
        }
        Input::Builtin => "builtin:".to_string(),
        Input::Path(path) => {
            let folder = output
                .and_then(Path::parent)
                .filter(|p| !p.as_os_str().is_empty())
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
            relative_to(&folder, path).ok_or_else(|| {
                anyhow!(
                    "--extends {}: cannot find the file (or the output's folder) to write the path to it",
                    shown_path(path)
                )
            })?
        }
    };
    let loaded = scenario::load(&input).map_err(anyhow::Error::new)?;
    let parent = Parent {
        path,
        base_year: loaded.scenario.base_year,
        horizon: loaded.scenario.horizon,
        unit: loaded.scenario.unit.clone(),
    };
    Ok((parent, loaded))
}

/// `target` as a path from `folder`, with `/` between parts (`../plans/budget.toml`).
fn relative_to(folder: &Path, target: &Path) -> Option<String> {
    let folder = fs::canonicalize(folder).ok()?;
    let target = fs::canonicalize(target).ok()?;
    let from: Vec<Component> = folder.components().collect();
    let to: Vec<Component> = target.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_string(); from.len() - common];
    parts.extend(
        to[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    Some(parts.join("/"))
}

/// Loads the text the import would write, as `savings check` would, and returns its
/// warnings other than the `TODO(import)` ones the import left on purpose. A scenario that
/// does not load is an error: nothing is written.
fn verify(text: &str, output: Option<&Path>) -> Result<Vec<String>> {
    let name = output.map_or_else(|| "<stdout>".to_string(), shown_path);
    let path = output.map_or_else(|| PathBuf::from("import.toml"), Path::to_path_buf);
    let source = Source {
        name: name.clone(),
        path: Some(path),
        file: None,
        stem: "import".to_string(),
        text: Arc::from(text),
        extended: false,
        typed: false,
        lines: std::sync::OnceLock::new(),
    };
    let loaded = scenario::from_source(source).map_err(|e| {
        anyhow!("the scenario the import would write does not load, so nothing was written:\n{e}")
    })?;
    Ok(loaded
        .warnings
        .iter()
        .map(ToString::to_string)
        .filter(|w| !w.contains(TODO_MARKER))
        .collect())
}

/// The command line as typed, quoted as a shell would need it.
fn command_line() -> String {
    let mut words = vec!["savings".to_string()];
    for arg in std::env::args().skip(1) {
        words.push(match shlex::try_quote(&arg) {
            Ok(quoted) => quoted.into_owned(),
            Err(_) => format!("{arg:?}"),
        });
    }
    shown_name(&words.join(" "))
}

/// The flags, read; every problem with them at once.
fn options_of(args: &ImportArgs) -> Result<(Options, Option<FinancialYear>), Vec<Problem>> {
    let mut problems = Vec::new();
    let mut options = Options {
        sheet: args.sheet.clone(),
        header_row: args.header_row.map(|n| n - 1),
        amounts: args.amounts.map(|a| match a {
            AmountsArg::Levels => Basis::Levels,
            AmountsArg::Increments => Basis::Increments,
        }),
        sign: args.savings_sign.map(|s| match s {
            SignArg::Negative => Sign::Negative,
            SignArg::Positive => Sign::Positive,
        }),
        status_from_parent: args.extends.is_some(),
        ..Options::default()
    };
    for list in &args.columns {
        for pair in list.split(',').filter(|p| !p.trim().is_empty()) {
            let flag = |m: String| Problem::new(m).field("--columns");
            let Some((role, column)) = pair.split_once('=') else {
                problems.push(flag(format!(
                    "{pair:?} is not ROLE=COLUMN (ref=A, line=B, area=C, status=D, rag=E, 2025/26=F)"
                )));
                continue;
            };
            let col = match parse_column(column) {
                Ok(col) => col,
                Err(e) => {
                    problems.push(flag(e));
                    continue;
                }
            };
            if let Some(role) = Role::parse(role) {
                if options.columns.iter().any(|(r, _)| *r == role) {
                    problems.push(flag(format!("{} is given twice", role.name())));
                }
                options.columns.push((role, col));
            } else if let Ok(year) = FinancialYear::parse(role.trim()) {
                options.year_columns.push((year, col));
            } else {
                problems.push(flag(format!(
                    "{role:?} is not a role: the roles are ref, line, area, status, rag, and a plan year such as 2025/26"
                )));
            }
        }
    }
    for pair in &args.status {
        match pair.rsplit_once('=') {
            Some((word, status)) => match Status::ALL
                .iter()
                .find(|s| s.name() == status.trim().to_lowercase())
            {
                Some(s) => options.statuses.push((word.to_string(), *s)),
                None => problems.push(
                    Problem::new(format!(
                        "{status:?} is not a status: write approved, proposed, in-base or withdrawn"
                    ))
                    .field("--status"),
                ),
            },
            None => problems.push(
                Problem::new(format!("{pair:?} is not WORD=STATUS (\"Agreed=approved\")"))
                    .field("--status"),
            ),
        }
    }
    for pair in &args.rag {
        match pair.rsplit_once('=') {
            Some((word, rag)) => match Rag::ALL
                .iter()
                .find(|r| r.name() == rag.trim().to_lowercase())
            {
                Some(r) => options.rags.push((word.to_string(), *r)),
                None => problems.push(
                    Problem::new(format!(
                        "{rag:?} is not a RAG rating: write red, amber, green or blue"
                    ))
                    .field("--rag"),
                ),
            },
            None => problems.push(
                Problem::new(format!("{pair:?} is not WORD=RAG (\"At risk=amber\")"))
                    .field("--rag"),
            ),
        }
    }
    if let Some(unit) = &args.unit {
        let unit = unit.trim();
        if words::is_only_unit(unit) {
            options.unit = words::unit_in(unit).map(str::to_string);
        } else if unit.is_empty() || unit.chars().count() > 16 || first_hidden(unit).is_some() {
            problems.push(
                Problem::new(format!(
                    "{unit:?} is not a unit: write £000 or £m (or short plain text, up to 16 characters)"
                ))
                .field("--unit"),
            );
        } else {
            options.unit = Some(unit.to_string());
        }
    }
    if let Some(text) = &args.as_at {
        match Month::parse(text) {
            Ok(month) => options.as_at = Some(month),
            Err(e) => problems.push(Problem::new(e).field("--as-at")),
        }
    }
    let base_year = match &args.base_year {
        Some(text) => match FinancialYear::parse(text.trim()) {
            Ok(year) => Some(year),
            Err(e) => {
                problems.push(Problem::new(e).field("--base-year"));
                None
            }
        },
        None => None,
    };
    if args.extends.is_some() && args.base_year.is_some() {
        problems.push(
            Problem::new("--base-year and --extends: the scenario extended sets the base year")
                .field("--base-year"),
        );
    }
    if problems.is_empty() {
        Ok((options, base_year))
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_made_relative_to_the_output_folder() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        fs::create_dir_all(dir.path().join("a/b"))?;
        fs::create_dir_all(dir.path().join("c"))?;
        fs::write(dir.path().join("c/plan.toml"), "")?;
        assert_eq!(
            relative_to(&dir.path().join("a/b"), &dir.path().join("c/plan.toml")).as_deref(),
            Some("../../c/plan.toml")
        );
        assert_eq!(
            relative_to(&dir.path().join("c"), &dir.path().join("c/plan.toml")).as_deref(),
            Some("plan.toml")
        );
        Ok(())
    }
}
