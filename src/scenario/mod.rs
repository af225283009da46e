//! The scenario file format (docs/model.md section 7): reading text, the raw serde layer with
//! places, validation into [`crate::model::Scenario`], and the messages for bad input.
//!
//! Data flows one way: [`Source`] (text) -> [`raw::RawFile`] (structure, literals, spans)
//! -> [`crate::model::Scenario`] (validated). Errors at any stage are a [`Diagnostic`].

mod diagnostic;
pub mod edit;
pub mod fields;
pub mod locate;
pub mod number;
pub mod raw;
mod recover;
pub mod source;
mod validate;
pub mod write;

pub use diagnostic::{
    Diagnostic, displayed, displayed_lines, first_hidden, shown_name, shown_path,
};
pub use locate::closest;
pub use source::{BUILTIN_NAME, BUILTIN_TEXT, FileId, Input, MAX_SCENARIO_BYTES, Source};
pub use validate::{MAX_FIGURE, MAX_HORIZON, MAX_OPTIONS, MAX_PROBLEMS, MAX_SERVICES};

use std::path::Path;
use std::sync::Arc;

use edit::{EditError, FieldPath};
use raw::{Loc, RawFile, RawKind, RawValue, SourceId};
use source::Used;

use crate::model::Scenario;

/// The texts a scenario was loaded from, so that a message can quote the right file.
#[derive(Clone, Debug, Default)]
pub struct Sources {
    sources: Vec<Source>,
}

impl Sources {
    pub fn add(&mut self, source: Source) -> SourceId {
        self.sources.push(source);
        SourceId(self.sources.len() - 1)
    }

