//! `savings`: parses the command line, runs it, and maps the outcome to an exit code
//! (0 success, 1 a check asked for failed, 2 bad input or usage). Nothing else lives here.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use savings_modeller::app::{self, Exit};
use savings_modeller::cli::Cli;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return if err.use_stderr() {
                Exit::BadInput.into()
            } else {
                Exit::Success.into()
            };
        }
    };
    match app::run(cli) {
        Ok(exit) => exit.into(),
        Err(err) => {
            let _ = writeln!(std::io::stderr().lock(), "error: {err:#}");
            Exit::BadInput.into()
        }
    }
}
