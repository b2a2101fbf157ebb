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
pub mod contract;
pub mod diagnostic;
pub mod disclosure;
pub mod engine;
pub mod error;
pub mod generate;
pub mod limits;
pub mod load;
pub mod local;
pub mod model;
pub mod output;
pub mod progress;
pub mod query;
pub mod register;
pub mod render;
pub mod report;
pub mod session;
pub mod yaml;
pub mod years;

use std::process::ExitCode;

/// Runs a parsed command line; errors are printed to stderr in Dutch. The exit status is the
/// command's [`cmd::Exit`], or [`cmd::ERROR_STATUS`] when it could not run.
pub fn run(cli: cli::Cli) -> ExitCode {
    // A panic is a bug in hdv, except inside a guarded parse, where it becomes an error of the
    // file being read (see `load::parse_bytes`) and stays silent. A bug gets a Dutch line and
    // then the default report (message, location, backtrace with RUST_BACKTRACE).
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !load::in_guarded_parse() {
            eprintln!("interne fout in hdv (gelieve te melden):");
            default_hook(info);
        }
    }));
    match cmd::execute(cli.command) {
        Ok(exit) => ExitCode::from(exit.code()),
        Err(e) => {
            eprintln!("fout: {e}");
            ExitCode::from(cmd::ERROR_STATUS)
        }
    }
}
