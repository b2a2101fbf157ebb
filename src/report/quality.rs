//! What the data holds and lacks, as the products show it: the expected deliveries against
//! what arrived, and the outcomes of the checks across sources counted per prison and partner
//! (never a person). The yearly report and `hdv check` read these, not the loader's or the
//! checks' own types.

use crate::contract::Source;
use crate::diagnostic::Severity;
use serde::Serialize;

/// One expected delivery series (supplier and source) with what arrived per year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Completeness {
    pub supplier: String,
    pub source: Source,
    /// The expected years, each with what arrived.
    pub years: Vec<(i32, Arrived)>,
}

/// What arrived of an expected delivery for one year.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub enum Arrived {
    /// Rows delivered; `replaced`: an earlier delivery for this year was replaced.
    Rows {
        rows: usize,
        replaced: bool,
    },
    Missing,
}

impl Completeness {
    /// The expected years of every series, in order: the columns of the matrix.
    pub fn years(rows: &[Completeness]) -> Vec<i32> {
        let years: std::collections::BTreeSet<i32> = rows
            .iter()
            .flat_map(|r| r.years.iter().map(|(y, _)| *y))
            .collect();
        years.into_iter().collect()
    }

    /// What arrived for `year` (`None`: not an expected year).
    pub fn arrived(&self, year: i32) -> Option<Arrived> {
        self.years.iter().find(|(y, _)| *y == year).map(|(_, a)| *a)
    }
}

/// The completeness matrix of the loader, up to `last` when given (series without an
/// expected year left out).
pub(crate) fn completeness(
    rows: &[crate::load::CompletenessRow],
    last: Option<i32>,
) -> Vec<Completeness> {
    use crate::load::Delivered;
    rows.iter()
        .map(|r| Completeness {
            supplier: r.supplier.clone(),
            source: r.source,
            years: r
                .years
                .iter()
                .filter(|(y, _)| last.is_none_or(|l| *y <= l))
                .map(|(y, d)| {
                    let a = match d {
                        Delivered::Rows { rows, replaced } => Arrived::Rows {
                            rows: *rows,
                            replaced: *replaced,
                        },
                        Delivered::Missing => Arrived::Missing,
                    };
                    (*y, a)
                })
                .collect(),
        })
        .filter(|r| last.is_none() || !r.years.is_empty())
        .collect()
}

/// The outcome of one check across sources.
#[derive(Debug, Clone, Serialize)]
pub struct CheckOutcome {
    pub id: String,
    pub title: String,
    /// What an offending row means, in words.
    pub message: String,
    pub severity: Severity,
    /// Sources the rule needs that are missing: the rule did not run.
    pub missing: Vec<Source>,
    /// The offending rows per prison and partner (each when the rule gives it), in that
    /// order; empty when nothing was found.
    pub counts: Vec<CheckCount>,
}

/// The offending rows of one prison and partner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckCount {
    pub prison: Option<String>,
    pub partner: Option<String>,
    pub rows: usize,
    /// A small count of rows (1 up to the policy's threshold): printed `<5` where the count
    /// is published (the yearly report), shown as it is to the data steward (`hdv check`).
    pub small: bool,
}

impl CheckOutcome {
    /// Every offending row.
    pub fn total(&self) -> usize {
        self.counts.iter().map(|c| c.rows).sum()
    }
}

/// The outcomes of the checks, counted per prison and partner over the years they hold.
pub(crate) fn check_outcomes(outcomes: &[crate::checks::Outcome]) -> Vec<CheckOutcome> {
    outcomes
        .iter()
        .map(|o| CheckOutcome {
            id: o.id.clone(),
            title: o.title.clone(),
            message: o.message.clone(),
            severity: o.severity,
            missing: o.missing.clone(),
            counts: o
                .by_prison_and_partner()
                .into_iter()
                .map(|c| CheckCount {
                    prison: c.prison,
                    partner: c.partner,
                    rows: c.rows,
                    small: false,
                })
                .collect(),
        })
        .collect()
}
