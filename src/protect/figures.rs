//! The indicators' figures in the ledger: each observation's count, or a rate's numerator,
//! denominator and complement; an average's or median's persons behind it; the breakdowns
//! of a year as relations to their total. And back: what may be published of a figure.

use super::ledger::{CellKey, Ledger, Mark, Part, Reason};
use crate::engine::{Evaluation, Observation};
use crate::model::{Indicator, IndicatorKind, Model, Policy};
use serde::Serialize;
use std::collections::BTreeMap;

/// A published cell: a number that may be shown, or why not.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub enum Shown {
    Value(f64),
    /// A small count, shown as `<5`.
    Small,
    /// Not shown (`×`): a rate on too few, a numerator that would give a small count away, or
    /// a cell hidden so that a small count cannot be derived.
    Hidden,
    /// No value (undefined: e.g. a rate on no one).
    Empty,
    /// A source the figure reads has no rows for the year: "geen gegevens", never 0.
    NoData,
}

/// What may be published of one figure: its value, and a rate's numerator and denominator.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Published {
    pub value: Shown,
    pub numerator: Shown,
    pub denominator: Shown,
}

impl Published {
    fn all(s: Shown) -> Published {
        Published {
            value: s,
            numerator: s,
            denominator: s,
        }
    }
}

/// Does the disclosure policy protect what `ind` counts?
pub fn protects(policy: &Policy, ind: &Indicator) -> bool {
    ind.telt.is_none_or(|t| policy.protects(t))
}

fn dims_of(o: &Observation) -> Vec<(&str, &str)> {
    o.dim
        .as_ref()
        .map(|d| vec![(d.name.as_str(), d.value.as_str())])
        .unwrap_or_default()
}

fn key(ind: &Indicator, o: &Observation, part: Part) -> CellKey {
    CellKey::new(&ind.id, o.year, &dims_of(o), part)
}

/// Registers every figure of `eval` that the policy protects.
pub fn register(ledger: &mut Ledger, model: &Model, eval: &Evaluation) {
    let policy = &model.policy;
    for ind in &model.indicators {
        if !protects(policy, ind) {
            continue;
        }
        // (year, part) → (total cell, dimension → cells)
        type Cells = (Option<usize>, BTreeMap<String, Vec<usize>>);
        let mut lines: BTreeMap<(i32, Part), Cells> = BTreeMap::new();
        let mut place = |o: &Observation, part: Part, cell: usize| {
            let line = lines.entry((o.year, part)).or_default();
            match &o.dim {
                None => line.0 = Some(cell),
                Some(d) => line.1.entry(d.name.clone()).or_default().push(cell),
            }
        };
        for o in eval.of(&ind.id) {
            match ind.soort {
                IndicatorKind::Aantal => {
                    if let Some(v) = o.value {
                        let c = ledger.cell(key(ind, o, Part::Value), v, true);
                        place(o, Part::Value, c);
                    }
                }
                IndicatorKind::Aandeel => {
                    let (Some(k), Some(n)) = (o.numerator, o.denominator) else {
                        continue;
                    };
                    let kc = ledger.cell(key(ind, o, Part::Numerator), k, true);
                    let nc = ledger.cell(key(ind, o, Part::Denominator), n, true);
                    ledger.rate(kc, nc);
                    if n < f64::from(policy.minimum_noemer) {
                        ledger.force(kc, Reason::SmallDenominator);
                    }
                    if o.units
                        .is_some_and(|u| u < f64::from(policy.minimum_personen))
                    {
                        ledger.force(kc, Reason::FewPersons);
                    }
                    place(o, Part::Numerator, kc);
                    place(o, Part::Denominator, nc);
                }
                IndicatorKind::Gemiddelde | IndicatorKind::Mediaan | IndicatorKind::Verschil => {
                    let Some(v) = o.value else { continue };
                    let c = ledger.cell(key(ind, o, Part::Value), v, false);
                    // Unknown persons behind it count as too few.
                    if o.units
                        .is_none_or(|u| u < f64::from(policy.minimum_personen))
                    {
                        ledger.force(c, Reason::FewPersons);
                    }
                }
                // A ratio over persons (spending or FTE per detainee of the average daily
                // population): its numerator is no count; it is shown only on a denominator
                // of at least the minimum (see `figure`).
                IndicatorKind::Som | IndicatorKind::Verhouding => {}
            }
        }
        for (total, by_dim) in lines.into_values() {
            let Some(total) = total else { continue };
            for parts in by_dim.into_values() {
                ledger.relation(total, parts);
            }
        }
    }
}

/// The base ledger of a run: every protected figure of `eval` (every indicator of the
/// model, every year evaluated), solved.
pub fn base(model: &Model, eval: &Evaluation) -> Ledger {
    let mut l = Ledger::new();
    register(&mut l, model, eval);
    let exposed = l.solve(&model.policy);
    debug_assert!(exposed.is_empty(), "the base ledger protects every count");
    l
}

fn shown(mark: Option<Mark>, value: f64) -> Shown {
    match mark {
        Some(Mark::Shown) => Shown::Value(value),
        Some(Mark::Hidden(Reason::Small)) => Shown::Small,
        // Not in the ledger: it was not registered as published, so it is not shown.
        _ => Shown::Hidden,
    }
}

