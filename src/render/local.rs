//! The local report (one prison, one year) and the cross-prison overview as plain data for
//! the templates, with the yearly report's formatting and disclosure control.

use super::words::{self, Marks};
use super::{nl_number, pct_label};
use crate::assess::{self, Goal, Point, Spec};
use crate::disclosure::{Disclosure, Shown};
use crate::engine::{Evaluation, Observation};
use crate::local;
use crate::model::{Indicator, LocalPlan, Model};
use crate::report::funnel::Position;
use crate::report::{Figure, RunInfo, Unit};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct LocalReport {
    pub gevangenis: String,
    pub code: String,
    pub jaar: i32,
    pub team: String,
    pub run: RunInfo,
    pub niet_op_koers: Vec<String>,
    pub dekking: Vec<ObjectiveCoverage>,
    pub gedekt: Vec<ActionRef>,
    pub niet_gedekt: Vec<ActionRef>,
    pub ongekoppeld: Vec<String>,
    pub acties: Vec<LocalActionView>,
    pub indicatoren: Vec<ComparisonView>,
    pub doelen: Vec<TargetView>,
    pub klein_aantal: String,
    pub kleine_noemer: String,
    /// How marks are written, for the workbook.
    #[serde(skip)]
    pub marks: Marks,
}

#[derive(Debug, Serialize)]
pub struct ObjectiveCoverage {
    pub id: String,
    pub titel: String,
    pub gedekt: usize,
    pub totaal: usize,
    pub aandeel: String,
}

#[derive(Debug, Serialize)]
pub struct ActionRef {
    pub id: String,
    pub titel: String,
}

#[derive(Debug, Serialize)]
pub struct LocalActionView {
    pub id: String,
    pub titel: String,
    pub koppeling: String,
    pub eigenaar: String,
    pub status: String,
    pub toelichting: String,
}

#[derive(Debug, Serialize)]
pub struct ComparisonView {
    pub id: String,
    pub titel: String,
    /// The published figures, for the workbook (numbers, not text).
    #[serde(skip)]
    pub cijfer: Figure,
    #[serde(skip)]
    pub cijfer_vlaanderen: Figure,
    /// The deviation from the Flemish rate in percentage points (published rates only).
    #[serde(skip)]
    pub afwijking_pp: Option<f64>,
    pub waarde: String,
    pub vlaanderen: String,
    pub bereik: String,
    /// Where the prison lies in the funnel of a rate (empty for other figures).
    pub tegenover: String,
    /// The funnel plot of a rate, with this prison marked.
    pub trechter: Option<super::yearly::FunnelPage>,
    pub afwijking: String,
}

#[derive(Debug, Serialize)]
pub struct TargetView {
    pub indicator: String,
    pub actie: String,
    #[serde(skip)]
    pub cijfer: Figure,
    #[serde(skip)]
    pub doel_cijfer: Figure,
    #[serde(skip)]
    pub doeljaar: i32,
    pub waarde: String,
    pub doel: String,
    pub status: String,
    pub toon: String,
    pub uitleg: String,
}

fn cell<'a>(eval: &'a Evaluation, ind: &str, prison: &str, year: i32) -> Option<&'a Observation> {
    eval.observations
        .iter()
        .find(|o| o.indicator == ind && o.year == year && o.is_cell("gevangenis", prison))
}

fn published(ind: &Indicator, o: Option<&Observation>, d: &Disclosure) -> Option<Point> {
    let o = o?;
    match d.apply(ind, o) {
        Shown::Value(value) => Some(Point {
            year: o.year,
            value,
            numerator: o.numerator,
            denominator: o.denominator,
        }),
        _ => None,
    }
}

