//! Local action plans against the strategic plan: which actions a prison's local plan covers,
//! which it does not, local actions linked to nothing; the cross-prison coverage matrix; and a
//! prison's figures next to the Flemish total and the other prisons. Pure computation on the
//! model and the evaluation; rendering is in `render::local`.

use crate::engine::Evaluation;
use crate::model::{Action, IndicatorKind, LocalAction, LocalPlan, Model, Prison};
use crate::report::funnel::{self, Funnel, Position};
use crate::report::prison_open_in as open_in;
use std::collections::BTreeSet;

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

pub(crate) fn linked_actions(plan: &LocalPlan) -> BTreeSet<&str> {
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

/// A prison's figure next to the others for one indicator and year.
#[derive(Debug, Clone)]
pub(crate) struct Comparison {
    pub indicator: String,
    pub value: Option<f64>,
    /// The Flemish total.
    pub total: Option<f64>,
    /// The range of the published values over the open prisons (not for counts).
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// Rates over persons or events: the funnel of the open prisons' published rates, and
    /// where this prison lies in it. Nothing is ranked.
    pub funnel: Option<Funnel>,
    pub position: Option<Position>,
}

/// The prison's cell of every indicator with a `gevangenis` breakdown, next to the others.
/// Only cells for which `published` holds count for the range and the funnel (so a
/// suppressed figure cannot be read back from them).
pub(crate) fn compare(
    model: &Model,
    eval: &Evaluation,
    prison: &str,
    year: i32,
    published: impl Fn(&crate::model::Indicator, &crate::engine::Observation) -> bool,
) -> Vec<Comparison> {
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
        let shown: Vec<_> = cells.iter().filter(|o| published(ind, o)).collect();
        let values: Vec<f64> = shown.iter().filter_map(|o| o.value).collect();
        let mine = cells.iter().find(|o| o.is_cell("gevangenis", prison));
        let funnel = (ind.soort == IndicatorKind::Aandeel)
            .then(|| {
                let cells = shown
                    .iter()
                    .filter_map(|o| {
                        let code = o.dim.as_ref()?.value.clone();
                        Some(funnel::Cell {
                            prison: model
                                .prison(&code)
                                .map(|p| p.naam.clone())
                                .unwrap_or_else(|| code.clone()),
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
        out.push(Comparison {
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
