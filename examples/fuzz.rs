//! A mutation fuzzer over the whole path a scenario file takes: read (size, BOM, UTF-8, item
//! limits), parse, validate, project, the messages of every error, every output format of
//! `run` (one input in 8), and sensitivity, a small simulation and the reports (one in 128). It runs
//! on stable Rust (cargo-fuzz and libFuzzer need nightly): no coverage guidance, but seeded
//! with the corpus of malformed files, the shipped scenarios and the test data, and mutated in
//! ways that reach the parser's and the validator's corners (interesting tokens, splices of
//! lines from other files, byte flips, truncation).
//!
//! ```text
//! cargo run --release --example fuzz -- --inputs 10000000 --seed 1
//! ```
//!
//! A panic, or an input that takes more than `--slow-ms` (default 2,000 ms), is written to
//! `fuzz-found/` (or `--out DIR`) with its kind in the name, and counted; the run ends with a
//! summary and exits 1 if anything was found. Replay one with
//! `cargo run --release --example fuzz -- --replay FILE`.

use std::io::Write;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use rand::{RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

use savings_modeller::analysis::sensitivity::sensitivity;
use savings_modeller::analysis::simulate::{self, Settings};
use savings_modeller::output::{Format, Report, RunReport};
use savings_modeller::projection::project;
use savings_modeller::report::{ReportFormat, ReportInput, notes};
use savings_modeller::scenario;

/// Tokens that reach corners of TOML, numbers, years and the validator.
const TOKENS: &[&str] = &[
    "1e999999999",
    "-1e-999999999",
    "9999999999999999999999999999",
    "79228162514264337593543950335",
    "0.0000000000000000000000000001",
    "1_000",
    "nan",
    "-inf",
    "-0",
    "0x10",
    "1e12",
    "1000000000001",
    "\"2015/16\"",
    "\"2015/17\"",
    "\"1899/00\"",
    "\"2399/00\"",
    "\"2015-13\"",
    "\"2015-10\"",
    "\"linear 0\"",
    "\"linear 101\"",
    "\"immediate\"",
    "[0.5, 0.4, 1]",
    "[]",
    "{}",
    "{ low = 3, central = 2, high = 1 }",
    "{ share_of_net = 2 }",
    "{ fail = 1.5, slip_months = [3, 1] }",
    "{ saving = 1, cost = 11, delay_months = 601 }",
    "\"builtin:\"",
    "\"../../../../etc/passwd\"",
    "true",
    "1979-05-27",
    "\"\u{202e}\"",
    "\"\u{0}\"",
    "\"\\u0007\"",
    "\"a\nb\"",
    "'''x'''",
    "\"\"\"\n\"\"\"",
    "=",
    "[",
    "]",
    "[[",
    "]]",
    "{",
    "}",
    ",",
    ".",
    "\"",
    "#",
    "\n",
    "\r\n",
    "\u{feff}",
    "[scenario]",
    "[gap]",
    "[[service]]",
    "[[service.option]]",
    "id = \"x\"",
    "id = \"total\"",
    "preferred = true",
    "choose = \"nothing\"",
    "remove = true",
    "extends = \"builtin:\"",
    "horizon = 100",
    "horizon = 0",
    "base_year = \"2014/15\"",
    "mtfp_period = [\"2016/17\", \"2015/16\"]",
    "saving = 1",
    "start = \"2015/16\"",
    "ramp = \"linear 3\"",
    "risk = { fail = 0.5, slip_months = [0, 600] }",
    "group = \"g\"",
    "distribution = \"pert\"",
    "optimism_bias = { saving = 1 }",
    "overlap = 0.5",
    "discount_rate = 0.999",
    "source = \"5.3\"",
    "planned = { \"2014/15\" = 1, \"2015/16\" = 2 }",
    "one_off_cost = { \"2014/15\" = 1 }",
    "unidentified = { \"2015/16\" = 1e12 }",
];

struct Corpus {
    files: Vec<Vec<u8>>,
    /// Indexes of the files that load and project: most inputs start from one, so that
    /// mutations reach validation, projection and the outputs rather than the parser only.
    valid: Vec<usize>,
}

impl Corpus {
    fn load(roots: &[PathBuf]) -> Self {
        let mut files = vec![scenario::BUILTIN_TEXT.as_bytes().to_vec()];
        let mut stack: Vec<PathBuf> = roots.to_vec();
        while let Some(path) = stack.pop() {
            if path.is_dir() {
                if let Ok(entries) = std::fs::read_dir(&path) {
                    let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
                    entries.sort();
                    stack.extend(entries);
                }
            } else if path.extension().is_some_and(|e| e == "toml")
                && let Ok(bytes) = std::fs::read(&path)
                && bytes.len() < 1 << 20
            {
                files.push(bytes);
            }
        }
        let valid = (0..files.len())
            .filter(|&i| exercise(&files[i], Depth::Project) == Outcome::Projected)
            .collect();
        Self { files, valid }
    }
}

/// One input, mutated from the corpus.
fn mutate(corpus: &Corpus, rng: &mut Xoshiro256PlusPlus) -> Vec<u8> {
    let from_valid = !corpus.valid.is_empty() && rng.random_bool(0.75);
    let index = if from_valid {
        corpus.valid[rng.random_range(0..corpus.valid.len())]
    } else {
        rng.random_range(0..corpus.files.len())
    };
    let mut bytes = corpus.files[index].clone();
    let rounds = rng.random_range(1..=if from_valid { 2 } else { 4 });
    for _ in 0..rounds {
        let len = bytes.len();
        let at = if len == 0 {
            0
        } else {
            rng.random_range(0..=len)
        };
        match rng.random_range(0..9) {
            // An interesting token at a random place, or in place of a value.
            0 | 1 => {
                let token = TOKENS[rng.random_range(0..TOKENS.len())].as_bytes();
                bytes.splice(at..at, token.iter().copied());
            }
            2 => {
                // Replace what follows an `=` on a random line with a token.
                let lines: Vec<usize> = bytes
                    .iter()
                    .enumerate()
                    .filter(|(_, b)| **b == b'=')
                    .map(|(i, _)| i)
                    .collect();
                if let Some(&eq) = lines.get(rng.random_range(0..lines.len().max(1))) {
                    let end = bytes[eq..]
                        .iter()
                        .position(|b| *b == b'\n')
                        .map_or(bytes.len(), |p| eq + p);
                    let token = TOKENS[rng.random_range(0..TOKENS.len())].as_bytes();
                    bytes.splice(eq + 1..end, b" ".iter().chain(token).copied());
                }
            }
            // A line from another file.
            3 => {
                let other = &corpus.files[rng.random_range(0..corpus.files.len())];
                let lines: Vec<&[u8]> = other.split(|b| *b == b'\n').collect();
                let line = lines[rng.random_range(0..lines.len())];
                let mut insert = line.to_vec();
                insert.push(b'\n');
                let start = bytes[..at]
                    .iter()
                    .rposition(|b| *b == b'\n')
                    .map_or(0, |p| p + 1);
                bytes.splice(start..start, insert);
            }
            // Delete a range.
            4 if len > 0 => {
                let end = (at + rng.random_range(1..=32)).min(len);
                bytes.drain(at.min(end)..end);
            }
            // Duplicate a range (duplicate keys, tables).
            5 if len > 0 => {
                let start = at.min(len - 1);
                let end = (start + rng.random_range(1..=200)).min(len);
                let copy = bytes[start..end].to_vec();
                bytes.splice(end..end, copy);
            }
            // Flip a byte, or write a random one (invalid UTF-8, control characters).
            6 if len > 0 => {
                let i = at.min(len - 1);
                bytes[i] = if rng.random_bool(0.5) {
                    bytes[i] ^ (1 << rng.random_range(0..8))
                } else {
                    rng.random()
                };
            }
            // Truncate.
            7 if len > 0 => bytes.truncate(at),
            // Change a digit.
            _ => {
                if let Some(i) = (0..len)
                    .map(|k| (at + k) % len.max(1))
                    .find(|i| bytes[*i].is_ascii_digit())
                {
                    bytes[i] = b'0' + rng.random_range(0..10u8);
                }
            }
        }
    }
    bytes
}

/// What one input did.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Refused,
    Projected,
}

