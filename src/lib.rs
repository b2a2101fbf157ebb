//! `hdv`: policy monitoring of Flemish help and services to prisoners.
//!
//! The data flow is one-way, one module per stage:
//! `load` (sources → Arrow) → `register` (DataFusion tables) → `engine` (indicators) →
//! `assess` (targets and status) → `protect` (the disclosure ledger: what of every published
//! cell may be shown, primary and secondary suppression audited by linear programming) →
//! `report` (every decision, as typed data; `disclosure` is its view of the ledger) → `render`
//! (formatting only). `checks` runs the checks across sources over the registered tables
//! (beside `engine`).
//!
//! `report` decides, `render` formats: every product is typed data built in `report` (the
//! yearly report, the final evaluation, the local report and overview, the site, what `hdv
//! check` says, a successor plan; `report::window` decides their years and
//! `report::Figure::of` what of a figure may be shown), or in `answer` for the answers to
//! parliamentary questions. `render` reads only those types and the leaves: pages from the
//! templates, workbooks, DOCX, text.
//!
//! On top: `cli` holds the arguments, `request` resolves them once per command (the session,
//! the plan in force, the years, the output folder), `session` holds a run (project folder,
//! data folder, cache, one Tokio runtime) and wires model → load → register → engine for
//! every command (`cmd`, one module per command; `cmd::emit` writes a product's files) and
//! for the integration tests.
//!
//! Leaves every stage may use, which use no stage: `contract` (the sources and their columns),
//! `model` (the YAML plans and indicators), `observation` (a figure as the engine computes
//! it), `cohort` (release cohorts: Kaplan–Meier, Mantel–Haenszel), `yaml` (reading YAML with
//! located messages), `diagnostic` (findings and how files are named in them), `error`,
//! `limits`, `years`, `number`, `cache` (a store of batches and JSON by key: each stage
//! derives its own keys), `output` (atomic file writes), `progress` (progress bars), `query`
//! (the guarded SQL runner). `error::Error` has one variant per way a command fails, with its
//! data; its `Display` holds the Dutch wording.
//!
//! `tests/it/architecture.rs` lists the allowed edges between these modules (and the few known
//! exceptions, each with why) and fails on any other; inside every folder no module uses one
//! that uses it back.

pub mod accepted;
pub(crate) mod answer;
pub mod approval;
pub mod assess;
pub mod cache;
pub mod checks;
pub(crate) mod cli;
pub(crate) mod cmd;
pub mod cohort;
pub mod contract;
pub mod diagnostic;
pub mod disclosure;
pub mod engine;
pub mod error;
pub mod generate;
pub(crate) mod limits;
pub mod load;
pub mod model;
pub(crate) mod number;
pub mod observation;
pub(crate) mod output;
pub(crate) mod progress;
pub mod protect;
pub(crate) mod query;
pub mod register;
pub mod render;
pub mod report;
pub(crate) mod request;
pub mod session;
pub(crate) mod yaml;
pub mod years;

use std::process::ExitCode;

/// Runs the command line of this process; errors are printed to stderr in Dutch. The exit
/// status is the command's [`cmd::Exit`], or [`cmd::ERROR_STATUS`] when it could not run
/// (clap's own status for `--help` and bad arguments).
pub fn run() -> ExitCode {
    let cli = match cli::parse() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
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
