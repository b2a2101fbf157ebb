//! Which offer exists in which prison in a year (the equal-access section of the yearly
//! report), as typed data. In the vocabulary of the OSLO standard "Hulp- en
//! Dienstverlening aan Gedetineerden": a group offer (`hdg:Groepsaanbod`) or an individual
//! offer (`hdg:IndividueelAanbod`), realised by an organiser (`Organisator`) in a prison
//! (`hdg:GevangenisVestiging`).
//!
//! The offer catalogue (`aanbod`, optional) is the source when delivered. Without it, the
//! group offer is derived from `deelname`: every offer with at least one participation
//! running in the year (an offer nobody took part in is then invisible, which the report
//! says). Without either, the section says there is nothing to show.

use super::{open_in, prison_name};
use crate::contract::DOMAINS;
use crate::contract::Source;
use crate::load::{SourceFile, Sources};
use crate::model::Model;
use chrono::Datelike;
use datafusion::arrow::array::{Array, AsArray, StringArray};
use datafusion::arrow::datatypes::{Date32Type, Int32Type};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Where the table of offers comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum OfferBasis {
    /// The delivered offer catalogue (`aanbod`).
    Catalogue,
    /// No catalogue: the group offer with participation in the year (`deelname`).
    Participation,
    /// Neither source has rows for the year.
    Nothing,
}

/// The kind of an offer (OSLO `Groepsaanbod` or `IndividueelAanbod`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum OfferKind {
    Group,
    Individual,
}

/// One offer by one organiser, over the prisons open in the year.
#[derive(Debug, Serialize)]
pub struct Offer {
    pub name: String,
    pub kind: OfferKind,
    pub organiser: String,
    /// Domain code.
    pub domain: String,
    /// Codes of the open prisons where it exists, in the order of `OfferTable::prisons`.
    pub prisons: Vec<String>,
    /// Session series in the year, summed over the prisons (catalogue only).
    pub series: Option<i64>,
}

/// One open prison: its offers per domain.
#[derive(Debug, Serialize)]
pub struct PrisonOffers {
    pub code: String,
    pub prison: String,
    /// Per domain of `OfferTable::domains`: the offers' names, sorted.
    pub per_domain: Vec<Vec<String>>,
    pub group: usize,
    pub individual: usize,
}

/// One offer in one prison, for the workbook's long table.
#[derive(Debug, Serialize)]
pub struct OfferCell {
    pub prison: String,
    pub domain: String,
    pub name: String,
    pub kind: OfferKind,
    pub organiser: String,
    pub series: Option<i64>,
}

/// Which offer exists in which prison in the report year.
#[derive(Debug, Serialize)]
pub struct OfferTable {
    pub basis: OfferBasis,
    /// Domain codes with at least one offer, in the contract's order.
    pub domains: Vec<String>,
    /// The prisons open in the year, by name (with or without offer).
    pub prisons: Vec<PrisonOffers>,
    /// Every offer, by domain, kind and name.
    pub offers: Vec<Offer>,
    /// Every offer in every prison, by prison, domain and name.
    pub cells: Vec<OfferCell>,
}

/// A row read from the catalogue or derived from participation.
struct Found {
    prison: String,
    domain: String,
    name: String,
    kind: OfferKind,
    organiser: String,
    series: Option<i64>,
}

fn files(sources: &Sources, source: Source) -> impl Iterator<Item = &SourceFile> {
    sources.files.iter().filter(move |f| f.source == source)
}

/// The text columns that name an offer, looked up once per file.
struct Names<'a> {
    prison: Option<&'a StringArray>,
    domain: Option<&'a StringArray>,
    name: Option<&'a StringArray>,
    organiser: Option<&'a StringArray>,
}

impl<'a> Names<'a> {
    /// `organiser` is the column naming who realises the offer.
    fn of(f: &'a SourceFile, organiser: &str) -> Self {
        let col = |c: &str| f.batch.column_by_name(c).map(|a| a.as_string::<i32>());
        Names {
            prison: col("gevangenis"),
            domain: col("domein"),
            name: col("aanbod"),
            organiser: col(organiser),
        }
    }

    fn found(&self, i: usize, kind: OfferKind, series: Option<i64>) -> Found {
        let get = |a: Option<&StringArray>| {
            a.filter(|a| a.is_valid(i))
                .map_or_else(String::new, |a| a.value(i).to_string())
        };
        Found {
            prison: get(self.prison),
            domain: get(self.domain),
            name: get(self.name),
            kind,
            organiser: get(self.organiser),
            series,
        }
    }
}

/// The catalogue's rows of `year`.
fn from_catalogue(sources: &Sources, year: i32) -> Vec<Found> {
    let mut out = Vec::new();
    for f in files(sources, Source::Aanbod) {
        let (Some(years), Some(series), Some(kind)) = (
            f.batch.column_by_name("jaar"),
            f.batch.column_by_name("sessiereeksen"),
            f.batch.column_by_name("soort"),
        ) else {
            continue;
        };
        let years = years.as_primitive::<Int32Type>();
        let series = series.as_primitive::<Int32Type>();
        let kind = kind.as_string::<i32>();
        let names = Names::of(f, "organisator");
        for i in (0..f.batch.num_rows()).filter(|&i| years.is_valid(i) && years.value(i) == year) {
            let kind = if kind.is_valid(i) && kind.value(i) == "individueel_aanbod" {
                OfferKind::Individual
            } else {
                OfferKind::Group
            };
            let series = series.is_valid(i).then(|| i64::from(series.value(i)));
            out.push(names.found(i, kind, series));
        }
    }
    out
}

