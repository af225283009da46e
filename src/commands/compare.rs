//! `savings compare`: scenarios side by side, with differences from the first.

use std::io::{self, Write};

use anyhow::{Result, bail};

use super::{Projected, Warnings, destination, emit, load, prepare, project};
use crate::analysis::compare::{Variant, compare};
use crate::cli::CompareArgs;
use crate::exit::Exit;
use crate::output::compare::CompareReport;
use crate::output::sink::Written;
use crate::scenario::Override;

/// The most scenarios one comparison takes (labelled A to Z).
const MAX_VARIANTS: usize = 26;

pub fn run(args: &CompareArgs, warnings: &Warnings) -> Result<Exit> {
    let common = args.overrides.all();
    let mut projected: Vec<(Projected, String)> = Vec::new();
    match &args.against {
        Some(against) => {
            let [scenario] = args.scenarios.as_slice() else {
                bail!(
                    "--against compares one scenario with itself changed: give one scenario, not {}",
                    args.scenarios.len()
                );
            };
            let changes = parse_against(against)?;
            // Read once (standard input cannot be read twice), then changed in a copy.
            let prepared = prepare(Some(scenario), &common)?;
            let a = project(&prepared)?;
            warnings.report(&a.loaded)?;
            let description = describe(&a);
            projected.push((a, description));
            let mut changed = prepared;
            changed.apply_all(&changes)?;
            let b = project(&changed)?;
            warnings.report(&b.loaded)?;
            let description = describe(&b);
            projected.push((b, description));
        }
        None => {
            if args.scenarios.len() < 2 {
                bail!(
                    "compare needs two scenarios or more (A B ...), or one with --against 'OVERRIDES'"
                );
            }
            if args.scenarios.len() > MAX_VARIANTS {
                bail!("compare takes at most {MAX_VARIANTS} scenarios");
            }
            for scenario in &args.scenarios {
                let p = load(Some(scenario), &common, warnings)?;
                let description = describe(&p);
                projected.push((p, description));
            }
        }
    }
    let to = destination(
        args.output.output.as_deref(),
        projected.iter().map(|(p, _)| &p.loaded.sources),
    )?;
    let variants: Vec<Variant> = projected
        .iter()
        .enumerate()
        .map(|(i, (p, description))| Variant {
            label: char::from(b'A' + i as u8).to_string(),
            description: description.clone(),
            scenario: &p.loaded.scenario,
            projection: &p.projection,
        })
        .collect();
    let differences = variants
        .iter()
        .skip(1)
        .map(|x| compare(&variants[0], x))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| anyhow::anyhow!("cannot compute a difference: {e}"))?;
    let report = CompareReport {
        variants: &variants,
        differences: &differences,
        dp: args.output.dp,
    };
    let written = emit(&report, &args.output, &to)?;
    let different: Vec<&str> = variants
        .iter()
        .skip(1)
        .zip(&differences)
        .filter(|(_, d)| !d.identical)
        .map(|(v, _)| v.label.as_str())
        .collect();
    if !args.check_same || different.is_empty() || written == Written::ReaderGone {
        return Ok(Exit::Success);
    }
    let _ = writeln!(
        io::stderr().lock(),
        "check failed: --check-same: {} differ{} from A",
        different.join(", "),
        if different.len() == 1 { "s" } else { "" }
    );
    Ok(Exit::CheckFailed)
}

/// The file, what it extends and the overrides applied, in words.
fn describe(p: &Projected) -> String {
    let mut text = p.file_name().to_string();
    if !p.extends().is_empty() {
        text.push_str(&format!(" (extending {})", p.extends().join(", ")));
    }
    if !p.loaded.overrides.is_empty() {
        text.push_str(&format!(" with {}", p.loaded.overrides.join(" ")));
    }
    text
}

/// Reads `--against '--set A=B --option S=O --defer S'` into overrides.
fn parse_against(text: &str) -> Result<Vec<Override>> {
    let Some(words) = shlex::split(text) else {
        bail!("--against {text:?}: unbalanced quotes");
    };
    let mut changes = Vec::new();
    let mut words = words.into_iter();
    while let Some(word) = words.next() {
        let (flag, inline) = match word.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_string(), Some(value.to_string()))
            }
            _ => (word.clone(), None),
        };
        let mut value = || inline.clone().or_else(|| words.next());
        let change = match flag.as_str() {
            "--set" => value().map(|v| Override::set(&v)),
            "--option" => value().map(|v| Override::choose(&v)),
            "--defer" => value().map(|v| Override::defer(&v)),
            other => bail!(
                "--against: {other:?} is not an override; use --set PATH=VALUE, --option SERVICE=OPTION or --defer SERVICE"
            ),
        };
        match change {
            Some(Ok(change)) => changes.push(change),
            Some(Err(message)) => bail!("--against: {message}"),
            None => bail!("--against: {flag} needs a value"),
        }
    }
    if changes.is_empty() {
        bail!("--against names no override");
    }
    Ok(changes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn against_reads_overrides_as_typed() -> Result<()> {
        let changes = parse_against(
            "--set scenario.overlap=0.5 --option=libraries=in-house --defer property",
        )?;
        assert_eq!(
            changes,
            vec![
                Override::set("scenario.overlap=0.5").map_err(anyhow::Error::msg)?,
                Override::choose("libraries=in-house").map_err(anyhow::Error::msg)?,
                Override::defer("property").map_err(anyhow::Error::msg)?,
            ]
        );
        let quoted = parse_against("--set 'service[legal].option[abs-partner].start=\"2017-06\"'")?;
        assert_eq!(quoted.len(), 1);
        assert!(parse_against("--frobnicate x").is_err());
        assert!(parse_against("--set").is_err());
        assert!(parse_against("").is_err());
        Ok(())
    }
}