impl Ledger {
    /// What may be published of observation `o` of `ind` (registered with [`register`]).
    pub fn figure(&self, policy: &Policy, ind: &Indicator, o: &Observation) -> Published {
        let Some(v) = o.value else {
            return Published {
                value: Shown::Empty,
                ..Published::all(Shown::Empty)
            };
        };
        if !protects(policy, ind) {
            return Published {
                value: Shown::Value(v),
                numerator: o.numerator.map_or(Shown::Empty, Shown::Value),
                denominator: o.denominator.map_or(Shown::Empty, Shown::Value),
            };
        }
        let mark = |part| self.mark_of(&key(ind, o, part));
        match ind.soort {
            IndicatorKind::Verhouding => {
                if o.denominator
                    .is_some_and(|n| n >= f64::from(policy.minimum_noemer))
                {
                    Published {
                        value: Shown::Value(v),
                        numerator: o.numerator.map_or(Shown::Empty, Shown::Value),
                        denominator: o.denominator.map_or(Shown::Empty, Shown::Value),
                    }
                } else {
                    Published::all(Shown::Hidden)
                }
            }
            IndicatorKind::Aandeel => {
                let (Some(k), Some(n)) = (o.numerator, o.denominator) else {
                    return Published::all(Shown::Hidden);
                };
                let numerator = shown(mark(Part::Numerator), k);
                let denominator = shown(mark(Part::Denominator), n);
                let value = match (numerator, denominator) {
                    (Shown::Value(_), Shown::Value(_)) => Shown::Value(v),
                    _ => Shown::Hidden,
                };
                Published {
                    value,
                    numerator,
                    denominator,
                }
            }
            IndicatorKind::Som => Published::all(Shown::Value(v)),
            _ => Published {
                value: shown(mark(Part::Value), v),
                numerator: Shown::Empty,
                denominator: Shown::Empty,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Dim;

    fn obs(
        id: &str,
        dim: Option<(&str, &str)>,
        v: f64,
        k: Option<f64>,
        n: Option<f64>,
    ) -> Observation {
        Observation {
            indicator: id.into(),
            year: 2024,
            dim: dim.map(|(name, value)| Dim {
                name: name.into(),
                value: value.into(),
            }),
            value: Some(v),
            numerator: k,
            denominator: n,
            interval: None,
            units: None,
        }
    }

    fn indicator(id: &str, soort: IndicatorKind, telt: crate::model::Counts) -> Indicator {
        let mut ind: Indicator = serde_json::from_value(serde_json::json!({
            "id": id, "titel": id, "beschrijving": id, "eenheid": "x",
            "soort": "aantal", "richting": "neutraal", "sql": "x",
            "uitsplitsingen": ["gevangenis"],
        }))
        .unwrap();
        ind.soort = soort;
        ind.telt = Some(telt);
        ind
    }

    fn model(indicators: Vec<Indicator>) -> Model {
        Model {
            root: ".".into(),
            prisons: vec![],
            plans: vec![],
            plan: Default::default(),
            local_plans: vec![],
            indicators,
            layout: Default::default(),
            policy: Policy::default(),
        }
    }

    #[test]
    fn a_rate_of_3_of_12_beside_prisons_adding_up() {
        // Flemish 20 of 60; prison a 3 of 12, b 17 of 48. The 3 is small: hidden, and with
        // the total shown, b's numerator must go too (20 - 17 = 3).
        let ind = indicator("r", IndicatorKind::Aandeel, crate::model::Counts::Personen);
        let eval = Evaluation {
            observations: vec![
                obs("r", None, 100.0 * 20.0 / 60.0, Some(20.0), Some(60.0)),
                obs("r", Some(("gevangenis", "a")), 25.0, Some(3.0), Some(12.0)),
                obs(
                    "r",
                    Some(("gevangenis", "b")),
                    100.0 * 17.0 / 48.0,
                    Some(17.0),
                    Some(48.0),
                ),
            ],
            skipped: vec![],
        };
        let m = model(vec![ind.clone()]);
        let l = base(&m, &eval);
        let p = |i: usize| l.figure(&m.policy, &ind, &eval.observations[i]);
        assert_eq!(p(0).value, Shown::Value(100.0 * 20.0 / 60.0));
        assert_eq!(p(1).numerator, Shown::Small);
        assert_eq!(p(1).value, Shown::Hidden);
        assert_eq!(p(1).denominator, Shown::Value(12.0));
        assert_eq!(p(2).numerator, Shown::Hidden);
        assert_eq!(p(2).value, Shown::Hidden);
        assert!(l.audit(&m.policy).iter().all(|d| d.protected));
    }

    #[test]
    fn money_is_not_protected() {
        let ind = indicator("geld", IndicatorKind::Som, crate::model::Counts::Geen);
        let eval = Evaluation {
            observations: vec![obs("geld", None, 3.0, None, None)],
            skipped: vec![],
        };
        let m = model(vec![ind.clone()]);
        let l = base(&m, &eval);
        assert_eq!(
            l.figure(&m.policy, &ind, &eval.observations[0]).value,
            Shown::Value(3.0)
        );
    }

    #[test]
    fn an_average_over_three_persons_is_hidden() {
        let ind = indicator(
            "gem",
            IndicatorKind::Gemiddelde,
            crate::model::Counts::Personen,
        );
        let mut three = obs("gem", None, 41.5, None, None);
        three.units = Some(3.0);
        let mut twelve = obs("gem", Some(("gevangenis", "a")), 41.5, None, None);
        twelve.units = Some(12.0);
        let eval = Evaluation {
            observations: vec![three, twelve],
            skipped: vec![],
        };
        let m = model(vec![ind.clone()]);
        let l = base(&m, &eval);
        assert_eq!(
            l.figure(&m.policy, &ind, &eval.observations[0]).value,
            Shown::Hidden
        );
        assert_eq!(
            l.figure(&m.policy, &ind, &eval.observations[1]).value,
            Shown::Value(41.5)
        );
    }
}
