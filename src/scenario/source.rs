//! Where a scenario's text comes from: a file, standard input, or the built-in Kent scenario,
//! read with the limits of DOMAIN.md section 7 (16 MiB, UTF-8, a byte-order mark allowed).

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use super::diagnostic::Diagnostic;

/// Files above this size are refused before parsing.
pub const MAX_SCENARIO_BYTES: u64 = 16 * 1024 * 1024;

/// Most lines plus list items (newlines and commas) a scenario may have. The largest valid
/// scenario (10,000 services) needs about 300,000; the cap bounds the parser's memory for
/// files that are within the size limit but made of nothing but items.
pub const MAX_SCENARIO_ITEMS: usize = 1_000_000;

/// The shipped Kent scenario, embedded so that `savings` works from any directory.
pub const BUILTIN_TEXT: &str = include_str!("../../scenarios/kcc-2014-phase1.toml");
/// How the built-in scenario is named in messages and outputs.
pub const BUILTIN_NAME: &str = "builtin:kcc-2014-phase1.toml";

/// A scenario argument as the user wrote it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// `builtin:` (or no argument): the embedded Kent scenario.
    Builtin,
    /// `-`: standard input.
    Stdin,
    Path(PathBuf),
}

impl Input {
    /// `-` is standard input; `builtin:` or `builtin:kcc-2014-phase1.toml` the embedded
    /// scenario; anything else a path.
    pub fn from_arg(arg: &str) -> Self {
        match arg {
            "-" => Input::Stdin,
            "builtin:" | BUILTIN_NAME => Input::Builtin,
            path => Input::Path(PathBuf::from(path)),
        }
    }
}

/// A scenario's text with the name it is reported under.
#[derive(Clone, Debug)]
pub struct Source {
    /// The name in messages: the path as given, `<stdin>` or `builtin:...`.
    pub name: String,
    /// The file it was read from, if any (to find the scenarios it extends).
    pub path: Option<PathBuf>,
    /// The default scenario name: the file's stem.
    pub stem: String,
    /// The text, without a byte-order mark.
    pub text: Rc<str>,
}

impl Source {
    /// A source from text already in memory (tests, the built-in scenario).
    pub fn from_text(name: &str, text: &str) -> Result<Self, Diagnostic> {
        Self::from_bytes(name, stem_of(Path::new(name)), text.as_bytes())
    }

    /// A short text given on the command line (the VALUE of `--set`), named as typed.
    pub fn named(name: &str, text: &str) -> Self {
        Self {
            name: name.to_string(),
            path: None,
            stem: String::new(),
            text: Rc::from(text),
        }
    }

    /// What identifies this source in an `extends` chain: the canonical path of a file, or
    /// its name.
    pub fn identity(&self) -> String {
        self.path
            .as_ref()
            .and_then(|p| fs::canonicalize(p).ok())
            .map_or_else(|| self.name.clone(), |p| p.display().to_string())
    }

    /// The folder that relative `extends` paths start from: the file's own, or the current
    /// folder for standard input and the built-in scenario.
    pub fn folder(&self) -> PathBuf {
        self.path
            .as_ref()
            .and_then(|p| p.parent())
            .map_or_else(PathBuf::new, Path::to_path_buf)
    }

