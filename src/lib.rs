//! Savings modeller: projects how the savings of council service reviews build up over ten
//! years and tests them against the savings the Medium Term Financial Plan already counts on
//! and the unidentified budget gap. `docs/model.md` is the manual of the model; each module
//! cites the section it implements.
//!
//! - [`scenario`]: the TOML file format, validation and error messages (section 7);
//! - [`model`]: the validated types the engine trusts (years, money, shares, options);
//! - [`projection`]: the arithmetic of section 4;
//! - [`output`]: one file per output format (section 8);
//! - [`import`]: a council's spreadsheet to a scenario (section 11);
//! - [`import_report`]: the report's own workbook read back into a scenario (issue 17);
//! - [`cli`] and [`app`]: the command line; [`exit`]: the exit codes.

pub mod analysis;
pub mod app;
pub mod cli;
pub mod commands;
pub mod exit;
pub mod import;
pub mod import_report;
pub mod model;
pub mod output;
pub mod projection;
pub mod report;
pub mod scenario;
