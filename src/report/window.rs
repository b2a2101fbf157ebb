//! The years a product reads and assesses, decided once from the year or period asked: every
//! command and product turns a year into its evaluation window here, not by hand.

use crate::model::{Indicator, Plan};
use crate::years::YearRange;

/// The years of one product.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// The year assessed: the report year, the last year of a plan or of the range asked.
    pub year: i32,
    /// The years evaluated.
    pub evaluation: YearRange,
}

impl Window {
    /// The yearly report of `year` against `plan` (the plan in force): every year from the
    /// year before the plan began (its baseline year) up to the report year.
    pub fn yearly(plan: &Plan, year: i32) -> Window {
        Window {
            year,
            evaluation: YearRange {
                first: (plan.eerste_jaar - 1).min(year),
                last: year,
            },
        }
    }

    /// The final evaluation of `plan`: from the earliest baseline of `indicators` (and at
    /// least the year before the plan) to the plan's last year.
    pub fn final_evaluation(plan: &Plan, indicators: &[Indicator]) -> Window {
        let first = indicators
            .iter()
            .filter_map(|i| i.basislijn.as_ref().map(|b| b.jaar))
            .chain(std::iter::once(plan.eerste_jaar - 1))
            .min()
            .unwrap_or(plan.eerste_jaar)
            .min(plan.laatste_jaar);
        Window {
            year: plan.laatste_jaar,
            evaluation: YearRange {
                first,
                last: plan.laatste_jaar,
            },
        }
    }

    /// A local report of `year`: the year and the one before it (the baseline of the local
    /// targets).
    pub fn local(year: i32) -> Window {
        Window {
            year,
            evaluation: YearRange {
                first: year - 1,
                last: year,
            },
        }
    }

    /// The site over `range`, assessed in `year` (its last year with data) against `plan`:
    /// the site's years, the yearly report's (from the year before the plan began) and the
    /// year before the first (the baseline of a local plan's targets).
    pub fn site(plan: &Plan, range: YearRange, year: i32) -> Window {
        Window {
            year,
            evaluation: YearRange {
                first: (range.first - 1).min(plan.eerste_jaar - 1),
                last: range.last,
            },
        }
    }

    /// A successor of `old`: every year of the old plan and the one before it, for the last
    /// published value of each indicator.
    pub fn successor(old: &Plan) -> Window {
        Window {
            year: old.laatste_jaar,
            evaluation: YearRange {
                first: old.eerste_jaar - 1,
                last: old.laatste_jaar,
            },
        }
    }

    /// The years asked as they are (an answer, `hdv eval`): assessed in the last.
    pub fn range(range: YearRange) -> Window {
        Window {
            year: range.last,
            evaluation: range,
        }
    }

    /// The release cohorts of the yearly report: the report year and the two before it (the
    /// recent cohorts have the shortest follow-up, which is what the censoring in
    /// Kaplan-Meier is for).
    pub fn releases(&self) -> YearRange {
        YearRange {
            first: self.year - 2,
            last: self.year,
        }
    }

    /// The reference date of the checks across sources: 31 December of the year assessed.
    pub fn reference(&self) -> Option<chrono::NaiveDate> {
        chrono::NaiveDate::from_ymd_opt(self.year, 12, 31)
    }
}