    pub fn get(&self, id: SourceId) -> Option<&Source> {
        self.sources.get(id.0)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Source> {
        self.sources.iter()
    }

    /// A message about the value written at `at`.
    pub fn diagnostic(&self, at: &Loc, field: Option<String>, message: String) -> Diagnostic {
        match self.get(at.source) {
            Some(source) => {
                let d = Diagnostic::at_span_indexed(
                    &source.name,
                    &source.text,
                    source.line_index(),
                    at.span.clone(),
                    field,
                    message,
                );
                if source.typed {
                    d.without_position()
                } else {
                    d
                }
            }
            None => Diagnostic::file("<scenario>", message).with_field(field),
        }
    }

    /// The line `at` is on, for a message that points at another place ("line 12"); 0 where
    /// the source is not known.
    pub fn line_of(&self, at: &Loc) -> usize {
        self.get(at.source)
            .map_or(0, |source| source.line_index().line_of(at.span.start))
    }

    /// Where `at` is, for a message about the value at `from` that points there: "line 12"
    /// in the same file, "line 12 of base.toml" in another, or the override that wrote it.
    pub fn place_of(&self, at: &Loc, from: &Loc) -> String {
        match self.get(at.source) {
            Some(source) if source.typed => source.name.clone(),
            Some(source) if at.source != from.source => {
                format!("line {} of {}", self.line_of(at), shown_name(&source.name))
            }
            _ => format!("line {}", self.line_of(at)),
        }
    }

    /// The start of the main file, for problems with the file as a whole.
    fn start_of_main(&self) -> Loc {
        Loc::default()
    }

    /// A message for an error from the TOML parser or the serde layer.
    fn toml_error(&self, id: SourceId, err: &toml::de::Error) -> Diagnostic {
        let Some(source) = self.get(id) else {
            return Diagnostic::file("<scenario>", err.message().to_string());
        };
        let text = &source.text;
        let placed = err.span().filter(|s| !s.is_empty() || s.start > 0);
        let span = match &placed {
            Some(span) => span.clone(),
            // The parser gives no place for a nesting too deep: the line that nests most is
            // the one to look at.
            None => locate::deepest_line(text),
        };
        let found = text.get(span.clone()).unwrap_or_default();
        let message = err.message();
        if source.extended {
            // A file named by `extends` may not be a scenario at all: name the place and
            // quote nothing beyond the offending text (no line, no keys around it).
            let (message, help) = locate::explain(message, found);
            let diagnostic = match placed {
                Some(span) => Diagnostic::at_token(&source.name, text, span, message),
                None => {
                    let (line, column) = diagnostic::line_column(text, span.start);
                    Diagnostic::at_position(&source.name, line, column, message)
                }
            };
            return match help {
                Some(help) => diagnostic.with_help(help),
                None => diagnostic,
            };
        }
        let field = if message.starts_with("duplicate key") {
            let key = found.trim_matches(['"', '\'']);
            locate::field_of_earlier_key(text, key, span.start)
        } else if placed.is_none() {
            None
        } else {
            locate::field_at(text, &span)
        };
        if message.starts_with("duplicate key")
            && found == "service"
            && locate::option_before_service(text)
        {
            return Diagnostic::at_span(
                &source.name,
                text,
                span,
                None,
                "an option table [[service.option]] comes before the first [[service]]".to_string(),
            )
            .with_help("each [[service.option]] belongs to the [[service]] written above it");
        }
        // A figure written as a spreadsheet shows it (`50%`, `4,200`): point at the figure
        // and say how to write it.
        let (span, field, (message, help)) = match locate::figure_as_shown(text, &span) {
            Some((at, message, help)) => {
                // The parser may have given up on the inline table the figure is in: its
                // key is the one written before it.
                let key = locate::key_before(text, at.start).map(|k| locate::path_key(&k));
                let field = match (locate::field_at(text, &at).or(field), key) {
                    (Some(field), Some(key)) if !field.ends_with(&format!(".{key}")) => {
                        Some(format!("{field}.{key}"))
                    }
                    (field, _) => field,
                };
                (at, field, (message, Some(help)))
            }
            None => (span, field, locate::explain(message, found)),
        };
        let mut diagnostic = Diagnostic::at_span(&source.name, &source.text, span, field, message);
        if source.typed {
            diagnostic = diagnostic.without_position();
        }
        match help {
            Some(help) => diagnostic.with_help(help),
            None => diagnostic,
        }
    }

    /// A message about field `path` (`service[legal].option[abs].saving`), pointing at where
    /// it is written if it is.
    /// A message about field `path` (`service[legal].option[abs].saving`), pointing at where
    /// it is written: in the file itself, or else in the nearest scenario it extends.
    pub fn diagnostic_for_field(&self, path: Option<&str>, message: String) -> Diagnostic {
        let Some(main) = self.get(SourceId(0)) else {
            return Diagnostic::file("<scenario>", message);
        };
        let written = path.and_then(|p| {
            self.sources
                .iter()
                .find_map(|source| locate::span_of(&source.text, p).map(|span| (source, span)))
        });
        match written {
            Some((source, span)) => Diagnostic::at_span_indexed(
                &source.name,
                &source.text,
                source.line_index(),
                span,
                path.map(str::to_string),
                message,
            ),
            None => Diagnostic::file(&main.name, message).with_field(path.map(str::to_string)),
        }
    }

    /// A message about a change made by a command-line override.
    fn edit_error(&self, at: &Loc, error: EditError) -> Diagnostic {
        let name = self
            .get(at.source)
            .map_or("<override>", |s| s.name.as_str());
        let field = (!error.path.is_empty()).then_some(error.path);
        let diagnostic = Diagnostic::file(name, error.message).with_field(field);
        match error.help {
            Some(help) => diagnostic.with_help(help),
            None => diagnostic,
        }
    }
}

/// A change to a scenario given on the command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Override {
    /// `--set PATH=VALUE`: VALUE is a TOML value.
    Set { path: String, value: String },
    /// `--option SERVICE=OPTION`: take another option forward.
    Choose { service: String, option: String },
    /// `--defer SERVICE`: treat the service as deferred.
    Defer { service: String },
}

impl Override {
    /// Reads `PATH=VALUE` (split at the first `=`).
    pub fn set(arg: &str) -> Result<Self, String> {
        let (path, value) = arg
            .split_once('=')
            .ok_or_else(|| format!("expected PATH=VALUE, found {arg:?}"))?;
        Ok(Override::Set {
            path: path.trim().to_string(),
            value: value.trim().to_string(),
        })
    }

    /// Reads `SERVICE=OPTION`.
    pub fn choose(arg: &str) -> Result<Self, String> {
        let (service, option) = arg
            .split_once('=')
            .ok_or_else(|| format!("expected SERVICE=OPTION, found {arg:?}"))?;
        Ok(Override::Choose {
            service: service.trim().to_string(),
            option: option.trim().to_string(),
        })
    }

