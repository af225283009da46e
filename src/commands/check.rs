//! `savings check`: every scenario loaded and projected; one message for each bad one.

use std::io::{self, Write};

use super::{Warnings, load};
use crate::cli::CheckArgs;
use crate::exit::Exit;

pub fn run(args: &CheckArgs, warnings: &Warnings) -> Exit {
    let inputs: Vec<Option<&str>> = if args.scenarios.is_empty() {
        vec![None]
    } else {
        args.scenarios.iter().map(|s| Some(s.as_str())).collect()
    };
    let overrides = args.overrides.all();
    let mut exit = Exit::Success;
    for input in inputs {
        if let Err(err) = load(input, &overrides, warnings) {
            let _ = writeln!(io::stderr().lock(), "error: {err}");
            exit = Exit::BadInput;
        }
    }
    exit
}