    /// Reads the scenario named by `input`.
    pub fn read(input: &Input) -> Result<Self, Diagnostic> {
        match input {
            Input::Builtin => Self::from_text(BUILTIN_NAME, BUILTIN_TEXT),
            Input::Stdin => {
                let mut bytes = Vec::new();
                io::stdin()
                    .lock()
                    .take(MAX_SCENARIO_BYTES + 1)
                    .read_to_end(&mut bytes)
                    .map_err(|e| {
                        Diagnostic::file("<stdin>", format!("cannot read standard input: {e}"))
                    })?;
                Self::from_bytes("<stdin>", "stdin".to_string(), &bytes)
            }
            Input::Path(path) => {
                let name = path.display().to_string();
                let cannot = |e: io::Error| {
                    Diagnostic::file(&name, format!("cannot read the scenario: {e}"))
                };
                let file = fs::File::open(path).map_err(cannot)?;
                let metadata = file.metadata().map_err(cannot)?;
                if metadata.is_dir() {
                    return Err(Diagnostic::file(
                        &name,
                        "is a directory; give a scenario file (.toml)".to_string(),
                    ));
                }
                if metadata.len() > MAX_SCENARIO_BYTES {
                    return Err(too_large(&name));
                }
                let mut bytes = Vec::new();
                file.take(MAX_SCENARIO_BYTES + 1)
                    .read_to_end(&mut bytes)
                    .map_err(cannot)?;
                let mut source = Self::from_bytes(&name, stem_of(path), &bytes)?;
                source.path = Some(path.clone());
                Ok(source)
            }
        }
    }

    /// A source from the bytes of a file called `name`, checked as a file read from disk is:
    /// its size, its byte-order mark, its count of lines and items, UTF-8.
    pub fn from_bytes(name: &str, stem: String, bytes: &[u8]) -> Result<Self, Diagnostic> {
        if bytes.len() as u64 > MAX_SCENARIO_BYTES {
            return Err(too_large(name));
        }
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        if bytes.starts_with(b"\xEF\xBB\xBF") {
            return Err(Diagnostic::at_position(
                name,
                1,
                1,
                "the file starts with two byte-order marks; save it as UTF-8 (with or without one mark)".to_string(),
            ));
        }
        let items = bytes.iter().filter(|b| matches!(b, b'\n' | b',')).count();
        if items > MAX_SCENARIO_ITEMS {
            return Err(Diagnostic::file(
                name,
                format!(
                    "the file has {items} lines and list items, more than the limit of {MAX_SCENARIO_ITEMS} for a scenario; it was not read"
                ),
            ));
        }
        let text = std::str::from_utf8(bytes).map_err(|e| {
            let valid = &bytes[..e.valid_up_to()];
            let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
            let line_start = valid.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
            let column = String::from_utf8_lossy(&valid[line_start..]).chars().count() + 1;
            let byte = bytes.get(e.valid_up_to()).copied().unwrap_or(0);
            Diagnostic::at_position(
                name,
                line,
                column,
                format!(
                    "the file is not valid UTF-8 (byte 0x{byte:02X} at byte offset {}); save it as UTF-8 text",
                    e.valid_up_to()
                ),
            )
        })?;
        Ok(Self {
            name: name.to_string(),
            path: None,
            stem,
            text: Rc::from(text),
        })
    }
}

fn stem_of(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "scenario".to_string())
}

fn too_large(name: &str) -> Diagnostic {
    Diagnostic::file(
        name,
        format!(
            "the file is larger than the limit of {} MiB for a scenario; it was not read",
            MAX_SCENARIO_BYTES / (1024 * 1024)
        ),
    )
}

#[cfg(test)]
mod tests {
    type TestResult = Result<(), Box<dyn std::error::Error>>;

    use super::*;

    #[test]
    fn a_byte_order_mark_is_dropped() -> TestResult {
        let s = Source::from_bytes("x.toml", "x".into(), b"\xEF\xBB\xBF[scenario]\n")?;
        assert_eq!(&*s.text, "[scenario]\n");
        Ok(())
    }

    #[test]
    fn invalid_utf8_names_line_and_column() -> TestResult {
        let err =
            Source::from_bytes("x.toml", "x".into(), b"a = 1\nname = \"\xFF\"\n").unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("x.toml:2:9:"), "{text}");
        assert!(text.contains("0xFF"), "{text}");
        Ok(())
    }

    #[test]
    fn arguments_name_their_inputs() -> TestResult {
        assert_eq!(Input::from_arg("-"), Input::Stdin);
        assert_eq!(Input::from_arg("builtin:"), Input::Builtin);
        assert_eq!(Input::from_arg("a.toml"), Input::Path("a.toml".into()));
        Ok(())
    }
}
