//! `hdv report`: the yearly report for the mixed commission, and the final evaluation of a plan.

use super::Exit;
use crate::cli::ReportArgs;
use crate::error::{Error, Result};
use crate::register::Inputs;
use crate::render::{self, words::Marks};
use crate::report::{Disclosure, evaluation, yearly};
use crate::request::{Request, formats, run_info};

pub(crate) fn execute(args: ReportArgs) -> Result<Exit> {
    match (args.year, args.period) {
        (_, Some(period)) => final_evaluation(
            &args,
            Request::final_evaluation(&args.common, period, &args.out)?,
        ),
        (Some(year), None) => yearly_report(&args, Request::yearly(&args.common, year, &args.out)?),
        (None, None) => Err(Error::MissingYearOrPeriod),
    }
}

fn yearly_report(args: &ReportArgs, r: Request) -> Result<Exit> {
    let year = r.window.year;
    let (inputs, mut report, d) = yearly(&r)?;
    // The approval of the year, if any, and what differs since.
    report.approval = crate::approval::note(r.session.project(), &report, &inputs)?;
    let (marks, env) = (
        Marks::of(d.policy()),
        render::environment(&r.session.templates()),
    );
    super::emit(
        &format!("Jaarrapport {year}"),
        &r.out,
        "jaarrapport",
        &formats(&args.format),
        |f| render::yearly::file(&env, &report, &marks, f),
    )?;
    Ok(Exit::Success)
}

/// The yearly report of the request's year as typed data (shared by `report` and `approve`),
/// with the checks across sources at 31 December of the year and the findings a steward
/// accepted, and the disclosure it was published with.
pub(crate) fn yearly(r: &Request) -> Result<(Inputs, yearly::YearReport, Disclosure)> {
    let (session, year) = (&r.session, r.window.year);
    let inputs = session.load(r.model.clone(), None)?;
    let eval = session.evaluate(&inputs, &inputs.model.indicators, r.window.evaluation)?;
    let releases = session.cohort_releases(&inputs, r.window.releases())?;
    // The checks across sources at 31 December of the report year; the findings a steward
    // accepted as they stand on the day of the report.
    let reference = r.window.reference().ok_or(Error::InvalidYear { year })?;
    let rules = session.rules()?;
    let outcomes = session.check(&inputs, &rules, reference)?;
    let run = run_info();
    let today = chrono::NaiveDate::parse_from_str(&run.generated, "%Y-%m-%d").unwrap_or(reference);
    let (accepted, _) =
        crate::accepted::in_force(session.project(), &inputs.sources, &rules, today)?;
    let outcomes = accepted.apply(outcomes, &inputs.sources);
    let extras = yearly::Extras {
        releases: &releases,
        checks: &outcomes,
    };
    let d = Disclosure::of(&inputs.model, &eval);
    let (model, sources) = (&inputs.model, &inputs.sources);
    let report = yearly::build(model, &eval, sources, year, run, &d, extras).map_err(|e| {
        Error::NoYearlyData {
            year: e.year,
            coverage: e
                .coverage
                .into_iter()
                .map(|c| (c.source.name().to_string(), c.years))
                .collect(),
        }
    })?;
    Ok((inputs, report, d))
}

/// `hdv report --period 2020..2025`: the final evaluation of the plan whose period this is,
/// against its last version.
fn final_evaluation(args: &ReportArgs, r: Request) -> Result<Exit> {
    let session = &r.session;
    let inputs = session.load(r.model, None)?;
    let eval = session.evaluate(&inputs, &inputs.model.indicators, r.window.evaluation)?;
    let d = Disclosure::of(&inputs.model, &eval);
    let report = evaluation::build(&inputs.model, &eval, &inputs.sources, run_info(), &d);
    let (marks, env) = (
        Marks::of(d.policy()),
        render::environment(&session.templates()),
    );
    let plan = &inputs.model.plan;
    super::emit(
        &format!("Eindevaluatie van het plan {} ({})", plan.id, plan.period()),
        &r.out,
        "eindevaluatie",
        &formats(&args.format),
        |f| render::evaluation::file(&env, &report, &marks, f),
    )?;
    Ok(Exit::Success)
}