/// The group offer with a participation running at some point in `year`.
fn from_participation(sources: &Sources, year: i32) -> Vec<Found> {
    let mut out = Vec::new();
    for f in files(sources, Source::Deelname) {
        let (Some(start), Some(end)) = (
            f.batch.column_by_name("start"),
            f.batch.column_by_name("einde"),
        ) else {
            continue;
        };
        let start = start.as_primitive::<Date32Type>();
        let end = end.as_primitive::<Date32Type>();
        let names = Names::of(f, "partner");
        let year_of = |v: i32| crate::years::from_date32(v).year();
        for i in 0..f.batch.num_rows() {
            let began = start.is_valid(i) && year_of(start.value(i)) <= year;
            let running = end.is_null(i) || year_of(end.value(i)) >= year;
            if began && running {
                out.push(names.found(i, OfferKind::Group, None));
            }
        }
    }
    out
}

/// Which offer exists in which prison open in `year`.
pub fn offer_table(model: &Model, sources: &Sources, year: i32) -> OfferTable {
    let catalogue = from_catalogue(sources, year);
    let (basis, found) = if !catalogue.is_empty() {
        (OfferBasis::Catalogue, catalogue)
    } else {
        let derived = from_participation(sources, year);
        if derived.is_empty() {
            (OfferBasis::Nothing, derived)
        } else {
            (OfferBasis::Participation, derived)
        }
    };
    let mut open: Vec<(String, String)> = model
        .prisons
        .iter()
        .filter(|p| open_in(model, &p.code, year))
        .map(|p| (prison_name(model, &p.code), p.code.clone()))
        .collect();
    open.sort();
    let open_codes: BTreeSet<&str> = open.iter().map(|(_, c)| c.as_str()).collect();
    // (domain order, kind, name, organiser) -> prison code -> series
    type Key = (usize, OfferKind, String, String);
    let mut by_offer: BTreeMap<Key, BTreeMap<String, Option<i64>>> = BTreeMap::new();
    for r in found
        .into_iter()
        .filter(|r| open_codes.contains(r.prison.as_str()))
    {
        let d = DOMAINS
            .iter()
            .position(|x| *x == r.domain)
            .unwrap_or(DOMAINS.len());
        let series = by_offer
            .entry((d, r.kind, r.name, r.organiser))
            .or_default()
            .entry(r.prison)
            .or_insert(None);
        if let Some(s) = r.series {
            *series = Some(series.unwrap_or(0) + s);
        }
    }
    let domains: Vec<String> = DOMAINS
        .iter()
        .enumerate()
        .filter(|(i, _)| by_offer.keys().any(|k| k.0 == *i))
        .map(|(_, d)| d.to_string())
        .collect();
    let domain_of = |i: usize| DOMAINS.get(i).copied().unwrap_or_default().to_string();
    let offers: Vec<Offer> = by_offer
        .iter()
        .map(|((d, kind, name, organiser), at)| Offer {
            name: name.clone(),
            kind: *kind,
            organiser: organiser.clone(),
            domain: domain_of(*d),
            prisons: open
                .iter()
                .filter(|(_, c)| at.contains_key(c))
                .map(|(_, c)| c.clone())
                .collect(),
            series: at.values().flatten().copied().reduce(|a, b| a + b),
        })
        .collect();
    let prisons: Vec<PrisonOffers> = open
        .iter()
        .map(|(name, code)| {
            let here: Vec<(&Key, &BTreeMap<String, Option<i64>>)> = by_offer
                .iter()
                .filter(|(_, at)| at.contains_key(code))
                .collect();
            let per_domain = domains
                .iter()
                .map(|d| {
                    let mut names: Vec<String> = here
                        .iter()
                        .filter(|(k, _)| domain_of(k.0) == *d)
                        .map(|(k, _)| k.2.clone())
                        .collect();
                    names.sort();
                    names.dedup();
                    names
                })
                .collect();
            PrisonOffers {
                code: code.clone(),
                prison: name.clone(),
                per_domain,
                group: here.iter().filter(|(k, _)| k.1 == OfferKind::Group).count(),
                individual: here
                    .iter()
                    .filter(|(k, _)| k.1 == OfferKind::Individual)
                    .count(),
            }
        })
        .collect();
    let cells = open
        .iter()
        .flat_map(|(name, code)| {
            by_offer.iter().filter_map(move |(k, at)| {
                let series = at.get(code)?;
                Some(OfferCell {
                    prison: name.clone(),
                    domain: domain_of(k.0),
                    name: k.2.clone(),
                    kind: k.1,
                    organiser: k.3.clone(),
                    series: *series,
                })
            })
        })
        .collect();
    OfferTable {
        basis,
        domains,
        prisons,
        offers,
        cells,
    }
}
