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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Baseline;

    fn plan(first: i32, last: i32) -> Plan {
        Plan {
            titel: "t".into(),
            eerste_jaar: first,
            laatste_jaar: last,
            ..Default::default()
        }
    }

    fn range(first: i32, last: i32) -> YearRange {
        YearRange { first, last }
    }

    fn indicator(baseline: Option<i32>) -> Indicator {
        let mut i: Indicator = crate::yaml::from_str(
            "{id: x, titel: x, beschrijving: x, eenheid: x, soort: aantal, richting: neutraal, sql: x}",
        )
        .unwrap();
        i.basislijn = baseline.map(|jaar| Baseline {
            jaar,
            waarde: 1.0,
            voorbeeld: false,
        });
        i
    }

    #[test]
    fn a_yearly_report_reads_from_the_year_before_its_plan() {
        let p = plan(2020, 2025);
        let w = Window::yearly(&p, 2024);
        assert_eq!((w.year, w.evaluation), (2024, range(2019, 2024)));
        assert_eq!(w.releases(), range(2022, 2024));
        assert_eq!(w.reference(), chrono::NaiveDate::from_ymd_opt(2024, 12, 31));
        // A year before the plan reads only itself.
        assert_eq!(Window::yearly(&p, 2018).evaluation, range(2018, 2018));
    }

    #[test]
    fn a_final_evaluation_reads_from_its_earliest_baseline() {
        let p = plan(2020, 2025);
        let inds = [
            indicator(Some(2017)),
            indicator(Some(2021)),
            indicator(None),
        ];
        let w = Window::final_evaluation(&p, &inds);
        assert_eq!((w.year, w.evaluation), (2025, range(2017, 2025)));
        // Without an earlier baseline: the year before the plan.
        let w = Window::final_evaluation(&p, &[indicator(Some(2021))]);
        assert_eq!(w.evaluation, range(2019, 2025));
    }

    #[test]
    fn the_site_reads_its_years_and_the_yearly_reports() {
        let p = plan(2020, 2025);
        let w = Window::site(&p, range(2021, 2024), 2023);
        assert_eq!((w.year, w.evaluation), (2023, range(2019, 2024)));
        let w = Window::site(&p, range(2015, 2024), 2024);
        assert_eq!(w.evaluation, range(2014, 2024));
    }

    #[test]
    fn local_successor_and_ranges() {
        assert_eq!(Window::local(2024).evaluation, range(2023, 2024));
        let w = Window::successor(&plan(2020, 2025));
        assert_eq!((w.year, w.evaluation), (2025, range(2019, 2025)));
        let w = Window::range(range(2019, 2024));
        assert_eq!((w.year, w.evaluation), (2024, range(2019, 2024)));
    }
}
