//! The yearly report as plain data for the templates: every number already formatted in
//! Dutch and suppressed where published figures require it.

use super::{nl_number, pct_label};
use crate::disclosure::{Disclosure, Shown};
use crate::engine::{Evaluation, Observation};
use crate::load::Sources;
use crate::model::{ActionStatus, Indicator, IndicatorKind, Model};
use crate::progress::{self, Assessment, Point};
use serde::Serialize;

/// Facts about the run, for provenance.
#[derive(Debug, Clone, Serialize)]
pub struct RunInfo {
    pub version: String,
    pub command: String,
    /// `yyyy-mm-dd`, from `SOURCE_DATE_EPOCH` when set.
    pub generated: String,
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub jaar: i32,
    pub plan_titel: String,
    pub run: RunInfo,
    pub samenvatting: Vec<ObjectiveSummary>,
    pub bewegers: Vec<Mover>,
    pub aandacht: Vec<Attention>,
    pub doelstellingen: Vec<ObjectiveView>,
    pub overige: Vec<IndicatorView>,
    pub gelijke_toegang: EqualAccess,
    pub kwaliteit: Quality,
    pub methode: Vec<MethodView>,
    pub drempels: Thresholds,
    pub herkomst: Vec<SourceView>,
}

#[derive(Debug, Serialize)]
pub struct Count {
    pub label: String,
    pub aantal: usize,
}

#[derive(Debug, Serialize)]
pub struct ObjectiveSummary {
    pub id: String,
    pub titel: String,
    pub acties: Vec<Count>,
    pub indicatoren: Vec<Count>,
}

#[derive(Debug, Serialize)]
pub struct Mover {
    pub id: String,
    pub titel: String,
    pub van: String,
    pub naar: String,
    pub verandering: String,
    pub beoordeling: String,
}

#[derive(Debug, Serialize)]
pub struct Attention {
    pub wat: String,
    pub waarom: String,
}

#[derive(Debug, Serialize)]
pub struct ActionView {
    pub id: String,
    pub titel: String,
    pub voorlopig: bool,
    pub trekker: String,
    pub status: String,
    pub toelichting: String,
}

#[derive(Debug, Serialize)]
pub struct ObjectiveView {
    pub id: String,
    pub titel: String,
    pub acties: Vec<ActionView>,
    pub actie_telling: Vec<Count>,
    pub vertraagd: Vec<ActionView>,
    pub indicatoren: Vec<IndicatorView>,
}

#[derive(Debug, Serialize)]
pub struct YearValue {
    pub jaar: i32,
    pub waarde: String,
    /// The number, when it may be published.
    pub getal: Option<f64>,
}

#[derive(Debug, Serialize)]
pub struct IndicatorView {
    pub id: String,
    pub titel: String,
    pub eenheid: String,
    pub waarde: String,
    pub teller_noemer: String,
    pub interval: String,
    pub basislijn: String,
    pub doel: String,
    pub verwacht: String,
    pub status: String,
    pub toon: String,
    pub uitleg: String,
    pub reeks: Vec<YearValue>,
    /// Inline SVG (numbers only), empty when there is no data.
    pub grafiek: String,
}

#[derive(Debug, Serialize)]
pub struct EqualAccess {
    pub kolommen: Vec<String>,
    pub rijen: Vec<AccessRow>,
    pub vlaanderen: Vec<AccessCell>,
}

