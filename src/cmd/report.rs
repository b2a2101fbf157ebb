//! `hdv report`: the yearly report for the mixed commission, and the final evaluation of a plan.

use super::Exit;
use crate::cli::{ReportArgs, ReportFormat};
use crate::disclosure::Disclosure;
use crate::error::{Error, Result};
use crate::render::{self, words::Marks};
use crate::report::{RunInfo, yearly};
use crate::years::YearRange;

pub(crate) fn execute(args: ReportArgs) -> Result<Exit> {
    let year = match (args.year, args.period) {
        (_, Some(period)) => return final_evaluation(&args, period),
        (Some(y), None) => y,
        (None, None) => {
            return Err(Error::Other(
                "verplichte optie ontbreekt: --year (jaarrapport, bv. --year 2024) of --period (eindevaluatie, bv. --period 2020..2025)".into(),
            ));
        }
    };
    yearly_report(&args, year)
}

/// The yearly report of `year` as typed data, with the checks across sources at 31 December
/// of the year and the findings a steward accepted; `None` when the year has no data.
pub(crate) fn yearly(
    common: &crate::cli::Common,
    year: i32,
) -> Result<(crate::register::Inputs, yearly::YearReport)> {
    if !(2000..=2100).contains(&year) {
        return Err(Error::Other(format!("'{year}' is geen geldig rapportjaar")));
    }
    // The plan in force in the report year, in its version of 31 December of that year.
    let session = super::session(common)?;
    let inputs = session.load(session.model()?.as_of(year), None)?;
    // All years with data up to the report year: from the year before the plan started.
    let first = (inputs.model.plan.eerste_jaar - 1).min(year);
    let years = YearRange { first, last: year };
    let eval = session.evaluate(&inputs, &inputs.model.indicators, years)?;
    let run = run_info();
    let disclosure = Disclosure::default();
    let releases = if inputs
        .sources
        .get(crate::contract::Source::Uitstroom)
        .is_some()
    {
        session.releases(
            &inputs,
            YearRange {
                first: year - 2,
                last: year,
            },
        )?
    } else {
        Vec::new()
    };
    let mut report = yearly::build(
        &inputs.model,
        &eval,
        &inputs.sources,
        year,
        run,
        &disclosure,
        &releases,
    )
    .map_err(|e| no_data_error(&e))?;
    // The checks across sources at 31 December of the report year.
    let rules = crate::checks::load_rules(&common.project)?;
    let reference = chrono::NaiveDate::from_ymd_opt(year, 12, 31)
        .ok_or_else(|| crate::error::Error::Other(format!("ongeldig jaar {year}")))?;
    let outcomes = session.check(&inputs, &rules, reference)?;
    // Findings a steward accepted, as they stand on the day of the report.
    let today =
        chrono::NaiveDate::parse_from_str(&report.run.generated, "%Y-%m-%d").unwrap_or(reference);
    let (accepted, _) = crate::accepted::assess(
        crate::accepted::read(&common.project)?,
        &inputs.sources,
        &rules,
        today,
    )?;
    let outcomes = accepted.apply(outcomes, &inputs.sources);
    report.quality.checks = yearly::checks_of_year(outcomes, year);
    Ok((inputs, report))
}

fn yearly_report(args: &ReportArgs, year: i32) -> Result<Exit> {
    let (inputs, mut report) = yearly(&args.common, year)?;
    // The approval of the year, if any, and what differs since.
    if let Some(ledger) = crate::approval::read(&args.common.project, year)? {
        let figures = crate::report::approval::published(&report, &inputs.model);
        report.approval = crate::approval::status(
            &ledger,
            &crate::diagnostic::display_path(&crate::approval::path(&args.common.project, year)),
            &figures,
            &inputs.sources,
            &inputs.model,
        );
    }
    let disclosure = Disclosure::default();
    let marks = Marks::of(&disclosure);
    let page = render::yearly::page(&report, &marks);
    // Render everything first, then write: a failing template leaves the old report intact.
    let env = render::environment(&args.common.project.join("templates"));
    let dir = args.out.join(year.to_string());
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
        written.push_str(&format!("  {}\n", crate::diagnostic::display_path(&path)));
    }
    crate::output::print_stdout(&format!("Jaarrapport {} geschreven:\n{written}", year))?;
    Ok(Exit::Success)
}

/// `hdv report --period 2020..2025`: the final evaluation of the plan whose period this is,
/// against its last version.
fn final_evaluation(args: &ReportArgs, period: YearRange) -> Result<Exit> {
    let session = super::session(&args.common)?;
    let model = session.model()?;
    let Some(plan) = model
        .plans
        .iter()
        .find(|p| {
            (p.eerste_jaar == period.first && p.laatste_jaar == period.last)
                || p.id == format!("{}-{}", period.first, period.last)
        })
        .cloned()
    else {
        return Err(Error::Other(format!(
            "geen plan met de periode {}-{} (plannen: {}); de eindevaluatie gaat over de volledige periode van één plan",
            period.first,
            period.last,
            model
                .plans
                .iter()
                .map(|p| format!("{} ({})", p.id, p.period()))
                .collect::<Vec<_>>()
                .join(", ")
        )));
    };
    let inputs = session.load(model.with_plan(&plan), None)?;
    // From the earliest baseline (and at least the year before the plan) to the last year.
    let first = inputs
        .model
        .indicators
        .iter()
        .filter_map(|i| i.basislijn.as_ref().map(|b| b.jaar))
        .chain(std::iter::once(plan.eerste_jaar - 1))
        .min()
        .unwrap_or(plan.eerste_jaar)
        .min(plan.laatste_jaar);
    let eval = session.evaluate(
        &inputs,
        &inputs.model.indicators,
        YearRange {
            first,
            last: plan.laatste_jaar,
        },
    )?;
    let disclosure = Disclosure::default();
    let report = crate::report::evaluation::build(
        &inputs.model,
        &eval,
        &inputs.sources,
        run_info(),
        &disclosure,
    );
    let marks = Marks::of(&disclosure);
    let page = render::evaluation::page(&report, &marks);
    let env = render::environment(&args.common.project.join("templates"));
    let dir = args.out.join(format!("eindevaluatie-{}", plan.id));
    let mut outputs: Vec<(std::path::PathBuf, Vec<u8>)> = Vec::new();
    for f in &args.format {
        let (name, bytes) = match f {
            ReportFormat::Html => (
                "eindevaluatie.html",
                render::render(&env, "eindevaluatie.html", &page)?.into_bytes(),
            ),
            ReportFormat::Md => (
                "eindevaluatie.md",
                render::render(&env, "eindevaluatie.md", &page)?.into_bytes(),
            ),
            ReportFormat::Xlsx => (
                "eindevaluatie.xlsx",
                render::evaluation::workbook(&report, &marks)?,
            ),
        };
        outputs.push((dir.join(name), bytes));
    }
    let mut written = String::new();
    for (path, bytes) in outputs {
        crate::output::write_atomic(&path, &bytes)?;
        written.push_str(&format!("  {}\n", crate::diagnostic::display_path(&path)));
    }
    crate::output::print_stdout(&format!(
        "Eindevaluatie van het plan {} ({}) geschreven:\n{written}",
        plan.id,
        plan.period()
    ))?;
    Ok(Exit::Success)
}

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

pub(crate) fn run_info() -> RunInfo {
    RunInfo {
        version: env!("CARGO_PKG_VERSION").into(),
        command: command_line(),
        generated: render::generation_date(),
    }
}

/// The command as typed, for provenance (program name reduced to `hdv`).
pub(crate) fn command_line() -> String {
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
