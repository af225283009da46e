//! Where a scenario's text comes from: a file, standard input, or the built-in Kent scenario,
//! read with the limits of docs/model.md section 7 (16 MiB, UTF-8, a byte-order mark allowed).
//! Only regular files are read (a named pipe or a device is refused before it is opened, so
//! nothing waits on it), and the limits hold for a scenario and everything it extends
//! together.

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use super::diagnostic::{Diagnostic, LineIndex, shown_path};

/// Files above this size are refused before parsing; so is an `extends` chain whose files
/// come to more than this together.
pub const MAX_SCENARIO_BYTES: u64 = 16 * 1024 * 1024;

/// Most lines plus list items (newlines and commas) a scenario may have, with everything it
/// extends. The largest valid scenario (10,000 services) needs about 300,000; the cap bounds
/// the parser's memory for files that are within the size limit but made of nothing but
/// items.
pub const MAX_SCENARIO_ITEMS: usize = 1_000_000;

/// The shipped Kent scenario, embedded so that `savings` works from any directory.
pub const BUILTIN_TEXT: &str = include_str!("../../scenarios/kcc-2014-phase1.toml");
/// How the built-in scenario is named in messages and outputs.
pub const BUILTIN_NAME: &str = "builtin:kcc-2014-phase1.toml";

/// Set once standard input has been read: a second `-` would find it empty.
static STDIN_TAKEN: AtomicBool = AtomicBool::new(false);

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

/// Which file on disk a scenario was read from (device and inode on Unix, the canonical
/// path elsewhere), so that an output that would replace it, by any name or link, is known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileId(#[cfg(unix)] (u64, u64), #[cfg(not(unix))] PathBuf);

impl FileId {
    /// The identity of the file `metadata` describes, found at `path`.
    #[cfg(unix)]
    pub fn of(_path: &Path, metadata: &fs::Metadata) -> Option<Self> {
        use std::os::unix::fs::MetadataExt;
        Some(Self((metadata.dev(), metadata.ino())))
    }

    /// The identity of the file `metadata` describes, found at `path`.
    #[cfg(not(unix))]
    pub fn of(path: &Path, _metadata: &fs::Metadata) -> Option<Self> {
        fs::canonicalize(path).ok().map(Self)
    }

    /// The identity of the file at `path` (through links), if there is one.
    pub fn of_path(path: &Path) -> Option<Self> {
        fs::metadata(path)
            .ok()
            .and_then(|metadata| Self::of(path, &metadata))
    }

    /// The file standard input reads, when it is a file (`savings run - < a.toml`).
    #[cfg(unix)]
    fn of_stdin() -> Option<Self> {
        use std::os::fd::AsFd;
        let file = fs::File::from(io::stdin().as_fd().try_clone_to_owned().ok()?);
        let metadata = file.metadata().ok()?;
        if metadata.is_file() {
            Self::of(Path::new("-"), &metadata)
        } else {
            None
        }
    }

    #[cfg(not(unix))]
    fn of_stdin() -> Option<Self> {
        None
    }
}

/// How much of the limits the scenarios already read in one `extends` chain have used.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Used {
    pub bytes: u64,
    pub items: usize,
}

impl Used {
    /// The limits used by `source` on top of these.
    pub fn and(self, source: &Source) -> Self {
        Self {
            bytes: self.bytes.saturating_add(source.text.len() as u64),
            items: self
                .items
                .saturating_add(count_items(source.text.as_bytes())),
        }
    }
}

/// A scenario's text with the name it is reported under.
#[derive(Clone, Debug)]
pub struct Source {
    /// The name in messages: the path as given (shown with control characters escaped),
    /// `<stdin>` or `builtin:...`.
    pub name: String,
    /// The file it was read from, if any (to find the scenarios it extends).
    pub path: Option<PathBuf>,
    /// The file on disk it was read from, if any (standard input redirected from a file too).
    pub file: Option<FileId>,
    /// The default scenario name: the file's stem.
    pub stem: String,
    /// The text, without a byte-order mark.
    pub text: Arc<str>,
    /// Read because another scenario extends it. Such a file may be anything a scenario
    /// names, so a message about its TOML quotes no more of it than the offending text.
    pub extended: bool,
    /// A value typed on the command line (`--set`, `--vary`): its name is the flag and value
    /// as typed, and messages give no line and column after it (`--set x=1.5:1:1` would
    /// read like a range).
    pub typed: bool,
    /// Where its lines start, built the first time a message needs it.
    pub lines: OnceLock<LineIndex>,
}