/// How far one input goes once it projects.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Depth {
    /// Read, parse, validate, project, and the message of any error.
    Project,
    /// And every output format of `run`.
    Outputs,
    /// And sensitivity, a small simulation and the reports.
    Everything,
}

/// The whole path for one input; a panic escapes to the caller.
fn exercise(bytes: &[u8], depth: Depth) -> Outcome {
    let loaded = match scenario::from_bytes("fuzz.toml", bytes) {
        Ok(loaded) => loaded,
        Err(diagnostic) => {
            let _ = diagnostic.to_string();
            return Outcome::Refused;
        }
    };
    let scenario = &loaded.scenario;
    let projection = match project(scenario) {
        Ok(p) => p,
        Err(e) => {
            let _ = loaded
                .sources
                .diagnostic_for_field(e.field.as_deref(), e.to_string())
                .to_string();
            return Outcome::Refused;
        }
    };
    if depth == Depth::Project {
        return Outcome::Projected;
    }
    let report = RunReport {
        scenario,
        projection: &projection,
        source: "fuzz.toml",
        extends: &[],
        overrides: &[],
        dp: 1,
        chart: true,
    };
    let mut sink = std::io::sink();
    for format in [Format::Table, Format::Markdown, Format::Csv, Format::Json] {
        let _ = format.write(&report, &mut sink);
    }
    let _ = report.text(100);
    if depth == Depth::Everything {
        let _ = sensitivity(scenario, &projection);
        let settings = Settings {
            trials: 64,
            seed: 1,
            threads: 1,
        };
        let simulation = simulate::simulate(scenario, settings, &|_| {}).ok();
        let notes = notes::collect(&loaded);
        let input = ReportInput {
            scenario,
            projection: &projection,
            simulation: simulation.as_ref(),
            file: "fuzz.toml",
            extends: &[],
            overrides: &[],
            notes: &notes,
            dp: 1,
        };
        for format in [
            ReportFormat::Md,
            ReportFormat::Html,
            ReportFormat::Svg,
            ReportFormat::Xlsx,
        ] {
            let _ = format.write(&input, &mut sink);
        }
    }
    Outcome::Projected
}