    pub fn defer(arg: &str) -> Result<Self, String> {
        Ok(Override::Defer {
            service: arg.trim().to_string(),
        })
    }
}

impl std::fmt::Display for Override {
    /// As it would be typed: `--set scenario.overlap=0.5`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Override::Set { path, value } => write!(f, "--set {path}={value}"),
            Override::Choose { service, option } => write!(f, "--option {service}={option}"),
            Override::Defer { service } => write!(f, "--defer {service}"),
        }
    }
}

/// Refuses a service named by two `--option` or `--defer` overrides given together (the same
/// twice, two options, or an option and a deferral): which was meant is not for the program to
/// guess, and the last would otherwise win without a word.
fn check_services_named_once(overrides: &[Override]) -> Result<(), Diagnostic> {
    let mut named: Vec<(&str, &Override)> = Vec::new();
    for change in overrides {
        let service = match change {
            Override::Choose { service, .. } | Override::Defer { service } => service.as_str(),
            Override::Set { .. } => continue,
        };
        if let Some((_, earlier)) = named.iter().find(|(s, _)| *s == service) {
            let message = if *earlier == change {
                "given twice".to_string()
            } else {
                format!(
                    "service `{}` is also named by {}",
                    diagnostic::shown(service, 40),
                    diagnostic::shown(&earlier.to_string(), 80)
                )
            };
            return Err(Diagnostic::file(&change.to_string(), message).with_help(
                "name each service once: --option takes one option forward, --defer takes none",
            ));
        }
        named.push((service, change));
    }
    Ok(())
}

/// A field a `--set` changed, for reports that say which figures the command line set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetField {
    /// The field as messages print it, whatever the spelling typed
    /// (`service[legal].option[abs-partner].saving.central`; see [`edit::set`]).
    pub field: String,
    /// The value, as typed.
    pub value: String,
    /// The override, as typed (`--set 'service[#1].option[#1].saving.central=1.1'`).
    pub typed: String,
}

/// The most scenarios one `extends` chain may hold.
pub const MAX_EXTENDS_DEPTH: usize = 16;

/// A scenario read and laid over the scenarios it extends: the raw layer, ready for
/// overrides and validation. Cloned cheaply enough to try many variants (sweeps, goal seek).
#[derive(Clone, Debug)]
pub struct Prepared {
    raw: RawFile,
    sources: Sources,
    /// The default name (the top file's stem).
    stem: String,
    /// The files read, the top file first, then each scenario it extends.
    pub chain: Vec<String>,
    /// The overrides applied so far, as typed.
    pub overrides: Vec<String>,
    /// The fields the `--set` overrides changed, in the order applied.
    pub set_fields: Vec<SetField>,
}

impl Prepared {
    /// Reads the scenario named by `input` and every scenario it extends.
    pub fn read(input: &Input) -> Result<Self, Diagnostic> {
        let mut sources = Sources::default();
        let mut chain = Chain::default();
        let top = Source::read(input)?;
        let stem = top.stem.clone();
        let raw = read_chain(top, &mut sources, &mut chain, None)?;
        Ok(Self {
            raw,
            sources,
            stem,
            chain: chain.names,
            overrides: Vec::new(),
            set_fields: Vec::new(),
        })
    }

    /// Applies overrides given together (one command line, or one `--against`), in order,
    /// after checking that no service is named by two of them.
    pub fn apply_all(&mut self, overrides: &[Override]) -> Result<(), Diagnostic> {
        check_services_named_once(overrides)?;
        for change in overrides {
            self.apply(change)?;
        }
        Ok(())
    }

