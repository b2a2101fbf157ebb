//! `hdv site`: the browsable static site (objectives, indicators, prisons, downloads).

use super::Exit;
use crate::cli::SiteArgs;
use crate::disclosure::Disclosure;
use crate::error::{Error, Result};
use crate::render::{self, words::Marks};
use crate::report::site;
use crate::years::YearRange;

/// The file that marks a folder as a site written by hdv (such a folder may be replaced).
pub(crate) const MARKER: &str = ".hdv-site";

pub(crate) fn execute(args: SiteArgs) -> Result<Exit> {
    // Refuse a foreign output folder before any work (and again when writing).
    crate::output::check_replaceable(&args.out, MARKER)?;
    let session = super::session(&args.common)?;
    let model = session.model()?;
    let sources = session.sources(&model)?;
    let coverage = crate::report::data_years(&sources);
    let range = match args.year {
        Some(r) => r,
        None => site::default_range(&model, &coverage)
            .ok_or_else(|| Error::Other("geen site: geen enkele bron heeft gegevens".into()))?,
    };
    let Some(year) = site::last_year_with_data(range, &coverage) else {
        return Err(Error::Other(format!(
            "geen site voor {range}: geen enkele bron heeft gegevens in die jaren"
        )));
    };
    // The plan in force in the last year with data, in its version of 31 December.
    let model = model.as_of(year);
    check_names(&model)?;
    let inputs = crate::register::register(model, sources, None)?;
    // The site's years, the yearly report's (from the year before the plan began) and the
    // year before the first (the baseline of a local plan's targets).
    let first = (range.first - 1).min(inputs.model.plan.eerste_jaar - 1);
    let eval = session.evaluate(
        &inputs,
        &inputs.model.indicators,
        YearRange {
            first,
            last: range.last,
        },
    )?;
    let d = Disclosure::default();
    let run = super::report::run_info();
    let s = site::build(
        &inputs.model,
        &eval,
        &inputs.sources,
        range,
        run.clone(),
        &d,
        &[],
    )
    .map_err(|e| Error::Other(format!("geen site: geen gegevens voor {}", e.year)))?;
    let extras: Vec<render::site::PrisonExtras> = s
        .prisons
        .iter()
        .map(|p| render::site::PrisonExtras {
            code: &p.code,
            comparisons: render::local::comparisons(&inputs.model, &eval, &p.code, year, &d).0,
            local_reports: p
                .local_plans
                .iter()
                .filter_map(|y| {
                    let plan = inputs.model.local_plan(&p.code, *y)?;
                    Some((
                        *y,
                        render::local::build_report(&inputs.model, plan, &eval, run.clone(), &d),
                    ))
                })
                .collect(),
        })
        .collect();
    let env = render::environment(&args.common.project.join("templates"));
    let mut files = render::site::files(&s, &env, &Marks::of(&d), &extras)?;
    // The offer catalogue in the OSLO standard and the DCAT-AP catalogue of every download.
    let mapping = crate::load::linked::read_mapping(
        &args.common.project.join("plans").join("oslo"),
        &inputs.model.prisons,
    )?;
    let concept = |list: &str, code: &str| {
        mapping
            .as_ref()
            .and_then(|m| m.concept_iri(list, code))
            .map(str::to_string)
    };
    let generated = render::generation_date();
    let offers = crate::report::oslo::offer_catalogue(&inputs.sources, range);
    for (y, rows) in &offers {
        files.push((
            format!("aanbod/aanbod-{y}.jsonld"),
            render::oslo::offer_jsonld(*y, rows, &concept, &generated),
        ));
    }
    let paths: Vec<String> = files.iter().map(|(p, _)| p.clone()).collect();
    let years: Vec<i32> = offers.keys().copied().collect();
    let datasets = crate::report::oslo::datasets(&inputs.model, &paths, range, &years);
    files.push((
        "catalogus.jsonld".to_string(),
        render::oslo::catalogue(
            "Opvolging van de hulp- en dienstverlening aan gedetineerden",
            &datasets,
            &generated,
        ),
    ));
    crate::output::write_dir(&args.out, &files, MARKER)?;
    crate::output::print_stdout(&format!(
        "Site {range} geschreven ({} bestanden, status in {year}): {}\n",
        files.len(),
        crate::diagnostic::display_path(&args.out.join("index.html"))
    ))?;
    Ok(Exit::Success)
}

/// Objective, indicator and prison ids name the site's files: each must be a safe file name.
fn check_names(model: &crate::model::Model) -> Result<()> {
    let ids = model
        .plan
        .doelstellingen
        .iter()
        .map(|o| ("doelstelling", o.id.as_str()))
        .chain(
            model
                .indicators
                .iter()
                .map(|i| ("indicator", i.id.as_str())),
        )
        .chain(
            model
                .prisons
                .iter()
                .map(|p| ("gevangenis", p.code.as_str())),
        );
    for (what, id) in ids {
        if !site::file_safe(id) {
            return Err(Error::Other(format!(
                "{what} '{id}' kan geen bestandsnaam van de site zijn (alleen letters, cijfers, - _ en .)"
            )));
        }
    }
    Ok(())
}
