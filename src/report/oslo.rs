//! What the site publishes in the OSLO standard "Hulp- en Dienstverlening aan Gedetineerden":
//! the offer catalogue per year, taken from the linked-data deliveries (`oslo_aanbod`) where
//! a year has them, else from the spreadsheet catalogue (`aanbod`). The rows are those of
//! `oslo_aanbod`, so that the published file read back as a delivery gives the same table.

use crate::contract::Source;
use crate::load::Sources;
use crate::years::YearRange;
use datafusion::arrow::array::{Array, AsArray, RecordBatch};
use datafusion::arrow::datatypes::Int32Type;
use std::collections::BTreeMap;

/// One row of the published offer catalogue: an offer in a prison in a year.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct OfferRow {
    /// The offer's IRI (the delivery's, or `urn:hdv:aanbod:…` for the spreadsheet catalogue).
    pub id: String,
    pub aanbod: String,
    pub soort: String,
    pub domein: String,
    pub categorie: Option<String>,
    pub doelgroep: Option<String>,
    pub organisator: String,
    pub gevangenis: String,
    pub jaar: i32,
    pub min_deelnemers: Option<i32>,
    pub max_deelnemers: Option<i32>,
}

fn text(b: &RecordBatch, col: &str, i: usize) -> Option<String> {
    let a = b.column_by_name(col)?.as_string_opt::<i32>()?;
    a.is_valid(i).then(|| a.value(i).to_string())
}

fn int(b: &RecordBatch, col: &str, i: usize) -> Option<i32> {
    let a = b.column_by_name(col)?.as_primitive_opt::<Int32Type>()?;
    a.is_valid(i).then(|| a.value(i))
}

/// A name as part of an IRI: lower-case letters and digits joined by hyphens.
pub(crate) fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// The offer catalogue per year of `years` that has one, rows sorted.
pub fn offer_catalogue(sources: &Sources, years: YearRange) -> BTreeMap<i32, Vec<OfferRow>> {
    let mut out: BTreeMap<i32, Vec<OfferRow>> = BTreeMap::new();
    if let Some(f) = sources.get(Source::OsloAanbod) {
        let b = &f.batch;
        for i in 0..b.num_rows() {
            let Some(jaar) = int(b, "jaar", i).filter(|y| years.contains(*y)) else {
                continue;
            };
            out.entry(jaar).or_default().push(OfferRow {
                id: text(b, "id", i).unwrap_or_default(),
                aanbod: text(b, "aanbod", i).unwrap_or_default(),
                soort: text(b, "soort", i).unwrap_or_default(),
                domein: text(b, "domein", i).unwrap_or_default(),
                categorie: text(b, "categorie", i),
                doelgroep: text(b, "doelgroep", i),
                organisator: text(b, "organisator", i).unwrap_or_default(),
                gevangenis: text(b, "gevangenis", i).unwrap_or_default(),
                jaar,
                min_deelnemers: int(b, "min_deelnemers", i),
                max_deelnemers: int(b, "max_deelnemers", i),
            });
        }
    }
    if let Some(f) = sources.get(Source::Aanbod) {
        let b = &f.batch;
        let linked: Vec<i32> = out.keys().copied().collect();
        for i in 0..b.num_rows() {
            let Some(jaar) =
                int(b, "jaar", i).filter(|y| years.contains(*y) && !linked.contains(y))
            else {
                continue;
            };
            let (aanbod, soort, organisator, domein) = (
                text(b, "aanbod", i).unwrap_or_default(),
                text(b, "soort", i).unwrap_or_default(),
                text(b, "organisator", i).unwrap_or_default(),
                text(b, "domein", i).unwrap_or_default(),
            );
            out.entry(jaar).or_default().push(OfferRow {
                id: format!(
                    "urn:hdv:aanbod:{jaar}:{}:{}:{domein}:{soort}",
                    slug(&aanbod),
                    slug(&organisator)
                ),
                aanbod,
                soort,
                domein,
                categorie: None,
                doelgroep: None,
                organisator,
                gevangenis: text(b, "gevangenis", i).unwrap_or_default(),
                jaar,
                min_deelnemers: None,
                max_deelnemers: None,
            });
        }
    }
    for rows in out.values_mut() {
        rows.sort();
        rows.dedup();
    }
    out
}

