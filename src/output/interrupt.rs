//! Temporary files an interrupted run must not leave behind. An output file is written as a
//! temporary file beside it, then renamed ([`super::sink`]); if the run is stopped in between
//! (Ctrl-C, `kill`, the terminal closing: SIGINT, SIGTERM, SIGHUP), the temporary file, up to
//! a gigabyte of half-written CSV, is removed before the program ends as the signal would
//! have ended it (a shell sees 130 for Ctrl-C, 143 for `kill`).
//!
//! The signals are caught by signal-hook's iterator, whose handler only writes a byte to a
//! pipe; the removing is done by a thread of ours, outside the signal handler, so it may
//! allocate and take a lock. The lock is what makes it correct: a temporary file is created
//! and recorded, and renamed and forgotten, while it is held, so a signal finds each file
//! either recorded or gone.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, Once, PoisonError};

/// The temporary files being written now.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn pending() -> MutexGuard<'static, Vec<PathBuf>> {
    PENDING.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A temporary file recorded for removal on a signal. Dropped before [`Recorded::finish`]
/// (the write failed), it removes the file and forgets it, in that order.
pub struct Recorded {
    path: PathBuf,
    finished: bool,
}

/// Runs `create` (which makes a temporary file) and records the file it made, so that a
/// signal from now on removes it.
pub fn create<T>(
    create: impl FnOnce() -> io::Result<T>,
    path_of: impl FnOnce(&T) -> &Path,
) -> io::Result<(T, Recorded)> {
    watch();
    let mut pending = pending();
    let made = create()?;
    let path = path_of(&made).to_path_buf();
    pending.push(path.clone());
    Ok((
        made,
        Recorded {
            path,
            finished: false,
        },
    ))
}

impl Recorded {
    /// Runs `finish` (the rename that makes the file permanent) with no signal handled
    /// part way through it, then forgets the file.
    pub fn finish<R>(mut self, finish: impl FnOnce() -> R) -> R {
        let mut pending = pending();
        let result = finish();
        pending.retain(|p| *p != self.path);
        self.finished = true;
        result
    }
}

impl Drop for Recorded {
    fn drop(&mut self) {
        if !self.finished {
            let mut pending = pending();
            let _ = std::fs::remove_file(&self.path);
            pending.retain(|p| *p != self.path);
        }
    }
}

/// Starts, once, the thread that removes the recorded files on a signal. If the signals
/// cannot be caught, files are written all the same.
fn watch() {
    static WATCHING: Once = Once::new();
    WATCHING.call_once(start);
}

#[cfg(unix)]
fn start() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    use signal_hook::iterator::Signals;
    // A signal the run was started ignoring (`nohup` ignores SIGHUP; a shell ignores
    // SIGINT in a background job) stays ignored.
    let caught: Vec<i32> = [SIGINT, SIGTERM, SIGHUP]
        .into_iter()
        .filter(|s| !ignored(*s))
        .collect();
    let Ok(mut signals) = Signals::new(caught) else {
        return;
    };
    let _ = std::thread::Builder::new()
        .name("savings-signals".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                // Held to the end: no new temporary file is made, and none renamed.
                let pending = pending();
                for path in pending.iter() {
                    let _ = std::fs::remove_file(path);
                }
                let _ = signal_hook::low_level::emulate_default_handler(signal);
                std::process::exit(128 + signal);
            }
        });
}

/// Whether `signal` is ignored now (inherited from the process that started this one).
#[cfg(unix)]
fn ignored(signal: i32) -> bool {
    // SAFETY: with no new action given, `sigaction` only reads the current one into `old`,
    // which is a plain C struct for which all zeros is a valid value.
    unsafe {
        let mut old: libc::sigaction = std::mem::zeroed();
        libc::sigaction(signal, std::ptr::null(), &mut old) == 0
            && old.sa_sigaction == libc::SIG_IGN
    }
}

#[cfg(not(unix))]
fn start() {}
