//! The local report (one prison, one year) and the overview across prisons, as typed data:
//! which strategic actions a prison's local plan covers and which it does not, local actions
//! linked to nothing, the prison's figures next to the Flemish total and the other prisons
//! (funnel verdicts for rates, nothing ranked), its local targets assessed like the yearly
//! report, and what is off track. `render::local` only formats these.

use super::funnel::{self, Funnel, Position};
use super::{Figure, RunInfo, Unit, prison_name, prison_open_in as open_in};
use crate::assess::{self, Assessment, Goal, Point, Spec};
use crate::disclosure::Disclosure;
use crate::engine::{Evaluation, Observation};
use crate::model::{
    Action, ActionStatus, Direction, Indicator, IndicatorKind, LocalAction, LocalPlan, Model,
    Prison,
};
use serde::Serialize;
use std::collections::BTreeSet;

/// The local report of one prison for one year.
#[derive(Debug, Serialize)]
pub struct LocalReport {
    /// The prison's name.
    pub prison: String,
    pub code: String,
    pub year: i32,
    /// The local policy team (empty when the plan names none).
    pub team: String,
    pub run: RunInfo,
    /// What is off track, in the order shown: local targets, delayed local actions, rates.
    pub off_track: Vec<OffTrack>,
    /// Per objective: its short title (empty without one), the covered actions and all.
    pub coverage: Vec<ObjectiveCoverage>,
    pub covered: Vec<Ref>,
    pub uncovered: Vec<Ref>,
    /// Local actions linked to no strategic action.
    pub unlinked: Vec<Ref>,
    pub actions: Vec<LocalActionRow>,
    pub comparisons: Vec<Comparison>,
    pub targets: Vec<LocalTarget>,
}

/// An id with its title.
#[derive(Debug, Clone, Serialize)]
pub struct Ref {
    pub id: String,
    pub title: String,
}

/// A local action named as a reader needs it: id, title and owner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LocalActionRef {
    pub id: String,
    pub title: String,
    /// Who carries the action (empty when the plan names nobody).
    pub owner: String,
}

#[derive(Debug, Serialize)]
pub struct ObjectiveCoverage {
    pub id: String,
    /// The objective's short title (empty without one).
    pub title: String,
    pub covered: usize,
    pub total: usize,
}

#[derive(Debug, Serialize)]
pub struct LocalActionRow {
    pub id: String,
    pub title: String,
    /// The strategic actions it is linked to (none: linked to nothing).
    pub links: Vec<String>,
    pub owner: String,
    pub status: ActionStatus,
    pub note: Option<String>,
}

/// Something of the local report that is off track.
#[derive(Debug, Serialize)]
pub enum OffTrack {
    /// A local target whose assessment needs attention, with the local action that sets it
    /// (its title and owner: who reads the list knows what and who without looking it up).
    Target {
        indicator: String,
        action: LocalActionRef,
        assessment: Assessment,
        unit: Unit,
    },
    /// A delayed local action.
    Delayed {
        id: String,
        title: String,
        note: Option<String>,
    },
    /// A published rate beyond the 99.8 % limit of the funnel on the wrong side of the rate
    /// of the prisons together (`centre`).
    Rate {
        title: String,
        position: Position,
        value: Figure,
        centre: Option<f64>,
    },
}

/// A prison's figure of one indicator next to the Flemish total and the other prisons.
#[derive(Debug, Serialize)]
pub struct Comparison {
    pub id: String,
    pub title: String,
    pub value: Figure,
    pub flanders: Figure,
    /// The range of the published values over the open prisons (never for counts).
    pub range: Option<(f64, f64)>,
    /// A published rate: its deviation from the Flemish rate in percentage points (from the
    /// Flemish rate to the prison's), with the decimals at which it agrees with both.
    pub deviation: Option<super::Difference>,
    /// A published rate: where it lies in the funnel of the open prisons' rates.
    pub position: Option<Position>,
    /// A published rate: the funnel, to plot with this prison marked.
    pub funnel: Option<Funnel>,
}

/// A local target assessed like the yearly report: the baseline is the prison's published
/// value of the year before, the target the local one.
#[derive(Debug, Serialize)]
pub struct LocalTarget {
    /// The indicator's title.
    pub indicator: String,
    /// The local action that sets the target.
    pub action: LocalActionRef,
    pub value: Figure,
    pub target: f64,
    pub target_year: i32,
    pub assessment: Assessment,
}