pub(crate) fn build_report(
    model: &Model,
    plan: &LocalPlan,
    eval: &Evaluation,
    run: RunInfo,
    d: &Disclosure,
) -> LocalReport {
    let (code, year) = (plan.gevangenis.as_str(), plan.jaar);
    let a = local::alignment(model, plan);
    let aref = |x: &crate::model::Action| ActionRef {
        id: x.id.clone(),
        titel: x.titel.clone(),
    };
    let mut niet_op_koers = Vec::new();
    // Local targets, assessed like the yearly report: baseline = the prison's value the
    // year before, target = the local target.
    let mut doelen = Vec::new();
    for la in &plan.acties {
        for t in &la.doelen {
            let Some(ind) = model.indicator(&t.indicator) else {
                continue;
            };
            let target_year = t.jaar.unwrap_or(year);
            let current = published(ind, cell(eval, &ind.id, code, year), d);
            let base = published(ind, cell(eval, &ind.id, code, year - 1), d);
            let baseline = base.map(|b| crate::model::Baseline {
                jaar: b.year,
                waarde: b.value,
                voorbeeld: false,
            });
            let targets = [crate::model::Target {
                jaar: target_year,
                waarde: t.waarde,
                gevangenis: None,
                voorbeeld: false,
                plan: None,
            }];
            let goal = Goal {
                baseline: baseline.as_ref(),
                targets: &targets,
            };
            let assessed = assess::assess(&Spec::of(ind), &goal, None, current, base, &[]);
            let view = TargetView {
                indicator: ind.titel.clone(),
                actie: la.id.clone(),
                cijfer: Figure::of(ind, cell(eval, &ind.id, code, year), d),
                doel_cijfer: Figure {
                    shown: Shown::Value(t.waarde),
                    unit: Unit::of(ind),
                },
                doeljaar: target_year,
                waarde: shown_text(ind, cell(eval, &ind.id, code, year), d),
                doel: format!("{} ({target_year})", format_value(ind, t.waarde)),
                status: words::status(assessed.status).into(),
                toon: words::tone(assessed.status.tone()).into(),
                uitleg: words::reason(&assessed, Unit::of(ind), year),
            };
            if assessed.status.needs_attention() {
                niet_op_koers.push(format!(
                    "Lokaal doel {} ({}): {} – {}",
                    view.indicator, la.id, view.status, view.uitleg
                ));
            }
            doelen.push(view);
        }
    }
    for la in &plan.acties {
        if la.status == crate::model::ActionStatus::Vertraagd {
            niet_op_koers.push(format!(
                "Lokale actie {} {} is vertraagd{}",
                la.id,
                la.titel,
                la.toelichting
                    .as_deref()
                    .map(|t| format!(": {t}"))
                    .unwrap_or_default()
            ));
        }
    }
    let (indicatoren, off_track) = comparisons(model, eval, code, year, d);
    niet_op_koers.extend(off_track);
    LocalReport {
        gevangenis: model
            .prison(code)
            .map(|p| p.naam.clone())
            .unwrap_or_else(|| code.into()),
        code: code.into(),
        jaar: year,
        team: plan.lokaal_beleidsteam.clone().unwrap_or_default(),
        run,
        niet_op_koers,
        dekking: a
            .per_objective
            .iter()
            .map(|(id, c, t)| ObjectiveCoverage {
                id: id.clone(),
                titel: model
                    .plan
                    .objective(id)
                    .and_then(|o| o.korte_titel.clone())
                    .unwrap_or_default(),
                gedekt: *c,
                totaal: *t,
                aandeel: if *t == 0 {
                    "–".into()
                } else {
                    pct_label(100.0 * *c as f64 / *t as f64)
                },
            })
            .collect(),
        gedekt: a.covered.iter().map(|x| aref(x)).collect(),
        niet_gedekt: a.uncovered.iter().map(|x| aref(x)).collect(),
        ongekoppeld: a
            .unlinked
            .iter()
            .map(|l| format!("{} {}", l.id, l.titel))
            .collect(),
        acties: plan
            .acties
            .iter()
            .map(|l| LocalActionView {
                id: l.id.clone(),
                titel: l.titel.clone(),
                koppeling: if l.strategische_acties.is_empty() {
                    "geen".into()
                } else {
                    l.strategische_acties.join(", ")
                },
                eigenaar: l.eigenaar.clone(),
                status: words::action_status(l.status).into(),
                toelichting: l.toelichting.clone().unwrap_or_default(),
            })
            .collect(),
        indicatoren,
        doelen,
        klein_aantal: d.small_label(),
        kleine_noemer: nl_number(d.min_denominator, 0),
        marks: Marks::of(d),
    }
}