struct Options {
    inputs: u64,
    seed: u64,
    threads: usize,
    slow: Duration,
    out: PathBuf,
    corpus: Vec<PathBuf>,
    replay: Option<PathBuf>,
}

fn options() -> Result<Options, String> {
    let mut o = Options {
        inputs: 1_000_000,
        seed: 1,
        threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
        slow: Duration::from_millis(2_000),
        out: PathBuf::from("fuzz-found"),
        corpus: vec![
            PathBuf::from("tests/bad"),
            PathBuf::from("tests/data"),
            PathBuf::from("scenarios"),
        ],
        replay: None,
    };
    let mut args = std::env::args().skip(1);
    let mut custom_corpus = Vec::new();
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--inputs" => o.inputs = value()?.parse().map_err(|e| format!("--inputs: {e}"))?,
            "--seed" => o.seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--threads" => o.threads = value()?.parse().map_err(|e| format!("--threads: {e}"))?,
            "--slow-ms" => {
                o.slow =
                    Duration::from_millis(value()?.parse().map_err(|e| format!("--slow-ms: {e}"))?)
            }
            "--out" => o.out = PathBuf::from(value()?),
            "--corpus" => custom_corpus.push(PathBuf::from(value()?)),
            "--replay" => o.replay = Some(PathBuf::from(value()?)),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if !custom_corpus.is_empty() {
        o.corpus = custom_corpus;
    }
    o.threads = o.threads.max(1);
    Ok(o)
}

fn save(out: &Path, kind: &str, bytes: &[u8]) -> PathBuf {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash = (hash ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
    }
    let path = out.join(format!("{kind}-{hash:016x}.toml"));
    let _ = std::fs::create_dir_all(out);
    let _ = std::fs::write(&path, bytes);
    path
}

