//! Command-line tests: each runs the real `savings` binary. One test binary, one module per
//! area (STYLE.md).

mod answers;
mod bad_input;
mod cases;
mod docs;
mod exact;
mod files;
mod formats;
mod import;
mod import_bad;
mod import_cases;
mod import_report;
mod kent;
mod monte_carlo;
mod plans;
mod plans_sensitivity;
mod plans_whatif;
mod properties;
mod readme;
mod report;
mod report_chart;
mod report_plan;
mod report_tracker;
mod report_xlsx;
mod run;
mod strict;
mod support;
mod tables;
mod track;
mod tracking;
mod uncertainty;
mod warnings;
mod whatif;
mod write;