/// Builds the local report of `plan` (its prison and year) from `eval` (its year and the year
/// before).
pub(crate) fn build_report(
    model: &Model,
    plan: &LocalPlan,
    eval: &Evaluation,
    run: RunInfo,
    d: &Disclosure,
) -> LocalReport {
    let (code, year) = (plan.gevangenis.as_str(), plan.jaar);
    let a = alignment(model, plan);
    let targets = local_targets(model, plan, eval, d);
    let mut off_track: Vec<OffTrack> = targets
        .iter()
        .filter(|t| t.assessment.status.needs_attention())
        .map(|t| OffTrack::Target {
            indicator: t.indicator.clone(),
            action: t.action.clone(),
            assessment: t.assessment.clone(),
            unit: t.value.unit,
        })
        .collect();
    off_track.extend(
        plan.acties
            .iter()
            .filter(|la| la.status == ActionStatus::Vertraagd)
            .map(|la| OffTrack::Delayed {
                id: la.id.clone(),
                title: la.titel.clone(),
                note: la.toelichting.clone(),
            }),
    );
    let comparisons = comparisons(model, eval, code, year, d);
    off_track.extend(comparisons.iter().filter_map(off_track_rate(model)));
    let r = |x: &Action| Ref {
        id: x.id.clone(),
        title: x.titel.clone(),
    };
    LocalReport {
        prison: prison_name(model, code),
        code: code.into(),
        year,
        team: plan.lokaal_beleidsteam.clone().unwrap_or_default(),
        run,
        off_track,
        coverage: a
            .per_objective
            .iter()
            .map(|(id, c, t)| ObjectiveCoverage {
                id: id.clone(),
                title: model
                    .plan
                    .objective(id)
                    .and_then(|o| o.korte_titel.clone())
                    .unwrap_or_default(),
                covered: *c,
                total: *t,
            })
            .collect(),
        covered: a.covered.iter().map(|x| r(x)).collect(),
        uncovered: a.uncovered.iter().map(|x| r(x)).collect(),
        unlinked: a
            .unlinked
            .iter()
            .map(|l| Ref {
                id: l.id.clone(),
                title: l.titel.clone(),
            })
            .collect(),
        actions: plan
            .acties
            .iter()
            .map(|l| LocalActionRow {
                id: l.id.clone(),
                title: l.titel.clone(),
                links: l.strategische_acties.clone(),
                owner: l.eigenaar.clone(),
                status: l.status,
                note: l.toelichting.clone(),
            })
            .collect(),
        comparisons,
        targets,
    }
}

/// The prison's published cell of `ind` in `year`.
fn cell<'a>(eval: &'a Evaluation, ind: &str, prison: &str, year: i32) -> Option<&'a Observation> {
    eval.observations
        .iter()
        .find(|o| o.indicator == ind && o.year == year && o.is_cell("gevangenis", prison))
}

/// An observation as an assessment point, when its figure may be published.
fn published(ind: &Indicator, o: Option<&Observation>, d: &Disclosure) -> Option<Point> {
    let o = o?;
    Figure::of(ind, Some(o), d).value().map(|value| Point {
        year: o.year,
        value,
        numerator: o.numerator,
        denominator: o.denominator,
        interval: o.interval.and_then(|i| i.low.zip(i.high)),
    })
}

/// Every local target of the plan, assessed.
fn local_targets(
    model: &Model,
    plan: &LocalPlan,
    eval: &Evaluation,
    d: &Disclosure,
) -> Vec<LocalTarget> {
    let (code, year) = (plan.gevangenis.as_str(), plan.jaar);
    let mut out = Vec::new();
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
            out.push(LocalTarget {
                indicator: ind.titel.clone(),
                action: LocalActionRef {
                    id: la.id.clone(),
                    title: la.titel.clone(),
                    owner: la.eigenaar.clone(),
                },
                value: Figure::of(ind, cell(eval, &ind.id, code, year), d),
                target: t.waarde,
                target_year,
                assessment: assess::assess(&Spec::of(ind), &goal, None, current, base, &[]),
            });
        }
    }
    out
}