/// The prison's figures of `year` next to the Flemish total and the other prisons (funnel
/// verdicts for rates, nothing ranked), and the lines of those that are off track.
pub(crate) fn comparisons(
    model: &Model,
    eval: &Evaluation,
    code: &str,
    year: i32,
    d: &Disclosure,
) -> (Vec<ComparisonView>, Vec<String>) {
    let mut indicatoren = Vec::new();
    let mut niet_op_koers = Vec::new();
    let visible = |ind: &Indicator, o: &Observation| matches!(d.apply(ind, o), Shown::Value(_));
    for c in local::compare(model, eval, code, year, visible) {
        let Some(ind) = model.indicator(&c.indicator) else {
            continue;
        };
        let mine = cell(eval, &ind.id, code, year);
        let visible = mine.is_some_and(|o| matches!(d.apply(ind, o), Shown::Value(_)));
        let dev_pp = match (visible, c.value, c.total) {
            (true, Some(v), Some(t)) if ind.soort == crate::model::IndicatorKind::Aandeel => {
                Some(v - t)
            }
            _ => None,
        };
        let dev = dev_pp
            .map(|x| format!("{} procentpunt", signed(x)))
            .unwrap_or_default();
        // Only rates over persons or events are judged against the other prisons, in a
        // funnel plot: counts are never ranked, and nothing is. Lying beyond the 99.8 %
        // limit on the wrong side of the pooled rate is off track.
        let wrong_side = matches!(
            (c.position, ind.richting),
            (Some(Position::Below), crate::model::Direction::HogerIsBeter)
                | (Some(Position::Above), crate::model::Direction::LagerIsBeter)
        );
        if visible && wrong_side {
            niet_op_koers.push(format!(
                "{}: {} ({} tegenover {} in de gevangenissen samen)",
                ind.titel,
                words::position(c.position.expect("flagged")),
                shown_text(ind, mine, d),
                c.funnel
                    .as_ref()
                    .map(|f| pct_label(f.centre))
                    .unwrap_or_default()
            ));
        }
        indicatoren.push(ComparisonView {
            id: ind.id.clone(),
            titel: ind.titel.clone(),
            cijfer: Figure::of(ind, mine, d),
            cijfer_vlaanderen: Figure::of(ind, eval.total(&ind.id, year), d),
            afwijking_pp: dev_pp,
            waarde: shown_text(ind, mine, d),
            vlaanderen: shown_text(ind, eval.total(&ind.id, year), d),
            bereik: match (c.min, c.max) {
                (Some(lo), Some(hi)) if ind.soort != crate::model::IndicatorKind::Aantal => {
                    format!("{} – {}", format_value(ind, lo), format_value(ind, hi))
                }
                _ => String::new(),
            },
            tegenover: match (visible, c.position) {
                (true, Some(p)) => words::position(p).into(),
                _ => String::new(),
            },
            trechter: c
                .funnel
                .as_ref()
                .filter(|_| visible)
                .map(|f| super::yearly::funnel_page(f, Some(code))),
            afwijking: dev,
        });
    }
    (indicatoren, niet_op_koers)
}

fn signed(v: f64) -> String {
    words::signed(v, 1)
}

fn shown_text(ind: &Indicator, o: Option<&Observation>, d: &Disclosure) -> String {
    words::figure(&Figure::of(ind, o, d), &Marks::of(d))
}

fn format_value(ind: &Indicator, v: f64) -> String {
    words::value(Unit::of(ind), v)
}

