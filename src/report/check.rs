//! What `hdv check` reports about the inputs, as typed data: the source files with their
//! rows and years, the delivery register, the expected deliveries against what arrived, the
//! outcomes of the checks across sources and whether any of them found errors. The model's
//! own summary (plans, provisional titles) is read from the model by `render::check`.

use super::quality::{CheckOutcome, Completeness};
use crate::contract::Source;
use crate::diagnostic::Severity;
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
    pub deliveries: Vec<DeliverySummary>,
    pub completeness: Vec<Completeness>,
    /// The checks across sources at `reference`.
    pub checks: Vec<CheckOutcome>,
    pub reference: chrono::NaiveDate,
    /// Warnings of the loader and of the checks that found rows.
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

/// One delivery of the register.
#[derive(Debug)]
pub struct DeliverySummary {
    pub source: Source,
    pub suppliers: Vec<String>,
    pub years: BTreeSet<i32>,
    pub rows: usize,
    /// The path relative to the data folder.
    pub name: String,
    pub profile: Option<String>,
    pub extracted: Option<chrono::NaiveDate>,
    pub replaced_by: Option<String>,
}

/// The report of `hdv check` on `sources` (read from `data`) and the checks' `outcomes` at
/// `reference`.
pub(crate) fn build(
    data: PathBuf,
    sources: &Sources,
    outcomes: &[crate::checks::Outcome],
    reference: chrono::NaiveDate,
) -> CheckReport {
    let checks = super::quality::check_outcomes(outcomes);
    let found = |s: Severity| {
        checks
            .iter()
            .filter(|o| o.severity == s && o.total() > 0)
            .count()
    };
    let folders = sources.deliveries.iter().any(|d| d.name.contains('/'));
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
        deliveries: sources
            .deliveries
            .iter()
            .filter(|_| folders)
            .map(|d| DeliverySummary {
                source: d.source,
                suppliers: d.suppliers.iter().cloned().collect(),
                years: d.years.clone(),
                rows: d.rows,
                name: d.name.clone(),
                profile: d.profile.clone(),
                extracted: d.extracted,
                replaced_by: d.replaced_by.clone(),
            })
            .collect(),
        completeness: super::quality::completeness(&sources.completeness, None),
        warnings: sources.warnings.warnings().count() + found(Severity::Warning),
        failed: found(Severity::Error),
        checks,
        reference,
    }
}
