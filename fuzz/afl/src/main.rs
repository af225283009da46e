//! AFL++ harness: a scenario file's bytes through reading, parsing, validation, projection,
//! the `run` outputs and sensitivity. Panics are what AFL reports as crashes.

use savings_modeller::output::{Format, RunReport};

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let Ok(loaded) = savings_modeller::scenario::from_bytes("fuzz.toml", data) else {
            return;
        };
        let Ok(projection) = savings_modeller::projection::project(&loaded.scenario) else {
            return;
        };
        let report = RunReport {
            scenario: &loaded.scenario,
            projection: &projection,
            source: "fuzz.toml",
            extends: &[],
            overrides: &[],
            dp: 1,
            chart: true,
        };
        let mut sink = std::io::sink();
        for format in [Format::Table, Format::Csv, Format::Json] {
            let _ = format.write(&report, &mut sink);
        }
        let _ = savings_modeller::analysis::sensitivity::sensitivity(&loaded.scenario, &projection);
    });
}
