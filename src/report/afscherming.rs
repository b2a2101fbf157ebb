//! The disclosure audit of a year (`hdv check --disclosure --year 2024`): per output, the
//! cells published and hidden; then the attack on everything published together, with the
//! narrowest interval a reader can derive for every protected count.

use crate::model::Policy;
use crate::protect::{CellKey, Derived, Ledger, Mark, Reason};
use serde::Serialize;
use std::collections::BTreeMap;

/// Which output family publishes a cell, by its table.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Output {
    /// The indicators' figures: the yearly report, the final evaluation, the local reports
    /// and the site all publish from the same cells.
    Indicators,
    /// The release cohorts of the yearly report.
    Cohorts,
    /// An answer recipe.
    Answer(String),
}

impl Output {
    pub(crate) fn of(key: &CellKey) -> Output {
        if key.table.starts_with("cohort/") {
            Output::Cohorts
        } else if let Some(rest) = key.table.strip_prefix("antwoord/") {
            Output::Answer(rest.split('/').next().unwrap_or(rest).to_string())
        } else {
            Output::Indicators
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counted {
    pub cells: usize,
    pub shown: usize,
    /// Small counts (`<5`, or `×` where the marks alone would narrow them).
    pub small: usize,
    /// Hidden for another primary reason: a rate on too few, all but a few, a median over
    /// too few persons.
    pub primary: usize,
    /// Hidden so that a protected count cannot be derived.
    pub secondary: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Audit {
    pub year: i32,
    pub policy: Policy,
    /// Per output family, the cells of `year`.
    pub outputs: Vec<(Output, Counted)>,
    /// Every protected count of `year` with the interval a reader can derive from all that
    /// is published, and whether that is wide enough.
    pub protected: Vec<Derived>,
    /// How long the attack took, in milliseconds (not in snapshots).
    #[serde(skip)]
    pub millis: u128,
}

impl Audit {
    pub fn failures(&self) -> impl Iterator<Item = &Derived> {
        self.protected.iter().filter(|d| !d.protected)
    }
}

/// Audits `ledger` (everything the outputs of the year publish, solved) for `year`.
pub fn audit(ledger: &Ledger, policy: &Policy, year: i32) -> Audit {
    let start = std::time::Instant::now();
    let mut outputs: BTreeMap<Output, Counted> = BTreeMap::new();
    for (key, _, mark) in ledger.cells().into_iter().filter(|c| c.0.year == year) {
        let c = outputs.entry(Output::of(&key)).or_default();
        c.cells += 1;
        match mark {
            Mark::Shown => c.shown += 1,
            Mark::Hidden(Reason::Small | Reason::SmallUnmarked) => c.small += 1,
            Mark::Hidden(Reason::Secondary) => c.secondary += 1,
            Mark::Hidden(_) => c.primary += 1,
            Mark::Implicit => {}
        }
    }
    let protected = ledger
        .audit(policy)
        .into_iter()
        .filter(|d| d.cell.year == year)
        .collect();
    Audit {
        year,
        policy: policy.clone(),
        outputs: outputs.into_iter().collect(),
        protected,
        millis: start.elapsed().as_millis(),
    }
}