/// A dataset of the site's DCAT-AP catalogue: what it is, its period and its downloads.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    /// A key unique in the catalogue (`indicator-deelname_graad`, `aanbod`).
    pub key: String,
    pub title: String,
    pub description: String,
    pub first: i32,
    pub last: i32,
    /// The page that shows it (relative to the site), if any.
    pub page: Option<String>,
    /// Its downloads (relative to the site).
    pub files: Vec<String>,
}

/// The datasets of a site over `range` whose files are `paths`: every CSV and XLSX download
/// (an indicator's with its title and description from `model`) and the offer catalogue in
/// JSON-LD (`aanbod/aanbod-<jaar>.jsonld`, over `offer_years`).
pub fn datasets(
    model: &crate::model::Model,
    paths: &[String],
    range: YearRange,
    offer_years: &[i32],
) -> Vec<Dataset> {
    let mut by_stem: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for p in paths {
        if let Some((stem, ext)) = p.rsplit_once('.')
            && matches!(ext, "csv" | "xlsx")
        {
            by_stem.entry(stem).or_default().push(p.clone());
        }
    }
    let mut out: Vec<Dataset> = by_stem
        .into_iter()
        .map(|(stem, files)| {
            let id = stem.strip_prefix("indicator/");
            let ind = id.and_then(|id| model.indicator(id));
            let page = format!("{stem}.html");
            Dataset {
                key: stem.replace('/', "-"),
                title: ind.map_or_else(|| stem.to_string(), |i| i.titel.clone()),
                description: ind.map_or_else(
                    || format!("De gegevens van {stem}."),
                    |i| i.beschrijving.trim().to_string(),
                ),
                first: range.first,
                last: range.last,
                page: paths.contains(&page).then_some(page),
                files,
            }
        })
        .collect();
    if let (Some(first), Some(last)) = (offer_years.first(), offer_years.last()) {
        out.push(Dataset {
            key: "aanbod".into(),
            title: "Aanbodcatalogus (OSLO Hulp- en Dienstverlening aan Gedetineerden)".into(),
            description: "Het groeps- en individueel aanbod per gevangenis en per jaar, in de OSLO-standaard \"Hulp- en Dienstverlening aan Gedetineerden\" (JSON-LD): titel, beleidsdomein, organisator, gevangenis.".into(),
            first: *first,
            last: *last,
            page: None,
            files: offer_years
                .iter()
                .map(|y| format!("aanbod/aanbod-{y}.jsonld"))
                .collect(),
        });
    }
    out
}

/// The yearly report's section on the linked-data deliveries: the indicators of
/// `plans/rapport.yaml` (`oslo:`) per prison open in the year and for Flanders, their other
/// breakdowns, and the deliveries they come from. Every figure goes through the disclosure
/// control like the others (`Figure::of`): the rates over registrations and enrolments are
/// hidden on a small denominator; offers, FTE and amounts are no counts of persons.
#[derive(Debug, Clone, serde::Serialize)]
pub struct OsloSection {
    pub year: i32,
    /// The indicators shown, in column order: (title, unit).
    pub columns: Vec<(String, String)>,
    /// Per prison open in the year with a figure: its name and one figure per column.
    pub prisons: Vec<(String, Vec<super::Figure>)>,
    pub flanders: Vec<super::Figure>,
    /// Per indicator, its breakdowns other than per prison: (indicator title, breakdown,
    /// [(value, figure)]).
    pub breakdowns: Vec<Breakdown>,
    /// The deliveries of the year the figures come from (file, supplier).
    pub deliveries: Vec<(String, String)>,
}