    /// Applies one override; a bad path or value is a message naming it.
    pub fn apply(&mut self, change: &Override) -> Result<(), Diagnostic> {
        let described = change.to_string();
        // Messages name the override by its path and the start of its value: the value
        // itself is quoted under it, so a 100 kB value is not printed twice.
        let label = match change {
            Override::Set { path, value } => {
                format!("--set {path}={}", diagnostic::shown(value, 40))
            }
            _ => described.clone(),
        };
        let id = self.sources.add(Source::named(
            &label,
            match change {
                Override::Set { value, .. } => value,
                _ => "",
            },
        ));
        let at = Loc {
            source: id,
            span: 0..0,
        };
        let result = match change {
            Override::Set { path, .. } => {
                let field = FieldPath::parse(path).map_err(|message| EditError {
                    path: String::new(),
                    message,
                    help: Some("paths are written as error messages print them: service[legal].option[abs-partner].saving.central".into()),
                });
                let text = self
                    .sources
                    .get(id)
                    .map(|s| s.text.clone())
                    .unwrap_or_default();
                match (field, raw::parse_value(id, &text)) {
                    (Err(e), _) => Err(e),
                    (Ok(field), Err(e)) => {
                        let d = self
                            .sources
                            .toml_error(id, &e)
                            .with_field(Some(field.to_string()));
                        return Err(if d.details().help.is_some() {
                            d
                        } else {
                            d.with_help("VALUE is a TOML value: numbers as written (1.1), text in quotes (\"2017-06\"), tables in braces")
                        });
                    }
                    (Ok(field), Ok(value)) => edit::set(&mut self.raw, &field, value).map(Some),
                }
            }
            Override::Choose { service, option } => {
                edit::choose(&mut self.raw, service, option, at.clone()).map(|()| None)
            }
            Override::Defer { service } => {
                edit::defer(&mut self.raw, service, at.clone()).map(|()| None)
            }
        };
        let set = result.map_err(|e| self.sources.edit_error(&at, e))?;
        if let (Some(field), Override::Set { value, .. }) = (set, change) {
            self.set_fields.push(SetField {
                field,
                value: value.clone(),
                typed: described.clone(),
            });
        }
        self.overrides.push(described);
        Ok(())
    }

    /// Sets `path` to a value made by the program (a sweep or goal-seek point), recorded
    /// under `label`; `text` is the value as shown in messages.
    pub fn set_value(
        &mut self,
        label: &str,
        path: &FieldPath,
        text: &str,
        kind: RawKind,
    ) -> Result<(), Diagnostic> {
        let id = self.sources.add(Source::named(label, text));
        let at = Loc {
            source: id,
            span: 0..text.len(),
        };
        edit::set(
            &mut self.raw,
            path,
            RawValue {
                kind,
                at: at.clone(),
            },
        )
        .map(|_| ())
        .map_err(|e| self.sources.edit_error(&at, e))
    }

    /// Validates the scenario as it now stands.
    pub fn validate(&self) -> Result<Loaded, Diagnostic> {
        let validated = validate::validate(&self.raw, &self.sources, &self.stem)?;
        Ok(Loaded {
            scenario: validated.scenario,
            warnings: validated.warnings,
            sources: self.sources.clone(),
            chain: self.chain.clone(),
            overrides: self.overrides.clone(),
            set_fields: self.set_fields.clone(),
        })
    }

    /// The texts read (the scenario, what it extends) and the overrides applied.
    pub fn sources(&self) -> &Sources {
        &self.sources
    }

    /// The raw layer as it now stands.
    pub fn raw(&self) -> &RawFile {
        &self.raw
    }
}

/// The scenarios read so far in an `extends` chain: the file each was read from (where it
/// was), its name as written, and how much of the limits they have used together.
#[derive(Default)]
struct Chain {
    files: Vec<Option<FileId>>,
    names: Vec<String>,
    used: Used,
}

impl Chain {
    /// Where `source` is already in the chain: the same file, by whatever name, or (for the
    /// built-in scenario and standard input) the same name.
    fn position(&self, source: &Source) -> Option<usize> {
        self.files
            .iter()
            .zip(&self.names)
            .position(|(file, name)| match (file, &source.file) {
                (Some(a), Some(b)) => a == b,
                (None, None) => *name == source.name,
                _ => false,
            })
    }
}

