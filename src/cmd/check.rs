//! `hdv check`: validate the model and the data, run the checks across sources and print a
//! Dutch summary. Exit code 0: no errors; 1: the inputs have findings of severity error (all
//! listed, and with `--feedback` written per delivery file); 2: the check could not run.

use super::Exit;
use crate::cli::CheckArgs;
use crate::diagnostic::Diagnostics;
use crate::error::{Error, Result};
use crate::report::feedback;

pub(crate) fn execute(mut args: CheckArgs) -> Result<Exit> {
    if let (true, Some(year)) = (args.disclosure, args.year) {
        return super::disclosure::execute(&args.common, year);
    }
    args.common.all_warnings = true;
    if args.feedback.is_some() {
        // The workbooks list every finding, not the first 50 of a file; parsed files are
        // read afresh, since the cache keeps the findings of a run with the usual bound.
        crate::limits::set_findings_per_file(crate::limits::FEEDBACK_FINDINGS_PER_FILE);
        args.common.no_cache = true;
    }
    match run(&args) {
        Err(e @ Error::Invalid(_)) => {
            eprintln!("fout: {e}");
            if let Error::Invalid(diags) = &e {
                let data = crate::diagnostic::display_path(&args.common.data);
                let fb = feedback::build(diags, &data, None, &[], None, &|_| false);
                write_feedback(&args, &fb)?;
            }
            Ok(Exit::Findings)
        }
        other => other,
    }
}

/// Writes the feedback workbooks when `--feedback` is given and says which files it wrote.
fn write_feedback(args: &CheckArgs, fb: &feedback::Feedback) -> Result<()> {
    let Some(dir) = &args.feedback else {
        return Ok(());
    };
    // The date of the run (`SOURCE_DATE_EPOCH` when set, as for reports).
    let files = crate::render::feedback::files(fb, dir, &crate::render::generation_date())?;
    for (path, bytes) in files.all() {
        crate::output::write_atomic(path, bytes)?;
    }
    crate::output::print_stdout(&crate::render::feedback::summary(&files, fb))
}

fn run(args: &CheckArgs) -> Result<Exit> {
    let session = crate::request::session(&args.common)?;
    let inputs = session.load(session.model()?, None)?;
    // Every indicator whose sources are present must plan: its SQL parses and names only
    // existing tables and columns.
    let runnable = inputs
        .model
        .indicators
        .iter()
        .filter(|i| inputs.sources.absent(&i.bronnen).is_empty());
    let planned = session.block_on(futures::future::join_all(
        runnable.map(|i| crate::engine::check_plan(&inputs.ctx, i)),
    ));
    let mut sql_errors = Diagnostics::new();
    for d in planned.into_iter().filter_map(|r| r.err()) {
        sql_errors.push(d);
    }
    if sql_errors.has_errors() {
        return Err(sql_errors.into());
    }
    let rules = crate::checks::load_rules(&args.common.project)?;
    // The reference date is the day of the run (`SOURCE_DATE_EPOCH` when set).
    let today = chrono::NaiveDate::parse_from_str(&crate::render::generation_date(), "%Y-%m-%d")
        .unwrap_or_else(|_| chrono::Utc::now().date_naive());
    let outcomes = session.check(&inputs, &rules, today)?;
    // Findings a steward accepted are shown, not counted.
    let (sources, model) = (&inputs.sources, &inputs.model);
    let accepted = crate::accepted::in_force(&args.common.project, sources, &rules, today)?;
    let outcomes = accepted.0.apply(outcomes, sources);
    // The loader's warnings and the rows the checks found, per delivery: for its partner or
    // for the steward.
    let data = crate::diagnostic::display_path(&args.common.data);
    let covered = |d: &crate::diagnostic::Diagnostic| accepted.0.covers_warning(d).is_some();
    let fb = feedback::build(
        &sources.warnings,
        &data,
        Some(sources),
        &outcomes,
        Some(model),
        &covered,
    );
    write_feedback(args, &fb)?;
    let data = args.common.data.clone();
    let report = crate::report::check::build(data, sources, &outcomes, &accepted, today);
    crate::output::print_stdout(&crate::render::check::summary(&inputs.model, &report))?;
    Ok(if report.failed > 0 {
        Exit::Findings
    } else {
        Exit::Success
    })
}
