//! Where an output goes: a file, written atomically (a temporary file in the same folder,
//! then a rename, so a reader never sees half a file and a failed or interrupted run leaves
//! none), or standard output, where a reader that goes away ends the run quietly.
//!
//! A file is refused before anything is written when the run must not replace it: a file
//! the scenario was read from (the scenario itself, or one it extends, by any name or link),
//! a file the user may not write, a folder.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{Context, Result, bail};

use super::interrupt;
use crate::scenario::{FileId, Source, shown_path};

/// How writing ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Written {
    /// Everything was written.
    All,
    /// Standard output was closed by its reader (`savings run --format csv | head -1`).
    ReaderGone,
}

/// Set when the program started with its standard output closed (`savings run >&-`). The
/// Rust runtime then puts `/dev/null` in its place, so writing would seem to succeed.
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Records that standard output was closed when the program started (see `main`).
pub fn stdout_was_closed_at_start() {
    STDOUT_CLOSED.store(true, Ordering::Relaxed);
}

/// Where a command writes: standard output, or a file checked against the scenario files
/// the command read. Made before the work starts, so a refusal comes at once, and checked
/// again when writing.
#[derive(Debug)]
pub struct Destination {
    path: Option<PathBuf>,
    /// The files read (the name shown, the file, whether it was read as a parent).
    read: Vec<(String, FileId, bool)>,
}

impl Destination {
    /// Standard output.
    pub fn stdout() -> Self {
        Self {
            path: None,
            read: Vec::new(),
        }
    }

    /// The file at `path` (or standard output), for a run that read `read`; refused now if
    /// it must not be written.
    pub fn new<'a>(
        path: Option<&Path>,
        read: impl IntoIterator<Item = &'a Source>,
    ) -> Result<Self> {
        let destination = Self {
            path: path.map(Path::to_path_buf),
            read: read
                .into_iter()
                .filter_map(|s| Some((s.name.clone(), s.file.clone()?, s.extended)))
                .collect(),
        };
        destination.check()?;
        Ok(destination)
    }

    /// Refuses a file that would replace one the run read, a file the user may not write,
    /// and a folder.
    fn check(&self) -> Result<()> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        // Through links: it is the file a link points to that would be replaced.
        let Ok(metadata) = fs::metadata(path) else {
            // Not there yet (a missing folder is found when writing).
            return Ok(());
        };
        let shown = shown_path(path);
        if metadata.is_dir() {
            bail!("cannot write {shown}: it is a folder");
        }
        let file = FileId::of(path, &metadata);
        if let Some((name, _, extended)) =
            self.read.iter().find(|(_, f, _)| Some(f) == file.as_ref())
        {
            if *extended {
                bail!(
                    "cannot write {shown}: it is {name}, which the scenario extends; choose another output file"
                );
            }
            bail!(
                "cannot write {shown}: it is the scenario this run reads ({name}); choose another output file"
            );
        }
        if metadata.is_file() && !may_write(path, &metadata) {
            bail!(
                "cannot write {shown}: the file is read-only (you may not write it); make it writable or choose another output file"
            );
        }
        Ok(())
    }

    /// Runs `write` against the file (atomically) or standard output.
    pub fn write(&self, write: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<Written> {
        let Some(path) = &self.path else {
            return write_stdout(write);
        };
        self.check()?;
        let shown = shown_path(path);
        match fs::metadata(path) {
            // A device or a named pipe (`-o /dev/null`) cannot be replaced by a rename,
            // and must not be: it is written straight through.
            Ok(m) if !m.is_file() => write_through(path, write),
            // A link to a file: the file it points to is replaced, not the link.
            Ok(_) if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) => {
                let target =
                    fs::canonicalize(path).with_context(|| format!("cannot write {shown}"))?;
                write_atomically(&target, write).with_context(|| format!("cannot write {shown}"))
            }
            _ => write_atomically(path, write).with_context(|| format!("cannot write {shown}")),
        }?;
        Ok(Written::All)
    }
}

fn write_stdout(write: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<Written> {
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        bail!(
            "cannot write to standard output: it is closed; give --output FILE, or redirect it (> FILE)"
        );
    }
    let mut stdout = BufWriter::new(io::stdout().lock());
    let result = write(&mut stdout).and_then(|()| stdout.flush().map_err(Into::into));
    match result {
        Ok(()) => Ok(Written::All),
        Err(e) if is_broken_pipe(&e) => Ok(Written::ReaderGone),
        Err(e) => Err(e.context("cannot write to standard output")),
    }
}