impl Source {
    /// Where the text's lines start (built once, for all its messages).
    pub fn line_index(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::new(&self.text))
    }

    /// A source from text already in memory (tests, the built-in scenario).
    pub fn from_text(name: &str, text: &str) -> Result<Self, Diagnostic> {
        Self::from_bytes(name, stem_of(Path::new(name)), text.as_bytes())
    }

    /// A short text given on the command line (the VALUE of `--set`), named as typed.
    pub fn named(name: &str, text: &str) -> Self {
        Self {
            name: name.to_string(),
            path: None,
            file: None,
            stem: String::new(),
            text: Arc::from(text),
            extended: false,
            typed: true,
            lines: OnceLock::new(),
        }
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
        Self::read_within(input, Used::default())
    }

    /// Reads the scenario named by `input` as part of an `extends` chain whose other files
    /// have used `used` of the limits: a file that would take the chain past them is refused
    /// before it is read whole.
    pub fn read_within(input: &Input, used: Used) -> Result<Self, Diagnostic> {
        match input {
            Input::Builtin => Self::from_bytes_within(
                BUILTIN_NAME,
                stem_of(Path::new(BUILTIN_NAME)),
                BUILTIN_TEXT.as_bytes(),
                used,
            ),
            Input::Stdin => {
                if STDIN_TAKEN.swap(true, Ordering::SeqCst) {
                    return Err(Diagnostic::file(
                        "<stdin>",
                        "standard input can be read only once; give - for one scenario only"
                            .to_string(),
                    ));
                }
                let mut bytes = Vec::new();
                io::stdin()
                    .lock()
                    .take(room(used) + 1)
                    .read_to_end(&mut bytes)
                    .map_err(|e| {
                        Diagnostic::file("<stdin>", format!("cannot read standard input: {e}"))
                    })?;
                let mut source =
                    Self::from_bytes_within("<stdin>", "stdin".to_string(), &bytes, used)?;
                source.file = FileId::of_stdin();
                Ok(source)
            }
            Input::Path(path) => {
                let name = shown_path(path);
                let cannot = |e: io::Error| {
                    Diagnostic::file(&name, format!("cannot read the scenario: {e}"))
                };
                // Looked at before it is opened: opening a named pipe waits for a writer.
                regular_file(&name, &fs::metadata(path).map_err(cannot)?)?;
                let file = open_without_waiting(path).map_err(cannot)?;
                // And again once open, in case it was swapped in between.
                let metadata = file.metadata().map_err(cannot)?;
                regular_file(&name, &metadata)?;
                if metadata.len() > room(used) {
                    return Err(too_large(&name, used));
                }
                let mut bytes = Vec::new();
                file.take(room(used) + 1)
                    .read_to_end(&mut bytes)
                    .map_err(cannot)?;
                let mut source = Self::from_bytes_within(&name, stem_of(path), &bytes, used)?;
                source.path = Some(path.clone());
                source.file = FileId::of(path, &metadata);
                Ok(source)
            }
        }
    }

    /// A source from the bytes of a file called `name`, checked as a file read from disk is:
    /// its size, its byte-order mark, its count of lines and items, UTF-8.
    pub fn from_bytes(name: &str, stem: String, bytes: &[u8]) -> Result<Self, Diagnostic> {
        Self::from_bytes_within(name, stem, bytes, Used::default())
    }

    fn from_bytes_within(
        name: &str,
        stem: String,
        bytes: &[u8],
        used: Used,
    ) -> Result<Self, Diagnostic> {
        if bytes.len() as u64 > room(used) {
            return Err(too_large(name, used));
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
        let items = count_items(bytes);
        if items > MAX_SCENARIO_ITEMS.saturating_sub(used.items) {
            let message = if used == Used::default() {
                format!(
                    "the file has {items} lines and list items, more than the limit of {MAX_SCENARIO_ITEMS} for a scenario; it was not read"
                )
            } else {
                format!(
                    "with the scenarios that extend it, the extends chain has more than the limit of {MAX_SCENARIO_ITEMS} lines and list items for a scenario; it was not read"
                )
            };
            return Err(Diagnostic::file(name, message));
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
            file: None,
            stem,
            text: Arc::from(text),
            extended: false,
            typed: false,
            lines: OnceLock::new(),
        })
    }
}

