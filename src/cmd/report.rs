//! `hdv report`: the yearly report for the mixed commission.

use crate::cli::{ReportArgs, ReportFormat};
use crate::disclosure::Disclosure;
use crate::error::{Error, Result};
use crate::render::{self, words::Marks};
use crate::report::{RunInfo, yearly};
use crate::years::YearRange;
use std::process::ExitCode;

pub fn execute(args: ReportArgs) -> Result<ExitCode> {
    if !(2000..=2100).contains(&args.year) {
        return Err(Error::Other(format!(
            "'{}' is geen geldig rapportjaar",
            args.year
        )));
    }
    // The plan in force in the report year, in its version of 31 December of that year.
    let inputs = super::load_inputs_for(&args.common, args.year)?;
    // All years with data up to the report year: from the year before the plan started.
    let first = (inputs.model.plan.eerste_jaar - 1).min(args.year);
    let years = YearRange {
        first,
        last: args.year,
    };
    let eval = inputs.evaluate(&inputs.model.indicators, years)?;
    let run = run_info();
    let disclosure = Disclosure::default();
    let releases = if inputs.sources.get(crate::load::Source::Uitstroom).is_some() {
        super::runtime()?.block_on(crate::engine::release_rows(
            &inputs.ctx,
            YearRange {
                first: args.year - 2,
                last: args.year,
            },
        ))?
    } else {
        Vec::new()
    };
    let report = yearly::build(
        &inputs.model,
        &eval,
        &inputs.sources,
        args.year,
        run,
        &disclosure,
        &releases,
    )
    .map_err(|e| no_data_error(&e))?;
    let marks = Marks::of(&disclosure);
    let page = render::yearly::page(&report, &marks);
    // Render everything first, then write: a failing template leaves the old report intact.
    let env = render::environment(&args.common.project.join("templates"));
    let dir = args.out.join(args.year.to_string());
    let mut outputs: Vec<(std::path::PathBuf, Vec<u8>)> = Vec::new();
    for f in &args.format {
        let (name, bytes) = match f {
            ReportFormat::Html => (
                "jaarrapport.html",
                render::render(&env, "jaarrapport.html", &page)?.into_bytes(),
            ),
            ReportFormat::Md => (
                "jaarrapport.md",
                render::render(&env, "jaarrapport.md", &page)?.into_bytes(),
            ),
            ReportFormat::Xlsx => (
                "jaarrapport.xlsx",
                render::yearly::workbook(&report, &marks)?,
            ),
        };
        outputs.push((dir.join(name), bytes));
    }
    let mut written = String::new();
    for (path, bytes) in outputs {
        crate::output::write_atomic(&path, &bytes)?;
        written.push_str(&format!("  {}\n", crate::model::display_path(&path)));
    }
    crate::output::print_stdout(&format!("Jaarrapport {} geschreven:\n{written}", args.year))?;
    Ok(ExitCode::SUCCESS)
}

/// Version, command line and generation date, for provenance.
/// The refusal of a report for a year without data, naming what each source holds.
fn no_data_error(e: &yearly::NoDataForYear) -> Error {
    let held: Vec<String> = e
        .coverage
        .iter()
        .map(|c| {
            format!(
                "{}: {}",
                c.source.name(),
                render::words::year_ranges(&c.years)
            )
        })
        .collect();
    Error::Other(format!(
        "geen jaarrapport voor {}: geen enkele bron heeft gegevens voor dat jaar (jaren met gegevens: {})",
        e.year,
        if held.is_empty() {
            "geen bronnen".to_string()
        } else {
            held.join("; ")
        }
    ))
}

pub fn run_info() -> RunInfo {
    RunInfo {
        version: env!("CARGO_PKG_VERSION").into(),
        command: command_line(),
        generated: render::generation_date(),
    }
}

/// The command as typed, for provenance (program name reduced to `hdv`).
pub fn command_line() -> String {
    let mut args = std::env::args();
    args.next();
    let rest: Vec<String> = args
        .map(|a| {
            if a.is_empty() || a.contains(char::is_whitespace) {
                format!("'{a}'")
            } else {
                a
            }
        })
        .collect();
    format!("hdv {}", rest.join(" ")).trim().to_string()
}
