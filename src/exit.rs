//! The exit codes a script can rely on: 0 success, 1 a check asked for failed, 2 bad input or
//! usage. Every command returns one; `main` turns it into the process's exit code.

use std::process::ExitCode;

/// Exit codes a script can rely on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    Success = 0,
    /// A check asked for (`--check-plan`, `--check-gap`, `--check-same`) failed, or a goal
    /// seek found no value that reaches its target.
    CheckFailed = 1,
    /// Bad input or usage.
    BadInput = 2,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> Self {
        ExitCode::from(exit as u8)
    }
}