/// Refuses anything but a regular file: a folder, a named pipe (which would wait for a
/// writer), a device (`/dev/zero` never ends), a socket.
fn regular_file(name: &str, metadata: &fs::Metadata) -> Result<(), Diagnostic> {
    let kind = metadata.file_type();
    if kind.is_file() {
        return Ok(());
    }
    let what = if kind.is_dir() {
        "is a folder"
    } else if is_pipe(&kind) {
        "is a named pipe"
    } else if is_device(&kind) {
        "is a device"
    } else {
        "is something other than a file"
    };
    Err(Diagnostic::file(
        name,
        format!("{what}, not a file; give a scenario file (.toml), or - to read standard input"),
    ))
}

#[cfg(unix)]
fn is_pipe(kind: &fs::FileType) -> bool {
    use std::os::unix::fs::FileTypeExt;
    kind.is_fifo()
}

#[cfg(unix)]
fn is_device(kind: &fs::FileType) -> bool {
    use std::os::unix::fs::FileTypeExt;
    kind.is_char_device() || kind.is_block_device()
}

#[cfg(not(unix))]
fn is_pipe(_: &fs::FileType) -> bool {
    false
}

#[cfg(not(unix))]
fn is_device(_: &fs::FileType) -> bool {
    false
}

/// Opens a file to read without waiting: a named pipe swapped in after the file was looked
/// at opens at once (and is then refused) rather than waiting for a writer.
#[cfg(unix)]
fn open_without_waiting(path: &Path) -> io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_without_waiting(path: &Path) -> io::Result<fs::File> {
    fs::File::open(path)
}

/// The bytes a file may still take: the limit less what the chain has used.
fn room(used: Used) -> u64 {
    MAX_SCENARIO_BYTES.saturating_sub(used.bytes)
}

/// Lines and list items: newlines and commas.
fn count_items(bytes: &[u8]) -> usize {
    bytes.iter().filter(|b| matches!(b, b'\n' | b',')).count()
}

fn stem_of(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "scenario".to_string())
}

fn too_large(name: &str, used: Used) -> Diagnostic {
    let limit = MAX_SCENARIO_BYTES / (1024 * 1024);
    let message = if used == Used::default() {
        format!("the file is larger than the limit of {limit} MiB for a scenario; it was not read")
    } else {
        format!(
            "with the scenarios that extend it, the extends chain comes to more than the limit of {limit} MiB for a scenario; it was not read"
        )
    };
    Diagnostic::file(name, message)
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
    fn the_limits_hold_for_an_extends_chain_together() {
        let text = "[scenario]\n# a\n# b\n";
        assert!(
            Source::from_bytes_within("p.toml", "p".into(), text.as_bytes(), Used::default())
                .is_ok()
        );
        let nearly_full = Used {
            bytes: MAX_SCENARIO_BYTES - 10,
            items: 0,
        };
        let err = Source::from_bytes_within("p.toml", "p".into(), text.as_bytes(), nearly_full)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("the extends chain comes to more than the limit of 16 MiB"),
            "{err}"
        );
        let many_items = Used {
            bytes: 0,
            items: MAX_SCENARIO_ITEMS - 2,
        };
        let err = Source::from_bytes_within("p.toml", "p".into(), text.as_bytes(), many_items)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("more than the limit of 1000000 lines and list items"),
            "{err}"
        );
    }

    #[test]
    fn arguments_name_their_inputs() -> TestResult {
        assert_eq!(Input::from_arg("-"), Input::Stdin);
        assert_eq!(Input::from_arg("builtin:"), Input::Builtin);
        assert_eq!(Input::from_arg("a.toml"), Input::Path("a.toml".into()));
        Ok(())
    }
}
