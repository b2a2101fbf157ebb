//! Small-cell suppression for published figures (reports, local reports, answers).
//!
//! Counts of persons or events from 1 up to the threshold (default 4) are shown as `<5`;
//! rates on a denominator under the minimum (default 10) are not shown. `hdv eval` stays
//! unsuppressed: it is the analysts' view, not a publication.

use crate::engine::Observation;
use crate::model::{Indicator, IndicatorKind};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Disclosure {
    /// Counts `1..=max_small_count` are shown as `<{max_small_count + 1}`.
    pub max_small_count: f64,
    /// Rates and ratios with a denominator below this are not shown.
    pub min_denominator: f64,
}

impl Default for Disclosure {
    fn default() -> Self {
        Disclosure {
            max_small_count: 4.0,
            min_denominator: 10.0,
        }
    }
}

/// A published cell: either a number that may be shown, or why not.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub enum Shown {
    Value(f64),
    /// A small count, shown as `<5`.
    Small,
    /// A rate on too small a denominator.
    Hidden,
    /// No value (undefined: e.g. a rate on no one).
    Empty,
    /// A source the figure reads has no rows for the year: "geen gegevens", never 0.
    NoData,
}

impl Disclosure {
    /// Is this count small enough to hide?
    pub(crate) fn small_count(&self, v: f64) -> bool {
        v > 0.0 && v <= self.max_small_count
    }

    /// What may be published of an observation of `ind`.
    pub(crate) fn apply(&self, ind: &Indicator, o: &Observation) -> Shown {
        let Some(v) = o.value else {
            return Shown::Empty;
        };
        match ind.soort {
            IndicatorKind::Aandeel | IndicatorKind::Verhouding | IndicatorKind::Verschil => {
                match o.denominator {
                    Some(n) if n < self.min_denominator => Shown::Hidden,
                    _ => Shown::Value(v),
                }
            }
            IndicatorKind::Aantal if self.small_count(v) => Shown::Small,
            _ => Shown::Value(v),
        }
    }

    /// The label of a small count (`<5`).
    pub(crate) fn small_label(&self) -> String {
        format!("<{}", self.max_small_count as i64 + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obs(value: f64, den: Option<f64>) -> Observation {
        Observation {
            indicator: "x".into(),
            year: 2024,
            dim: None,
            value: Some(value),
            numerator: den.map(|_| 1.0),
            denominator: den,
            interval: None,
        }
    }

    fn ind(kind: IndicatorKind) -> Indicator {
        let mut i: Indicator = crate::yaml::from_str(
            "{id: x, titel: x, beschrijving: x, eenheid: x, soort: aantal, richting: neutraal, sql: x}",
        )
        .unwrap();
        i.soort = kind;
        i
    }

    #[test]
    fn counts_at_the_boundary() {
        let d = Disclosure::default();
        let c = ind(IndicatorKind::Aantal);
        assert_eq!(d.apply(&c, &obs(0.0, None)), Shown::Value(0.0));
        assert_eq!(d.apply(&c, &obs(1.0, None)), Shown::Small);
        assert_eq!(d.apply(&c, &obs(4.0, None)), Shown::Small);
        assert_eq!(d.apply(&c, &obs(5.0, None)), Shown::Value(5.0));
        assert_eq!(d.small_label(), "<5");
    }

    #[test]
    fn rates_at_the_boundary() {
        let d = Disclosure::default();
        let r = ind(IndicatorKind::Aandeel);
        assert_eq!(d.apply(&r, &obs(10.0, Some(9.0))), Shown::Hidden);
        assert_eq!(d.apply(&r, &obs(10.0, Some(10.0))), Shown::Value(10.0));
        // Sums and averages are not counts of persons: never suppressed.
        let s = ind(IndicatorKind::Som);
        assert_eq!(d.apply(&s, &obs(3.0, None)), Shown::Value(3.0));
    }
}
