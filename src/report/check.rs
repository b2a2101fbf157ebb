//! What `hdv check` reports about the inputs, as typed data: the source files with their
//! rows and years, the delivery register (cells, re-deliveries, lateness), the deliveries
//! against what was expected and what is late, the outcomes of the checks across sources, the
//! accepted findings and whether any check found errors. The model's own summary (plans,
//! provisional titles) is read from the model by `render::check`.

use super::quality::{CheckOutcome, Completeness, Late, RegisterEntry};
use crate::accepted::{Accepted, State};
use crate::contract::Source;
use crate::diagnostic::{Diagnostics, Severity};
use crate::load::Sources;
use std::collections::BTreeSet;
use std::path::PathBuf;

#[derive(Debug)]
pub struct CheckReport {
    /// The data folder.
    pub data: PathBuf,
    pub files: Vec<SourceFileSummary>,
    /// The sources absent from the data folder.
    pub missing: Vec<Source>,
    /// The deliveries, when the data folder holds folders of deliveries (else empty).
    pub register: Vec<RegisterEntry>,
    pub completeness: Vec<Completeness>,
    /// The expected deliveries late at `reference`.
    pub late: Vec<Late>,
    /// The checks across sources at `reference`.
    pub checks: Vec<CheckOutcome>,
    pub reference: chrono::NaiveDate,
    /// Every entry of `plans/aanvaard.yaml` with what it covers.
    pub accepted: Vec<AcceptedEntry>,
    /// Why entries no longer hold (warnings), in words.
    pub lapsed: Vec<String>,
    /// Warnings of the loader (those not accepted), of the checks that found rows and of the
    /// entries that no longer hold.
    pub warnings: usize,
    /// Checks of severity error that found rows.
    pub failed: usize,
}

/// One source as read: its rows, the years with rows and its file or folder.
#[derive(Debug)]
pub struct SourceFileSummary {
    pub source: Source,
    pub rows: usize,
    pub years: BTreeSet<i32>,
    pub path: PathBuf,
}

/// An accepted finding (`plans/aanvaard.yaml`) and where it stands.
#[derive(Debug)]
pub struct AcceptedEntry {
    /// The check it accepts rows of; `None`: warnings of the loader.
    pub rule: Option<String>,
    pub delivery: String,
    pub cell: Option<String>,
    pub reason: String,
    pub until: chrono::NaiveDate,
    pub state: State,
    /// In force: the rows (of its check) or warnings (of the loader) it covers.
    pub covered: usize,
}

/// The report of `hdv check` on `sources` (read from `data`), the checks' `outcomes` (with
/// the accepted rows moved out) and the accepted findings (`accepted`, and the warnings of
/// those that lapsed) at `reference`.
pub(crate) fn build(
    data: PathBuf,
    sources: &Sources,
    outcomes: &[crate::checks::Outcome],
    (accepted, lapsed): &(Accepted, Diagnostics),
    reference: chrono::NaiveDate,
) -> CheckReport {
    let checks = super::quality::check_outcomes(outcomes);
    let found = |s: Severity| {
        checks
            .iter()
            .filter(|o| o.severity == s && o.total() > 0)
            .count()
    };
    let open_warnings = sources
        .warnings
        .warnings()
        .filter(|d| accepted.covers_warning(d).is_none())
        .count();
    CheckReport {
        data,
        files: sources
            .files
            .iter()
            .zip(super::data_years(sources))
            .map(|(f, c)| SourceFileSummary {
                source: f.source,
                rows: f.rows,
                years: c.years,
                path: f.path.clone(),
            })
            .collect(),
        missing: sources.missing.clone(),
        register: super::quality::register(sources, None),
        completeness: super::quality::completeness(&sources.completeness, None),
        late: super::quality::late(&sources.completeness, None, reference),
        accepted: accepted
            .entries
            .iter()
            .map(|(e, state)| AcceptedEntry {
                rule: e.rule.clone(),
                delivery: e.delivery.clone(),
                cell: e.cell.clone(),
                reason: e.reason.clone(),
                until: e.until,
                state: *state,
                covered: match (state, &e.rule) {
                    (State::Active, Some(r)) => outcomes
                        .iter()
                        .filter(|o| o.id == *r)
                        .flat_map(|o| &o.accepted)
                        .filter(|a| a.entry == e.location)
                        .count(),
                    (State::Active, None) => sources
                        .warnings
                        .iter()
                        .filter(|d| accepted.covers_warning(d).is_some_and(|x| x == e))
                        .count(),
                    _ => 0,
                },
            })
            .collect(),
        lapsed: lapsed.iter().map(|w| w.to_string()).collect(),
        warnings: open_warnings + found(Severity::Warning) + lapsed.warnings().count(),
        failed: found(Severity::Error),
        checks,
        reference,
    }
}