/// A compared rate that is off track: lying beyond the 99.8 % limit on the wrong side of the
/// pooled rate.
fn off_track_rate(model: &Model) -> impl Fn(&Comparison) -> Option<OffTrack> + '_ {
    |c| {
        let ind = model.indicator(&c.id)?;
        let position = c.position?;
        let wrong_side = matches!(
            (position, ind.richting),
            (Position::Below, Direction::HogerIsBeter) | (Position::Above, Direction::LagerIsBeter)
        );
        wrong_side.then(|| OffTrack::Rate {
            title: ind.titel.clone(),
            position,
            value: c.value,
            centre: c.funnel.as_ref().map(|f| f.centre),
        })
    }
}

/// The prison's figures of `year` next to the Flemish total and the other prisons, for every
/// indicator with a breakdown by prison. Only rates over persons or events are judged against
/// the other prisons, in a funnel plot: counts are never ranked, and nothing is.
pub(crate) fn comparisons(
    model: &Model,
    eval: &Evaluation,
    code: &str,
    year: i32,
    d: &Disclosure,
) -> Vec<Comparison> {
    let mut out = Vec::new();
    for c in compare(model, eval, code, year, d) {
        let Some(ind) = model.indicator(&c.indicator) else {
            continue;
        };
        // The prison's own cell, open in the year or not (a closed prison's report still
        // shows its figure; it is only left out of the others' range and funnel).
        let value = Figure::of(ind, cell(eval, &ind.id, code, year), d);
        let visible = value.value().is_some();
        out.push(Comparison {
            id: ind.id.clone(),
            title: ind.titel.clone(),
            value,
            flanders: Figure::of(ind, eval.total(&ind.id, year), d),
            range: c
                .min
                .zip(c.max)
                .filter(|_| ind.soort != IndicatorKind::Aantal),
            deviation: match (visible, c.value, c.total) {
                (true, Some(v), Some(t)) if ind.soort == IndicatorKind::Aandeel => {
                    Some(super::Difference::between(t, v, 1))
                }
                _ => None,
            },
            position: c.position.filter(|_| visible),
            funnel: c.funnel.filter(|_| visible),
        });
    }
    out
}

/// How one local plan lines up with the strategic plan.
#[derive(Debug)]
pub(crate) struct Alignment<'a> {
    /// Strategic actions the plan links at least one local action to.
    pub covered: Vec<&'a Action>,
    pub uncovered: Vec<&'a Action>,
    /// Per objective: (objective id, covered actions, actions).
    pub per_objective: Vec<(String, usize, usize)>,
    /// Local actions linked to no strategic action.
    pub unlinked: Vec<&'a LocalAction>,
}

fn linked_actions(plan: &LocalPlan) -> BTreeSet<&str> {
    plan.acties
        .iter()
        .flat_map(|a| a.strategische_acties.iter().map(String::as_str))
        .collect()
}

pub(crate) fn alignment<'a>(model: &'a Model, plan: &'a LocalPlan) -> Alignment<'a> {
    let linked = linked_actions(plan);
    let (covered, uncovered): (Vec<&Action>, Vec<&Action>) = model
        .plan
        .acties
        .iter()
        .partition(|a| linked.contains(a.id.as_str()));
    let per_objective = model
        .plan
        .doelstellingen
        .iter()
        .map(|o| {
            let of = |v: &[&Action]| v.iter().filter(|a| a.doelstelling == o.id).count();
            (o.id.clone(), of(&covered), of(&covered) + of(&uncovered))
        })
        .collect();
    Alignment {
        covered,
        uncovered,
        per_objective,
        unlinked: plan
            .acties
            .iter()
            .filter(|a| a.strategische_acties.is_empty())
            .collect(),
    }
}

/// The coverage of all prisons open in `year`.
#[derive(Debug)]
pub(crate) struct Coverage<'a> {
    /// Prisons with a local plan, with their alignment.
    pub with_plan: Vec<(&'a Prison, Alignment<'a>)>,
    /// Prisons open in the year without a local plan.
    pub without_plan: Vec<&'a Prison>,
}

pub(crate) fn coverage(model: &Model, year: i32) -> Coverage<'_> {
    let mut with_plan = Vec::new();
    let mut without_plan = Vec::new();
    for p in model.prisons.iter().filter(|p| open_in(p, year)) {
        match model.local_plan(&p.code, year) {
            Some(lp) => with_plan.push((p, alignment(model, lp))),
            None => without_plan.push(p),
        }
    }
    Coverage {
        with_plan,
        without_plan,
    }
}