/// A breakdown of an indicator: (indicator title, breakdown, [(value, figure)]).
pub type Breakdown = (String, String, Vec<(String, super::Figure)>);

/// The section for `year`, or `None` when no indicator of the section has data for it.
pub(crate) fn section(
    model: &crate::model::Model,
    eval: &crate::engine::Evaluation,
    sources: &Sources,
    year: i32,
    d: &crate::disclosure::Disclosure,
) -> Option<OsloSection> {
    use super::Figure;
    let inds: Vec<&crate::model::Indicator> = model
        .layout
        .oslo
        .iter()
        .filter_map(|id| model.indicator(id))
        .collect();
    let has_data = inds.iter().any(|i| {
        eval.total(&i.id, year)
            .is_some_and(|o| o.value.is_some() || o.denominator.is_some_and(|n| n > 0.0))
    });
    if !has_data {
        return None;
    }
    let years = super::data_years(sources);
    let no_rows = |ind: &crate::model::Indicator| {
        ind.bronnen.iter().any(|b| {
            let Some(s) = Source::from_name(b) else {
                return false;
            };
            !years
                .iter()
                .any(|y| y.source == s && y.years.contains(&year))
        })
    };
    let figure = |ind: &crate::model::Indicator, o: Option<&crate::engine::Observation>| {
        if no_rows(ind) {
            Figure::no_data(ind)
        } else {
            Figure::of(ind, o, d)
        }
    };
    let mut codes: Vec<&str> = eval
        .observations
        .iter()
        .filter(|o| o.year == year && inds.iter().any(|i| i.id == o.indicator))
        .filter_map(|o| o.dim.as_ref().filter(|x| x.name == "gevangenis"))
        .map(|x| x.value.as_str())
        .filter(|p| super::open_in(model, p, year))
        .collect();
    codes.sort_by_key(|p| super::prison_name(model, p));
    codes.dedup();
    let prisons = codes
        .iter()
        .map(|p| {
            let cells = inds
                .iter()
                .map(|ind| {
                    let o = eval
                        .of(&ind.id)
                        .find(|o| o.year == year && o.is_cell("gevangenis", p));
                    // A prison without a cell had none of it (no offer, no FTE) in the year.
                    match o {
                        Some(o) => figure(ind, Some(o)),
                        None => Figure {
                            shown: crate::disclosure::Shown::Empty,
                            unit: super::Unit::of(ind),
                            sample: false,
                        },
                    }
                })
                .collect();
            (super::prison_name(model, p), cells)
        })
        .collect();
    let flanders = inds
        .iter()
        .map(|ind| figure(ind, eval.total(&ind.id, year)))
        .collect();
    let mut breakdowns = Vec::new();
    for ind in &inds {
        for dim in ind.uitsplitsingen.iter().filter(|x| *x != "gevangenis") {
            let cells: Vec<(String, Figure)> = eval
                .of(&ind.id)
                .filter(|o| o.year == year)
                .filter_map(|o| {
                    let x = o.dim.as_ref().filter(|x| &x.name == dim)?;
                    Some((x.value.clone(), figure(ind, Some(o))))
                })
                .collect();
            if !cells.is_empty() {
                breakdowns.push((ind.titel.clone(), dim.clone(), cells));
            }
        }
    }
    let mut deliveries: Vec<(String, String)> = sources
        .deliveries
        .iter()
        .filter(|x| x.source.linked() && x.active() && x.years.contains(&year))
        .map(|x| (x.name.clone(), x.supplier_text()))
        .collect();
    deliveries.sort();
    deliveries.dedup();
    Some(OsloSection {
        year,
        columns: inds
            .iter()
            .map(|i| (i.titel.clone(), i.eenheid.clone()))
            .collect(),
        prisons,
        flanders,
        breakdowns,
        deliveries,
    })
}
