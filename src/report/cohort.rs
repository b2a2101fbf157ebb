//! The release cohorts in the yearly report (COHORTS.md), published: every share on fewer
//! than the minimum denominator is not shown, every count of 1 to 4 is `<5`, and a survival
//! curve of a group smaller than the minimum denominator is left out of the chart.

use super::{Figure, Unit};
use crate::cohort::{CohortSection, CourtRow, Difference, Share, SurvivalCurve};
use crate::disclosure::{Disclosure, Shown};
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

fn count(n: usize, d: &Disclosure) -> Figure {
    let v = n as f64;
    Figure {
        shown: if d.small_count(v) {
            Shown::Small
        } else {
            Shown::Value(v)
        },
        unit: Unit::Whole,
    }
}

fn share(s: &Share, d: &Disclosure) -> Figure {
    Figure {
        shown: match s.value {
            None => Shown::Empty,
            Some(_) if (s.denominator as f64) < d.min_denominator => Shown::Hidden,
            Some(v) => Shown::Value(v),
        },
        unit: Unit::Percent,
    }
}

/// A figure of a group of `rows` releases: hidden below the minimum denominator.
fn of_group(v: Option<f64>, rows: usize, unit: Unit, d: &Disclosure) -> Figure {
    Figure {
        shown: match v {
            None => Shown::Empty,
            Some(_) if (rows as f64) < d.min_denominator => Shown::Hidden,
            Some(v) => Shown::Value(v),
        },
        unit,
    }
}

fn court_line(r: &CourtRow, domains: &[String], d: &Disclosure) -> CourtLine {
    CourtLine {
        long_history: match r.lange_detentiegeschiedenis.as_str() {
            "ja" => Some(true),
            "nee" => Some(false),
            _ => None,
        },
        size: count(r.size, d),
        participation: domains
            .iter()
            .map(|dom| {
                r.participation
                    .iter()
                    .find(|(x, _)| x == dom)
                    .map(|(_, s)| share(s, d))
                    .unwrap_or_else(|| {
                        // No participation of this domain in the cell: 0 of its releases,
                        // published under the same rule as any other share.
                        share(
                            &Share {
                                numerator: 0,
                                denominator: r.size,
                                value: (r.size > 0).then_some(0.0),
                            },
                            d,
                        )
                    })
            })
            .collect(),
        work_or_education: share(&r.work_or_education, d),
        work_q1: share(&r.work_q1, d),
        work_q2: share(&r.work_q2, d),
        reincarcerated_two_years: share(&r.reincarcerated_two_years, d),
        km_2j: of_group(r.km_2j, r.size, Unit::Percent, d),
        median_days: of_group(r.median_days.map(|m| m as f64), r.size, Unit::Days, d),
    }
}

/// A difference is published when its strata hold at least the minimum number of rows.
fn difference(x: &Difference, d: &Disclosure) -> Option<Difference> {
    (x.value.is_some() && (x.rows as f64) >= d.min_denominator).then_some(*x)
}

pub(crate) fn publish(section: &CohortSection, d: &Disclosure) -> CohortReport {
    CohortReport {
        cohorts: section
            .cohorts
            .iter()
            .map(|c| {
                let mut domains: Vec<String> = c
                    .court_table
                    .iter()
                    .flat_map(|r| r.participation.iter().map(|(x, _)| x.clone()))
                    .collect();
                domains.sort();
                domains.dedup();
                CohortBlock {
                    year: c.year,
                    size: count(c.size, d),
                    curves: c
                        .curves
                        .iter()
                        .filter(|k| (k.rows as f64) >= d.min_denominator)
                        .cloned()
                        .collect(),
                    groups: c
                        .curves
                        .iter()
                        .map(|k| GroupRow {
                            participated: k.deelname_werk_onderwijs == "ja",
                            rows: count(k.rows, d),
                            km_1j: of_group(k.km_1j, k.rows, Unit::Percent, d),
                            km_2j: of_group(k.km_2j, k.rows, Unit::Percent, d),
                            median_days: of_group(
                                k.median_days.map(|m| m as f64),
                                k.rows,
                                Unit::Days,
                                d,
                            ),
                        })
                        .collect(),
                    court: c
                        .court_table
                        .iter()
                        .map(|r| court_line(r, &domains, d))
                        .collect(),
                    domains,
                    difference_reincarceration: difference(&c.difference_reincarceration, d),
                    difference_work: difference(&c.difference_work, d),
                }
            })
            .collect(),
    }
}
