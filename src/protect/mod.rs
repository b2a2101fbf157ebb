//! Stage 4b: protection. One disclosure ledger for every cell a run publishes (the yearly
//! report, the final evaluation, local reports, answers, the site and its downloads), with
//! primary suppression by the policy in `plans/afscherming.yaml` and secondary suppression
//! over the additive relations between cells, audited by linear programming. `report` reads
//! what may be shown of each figure from here; `hdv eval` and `hdv query` stay unprotected
//! analyst views.

pub(crate) mod attack;
pub mod cohort;
mod figures;
mod ledger;

pub use figures::{Published, Shown, base, protects, register};
pub use ledger::{CellKey, Derived, Exposed, Ledger, LedgerCounts, Mark, Part, Reason, Summary};