#[derive(Debug, Serialize)]
pub struct AccessRow {
    pub gevangenis: String,
    pub cellen: Vec<AccessCell>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AccessCell {
    pub tekst: String,
    /// `hoog` or `laag` for an outlier (Tukey: beyond 1.5 × IQR), else empty.
    pub uitschieter: String,
}

#[derive(Debug, Serialize)]
pub struct Quality {
    pub items: Vec<QualityItem>,
    pub ontbrekende_bronnen: Vec<String>,
    pub overgeslagen: Vec<String>,
    pub waarschuwingen: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct QualityItem {
    pub titel: String,
    pub waarde: String,
    pub uitleg: String,
}

#[derive(Debug, Serialize)]
pub struct MethodView {
    pub id: String,
    pub titel: String,
    pub beschrijving: String,
    pub eenheid: String,
    pub teller: String,
    pub noemer: String,
    pub interpretatie: String,
    pub bronnen: String,
    pub uitsplitsingen: String,
    pub methode: String,
    pub basislijn: String,
    pub doelen: String,
    pub bestand: String,
}

#[derive(Debug, Serialize)]
pub struct Thresholds {
    pub op_koers: String,
    pub matig: String,
    pub minimum_noemer: String,
    pub klein_aantal: String,
    pub kleine_noemer: String,
}

#[derive(Debug, Serialize)]
pub struct SourceView {
    pub bron: String,
    pub bestand: String,
    pub sha256: String,
    pub rijen: usize,
}

/// A figure as published: formatted, with suppression applied.
pub fn shown_text(ind: &Indicator, o: Option<&Observation>, d: &Disclosure) -> String {
    let Some(o) = o else {
        return "–".into();
    };
    match d.apply(ind, o) {
        Shown::Value(v) => format_value(ind, v),
        Shown::Small => d.small_label(),
        Shown::Hidden => "× (noemer < 10)".replace("10", &nl_number(d.min_denominator, 0)),
        Shown::Empty => "–".into(),
    }
}

/// A value in the indicator's unit.
pub fn format_value(ind: &Indicator, v: f64) -> String {
    match ind.soort {
        IndicatorKind::Aandeel => pct_label(v),
        IndicatorKind::Aantal => nl_number(v, 0),
        IndicatorKind::Som | IndicatorKind::Verhouding if ind.eenheid.starts_with("euro") => {
            format!("€ {}", nl_number(v, 0))
        }
        _ => nl_number(v, 1),
    }
}

fn point(o: &Observation) -> Option<Point> {
    o.value.map(|value| Point {
        year: o.year,
        value,
        numerator: o.numerator,
        denominator: o.denominator,
    })
}

/// The published series of an indicator's total (years with a value that may be shown).
fn series(ind: &Indicator, eval: &Evaluation, d: &Disclosure) -> Vec<Point> {
    eval.of(&ind.id)
        .filter(|o| o.is_total())
        .filter(|o| matches!(d.apply(ind, o), Shown::Value(_)))
        .filter_map(point)
        .collect()
}

fn assess_total(ind: &Indicator, eval: &Evaluation, year: i32, d: &Disclosure) -> Assessment {
    let cur = eval.total(&ind.id, year);
    let cur_point = cur
        .filter(|o| matches!(d.apply(ind, o), Shown::Value(_)))
        .and_then(point);
    let base = ind
        .basislijn
        .as_ref()
        .and_then(|b| eval.total(&ind.id, b.jaar))
        .and_then(point);
    let s: Vec<Point> = series(ind, eval, d)
        .into_iter()
        .filter(|p| p.year <= year)
        .collect();
    progress::assess(ind, None, cur_point, base, &s)
}

fn indicator_view(ind: &Indicator, eval: &Evaluation, year: i32, d: &Disclosure) -> IndicatorView {
    let cur = eval.total(&ind.id, year);
    let a = assess_total(ind, eval, year, d);
    let s = series(ind, eval, d);
    let values: Vec<(i32, f64)> = s.iter().map(|p| (p.year, p.value)).collect();
    let mut path = Vec::new();
    if let Some(b) = &ind.basislijn {
        path.push((b.jaar, b.waarde));
        let mut targets: Vec<_> = ind
            .doelen
            .iter()
            .filter(|t| t.gevangenis.is_none())
            .collect();
        targets.sort_by_key(|t| t.jaar);
        path.extend(targets.iter().map(|t| (t.jaar, t.waarde)));
    }
    let grafiek = super::chart::trend_svg(&super::chart::Series {
        values: &values,
        target_path: if path.len() >= 2 { &path } else { &[] },
    })
    .unwrap_or_default();
    let teller_noemer = match cur {
        Some(o) if ind.has_fraction() && matches!(d.apply(ind, o), Shown::Value(_)) => {
            match (o.numerator, o.denominator) {
                (Some(n), Some(den)) => {
                    let dec = if ind.soort == IndicatorKind::Verhouding {
                        1
                    } else {
                        0
                    };
                    format!("{} / {}", nl_number(n, dec), nl_number(den, dec))
                }
                _ => String::new(),
            }
        }
        _ => String::new(),
    };
    IndicatorView {
        id: ind.id.clone(),
        titel: ind.titel.clone(),
        eenheid: ind.eenheid.clone(),
        waarde: shown_text(ind, cur, d),
        teller_noemer,
        interval: a
            .interval
            .map(|(lo, hi)| format!("{} – {}", pct_label(lo), pct_label(hi)))
            .unwrap_or_default(),
        basislijn: ind
            .basislijn
            .as_ref()
            .map(|b| format!("{} ({})", format_value(ind, b.waarde), b.jaar))
            .unwrap_or_else(|| "–".into()),
        doel: a
            .target
            .map(|(y, v)| format!("{} ({y})", format_value(ind, v)))
            .unwrap_or_else(|| "geen doel".into()),
        verwacht: a.expected.map(|v| format_value(ind, v)).unwrap_or_default(),
        status: a.status.label().into(),
        toon: a.status.tone().into(),
        uitleg: a.explanation.clone(),
        reeks: eval
            .of(&ind.id)
            .filter(|o| o.is_total() && o.year <= year)
            .map(|o| YearValue {
                jaar: o.year,
                waarde: shown_text(ind, Some(o), d),
                getal: match d.apply(ind, o) {
                    Shown::Value(v) => Some(v),
                    _ => None,
                },
            })
            .collect(),
        grafiek,
    }
}

fn counts<T: Copy + PartialEq>(
    items: &[T],
    order: &[T],
    label: impl Fn(T) -> String,
) -> Vec<Count> {
    order
        .iter()
        .map(|&s| Count {
            label: label(s),
            aantal: items.iter().filter(|&&x| x == s).count(),
        })
        .filter(|c| c.aantal > 0)
        .collect()
}

/// Indicators followed under an objective: linked directly, or through one of its actions.
fn objective_indicators<'a>(model: &'a Model, objective: &str) -> Vec<&'a Indicator> {
    model
        .indicators
        .iter()
        .filter(|i| {
            i.doelstellingen.iter().any(|d| d == objective)
                || model
                    .plan
                    .acties
                    .iter()
                    .any(|a| a.doelstelling == objective && a.indicatoren.contains(&i.id))
        })
        .collect()
}

