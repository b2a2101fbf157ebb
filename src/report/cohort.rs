//! The release cohorts in the yearly report (COHORTS.md), published through the disclosure
//! ledger (a layer over the indicators' cells: a cohort figure that is also an indicator's is
//! shown the same way): counts of 1 to 4 are `<5`, shares on too few or where all but a few
//! did something are `×`, the line that would give a small group away by subtraction from
//! the whole cohort is hidden, a curve of a small group is not drawn and no curve goes on
//! where fewer than the minimum number of persons are still followed.

use super::{Figure, Unit};
use crate::cohort::{CohortSection, CourtRow, Difference, SurvivalCurve};
use crate::disclosure::{Disclosure, Shown};
use crate::model::Policy;
use crate::protect::{Ledger, Part, cohort as pc};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct CohortReport {
    pub cohorts: Vec<CohortBlock>,
}

#[derive(Debug, Serialize)]
pub struct CohortBlock {
    pub year: i32,
    pub size: Figure,
    /// The curves that may be shown (groups of at least the minimum denominator).
    pub curves: Vec<SurvivalCurve>,
    pub groups: Vec<GroupRow>,
    /// Domains of the participation columns, in order.
    pub domains: Vec<String>,
    pub court: Vec<CourtLine>,
    pub difference_reincarceration: Option<Difference>,
    pub difference_work: Option<Difference>,
}

/// One group of `deelname_werk_onderwijs` (`ja` or `nee`).
#[derive(Debug, Serialize)]
pub struct GroupRow {
    pub participated: bool,
    pub rows: Figure,
    pub km_1j: Figure,
    pub km_2j: Figure,
    pub median_days: Figure,
}

/// One line of the Court's table "controle voor zelfselectie".
#[derive(Debug, Serialize)]
pub struct CourtLine {
    /// `Some(true)` long detention history, `Some(false)` not, `None` the whole cohort.
    pub long_history: Option<bool>,
    pub size: Figure,
    pub participation: Vec<Figure>,
    pub work_or_education: Figure,
    pub work_q1: Figure,
    pub work_q2: Figure,
    pub reincarcerated_two_years: Figure,
    pub km_2j: Figure,
    pub median_days: Figure,
}

fn figure(shown: Shown, unit: Unit) -> Figure {
    Figure {
        shown,
        unit,
        sample: false,
    }
}

fn court_line(l: &Ledger, year: i32, r: &CourtRow, domains: &[String]) -> CourtLine {
    let line = r.lange_detentiegeschiedenis.as_str();
    let dims = pc::line_dims(line);
    let rate =
        |what: &str, v: Option<f64>| figure(pc::rate(l, what, year, &dims, v), Unit::Percent);
    CourtLine {
        long_history: match line {
            "ja" => Some(true),
            "nee" => Some(false),
            _ => None,
        },
        size: figure(
            pc::count(
                l,
                &pc::key("hof/omvang", year, &dims, Part::Value),
                r.size as f64,
            ),
            Unit::Whole,
        ),
        participation: domains
            .iter()
            .map(|d| rate(&format!("hof/deelname/{d}"), pc::participation(r, d).value))
            .collect(),
        work_or_education: rate("hof/werk_of_onderwijs", r.work_or_education.value),
        work_q1: rate("hof/werk_k1", r.work_q1.value),
        work_q2: rate("hof/werk_k2", r.work_q2.value),
        reincarcerated_two_years: rate("hof/wederopsluiting_2j", r.reincarcerated_two_years.value),
        km_2j: rate("hof/km_2j", r.km_2j),
        median_days: figure(
            pc::value(
                l,
                &pc::key("hof/mediaan", year, &dims, Part::Value),
                r.median_days.map(|m| m as f64),
            ),
            Unit::Days,
        ),
    }
}

/// A difference is published when every group of every stratum holds at least the minimum
/// number of persons.
fn difference(x: &Difference, policy: &Policy) -> Option<Difference> {
    (x.value.is_some() && x.smallest_group >= u64::from(policy.minimum_personen)).then_some(*x)
}

/// A curve as published: drawn only for a group whose size is shown and holds at least the
/// minimum number of persons, and only as far as that many are still followed (the numbers
/// at risk under it likewise).
fn curve(l: &Ledger, year: i32, k: &SurvivalCurve, policy: &Policy) -> Option<SurvivalCurve> {
    let min = policy.minimum_personen as usize;
    let dims = pc::group_dims(&k.deelname_werk_onderwijs);
    let size = pc::count(
        l,
        &pc::key("groep", year, &dims, Part::Value),
        k.rows as f64,
    );
    if !matches!(size, Shown::Value(_)) || k.rows < min {
        return None;
    }
    let mut c = k.clone();
    if let Some(end) = c.points.iter().position(|p| p.at_risk < min) {
        c.points.truncate(end.max(1));
    }
    c.at_risk.retain(|a| a.n >= min);
    Some(c)
}

/// The cohort section as published, through a ledger over `d` with the cohorts' cells; and
/// that ledger.
pub(crate) fn publish(section: &CohortSection, d: &Disclosure) -> (CohortReport, Disclosure) {
    let policy = d.policy().clone();
    let (d, exposed) = d.over(|l| pc::register(l, section, &policy));
    debug_assert!(
        exposed.is_empty(),
        "the cohorts' own cells can protect their counts"
    );
    let l = d.ledger();
    let report = CohortReport {
        cohorts: section
            .cohorts
            .iter()
            .map(|c| {
                let y = c.year;
                let domains = pc::domains(c);
                CohortBlock {
                    year: y,
                    size: figure(
                        pc::count(l, &pc::key("omvang", y, &[], Part::Value), c.size as f64),
                        Unit::Whole,
                    ),
                    curves: c
                        .curves
                        .iter()
                        .filter_map(|k| curve(l, y, k, &policy))
                        .collect(),
                    groups: c
                        .curves
                        .iter()
                        .map(|k| {
                            let dims = pc::group_dims(&k.deelname_werk_onderwijs);
                            GroupRow {
                                participated: k.deelname_werk_onderwijs == "ja",
                                rows: figure(
                                    pc::count(
                                        l,
                                        &pc::key("groep", y, &dims, Part::Value),
                                        k.rows as f64,
                                    ),
                                    Unit::Whole,
                                ),
                                km_1j: figure(
                                    pc::rate(l, "km_1j", y, &dims, k.km_1j),
                                    Unit::Percent,
                                ),
                                km_2j: figure(
                                    pc::rate(l, "km_2j", y, &dims, k.km_2j),
                                    Unit::Percent,
                                ),
                                median_days: figure(
                                    pc::value(
                                        l,
                                        &pc::key("mediaan", y, &dims, Part::Value),
                                        k.median_days.map(|m| m as f64),
                                    ),
                                    Unit::Days,
                                ),
                            }
                        })
                        .collect(),
                    court: c
                        .court_table
                        .iter()
                        .map(|r| court_line(l, y, r, &domains))
                        .collect(),
                    domains,
                    difference_reincarceration: difference(&c.difference_reincarceration, &policy),
                    difference_work: difference(&c.difference_work, &policy),
                }
            })
            .collect(),
    };
    (report, d)
}
