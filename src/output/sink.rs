//! Where an output goes: a file, written atomically (a temporary file in the same folder,
//! then a rename, so a reader never sees half a file and a failed run leaves none), or
//! standard output, where a reader that goes away ends the run quietly.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use anyhow::{Context, Result};

/// How writing ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Written {
    /// Everything was written.
    All,
    /// Standard output was closed by its reader (`savings run --format csv | head -1`).
    ReaderGone,
}

/// Runs `write` against `path` (atomically) or, with no path, standard output.
pub fn write_output(
    path: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<Written> {
    match path {
        Some(path) => {
            match fs::metadata(path) {
                Ok(m) if m.is_dir() => {
                    anyhow::bail!("cannot write {}: it is a folder", path.display())
                }
                // A device or a named pipe (`-o /dev/null`) cannot be replaced by a rename,
                // and must not be: it is written straight through.
                Ok(m) if !m.is_file() => write_through(path, write),
                // A link to a file: the file it points to is replaced, not the link.
                Ok(_) if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) => {
                    let target = fs::canonicalize(path)
                        .with_context(|| format!("cannot write {}", path.display()))?;
                    write_atomically(&target, write)
                        .with_context(|| format!("cannot write {}", path.display()))
                }
                _ => write_atomically(path, write)
                    .with_context(|| format!("cannot write {}", path.display())),
            }?;
            Ok(Written::All)
        }
        None => {
            let mut stdout = BufWriter::new(io::stdout().lock());
            let result = write(&mut stdout).and_then(|()| stdout.flush().map_err(Into::into));
            match result {
                Ok(()) => Ok(Written::All),
                Err(e) if is_broken_pipe(&e) => Ok(Written::ReaderGone),
                Err(e) => Err(e.context("cannot write to standard output")),
            }
        }
    }
}

/// Writes to something that is not a regular file (a device, a named pipe) directly.
fn write_through(path: &Path, write: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
    let file = fs::OpenOptions::new()
        .write(true)
        .open(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    let mut buffered = BufWriter::new(file);
    match write(&mut buffered).and_then(|()| buffered.flush().map_err(Into::into)) {
        // A pipe whose reader has gone: as on standard output, a quiet end.
        Err(e) if is_broken_pipe(&e) => Ok(()),
        result => result.with_context(|| format!("cannot write {}", path.display())),
    }
}

/// Writes through a temporary file in the same folder and a rename. The temporary file is
/// removed if anything fails; an existing file at `path` is untouched until the rename.
pub fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut file = tempfile::Builder::new()
        .prefix(".savings-")
        .suffix(".tmp")
        .tempfile_in(folder)?;
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
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
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
