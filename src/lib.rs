//! `hdv`: policy monitoring of Flemish help and services to prisoners.
//!
//! The data flow is one-way, one module per stage:
//! `load` (sources → Arrow) → `register` (DataFusion tables) → `engine` (indicators) →
//! `assess` (targets and status) → `report` (every decision, as typed data) → `render`
//! (formatting only: nl-BE numbers and words, templates, XLSX, DOCX). `model` holds the YAML plans and
//! indicators; `checks` runs the checks across sources over the registered tables (beside
//! `engine`); `cmd` wires the stages per command; `cli` holds the arguments. Inside `load`,
//! `profile` reads partner layouts through delivery profiles and `deliveries` keeps the register
//! of deliveries (re-deliveries, completeness).

pub mod answer;
pub mod assess;
pub mod cache;
pub mod checks;
pub mod cli;
pub mod cmd;
pub mod cohort;
pub mod diagnostic;
pub mod disclosure;
pub mod engine;
pub mod error;
pub mod feedback;
pub mod generate;
pub mod load;
pub mod local;
pub mod model;
pub mod output;
pub mod query;
pub mod register;
pub mod render;
pub mod report;
pub mod tabular;
pub mod years;

use std::process::ExitCode;

/// Runs a parsed command line; errors are printed to stderr in Dutch.
pub fn run(cli: cli::Cli) -> ExitCode {
    // A panic is a bug in hdv, except inside a guarded parse, where it becomes an error of the
    // file being read (see `load::parse_bytes`).
    std::panic::set_hook(Box::new(|info| {
        if !load::in_guarded_parse() {
            eprintln!("interne fout in hdv (gelieve te melden): {info}");
        }
    }));
    match cmd::execute(cli.command) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("fout: {e}");
            ExitCode::from(2)
        }
    }
}