/// Builds the report for `year`.
pub fn build(
    model: &Model,
    eval: &Evaluation,
    sources: &Sources,
    year: i32,
    run: RunInfo,
    d: &Disclosure,
) -> Report {
    let status_label = |s: ActionStatus| s.code().to_string();
    let mut doelstellingen = Vec::new();
    let mut samenvatting = Vec::new();
    let mut followed = std::collections::HashSet::new();
    for o in &model.plan.doelstellingen {
        let acts: Vec<_> = model
            .plan
            .acties
            .iter()
            .filter(|a| a.doelstelling == o.id)
            .collect();
        let statuses: Vec<ActionStatus> = acts.iter().map(|a| a.status_in(year).0).collect();
        let acties: Vec<ActionView> = acts
            .iter()
            .map(|a| {
                let (s, t) = a.status_in(year);
                ActionView {
                    id: a.id.clone(),
                    titel: a.titel.clone(),
                    voorlopig: a.voorlopige_titel,
                    trekker: a.trekker.clone(),
                    status: s.code().into(),
                    toelichting: t.unwrap_or_default().into(),
                }
            })
            .collect();
        let inds = objective_indicators(model, &o.id);
        let views: Vec<IndicatorView> = inds
            .iter()
            .map(|i| {
                followed.insert(i.id.clone());
                indicator_view(i, eval, year, d)
            })
            .collect();
        let ind_statuses: Vec<String> = views.iter().map(|v| v.status.clone()).collect();
        let mut labels: Vec<String> = ind_statuses.clone();
        labels.sort();
        labels.dedup();
        samenvatting.push(ObjectiveSummary {
            id: o.id.clone(),
            titel: o.korte_titel.clone().unwrap_or_else(|| o.titel.clone()),
            acties: counts(&statuses, &ActionStatus::ALL, status_label),
            indicatoren: labels
                .into_iter()
                .map(|l| Count {
                    aantal: ind_statuses.iter().filter(|s| **s == l).count(),
                    label: l,
                })
                .collect(),
        });
        doelstellingen.push(ObjectiveView {
            id: o.id.clone(),
            titel: o.titel.clone(),
            actie_telling: counts(&statuses, &ActionStatus::ALL, status_label),
            vertraagd: acties
                .iter()
                .filter(|a| a.status == "vertraagd")
                .map(|a| ActionView {
                    id: a.id.clone(),
                    titel: a.titel.clone(),
                    voorlopig: a.voorlopig,
                    trekker: a.trekker.clone(),
                    status: a.status.clone(),
                    toelichting: a.toelichting.clone(),
                })
                .collect(),
            acties,
            indicatoren: views,
        });
    }
    let overige: Vec<IndicatorView> = model
        .indicators
        .iter()
        .filter(|i| !followed.contains(&i.id))
        .map(|i| indicator_view(i, eval, year, d))
        .collect();

    // What moved most: the largest changes since last year, relative for counts and sums,
    // in percentage points for rates.
    let mut bewegers: Vec<(f64, Mover)> = Vec::new();
    for ind in &model.indicators {
        let (Some(a), Some(b)) = (eval.total(&ind.id, year - 1), eval.total(&ind.id, year)) else {
            continue;
        };
        if !matches!(d.apply(ind, a), Shown::Value(_))
            || !matches!(d.apply(ind, b), Shown::Value(_))
        {
            continue;
        }
        let (Some(va), Some(vb)) = (a.value, b.value) else {
            continue;
        };
        if va == vb {
            continue;
        }
        let (size, text) = if ind.soort == IndicatorKind::Aandeel {
            (
                (vb - va).abs() / 10.0,
                format!("{} procentpunt", signed(vb - va)),
            )
        } else if va != 0.0 {
            (
                (vb - va).abs() / va.abs(),
                format!("{}%", signed(100.0 * (vb - va) / va.abs())),
            )
        } else {
            continue;
        };
        let better = match ind.richting {
            crate::model::Direction::HogerIsBeter => Some(vb > va),
            crate::model::Direction::LagerIsBeter => Some(vb < va),
            crate::model::Direction::Neutraal => None,
        };
        bewegers.push((
            size,
            Mover {
                id: ind.id.clone(),
                titel: ind.titel.clone(),
                van: format_value(ind, va),
                naar: format_value(ind, vb),
                verandering: text,
                beoordeling: match better {
                    Some(true) => "gunstig".into(),
                    Some(false) => "ongunstig".into(),
                    None => "context".into(),
                },
            },
        ));
    }
    bewegers.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.id.cmp(&b.1.id)));
    let bewegers: Vec<Mover> = bewegers.into_iter().take(5).map(|(_, m)| m).collect();

    let mut aandacht = Vec::new();
    let mut flagged = std::collections::HashSet::new();
    for ov in &doelstellingen {
        for iv in &ov.indicatoren {
            let off_track = iv.toon == "slecht" || iv.status == "beperkte vooruitgang";
            // An indicator followed under several objectives is listed once, under the first.
            if off_track && flagged.insert(iv.id.clone()) {
                aandacht.push(Attention {
                    wat: format!("{} ({})", iv.titel, ov.id),
                    waarom: format!("{}: {}", iv.status, iv.uitleg),
                });
            }
        }
        for a in &ov.vertraagd {
            aandacht.push(Attention {
                wat: format!("Actie {} {}", a.id, a.titel),
                waarom: format!("vertraagd: {}", a.toelichting),
            });
        }
    }

    Report {
        jaar: year,
        plan_titel: model.plan.titel.clone(),
        run,
        samenvatting,
        bewegers,
        aandacht,
        doelstellingen,
        overige,
        gelijke_toegang: equal_access(model, eval, year, d),
        kwaliteit: quality(model, eval, sources, year, d),
        methode: model
            .indicators
            .iter()
            .map(|i| MethodView {
                id: i.id.clone(),
                titel: i.titel.clone(),
                beschrijving: i.beschrijving.trim().into(),
                eenheid: i.eenheid.clone(),
                teller: i.teller.clone().unwrap_or_default().trim().into(),
                noemer: i.noemer.clone().unwrap_or_default().trim().into(),
                interpretatie: i.interpretatie.clone().unwrap_or_default().trim().into(),
                bronnen: i.bronnen.join(", "),
                uitsplitsingen: i.uitsplitsingen.join(", "),
                methode: match i.methode {
                    crate::model::ProgressMethod::Lineair => "lineair".into(),
                    crate::model::ProgressMethod::Cagr => "cagr".into(),
                },
                basislijn: i
                    .basislijn
                    .as_ref()
                    .map(|b| format!("{} ({})", format_value(i, b.waarde), b.jaar))
                    .unwrap_or_else(|| "–".into()),
                doelen: if i.doelen.is_empty() {
                    "–".into()
                } else {
                    i.doelen
                        .iter()
                        .map(|t| {
                            format!(
                                "{} in {}{}",
                                format_value(i, t.waarde),
                                t.jaar,
                                t.gevangenis
                                    .as_ref()
                                    .map(|g| format!(" ({g})"))
                                    .unwrap_or_default()
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("; ")
                },
                bestand: i.file.clone(),
            })
            .collect(),
        drempels: Thresholds {
            op_koers: nl_number(progress::ON_TRACK, 2),
            matig: nl_number(progress::MODERATE, 2),
            minimum_noemer: nl_number(progress::DEFAULT_MIN_DENOMINATOR, 0),
            klein_aantal: d.small_label(),
            kleine_noemer: nl_number(d.min_denominator, 0),
        },
        herkomst: sources
            .files
            .iter()
            .map(|f| SourceView {
                bron: f.source.name().into(),
                bestand: f.file_name(),
                sha256: f.sha256.clone(),
                rijen: f.rows,
            })
            .collect(),
    }
}

fn signed(v: f64) -> String {
    let s = nl_number(v, 1);
    if v > 0.0 { format!("+{s}") } else { s }
}

/// Indicators compared across prisons (the Court of Audit's "gelijke toegang").
pub const ACCESS_INDICATORS: &[&str] = &[
    "deelname_graad",
    "wachtenden",
    "wachttijd_mediaan",
    "traject_uitval",
    "vrijgelaten_wachtend",
];

fn equal_access(model: &Model, eval: &Evaluation, year: i32, d: &Disclosure) -> EqualAccess {
    let inds: Vec<&Indicator> = ACCESS_INDICATORS
        .iter()
        .filter_map(|id| model.indicator(id))
        .collect();
    let mut prisons: Vec<&str> = eval
        .observations
        .iter()
        .filter(|o| o.year == year && inds.iter().any(|i| i.id == o.indicator))
        .filter_map(|o| {
            o.dim
                .as_ref()
                .filter(|d| d.name == "gevangenis")
                .map(|d| d.value.as_str())
        })
        .collect();
    prisons.sort();
    prisons.dedup();
    // Outlier bounds per column over the values that may be published.
    let bounds: Vec<Option<(f64, f64)>> = inds
        .iter()
        .map(|ind| {
            let mut v: Vec<f64> = eval
                .of(&ind.id)
                .filter(|o| {
                    o.year == year && o.dim.as_ref().is_some_and(|d| d.name == "gevangenis")
                })
                .filter_map(|o| match d.apply(ind, o) {
                    Shown::Value(x) => Some(x),
                    _ => None,
                })
                .collect();
            tukey(&mut v)
        })
        .collect();
    let rijen = prisons
        .iter()
        .map(|p| AccessRow {
            gevangenis: model
                .prison(p)
                .map(|x| x.naam.clone())
                .unwrap_or_else(|| p.to_string()),
            cellen: inds
                .iter()
                .zip(&bounds)
                .map(|(ind, b)| {
                    let o = eval
                        .of(&ind.id)
                        .find(|o| o.year == year && o.is_cell("gevangenis", p));
                    let flag = match (o.map(|o| d.apply(ind, o)), b) {
                        (Some(Shown::Value(x)), Some((lo, hi))) if x > *hi => "hoog",
                        (Some(Shown::Value(x)), Some((lo, _))) if x < *lo => "laag",
                        _ => "",
                    };
                    AccessCell {
                        tekst: shown_text(ind, o, d),
                        uitschieter: flag.into(),
                    }
                })
                .collect(),
        })
        .collect();
    EqualAccess {
        kolommen: inds
            .iter()
            .map(|i| format!("{} ({})", i.titel, i.eenheid))
            .collect(),
        vlaanderen: inds
            .iter()
            .map(|i| AccessCell {
                tekst: shown_text(i, eval.total(&i.id, year), d),
                uitschieter: String::new(),
            })
            .collect(),
        rijen,
    }
}

/// Tukey's fences (Q1 - 1.5 IQR, Q3 + 1.5 IQR); `None` with fewer than 4 values.
pub fn tukey(v: &mut [f64]) -> Option<(f64, f64)> {
    if v.len() < 4 {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let q = |p: f64| {
        let pos = p * (v.len() - 1) as f64;
        let (i, f) = (pos.floor() as usize, pos.fract());
        v[i] + (v[(i + 1).min(v.len() - 1)] - v[i]) * f
    };
    let (q1, q3) = (q(0.25), q(0.75));
    let iqr = q3 - q1;
    Some((q1 - 1.5 * iqr, q3 + 1.5 * iqr))
}

fn quality(
    model: &Model,
    eval: &Evaluation,
    sources: &Sources,
    year: i32,
    d: &Disclosure,
) -> Quality {
    let mut items = Vec::new();
    for (id, uitleg) in [
        (
            "uitval_reden_onbekend",
            "voortijdig gestopte trajecten zonder geregistreerde stopreden",
        ),
        (
            "werk_onbekend",
            "vrijlatingen waarvan de werksituatie in het eerste kwartaal onbekend is",
        ),
    ] {
        if let Some(ind) = model.indicator(id) {
            items.push(QualityItem {
                titel: ind.titel.clone(),
                waarde: shown_text(ind, eval.total(id, year), d),
                uitleg: uitleg.into(),
            });
        }
    }
    Quality {
        items,
        ontbrekende_bronnen: sources
            .missing
            .iter()
            .map(|s| format!("{s} ({})", s.description()))
            .collect(),
        overgeslagen: eval
            .skipped
            .iter()
            .map(|(id, m)| {
                format!(
                    "{id}: ontbrekende bron(nen) {}",
                    m.iter().map(|s| s.name()).collect::<Vec<_>>().join(", ")
                )
            })
            .collect(),
        waarschuwingen: sources.warnings.iter().map(|w| w.to_string()).collect(),
    }
}
