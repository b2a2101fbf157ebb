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

fn yearly_report(args: &ReportArgs, year: i32) -> Result<Exit> {
    if !(2000..=2100).contains(&year) {
        return Err(Error::Other(format!("'{year}' is geen geldig rapportjaar")));
    }
    // The plan in force in the report year, in its version of 31 December of that year.
    let session = super::session(&args.common)?;
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
    // The checks across sources at 31 December of the report year.
    let rules = crate::checks::load_rules(&args.common.project)?;
    let reference = chrono::NaiveDate::from_ymd_opt(year, 12, 31)
        .ok_or_else(|| crate::error::Error::Other(format!("ongeldig jaar {year}")))?;
    let outcomes = session.check(&inputs, &rules, reference)?;
    let extras = yearly::Extras {
        releases: &releases,
        checks: &outcomes,
    };
    let report = yearly::build(
        &inputs.model,
        &eval,
        &inputs.sources,
        year,
        run,
        &disclosure,
        extras,
    )
    .map_err(|e| no_data_error(&e))?;
    let marks = Marks::of(&disclosure);
    let env = render::environment(&args.common.project.join("templates"));
    super::emit(
        &format!("Jaarrapport {year}"),
        &args.out.join(year.to_string()),
        "jaarrapport",
        &formats(&args.format),
        |f| render::yearly::file(&env, &report, &marks, f),
    )?;
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
    let env = render::environment(&args.common.project.join("templates"));
    super::emit(
        &format!("Eindevaluatie van het plan {} ({})", plan.id, plan.period()),
        &args.out.join(format!("eindevaluatie-{}", plan.id)),
        "eindevaluatie",
        &formats(&args.format),
        |f| render::evaluation::file(&env, &report, &marks, f),
    )?;
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

/// The formats asked, in the order asked.
fn formats(asked: &[ReportFormat]) -> Vec<render::Format> {
    asked
        .iter()
        .map(|f| match f {
            ReportFormat::Html => render::Format::Html,
            ReportFormat::Md => render::Format::Md,
            ReportFormat::Xlsx => render::Format::Xlsx,
        })
        .collect()
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
