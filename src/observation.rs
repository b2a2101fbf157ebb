//! One figure as the engine computes it: an indicator for a year and a breakdown cell (or
//! the total), unrounded and unsuppressed. A leaf: the engine produces observations; the
//! assessment, disclosure, the products and `hdv eval` read them.

use serde::{Deserialize, Serialize};

/// One figure: an indicator for a year and a breakdown cell (or the total).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    pub indicator: String,
    pub year: i32,
    /// `None` for the total; else the breakdown and its value.
    pub dim: Option<Dim>,
    pub value: Option<f64>,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    /// The 95% interval of a difference (`soort: verschil`), in the value's unit; `None` for
    /// every other figure. Printed as `ci_low`/`ci_high` in JSONL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<Interval>,
    /// The persons or events behind an average, a median or a difference (the smallest
    /// group of a stratified difference): the disclosure policy's `minimum_personen` applies
    /// to it. From the SQL's optional column `aantal`; not printed by `hdv eval`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub units: Option<f64>,
}

/// A 95% interval; both ends null when the figure itself is null.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    pub low: Option<f64>,
    pub high: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Dim {
    pub name: String,
    pub value: String,
}

impl Observation {
    pub(crate) fn is_total(&self) -> bool {
        self.dim.is_none()
    }

    /// True when this is the cell `name = value`.
    pub(crate) fn is_cell(&self, name: &str, value: &str) -> bool {
        self.dim
            .as_ref()
            .is_some_and(|d| d.name == name && d.value == value)
    }
}
