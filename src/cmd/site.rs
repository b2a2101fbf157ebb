//! `hdv site`: the browsable static site (objectives, indicators, prisons, downloads).

use super::Exit;
use crate::cli::SiteArgs;
use crate::error::{Error, Result};
use crate::render::{self, words::Marks};
use crate::report::{Disclosure, site};
use crate::request::{Request, run_info};

/// The file that marks a folder as a site written by hdv (such a folder may be replaced).
pub(crate) const MARKER: &str = ".hdv-site";

pub(crate) fn execute(args: SiteArgs) -> Result<Exit> {
    // Refuse a foreign output folder before any work (and again when writing).
    crate::output::check_replaceable(&args.out, MARKER)?;
    let (r, sources, range) = Request::site(&args.common, args.year, &args.out)?;
    check_names(&r.model)?;
    let inputs = crate::register::register(r.model, sources, None)?;
    let eval = r
        .session
        .evaluate(&inputs, &inputs.model.indicators, r.window.evaluation)?;
    let d = Disclosure::of(&inputs.model, &eval);
    let (model, sources) = (&inputs.model, &inputs.sources);
    let s = site::build(model, &eval, sources, range, run_info(), &d, &[])
        .map_err(|e| Error::NoSiteData { year: e.year })?;
    let env = render::environment(&r.session.templates());
    let mut files = render::site::files(&s, &env, &Marks::of(d.policy()))?;
    linked_files(
        &r.session.project().join("plans/oslo"),
        &inputs,
        range,
        &mut files,
    )?;
    crate::output::write_dir(&r.out, &files, MARKER)?;
    crate::output::print_stdout(&format!(
        "Site {range} geschreven ({} bestanden, status in {}): {}\n",
        files.len(),
        r.window.year,
        crate::diagnostic::display_path(&r.out.join("index.html"))
    ))?;
    Ok(Exit::Success)
}

/// The offer catalogue in the OSLO standard and the DCAT-AP catalogue of every download.
fn linked_files(
    oslo: &std::path::Path,
    inputs: &crate::register::Inputs,
    range: crate::years::YearRange,
    files: &mut Vec<(String, Vec<u8>)>,
) -> Result<()> {
    let mapping = crate::load::linked::read_mapping(oslo, &inputs.model.prisons)?;
    let concept = |list: &str, code: &str| {
        let m = mapping.as_ref()?;
        m.concept_iri(list, code).map(str::to_string)
    };
    let generated = render::generation_date();
    let offers = crate::report::oslo::offer_catalogue(&inputs.sources, range);
    for (y, rows) in &offers {
        let bytes = render::oslo::offer_jsonld(*y, rows, &concept, &generated);
        files.push((format!("aanbod/aanbod-{y}.jsonld"), bytes));
    }
    let paths: Vec<String> = files.iter().map(|(p, _)| p.clone()).collect();
    let years: Vec<i32> = offers.keys().copied().collect();
    let datasets = crate::report::oslo::datasets(&inputs.model, &paths, range, &years);
    let title = "Opvolging van de hulp- en dienstverlening aan gedetineerden";
    let catalogue = render::oslo::catalogue(title, &datasets, &generated);
    files.push(("catalogus.jsonld".to_string(), catalogue));
    Ok(())
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
            return Err(Error::SiteFileName {
                kind: what,
                id: id.to_string(),
            });
        }
    }
    Ok(())
}
