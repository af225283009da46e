//! The scenario file format (DOMAIN.md section 7): reading text, the raw serde layer with
//! places, validation into [`crate::model::Scenario`], and the messages for bad input.
//!
//! Data flows one way: [`Source`] (text) -> [`raw::RawFile`] (structure, literals, spans)
//! -> [`crate::model::Scenario`] (validated). Errors at any stage are a [`Diagnostic`].

mod diagnostic;
mod locate;
mod number;
pub mod raw;
mod source;
mod validate;

pub use diagnostic::Diagnostic;
pub use source::{BUILTIN_NAME, BUILTIN_TEXT, Input, MAX_SCENARIO_BYTES, Source};
pub use validate::{MAX_FIGURE, MAX_HORIZON, MAX_OPTIONS, MAX_SERVICES, closest};

use raw::{Loc, SourceId};

use crate::model::Scenario;

/// The texts a scenario was loaded from, so that a message can quote the right file.
#[derive(Debug, Default)]
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

    /// A message about the value written at `at`.
    pub fn diagnostic(&self, at: &Loc, field: Option<String>, message: String) -> Diagnostic {
        match self.get(at.source) {
            Some(source) => {
                Diagnostic::at_span(&source.name, &source.text, at.span.clone(), field, message)
            }
            None => Diagnostic::file("<scenario>", message).with_field(field),
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
        let (message, help) = locate::explain(message, found);
        let diagnostic = Diagnostic::at_span(&source.name, &source.text, span, field, message);
        match help {
            Some(help) => diagnostic.with_help(help),
            None => diagnostic,
        }
    }

    /// A message about field `path` (`service[legal].option[abs].saving`), pointing at where
    /// it is written if it is.
    pub fn diagnostic_for_field(&self, path: Option<&str>, message: String) -> Diagnostic {
        let Some(main) = self.get(SourceId(0)) else {
            return Diagnostic::file("<scenario>", message);
        };
        match path.and_then(|p| locate::span_of(&main.text, p)) {
            Some(span) => Diagnostic::at_span(
                &main.name,
                &main.text,
                span,
                path.map(str::to_string),
                message,
            ),
            None => Diagnostic::file(&main.name, message).with_field(path.map(str::to_string)),
        }
    }
}

/// A validated scenario with the texts it came from (for messages about it later).
#[derive(Debug)]
pub struct Loaded {
    pub scenario: Scenario,
    pub sources: Sources,
}

impl Loaded {
    /// The name of the main file, as the user wrote it.
    pub fn file_name(&self) -> &str {
        self.sources
            .get(SourceId(0))
            .map_or("<scenario>", |s| s.name.as_str())
    }
}

/// Reads, parses and validates the scenario named by `input`.
pub fn load(input: &Input) -> Result<Loaded, Diagnostic> {
    from_source(Source::read(input)?)
}

/// Parses and validates a scenario already read.
pub fn from_source(source: Source) -> Result<Loaded, Diagnostic> {
    let stem = source.stem.clone();
    let text = source.text.clone();
    let mut sources = Sources::default();
    let id = sources.add(source);
    let raw = raw::parse(id, &text).map_err(|e| sources.toml_error(id, &e))?;
    let scenario = validate::validate(&raw, &sources, &stem)?;
    Ok(Loaded { scenario, sources })
}

/// Parses and validates scenario text, as if read from a file called `name`.
pub fn from_text(name: &str, text: &str) -> Result<Scenario, Diagnostic> {
    from_source(Source::from_text(name, text)?).map(|loaded| loaded.scenario)
}
