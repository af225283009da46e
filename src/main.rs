//! `savings`: parses the command line, runs it, and maps the outcome to an exit code
//! (0 success, 1 a check asked for failed, 2 bad input or usage), and notes before it starts
//! whether standard output is open. Nothing else lives here.

use std::io::{self, Write};
use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use savings_modeller::app;
use savings_modeller::cli::Cli;
use savings_modeller::exit::Exit;
use savings_modeller::scenario::shown_name;

/// Looks at standard output before the Rust runtime starts: the runtime puts `/dev/null`
/// in place of a closed one (`savings run >&-`), after which every write would seem to
/// succeed and the run would report success having written nothing.
#[cfg(any(target_os = "linux", target_os = "android"))]
#[used]
#[unsafe(link_section = ".init_array")]
static LOOK_AT_STDOUT: extern "C" fn() = look_at_stdout;

#[cfg(any(target_os = "linux", target_os = "android"))]
extern "C" fn look_at_stdout() {
    // SAFETY: asks for the flags of a descriptor number; nothing is read or changed.
    if unsafe { libc::fcntl(libc::STDOUT_FILENO, libc::F_GETFD) } == -1 {
        savings_modeller::output::sink::stdout_was_closed_at_start();
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = print_usage_error(&err);
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

/// Prints clap's message. One that may quote a control character typed on the command line
/// (a file name holding an escape sequence) is printed plain, with it escaped as every path
/// the program prints is.
fn print_usage_error(err: &clap::Error) -> io::Result<()> {
    let typed_control = std::env::args_os().any(|arg| {
        let arg = arg.to_string_lossy();
        shown_name(&arg) != arg
    });
    if !typed_control {
        return err.print();
    }
    // Parsed again without styles, so that the only escape sequences are the ones typed
    // (clap's plain rendering drops those, misquoting the argument).
    let uncoloured = Cli::command()
        .styles(clap::builder::Styles::plain())
        .try_get_matches()
        .err()
        .map_or_else(
            || err.render().to_string(),
            |e| e.render().ansi().to_string(),
        );
    let mut text = String::new();
    for line in uncoloured.lines() {
        text.push_str(&shown_name(line));
        text.push('\n');
    }
    if err.use_stderr() {
        io::stderr().lock().write_all(text.as_bytes())
    } else {
        io::stdout().lock().write_all(text.as_bytes())
    }
}