#[derive(Debug, Serialize)]
pub(crate) struct Overview {
    pub jaar: i32,
    pub run: RunInfo,
    pub doelstellingen: Vec<ActionRef>,
    pub acties: Vec<ActionRef>,
    pub rijen: Vec<OverviewRow>,
    pub zonder_plan: Vec<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct OverviewRow {
    pub gevangenis: String,
    pub cellen: Vec<HeatCell>,
    pub totaal: String,
    /// Covered actions in all, for the workbook.
    #[serde(skip)]
    pub totaal_gedekt: usize,
    /// Per action: covered or not, in plan order.
    pub acties: Vec<bool>,
}

#[derive(Debug, Serialize)]
pub(crate) struct HeatCell {
    pub tekst: String,
    /// Covered actions and actions of the objective, for the workbook.
    #[serde(skip)]
    pub gedekt: usize,
    #[serde(skip)]
    pub van: usize,
    /// 0-4: the coverage share in quarters, for the heatmap colour.
    pub niveau: usize,
}

pub(crate) fn build_overview(model: &Model, year: i32, run: RunInfo) -> Overview {
    let c = local::coverage(model, year);
    let rijen = c
        .with_plan
        .iter()
        .map(|(p, a)| {
            let covered: std::collections::BTreeSet<&str> =
                a.covered.iter().map(|x| x.id.as_str()).collect();
            OverviewRow {
                gevangenis: p.naam.clone(),
                cellen: a
                    .per_objective
                    .iter()
                    .map(|(_, n, t)| {
                        let share = if *t == 0 { 0.0 } else { *n as f64 / *t as f64 };
                        HeatCell {
                            tekst: format!("{n}/{t}"),
                            gedekt: *n,
                            van: *t,
                            niveau: ((share * 4.0).ceil() as usize).min(4),
                        }
                    })
                    .collect(),
                totaal: format!("{}/{}", a.covered.len(), model.plan.acties.len()),
                totaal_gedekt: a.covered.len(),
                acties: model
                    .plan
                    .acties
                    .iter()
                    .map(|x| covered.contains(x.id.as_str()))
                    .collect(),
            }
        })
        .collect();
    Overview {
        jaar: year,
        run,
        doelstellingen: model
            .plan
            .doelstellingen
            .iter()
            .map(|o| ActionRef {
                id: o.id.clone(),
                titel: o.korte_titel.clone().unwrap_or_else(|| o.titel.clone()),
            })
            .collect(),
        acties: model
            .plan
            .acties
            .iter()
            .map(|a| ActionRef {
                id: a.id.clone(),
                titel: a.titel.clone(),
            })
            .collect(),
        rijen,
        zonder_plan: c.without_plan.iter().map(|p| p.naam.clone()).collect(),
    }
}

/// The local report as a file of format `f`.
pub(crate) fn report_file(
    env: &minijinja::Environment,
    r: &LocalReport,
    f: super::Format,
) -> crate::error::Result<Vec<u8>> {
    match f {
        super::Format::Html => Ok(super::render(env, "lokaal.html", r)?.into_bytes()),
        super::Format::Md => Ok(super::render(env, "lokaal.md", r)?.into_bytes()),
        super::Format::Xlsx => super::xlsx::local_workbook(r),
        other => Err(super::unsupported("het lokaal rapport", other)),
    }
}

/// The overview as a file of format `f`.
pub(crate) fn overview_file(
    env: &minijinja::Environment,
    o: &Overview,
    f: super::Format,
) -> crate::error::Result<Vec<u8>> {
    match f {
        super::Format::Html => Ok(super::render(env, "overzicht.html", o)?.into_bytes()),
        super::Format::Md => Ok(super::render(env, "overzicht.md", o)?.into_bytes()),
        super::Format::Xlsx => super::xlsx::overview_workbook(o),
        other => Err(super::unsupported("het overzicht", other)),
    }
}