/// Reads `source` and, if it extends another scenario, that one first, laying each over its
/// parent. `extended_at` is where the child named this file (for messages).
fn read_chain(
    source: Source,
    sources: &mut Sources,
    chain: &mut Chain,
    extended_at: Option<&Loc>,
) -> Result<RawFile, Diagnostic> {
    let stop = |message: String, sources: &Sources| match extended_at {
        Some(at) => sources.diagnostic(at, Some("scenario.extends".into()), message),
        None => Diagnostic::file(&source.name, message),
    };
    if let Some(first) = chain.position(&source) {
        let mut cycle: Vec<&str> = chain.names[first..].iter().map(String::as_str).collect();
        cycle.push(&source.name);
        return Err(stop(
            format!(
                "the scenarios extend each other in a cycle: {}",
                cycle.join(" -> ")
            ),
            sources,
        ));
    }
    if chain.names.len() >= MAX_EXTENDS_DEPTH {
        return Err(stop(
            format!(
                "more than {MAX_EXTENDS_DEPTH} scenarios in one extends chain: {}",
                chain.names.join(" -> ")
            ),
            sources,
        ));
    }
    chain.files.push(source.file.clone());
    chain.names.push(source.name.clone());
    chain.used = chain.used.and(&source);
    let text = source.text.clone();
    let base = source.folder();
    let id = sources.add(source);
    let mut raw = parse_all(id, &text, sources)?;
    let Some(extends) = raw.scenario.as_mut().and_then(|s| s.value.extends.take()) else {
        return Ok(raw);
    };
    let RawKind::String(parent_name) = &extends.kind else {
        return Err(sources.diagnostic(
            &extends.at,
            Some("scenario.extends".into()),
            format!(
                "expected the file to extend, in quotes, found {}",
                extends.kind.describe()
            ),
        ));
    };
    let parent_input = match parent_name.as_str() {
        "builtin:" | BUILTIN_NAME => Input::Builtin,
        path => Input::Path(base.join(path)),
    };
    if let Input::Path(path) = &parent_input
        && !is_toml(path)
    {
        // Whatever else it is (a key file, say), it is not read: a message about it would
        // quote it.
        return Err(sources
            .diagnostic(
                &extends.at,
                Some("scenario.extends".into()),
                format!(
                    "{} (the scenario this one extends): is not a scenario file; extends names a file ending .toml, or builtin:",
                    shown_path(path)
                ),
            ));
    }
    let parent = Source::read_within(&parent_input, chain.used).map_err(|e| {
        sources
            .diagnostic(
                &extends.at,
                Some("scenario.extends".into()),
                format!(
                    "{} (the scenario this one extends): {}",
                    e.details().file,
                    e.details().message
                ),
            )
            .with_help(format!(
                "extends chain: {} -> {}",
                chain.names.join(" -> "),
                e.details().file
            ))
    })?;
    let parent = Source {
        extended: true,
        ..parent
    };
    written_once(&raw, sources)?;
    let mut merged = read_chain(parent, sources, chain, Some(&extends.at))?;
    edit::overlay(&mut merged, raw).map_err(|e| {
        let field = Some(e.path.clone());
        let at = Loc {
            source: id,
            span: locate::span_of(&text, &e.path).unwrap_or(0..0),
        };
        sources.diagnostic(&at, field, e.message)
    })?;
    Ok(merged)
}

/// Files up to this size are read again after each problem with their shape, to report the
/// next; a larger one reports the first (reading it twenty times would take seconds).
const RECOVER_BYTES: usize = 1 << 20;

/// Parses `text` into the raw layer. A problem with the file's shape (an unknown field, a value
/// of the wrong kind) is reported and reading goes on past it ([`recover`]), so that every such
/// problem is reported in one run, up to [`MAX_PROBLEMS`]; a TOML syntax error stops there.
/// Nothing is validated while the shape is wrong: a misspelt field would be reported again as
/// missing.
fn parse_all(id: SourceId, text: &Arc<str>, sources: &Sources) -> Result<RawFile, Diagnostic> {
    let mut problems = Vec::new();
    let mut current = Arc::clone(text);
    let mut stopped = false;
    loop {
        let error = match raw::parse(id, &current) {
            Ok(raw) if problems.is_empty() => return Ok(raw),
            Ok(_) => break,
            Err(error) => error,
        };
        problems.push(sources.toml_error(id, &error));
        if text.len() > RECOVER_BYTES {
            break;
        }
        if problems.len() >= MAX_PROBLEMS {
            stopped = true;
            break;
        }
        let next = error
            .span()
            .and_then(|span| recover::without_statement_at(&current, span.start))
            .filter(|next| **next != *current);
        match next {
            Some(next) => current = Arc::from(next),
            None => break,
        }
    }
    let name = sources.get(id).map_or("<scenario>", |s| s.name.as_str());
    Err(Diagnostic::all(problems, stopped, name)
        .unwrap_or_else(|| Diagnostic::file(name, "the scenario cannot be read".to_string())))
}