/// Writes to something that is not a regular file (a device, a named pipe) directly.
fn write_through(path: &Path, write: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
    let shown = shown_path(path);
    let file = fs::OpenOptions::new()
        .write(true)
        .open(path)
        .with_context(|| format!("cannot write {shown}"))?;
    let mut buffered = BufWriter::new(file);
    match write(&mut buffered).and_then(|()| buffered.flush().map_err(Into::into)) {
        // A pipe whose reader has gone: as on standard output, a quiet end.
        Err(e) if is_broken_pipe(&e) => Ok(()),
        result => result.with_context(|| format!("cannot write {shown}")),
    }
}

/// Writes through a temporary file in the same folder and a rename. The temporary file is
/// removed if anything fails, or a signal stops the run; an existing file at `path` is
/// untouched until the rename. Errors name no temporary file: the caller names `path`.
pub fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    match fs::metadata(folder) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            bail!("the folder {} does not exist", shown_path(folder))
        }
        Ok(m) if !m.is_dir() => bail!("{} is not a folder", shown_path(folder)),
        _ => {}
    }
    let (mut file, recorded) = interrupt::create(
        || {
            tempfile::Builder::new()
                .prefix(".savings-")
                .suffix(".tmp")
                .tempfile_in(folder)
                .map_err(without_path)
        },
        tempfile::NamedTempFile::path,
    )?;
    {
        // Through the plain file, so that an error names what failed (a full disk, say),
        // not the temporary file, which is removed.
        let mut buffered = BufWriter::new(file.as_file_mut());
        write(&mut buffered)?;
        buffered.flush()?;
    }
    file.as_file().sync_all()?;
    let permissions = match fs::metadata(path) {
        Ok(existing) => existing.permissions(),
        Err(_) => default_permissions(file.as_file())?,
    };
    fs::set_permissions(file.path(), permissions)?;
    recorded.finish(|| file.persist(path).map_err(|e| e.error))?;
    Ok(())
}

/// An error from creating the temporary file, without the temporary file's name, which
/// `tempfile` appends (" at path ...") and the user never asked for: the caller names the
/// output file.
fn without_path(error: io::Error) -> io::Error {
    let text = error.to_string();
    match text.find(" at path ") {
        Some(end) => io::Error::new(error.kind(), &text[..end]),
        None => error,
    }
}

/// Whether the user may write the file in place. Only the file's own permissions count,
/// not the folder's: a read-only file in a writable folder could be replaced by a rename,
/// but is not. A file with no write permission for anyone is refused even to root, who
/// could write it all the same.
#[cfg(unix)]
fn may_write(path: &Path, metadata: &fs::Metadata) -> bool {
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::PermissionsExt;
    if metadata.permissions().mode() & 0o222 == 0 {
        return false;
    }
    let Ok(path) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
        return true;
    };
    // SAFETY: `path` is a NUL-terminated string that outlives the call.
    unsafe { libc::access(path.as_ptr(), libc::W_OK) == 0 }
}

#[cfg(not(unix))]
fn may_write(_: &Path, metadata: &fs::Metadata) -> bool {
    !metadata.permissions().readonly()
}

/// Whether an error (from any writer: io, csv, serde_json) is a closed pipe.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        if let Some(e) = cause.downcast_ref::<io::Error>() {
            return e.kind() == io::ErrorKind::BrokenPipe;
        }
        if let Some(e) = cause.downcast_ref::<csv::Error>() {
            return matches!(e.kind(), csv::ErrorKind::Io(e) if e.kind() == io::ErrorKind::BrokenPipe);
        }
        if let Some(e) = cause.downcast_ref::<serde_json::Error>() {
            return e.io_error_kind() == Some(io::ErrorKind::BrokenPipe);
        }
        false
    })
}

#[cfg(unix)]
fn default_permissions(_: &fs::File) -> io::Result<fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Ok(fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn default_permissions(file: &fs::File) -> io::Result<fs::Permissions> {
    Ok(file.metadata()?.permissions())
}
