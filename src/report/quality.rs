//! What the data holds and lacks, as the products show it: the register of deliveries (their
//! cells, re-deliveries and lateness), the expected deliveries against what arrived and what
//! is late, and the outcomes of the checks across sources counted per prison and partner
//! (never a person). The yearly report and `hdv check` read these, not the loader's or the
//! checks' own types.

use crate::contract::Source;
use crate::diagnostic::Severity;
pub use crate::load::deliveries::{Cell, Replacement};
use serde::Serialize;

/// One delivery series (supplier and source) with what arrived per year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Completeness {
    pub supplier: String,
    pub source: Source,
    /// Listed in `plans/leveringen/verwacht.yaml`; false for a supplier that delivers without
    /// being expected (its years are those it delivered).
    pub expected: bool,
    /// The years of the series, each with what arrived.
    pub years: Vec<(i32, Arrived)>,
}

/// What arrived of a delivery series for one year.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub enum Arrived {
    /// Rows delivered (those in use); `replaced`: earlier rows of this year were replaced by
    /// a re-delivery.
    Rows { rows: usize, replaced: bool },
    /// Expected and not delivered.
    Missing,
    /// Not delivered, and not required (an optional source without `verplicht: ja`).
    NotRequired,
}

/// An expected year whose delivery is late at a reference date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Late {
    pub supplier: String,
    pub source: Source,
    pub year: i32,
    /// The due date (`uiterlijk` in `verwacht.yaml`).
    pub due: chrono::NaiveDate,
    /// Days past the due date: until the reference date when missing, until the first
    /// extraction date when delivered.
    pub days: i64,
    /// True: nothing has arrived yet.
    pub missing: bool,
}

impl Late {
    /// The late year of `series` in `year`, if any.
    pub fn of<'a>(late: &'a [Late], series: &Completeness, year: i32) -> Option<&'a Late> {
        late.iter()
            .find(|l| l.year == year && l.source == series.source && l.supplier == series.supplier)
    }
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

/// The completeness matrix of the loader, up to `last` when given (series without a year
/// left out).
pub(crate) fn completeness(
    rows: &[crate::load::CompletenessRow],
    last: Option<i32>,
) -> Vec<Completeness> {
    use crate::load::Delivered;
    rows.iter()
        .map(|r| Completeness {
            supplier: r.supplier.clone(),
            source: r.source,
            expected: r.expected,
            years: r
                .years
                .iter()
                .filter(|c| last.is_none_or(|l| c.year <= l))
                .map(|c| {
                    let a = match c.delivered {
                        Delivered::Rows { rows, replaced, .. } => Arrived::Rows { rows, replaced },
                        Delivered::Missing => Arrived::Missing,
                        Delivered::NotRequired => Arrived::NotRequired,
                    };
                    (c.year, a)
                })
                .collect(),
        })
        .filter(|r| last.is_none() || !r.years.is_empty())
        .collect()
}

/// The expected years (up to `last` when given) whose delivery is late at `today`, in matrix
/// order.
pub(crate) fn late(
    rows: &[crate::load::CompletenessRow],
    last: Option<i32>,
    today: chrono::NaiveDate,
) -> Vec<Late> {
    crate::load::deliveries::late_years(rows, today)
        .into_iter()
        .filter(|l| last.is_none_or(|y| l.year <= y))
        .map(|l| Late {
            supplier: l.supplier,
            source: l.source,
            year: l.year,
            due: l.due,
            days: l.days,
            missing: l.missing,
        })
        .collect()
}

/// A delivery in the register (`hdv check`, the report's data-quality section).
#[derive(Debug, Clone, Serialize)]
pub struct RegisterEntry {
    /// The path relative to the data folder (`trajecten/caw-2024.xlsx`).
    pub name: String,
    pub source: Source,
    pub suppliers: Vec<String>,
    /// The years of its rows.
    pub years: std::collections::BTreeSet<i32>,
    pub profile: Option<String>,
    pub extracted: Option<chrono::NaiveDate>,
    pub sha256: String,
    pub rows: usize,
    /// The rows in use (outside the replaced cells).
    pub used: usize,
    /// Every cell it covers (of the year asked), with its rows.
    pub cells: Vec<(Cell, usize)>,
    /// Another delivery covers cells of the same supplier and year: its cells matter one by
    /// one (a year split over files, or re-delivered).
    pub shared: bool,
    /// Its cells replaced by later deliveries.
    pub replaced: Vec<Replacement>,
    /// The cells it replaces in earlier deliveries: (earlier delivery, replacement).
    pub replaces: Vec<(String, Replacement)>,
    /// Extracted after a due date: (due date, days).
    pub late: Option<(chrono::NaiveDate, i64)>,
}

/// The register of a data folder with folders of deliveries (else empty): every delivery, or
/// with `year` those with rows in that year, with the cells of that year.
pub(crate) fn register(sources: &crate::load::Sources, year: Option<i32>) -> Vec<RegisterEntry> {
    let all = &sources.deliveries;
    if !all.iter().any(|d| d.name.contains('/')) {
        return Vec::new();
    }
    let shared = crate::load::deliveries::shared_years(all);
    all.iter()
        .zip(shared)
        .filter(|(d, _)| year.is_none_or(|y| d.years.contains(&y)))
        .map(|(d, shared)| RegisterEntry {
            name: d.name.clone(),
            source: d.source,
            suppliers: d.suppliers.iter().cloned().collect(),
            years: d.years.clone(),
            profile: d.profile.clone(),
            extracted: d.extracted,
            sha256: d.sha256.clone(),
            rows: d.rows,
            used: d.used_rows(),
            cells: d
                .counts
                .iter()
                .filter(|(c, _)| year.is_none_or(|y| c.year == y))
                .map(|(c, n)| (c.clone(), *n))
                .collect(),
            shared,
            replaced: d.replaced.clone(),
            replaces: d
                .replaces(all)
                .into_iter()
                .map(|(from, r)| (from.to_string(), r.clone()))
                .collect(),
            late: d.late,
        })
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
    /// Rows found that a data steward accepted (`plans/aanvaard.yaml`), per delivery and
    /// reason: shown, not counted.
    pub accepted: Vec<AcceptedRows>,
}

/// Rows of a check that one entry of the accepted findings covers in one delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AcceptedRows {
    pub delivery: String,
    pub reason: String,
    /// The last day the acceptance holds.
    pub until: chrono::NaiveDate,
    pub rows: usize,
    /// A small count of rows, as [`CheckCount::small`].
    pub small: bool,
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
            accepted: o
                .accepted_groups()
                .into_iter()
                .map(|(delivery, reason, until, rows)| AcceptedRows {
                    delivery,
                    reason,
                    until,
                    rows,
                    small: false,
                })
                .collect(),
        })
        .collect()
}