/// A prison's cell of one indicator and year next to the others.
#[derive(Debug, Clone)]
struct Cells {
    indicator: String,
    /// The prison's value when it is open in the year.
    value: Option<f64>,
    /// The Flemish total.
    total: Option<f64>,
    /// The range of the published values over the open prisons.
    min: Option<f64>,
    max: Option<f64>,
    /// Rates: the funnel of the open prisons' published rates, and where this prison lies
    /// in it.
    funnel: Option<Funnel>,
    position: Option<Position>,
}

/// The prison's cell of every indicator with a `gevangenis` breakdown, next to the others.
/// Only published cells count for the range and the funnel (so a suppressed figure cannot be
/// read back from them).
fn compare(
    model: &Model,
    eval: &Evaluation,
    prison: &str,
    year: i32,
    d: &Disclosure,
) -> Vec<Cells> {
    let mut out = Vec::new();
    for ind in model
        .indicators
        .iter()
        .filter(|i| i.uitsplitsingen.iter().any(|u| u == "gevangenis"))
    {
        // Prisons closed (or not yet open) in the year are not compared.
        let cells: Vec<_> = eval
            .of(&ind.id)
            .filter(|o| o.year == year && o.dim.as_ref().is_some_and(|d| d.name == "gevangenis"))
            .filter(|o| {
                o.dim
                    .as_ref()
                    .and_then(|d| model.prison(&d.value))
                    .is_none_or(|p| open_in(p, year))
            })
            .collect();
        let shown: Vec<_> = cells
            .iter()
            .filter(|o| Figure::of(ind, Some(o), d).value().is_some())
            .collect();
        let values: Vec<f64> = shown.iter().filter_map(|o| o.value).collect();
        let mine = cells.iter().find(|o| o.is_cell("gevangenis", prison));
        let funnel = (ind.soort == IndicatorKind::Aandeel)
            .then(|| {
                let cells = shown
                    .iter()
                    .filter_map(|o| {
                        let code = o.dim.as_ref()?.value.clone();
                        Some(funnel::Cell {
                            prison: prison_name(model, &code),
                            code,
                            numerator: o.numerator?,
                            denominator: o.denominator?,
                            rate: o.value?,
                        })
                    })
                    .collect();
                funnel::build(&ind.id, &ind.titel, year, cells)
            })
            .flatten();
        let position = funnel
            .as_ref()
            .and_then(|f| f.points.iter().find(|p| p.code == prison))
            .map(|p| p.position);
        out.push(Cells {
            indicator: ind.id.clone(),
            value: mine.and_then(|o| o.value),
            total: eval.total(&ind.id, year).and_then(|o| o.value),
            min: values.iter().copied().min_by(f64::total_cmp),
            max: values.iter().copied().max_by(f64::total_cmp),
            funnel,
            position,
        });
    }
    out
}

/// The overview across the prisons open in a year: their coverage of the strategic plan.
#[derive(Debug, Serialize)]
pub struct Overview {
    pub year: i32,
    pub run: RunInfo,
    /// The objectives (id, short title or title), in plan order.
    pub objectives: Vec<Ref>,
    /// The strategic actions, in plan order.
    pub actions: Vec<Ref>,
    pub rows: Vec<OverviewRow>,
    /// The prisons open in the year without a local plan (names).
    pub without_plan: Vec<String>,
}

/// One prison with a local plan.
#[derive(Debug, Serialize)]
pub struct OverviewRow {
    pub prison: String,
    /// Per objective (plan order): covered actions and actions.
    pub per_objective: Vec<(usize, usize)>,
    /// Covered actions in all.
    pub covered: usize,
    /// Per action (plan order): covered or not.
    pub actions: Vec<bool>,
}