fn main() {
    let o = match options() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    if let Some(path) = &o.replay {
        let bytes = std::fs::read(path).unwrap_or_else(|e| {
            eprintln!("error: {}: {e}", path.display());
            std::process::exit(2)
        });
        let start = Instant::now();
        let outcome = exercise(&bytes, Depth::Everything);
        println!(
            "{}: {} in {:?}",
            path.display(),
            if outcome == Outcome::Projected {
                "projected"
            } else {
                "refused"
            },
            start.elapsed()
        );
        return;
    }
    // Panics are caught and counted; their messages would drown the summary.
    std::panic::set_hook(Box::new(|_| {}));
    let corpus = Corpus::load(&o.corpus);
    let done = AtomicU64::new(0);
    let projected = AtomicU64::new(0);
    let panics = AtomicU64::new(0);
    let slow = AtomicU64::new(0);
    let slowest = AtomicU64::new(0);
    let started = Instant::now();
    println!(
        "fuzzing {} inputs from {} corpus files ({} valid) on {} threads, seed {}",
        o.inputs,
        corpus.files.len(),
        corpus.valid.len(),
        o.threads,
        o.seed
    );
    std::thread::scope(|scope| {
        for t in 0..o.threads {
            let (corpus, o) = (&corpus, &o);
            let (done, projected, panics, slow, slowest) =
                (&done, &projected, &panics, &slow, &slowest);
            scope.spawn(move || {
                let mut rng = Xoshiro256PlusPlus::seed_from_u64(o.seed);
                for _ in 0..t {
                    rng.jump();
                }
                let share = o.inputs / o.threads as u64
                    + u64::from((t as u64) < o.inputs % o.threads as u64);
                for i in 0..share {
                    let bytes = mutate(corpus, &mut rng);
                    // Every input is projected; one in 8 goes through the outputs, one in
                    // 128 through everything.
                    let depth = match i % 128 {
                        0 => Depth::Everything,
                        k if k % 8 == 0 => Depth::Outputs,
                        _ => Depth::Project,
                    };
                    let start = Instant::now();
                    let result = catch_unwind(AssertUnwindSafe(|| exercise(&bytes, depth)));
                    let took = start.elapsed();
                    slowest.fetch_max(took.as_micros() as u64, Ordering::Relaxed);
                    match result {
                        Ok(Outcome::Projected) => {
                            projected.fetch_add(1, Ordering::Relaxed);
                        }
                        Ok(Outcome::Refused) => {}
                        Err(_) => {
                            panics.fetch_add(1, Ordering::Relaxed);
                            let path = save(&o.out, "panic", &bytes);
                            eprintln!("panic: {}", path.display());
                        }
                    }
                    if took > o.slow {
                        slow.fetch_add(1, Ordering::Relaxed);
                        let path = save(&o.out, "slow", &bytes);
                        eprintln!("slow ({took:?}): {}", path.display());
                    }
                    let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                    if n % 1_000_000 == 0 {
                        println!(
                            "{n} inputs, {} projected, {} panics, {} slow, {:.0} s",
                            projected.load(Ordering::Relaxed),
                            panics.load(Ordering::Relaxed),
                            slow.load(Ordering::Relaxed),
                            started.elapsed().as_secs_f64()
                        );
                        let _ = std::io::stdout().flush();
                    }
                }
            });
        }
    });
    let (n, p, x, s) = (
        done.load(Ordering::Relaxed),
        projected.load(Ordering::Relaxed),
        panics.load(Ordering::Relaxed),
        slow.load(Ordering::Relaxed),
    );
    println!(
        "done: {n} inputs in {:.0} s ({p} projected, {} refused with a message), {x} panics, {s} slower than {:?}; slowest {} ms",
        started.elapsed().as_secs_f64(),
        n - p,
        o.slow,
        slowest.load(Ordering::Relaxed) / 1000
    );
    if x > 0 || s > 0 {
        std::process::exit(1);
    }
}