/// In a scenario laid over another, each service, and each option of a service, is written
/// once: a second table with the same id would be laid over the first without a word (in a
/// scenario that extends none, validation refuses it the same way).
fn written_once(raw: &RawFile, sources: &Sources) -> Result<(), Diagnostic> {
    fn id_of(value: &Option<RawValue>) -> Option<(&str, &Loc)> {
        match value {
            Some(RawValue {
                kind: RawKind::String(id),
                at,
            }) => Some((id, at)),
            _ => None,
        }
    }
    let twice = |what: &str, id: &str, at: &Loc, field: String| {
        sources.diagnostic(
            at,
            Some(field),
            format!(
                "{what} id \"{}\" is written twice in this file; in a scenario that extends another, write each {what} once (its fields replace the parent's)",
                diagnostic::shown(id, 60)
            ),
        )
    };
    let mut services = std::collections::HashSet::new();
    for service in &raw.service {
        let Some((id, at)) = id_of(&service.value.id) else {
            continue;
        };
        if !services.insert(id) {
            return Err(twice("service", id, at, format!("service[{id}].id")));
        }
        let mut options = std::collections::HashSet::new();
        for option in &service.value.option {
            if let Some((option_id, at)) = id_of(&option.value.id)
                && !options.insert(option_id)
            {
                return Err(twice(
                    "option",
                    option_id,
                    at,
                    format!("service[{id}].option[{option_id}].id"),
                ));
            }
        }
    }
    Ok(())
}

/// Whether `path` names a scenario file: its name ends `.toml` (in any case).
fn is_toml(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("toml"))
}

/// A validated scenario with the texts it came from (for messages about it later), the
/// scenarios it extends and the overrides applied.
#[derive(Debug)]
pub struct Loaded {
    pub scenario: Scenario,
    /// What is allowed but looks like a slip (a go-live after the horizon, say), for the
    /// command to print before its output.
    pub warnings: Vec<Diagnostic>,
    pub sources: Sources,
    pub chain: Vec<String>,
    pub overrides: Vec<String>,
    /// The fields the `--set` overrides changed.
    pub set_fields: Vec<SetField>,
}

impl Loaded {
    /// The name of the main file, as the user wrote it.
    pub fn file_name(&self) -> &str {
        self.sources
            .get(SourceId(0))
            .map_or("<scenario>", |s| s.name.as_str())
    }
}

/// Reads, parses and validates the scenario named by `input`, with `overrides` applied.
pub fn load_with(input: &Input, overrides: &[Override]) -> Result<Loaded, Diagnostic> {
    let mut prepared = Prepared::read(input)?;
    prepared.apply_all(overrides)?;
    prepared.validate()
}

/// Reads, parses and validates the scenario named by `input`.
pub fn load(input: &Input) -> Result<Loaded, Diagnostic> {
    load_with(input, &[])
}

/// Parses and validates a scenario already read (no `extends`).
pub fn from_source(source: Source) -> Result<Loaded, Diagnostic> {
    let stem = source.stem.clone();
    let mut sources = Sources::default();
    let mut chain = Chain::default();
    let raw = read_chain(source, &mut sources, &mut chain, None)?;
    let validated = validate::validate(&raw, &sources, &stem)?;
    Ok(Loaded {
        scenario: validated.scenario,
        warnings: validated.warnings,
        sources,
        chain: chain.names,
        overrides: Vec::new(),
        set_fields: Vec::new(),
    })
}

/// Reads, parses and validates the bytes of a scenario file called `name` (no `extends`
/// beyond `builtin:` and files relative to the working folder), as the command line would.
pub fn from_bytes(name: &str, bytes: &[u8]) -> Result<Loaded, Diagnostic> {
    from_source(Source::from_bytes(name, "fuzz".to_string(), bytes)?)
}

/// Parses and validates scenario text, as if read from a file called `name`.
pub fn from_text(name: &str, text: &str) -> Result<Scenario, Diagnostic> {
    from_source(Source::from_text(name, text)?).map(|loaded| loaded.scenario)
}