pub(crate) fn build_overview(model: &Model, year: i32, run: RunInfo) -> Overview {
    let c = coverage(model, year);
    let rows = c
        .with_plan
        .iter()
        .map(|(p, a)| {
            let covered: BTreeSet<&str> = a.covered.iter().map(|x| x.id.as_str()).collect();
            OverviewRow {
                prison: p.naam.clone(),
                per_objective: a.per_objective.iter().map(|(_, n, t)| (*n, *t)).collect(),
                covered: a.covered.len(),
                actions: model
                    .plan
                    .acties
                    .iter()
                    .map(|x| covered.contains(x.id.as_str()))
                    .collect(),
            }
        })
        .collect();
    Overview {
        year,
        run,
        objectives: model
            .plan
            .doelstellingen
            .iter()
            .map(|o| Ref {
                id: o.id.clone(),
                title: o.korte_titel.clone().unwrap_or_else(|| o.titel.clone()),
            })
            .collect(),
        actions: model
            .plan
            .acties
            .iter()
            .map(|a| Ref {
                id: a.id.clone(),
                title: a.titel.clone(),
            })
            .collect(),
        rows,
        without_plan: c.without_plan.iter().map(|p| p.naam.clone()).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ActionStatus, Objective, Plan};
    use chrono::NaiveDate;

    fn action(id: &str, obj: &str) -> Action {
        Action {
            id: id.into(),
            titel: id.into(),
            voorlopige_titel: false,
            doelstelling: obj.into(),
            cluster: None,
            trekker: "x".into(),
            indicatoren: vec![],
            status: vec![],
            ..Default::default()
        }
    }

    fn local(id: &str, links: &[&str]) -> LocalAction {
        LocalAction {
            id: id.into(),
            titel: id.into(),
            strategische_acties: links.iter().map(|s| s.to_string()).collect(),
            eigenaar: "x".into(),
            status: ActionStatus::Lopend,
            toelichting: None,
            doelen: vec![],
        }
    }

    fn prison(code: &str, open: Option<&str>, closed: Option<&str>) -> Prison {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        Prison {
            code: code.into(),
            naam: code.into(),
            open_vanaf: open.map(d),
            gesloten_vanaf: closed.map(d),
            opmerking: None,
            namen: Vec::new(),
            ids: Vec::new(),
        }
    }

    fn model() -> Model {
        Model {
            root: ".".into(),
            prisons: vec![
                prison("brugge", None, None),
                prison("gent", None, None),
                prison("ieper", None, Some("2022-01-01")),
                prison("haren", Some("2022-09-01"), None),
            ],
            plan: Plan {
                titel: "t".into(),
                eerste_jaar: 2020,
                laatste_jaar: 2025,
                goedgekeurd: None,
                doelstellingen: ["SD1", "SD2"]
                    .iter()
                    .map(|i| Objective {
                        id: i.to_string(),
                        titel: i.to_string(),
                        korte_titel: None,
                        ..Default::default()
                    })
                    .collect(),
                acties: vec![
                    action("A1", "SD1"),
                    action("A2", "SD1"),
                    action("A3", "SD2"),
                    action("A4", "SD2"),
                    action("A5", "SD2"),
                ],
                ..Default::default()
            },
            plans: Vec::new(),
            local_plans: vec![LocalPlan {
                gevangenis: "brugge".into(),
                jaar: 2022,
                lokaal_beleidsteam: None,
                acties: vec![
                    local("L1", &["A1", "A3"]),
                    local("L2", &[]),
                    local("L3", &["A3"]),
                ],
                file: String::new(),
            }],
            indicators: vec![],
            layout: Default::default(),
            policy: Default::default(),
        }
    }

    #[test]
    fn alignment_counts_covered_actions_gaps_and_unlinked_local_actions() {
        let m = model();
        let a = alignment(&m, &m.local_plans[0]);
        let ids = |v: &[&Action]| v.iter().map(|a| a.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&a.covered), ["A1", "A3"]);
        assert_eq!(ids(&a.uncovered), ["A2", "A4", "A5"]);
        assert_eq!(
            a.per_objective,
            vec![("SD1".to_string(), 1, 2), ("SD2".to_string(), 1, 3)]
        );
        assert_eq!(
            a.unlinked.iter().map(|l| l.id.as_str()).collect::<Vec<_>>(),
            ["L2"]
        );
    }

    #[test]
    fn coverage_lists_open_prisons_without_a_plan() {
        let m = model();
        // 2022: ieper closed on 1 January, haren opened in September.
        let c = coverage(&m, 2022);
        assert_eq!(c.with_plan.len(), 1);
        let without: Vec<_> = c.without_plan.iter().map(|p| p.code.as_str()).collect();
        assert_eq!(without, ["gent", "haren"]);
        // 2021: ieper still open, haren not yet.
        let without: Vec<_> = coverage(&m, 2021)
            .without_plan
            .iter()
            .map(|p| p.code.as_str())
            .collect();
        assert_eq!(without, ["brugge", "gent", "ieper"]);
    }
}
