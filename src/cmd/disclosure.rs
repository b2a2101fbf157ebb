//! `hdv check --disclosure --year 2024`: the disclosure audit of everything a year publishes.
//! Each output is published as its own command would (the yearly report with its cohorts,
//! every answer recipe for the year); then all of it is attacked together. Exit 1 when a
//! protected count can be narrowed more than the policy allows.

use super::Exit;
use crate::answer::document::{Recipes, build_with_ledger};
use crate::cli::Common;
use crate::error::{Error, Result};
use crate::protect::Ledger;
use crate::report::Disclosure;
use crate::request::{Request, run_info};
use crate::years::YearRange;

pub(crate) fn execute(common: &Common, year: i32) -> Result<Exit> {
    let r = Request::yearly(common, year, &common.project)?;
    let session = &r.session;
    let inputs = session.load(r.model, None)?;
    let model = &inputs.model;
    // The yearly report's ledger, with its cohorts.
    let eval = session.evaluate(&inputs, &model.indicators, r.window.evaluation)?;
    let base = Disclosure::of(model, &eval);
    let releases = session.cohort_releases(&inputs, r.window.releases())?;
    let years: Vec<i32> = r
        .window
        .releases()
        .iter()
        .filter(|y| releases.iter().any(|x| x.year == *y))
        .collect();
    let section = crate::cohort::cohort_section(&releases, &years);
    let (_, report) = crate::report::cohort::publish(&section, &base);
    // Every answer recipe for the year, as `hdv answer <recipe> --year <year>` publishes it.
    let dir = crate::answer::recipes_dir(&common.project);
    let (mut answers, mut checked, mut skipped) = (Vec::new(), Vec::new(), Vec::new());
    for (id, _) in crate::answer::list_recipes(&dir) {
        let recipes = Recipes::read(&dir, &id)?;
        let only = YearRange {
            first: year,
            last: year,
        };
        match build_with_ledger(session, &inputs, &recipes, only, &[], run_info()) {
            Ok((_, d)) => {
                answers.push(d);
                checked.push(id);
            }
            // Bad input, a file, an indicator or a format stops the audit; any other refusal
            // (a recipe that cannot be answered for this year) skips the recipe.
            Err(
                e @ (Error::Invalid(_)
                | Error::Io { .. }
                | Error::Indicator { .. }
                | Error::Render(_)),
            ) => return Err(e),
            Err(e) => skipped.push(format!("{id}: {e}")),
        }
    }
    let mut all: Vec<&Ledger> = vec![report.ledger()];
    all.extend(answers.iter().map(|d| d.ledger()));
    let mut union = Ledger::union(&all);
    union.solve(&model.policy);
    let audit = crate::report::afscherming::audit(&union, &model.policy, year);
    let mut text = crate::render::afscherming::audit_text(&audit);
    text.push_str(&format!(
        "  Meegenomen: het jaarrapport {year} (met de lokale rapporten en de website, die dezelfde cellen tonen) en de antwoorden {} voor {year}.\n",
        checked.join(", ")
    ));
    for s in &skipped {
        text.push_str(&format!("  (niet gecontroleerd: antwoord {s})\n"));
    }
    crate::output::print_stdout(&text)?;
    Ok(if audit.failures().next().is_some() {
        Exit::Findings
    } else {
        Exit::Success
    })
}
