//! Release cohorts: the statistics of `shared/contract/COHORTS.md` as pure functions.
//!
//! - [`KaplanMeier`]: the survival curve "not yet reincarcerated" of one cell, with ties as
//!   the contract fixes them (a row censored at `t_i` is still at risk at `t_i`), the risk at
//!   a horizon (null when no row is observed that long), the median rule, and the Greenwood
//!   variance with a 95% band on the log-log scale.
//! - [`mantel_haenszel`]: the Mantel–Haenszel risk difference over strata with the
//!   Greenland–Robins (1985) variance and a 95% interval.
//!
//! No I/O and no DataFusion here: the engine turns per-row SQL output into these inputs
//! (`engine::berekening`), and the report can call the same functions.

use serde::{Deserialize, Serialize};

/// The normal quantile of a two-sided 95% interval, as COHORTS.md writes it.
pub(crate) const Z95: f64 = 1.959964;

/// One row's follow-up: observed time in days from release and whether it ended in an
/// event (reincarceration) or was censored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Followup {
    pub t: i64,
    pub event: bool,
}

impl Followup {
    /// The row of COHORTS.md: an event at `wederopsluiting - vrijlating` when
    /// `wederopsluiting <= opvolging_tot`, else censored at `opvolging_tot - vrijlating`.
    /// Arguments are day numbers (any common origin).
    #[cfg(test)]
    pub(crate) fn from_days(
        vrijlating: i64,
        wederopsluiting: Option<i64>,
        opvolging_tot: i64,
    ) -> Self {
        match wederopsluiting {
            Some(w) if w <= opvolging_tot => Followup {
                t: w - vrijlating,
                event: true,
            },
            _ => Followup {
                t: opvolging_tot - vrijlating,
                event: false,
            },
        }
    }
}

/// One distinct event time of a Kaplan–Meier curve.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub(crate) struct KmStep {
    /// The event time `t_i` in days.
    pub t: i64,
    /// `n_i`: rows with observed time `>= t_i`.
    pub at_risk: usize,
    /// `d_i`: rows with an event at `t_i`.
    pub events: usize,
    /// `S(t_i)`.
    pub survival: f64,
    /// Greenwood's sum `Σ_{t_j <= t_i} d_j / (n_j (n_j - d_j))` (infinite once `S` is 0).
    pub greenwood: f64,
}

/// The Kaplan–Meier estimate of one cell.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct KaplanMeier {
    steps: Vec<KmStep>,
    /// Observed times, ascending (for the number at risk at any time).
    times: Vec<i64>,
    /// Event times, ascending (for the events by a horizon).
    event_times: Vec<i64>,
}

impl KaplanMeier {
    /// Fits the curve of `rows`, in any order.
    pub(crate) fn fit(rows: &[Followup]) -> Self {
        let mut times: Vec<i64> = rows.iter().map(|r| r.t).collect();
        times.sort_unstable();
        let mut event_times: Vec<i64> = rows.iter().filter(|r| r.event).map(|r| r.t).collect();
        event_times.sort_unstable();
        let mut steps = Vec::new();
        let (mut s, mut gw) = (1.0_f64, 0.0_f64);
        let mut i = 0;
        while i < event_times.len() {
            let t = event_times[i];
            let d = event_times[i..].iter().take_while(|&&x| x == t).count();
            // Rows with observed time >= t: censored at t are still at risk.
            let n = times.len() - times.partition_point(|&x| x < t);
            s *= 1.0 - d as f64 / n as f64;
            gw += if n > d {
                d as f64 / (n as f64 * (n - d) as f64)
            } else {
                f64::INFINITY
            };
            steps.push(KmStep {
                t,
                at_risk: n,
                events: d,
                survival: s,
                greenwood: gw,
            });
            i += d;
        }
        KaplanMeier {
            steps,
            times,
            event_times,
        }
    }

    /// The distinct event times with their `n_i`, `d_i` and `S(t_i)`.
    pub(crate) fn steps(&self) -> &[KmStep] {
        &self.steps
    }

    /// The number of rows.
    pub(crate) fn rows(&self) -> usize {
        self.times.len()
    }

    /// The longest observed time, if there are rows.
    pub(crate) fn max_time(&self) -> Option<i64> {
        self.times.last().copied()
    }

    /// The last step at or before `t`.
    fn step_at(&self, t: i64) -> Option<&KmStep> {
        let k = self.steps.partition_point(|s| s.t <= t);
        k.checked_sub(1).map(|k| &self.steps[k])
    }

    /// `S(t)`: 1 before the first event time.
    pub(crate) fn survival(&self, t: i64) -> f64 {
        self.step_at(t).map_or(1.0, |s| s.survival)
    }

    /// Rows with observed time `>= t`.
    pub(crate) fn at_risk(&self, t: i64) -> usize {
        self.times.len() - self.times.partition_point(|&x| x < t)
    }

    /// Rows with an event at `t <= horizon`.
    pub(crate) fn events_by(&self, horizon: i64) -> usize {
        self.event_times.partition_point(|&x| x <= horizon)
    }

    /// `1 - S(horizon)`, or `None` when no row has observed time `>= horizon`.
    pub(crate) fn risk(&self, horizon: i64) -> Option<f64> {
        (self.at_risk(horizon) > 0).then(|| 1.0 - self.survival(horizon))
    }

    /// The smallest event time with `S(t_i) <= 0.5`; `None` when `S` stays above 0.5.
    pub(crate) fn median(&self) -> Option<i64> {
        self.steps.iter().find(|s| s.survival <= 0.5).map(|s| s.t)
    }

    /// The 95% band of `S(t)` from Greenwood's variance on the log-log scale:
    /// `S^exp(±z·σ)` with `σ = sqrt(Σ d/(n(n-d))) / |ln S|`. `(1, 1)` before the first event;
    /// `None` once `S` is 0 (the band is undefined there).
    #[cfg(test)]
    pub(crate) fn band(&self, t: i64) -> Option<(f64, f64)> {
        let Some(step) = self.step_at(t) else {
            return Some((1.0, 1.0));
        };
        log_log_band(step.survival, step.greenwood)
    }
}

/// The log-log 95% band of a survival `s` with Greenwood sum `greenwood`.
pub(crate) fn log_log_band(s: f64, greenwood: f64) -> Option<(f64, f64)> {
    if s.is_nan() || s <= 0.0 || !greenwood.is_finite() {
        return None;
    }
    if s >= 1.0 {
        return Some((1.0, 1.0));
    }
    let sigma = greenwood.sqrt() / s.ln().abs();
    Some((s.powf((Z95 * sigma).exp()), s.powf((-Z95 * sigma).exp())))
}

/// One stratum of a Mantel–Haenszel comparison: outcomes among exposed and unexposed rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Stratum {
    /// `a_k`: outcomes among the exposed rows.
    pub a: u64,
    /// `n1_k`: exposed rows.
    pub n1: u64,
    /// `c_k`: outcomes among the unexposed rows.
    pub c: u64,
    /// `n0_k`: unexposed rows.
    pub n0: u64,
}

/// A Mantel–Haenszel risk difference (a proportion, not a percentage).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub(crate) struct RiskDifference {
    pub rd: f64,
    /// Greenland–Robins variance of `rd`.
    pub variance: f64,
    /// `rd ± 1.959964 * sqrt(variance)`.
    pub low: f64,
    pub high: f64,
    /// Rows in the strata used.
    pub rows: u64,
    /// Strata used (both groups present).
    pub strata: usize,
    /// The smallest group (exposed or unexposed rows of one stratum) behind the difference.
    pub smallest_group: u64,
}

/// The Mantel–Haenszel risk difference of COHORTS.md; strata with no exposed or no
/// unexposed rows are left out; `None` when no stratum is left.
pub(crate) fn mantel_haenszel(strata: &[Stratum]) -> Option<RiskDifference> {
    let used: Vec<&Stratum> = strata.iter().filter(|s| s.n1 > 0 && s.n0 > 0).collect();
    if used.is_empty() {
        return None;
    }
    let (mut num, mut weight, mut var_num, mut rows) = (0.0, 0.0, 0.0, 0);
    let smallest_group = used.iter().map(|s| s.n1.min(s.n0)).min().unwrap_or(0);
    for s in &used {
        let (a, n1, c, n0) = (s.a as f64, s.n1 as f64, s.c as f64, s.n0 as f64);
        let (b, d, n) = (n1 - a, n0 - c, n1 + n0);
        num += (a * n0 - c * n1) / n;
        weight += n1 * n0 / n;
        var_num += (a * b * n0.powi(3) + c * d * n1.powi(3)) / (n1 * n0 * n * n);
        rows += s.n1 + s.n0;
    }
    let rd = num / weight;
    let variance = var_num / (weight * weight);
    let half = Z95 * variance.sqrt();
    Some(RiskDifference {
        rd,
        variance,
        low: rd - half,
        high: rd + half,
        rows,
        strata: used.len(),
        smallest_group,
    })
}

// ---------------------------------------------------------------------------------------
// The report's cohort section: typed data, built from release rows (pure).
// ---------------------------------------------------------------------------------------

/// One `uitstroom` row as the cohort section needs it (see `engine::releases`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleaseRow {
    /// Year of `vrijlating` (the cohort).
    pub year: i32,
    pub followup: Followup,
    /// `lange_detentiegeschiedenis`.
    pub long_history: bool,
    /// `deelname_werk_onderwijs` = ja (INDICATORS.md).
    pub exposed: bool,
    /// Domains with a `deelname` row starting within the detention, sorted, distinct.
    pub domains: Vec<String>,
    pub work_q1: Option<bool>,
    pub work_q2: Option<bool>,
    /// The outcome of `wederopsluiting_2j` (back by day 730) when followed >= 730 days.
    pub within_two_years: Option<bool>,
}

/// Days at which the number at risk is shown under the chart.
pub(crate) const AT_RISK_DAYS: [i64; 5] = [0, 182, 365, 547, 730];

/// Whole section: curves per cohort, the Court's table per cohort, the two differences.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CohortSection {
    pub cohorts: Vec<CohortView>,
}

/// One release cohort.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CohortView {
    pub year: i32,
    /// Releases in the cohort.
    pub size: usize,
    /// The curves "nog niet opnieuw opgesloten": participants in work/education first,
    /// then the others (a group without rows is left out).
    pub curves: Vec<SurvivalCurve>,
    /// The Court's table "controle voor zelfselectie": `lange_detentiegeschiedenis` = ja,
    /// nee, then all releases.
    pub court_table: Vec<CourtRow>,
    /// `verschil_wederopsluiting_deelname` (percentage points).
    pub difference_reincarceration: Difference,
    /// `verschil_werk_deelname` (percentage points).
    pub difference_work: Difference,
}

/// A Kaplan–Meier curve of one group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SurvivalCurve {
    /// `ja` (took part in work or education during detention) or `nee`.
    pub deelname_werk_onderwijs: String,
    pub rows: usize,
    /// Where the curve steps: `(0, 1)` first, then every event time, then the last observed
    /// time (the curve ends there).
    pub points: Vec<SurvivalPoint>,
    /// Rows still at risk at [`AT_RISK_DAYS`] (up to the longest follow-up).
    pub at_risk: Vec<AtRisk>,
    /// `100 * (1 - S)` at 365 and 730 days (null when nobody is followed that long) and the
    /// median days: the same numbers as `hdv eval` for the cell.
    pub km_1j: Option<f64>,
    pub km_2j: Option<f64>,
    pub median_days: Option<i64>,
    /// Events by 365 and by 730 days: the numerators of `km_1j` and `km_2j` in `hdv eval`.
    pub events_1j: usize,
    pub events_2j: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SurvivalPoint {
    pub t: i64,
    /// `S(t)`, a proportion.
    pub survival: f64,
    /// The 95% log-log band; null where undefined (S = 0).
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub at_risk: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AtRisk {
    pub t: i64,
    pub n: usize,
}

/// A share with its counts (`value` = 100 * numerator / denominator, null on 0).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Share {
    pub numerator: usize,
    pub denominator: usize,
    pub value: Option<f64>,
}

impl Share {
    fn of(numerator: usize, denominator: usize) -> Share {
        Share {
            numerator,
            denominator,
            value: (denominator > 0).then(|| 100.0 * numerator as f64 / denominator as f64),
        }
    }
}

/// One row of the Court's table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CourtRow {
    /// `ja`, `nee`, or `totaal`.
    pub lange_detentiegeschiedenis: String,
    pub size: usize,
    /// Per domain (sorted): releases with a participation row of that domain during detention.
    pub participation: Vec<(String, Share)>,
    /// Releases with a participation row in work or education.
    pub work_or_education: Share,
    /// `werk_na_vrijlating` and `werk_na_vrijlating_k2` of the cell.
    pub work_q1: Share,
    pub work_q2: Share,
    /// `wederopsluiting_2j` of the cell (complete two-year follow-up only).
    pub reincarcerated_two_years: Share,
    /// `wederopsluiting_km_2j` and `wederopsluiting_mediaan_dagen` of the cell.
    pub km_2j: Option<f64>,
    pub median_days: Option<i64>,
    /// Events by 730 days: the numerator of `km_2j` in `hdv eval`.
    pub events_2j: usize,
}

/// A Mantel–Haenszel difference in percentage points (all null when no stratum is left).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Difference {
    pub value: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// Rows in the strata used.
    pub rows: u64,
    /// The smallest group (exposed or unexposed rows of one stratum) behind the difference.
    pub smallest_group: u64,
}

impl Difference {
    fn of(strata: &[Stratum]) -> Difference {
        match mantel_haenszel(strata) {
            Some(r) => Difference {
                value: Some(100.0 * r.rd),
                low: Some(100.0 * r.low),
                high: Some(100.0 * r.high),
                rows: r.rows,
                smallest_group: r.smallest_group,
            },
            None => Difference {
                value: None,
                low: None,
                high: None,
                rows: 0,
                smallest_group: 0,
            },
        }
    }
}

/// The curve of `rows` for the chart.
pub(crate) fn survival_curve(group: &str, rows: &[Followup]) -> SurvivalCurve {
    let km = KaplanMeier::fit(rows);
    let mut points = vec![SurvivalPoint {
        t: 0,
        survival: 1.0,
        low: Some(1.0),
        high: Some(1.0),
        at_risk: km.rows(),
    }];
    for s in km.steps() {
        let band = log_log_band(s.survival, s.greenwood);
        points.push(SurvivalPoint {
            t: s.t,
            survival: s.survival,
            low: band.map(|b| b.0),
            high: band.map(|b| b.1),
            at_risk: s.at_risk,
        });
    }
    if let Some(end) = km
        .max_time()
        .filter(|&e| e > points.last().map_or(0, |p| p.t))
    {
        let last = *points.last().expect("the start point");
        points.push(SurvivalPoint {
            t: end,
            at_risk: km.at_risk(end),
            ..last
        });
    }
    let max = km.max_time().unwrap_or(0);
    SurvivalCurve {
        deelname_werk_onderwijs: group.to_string(),
        rows: km.rows(),
        points,
        at_risk: AT_RISK_DAYS
            .iter()
            .filter(|&&t| t <= max)
            .map(|&t| AtRisk {
                t,
                n: km.at_risk(t),
            })
            .collect(),
        km_1j: km.risk(365).map(|r| 100.0 * r),
        km_2j: km.risk(730).map(|r| 100.0 * r),
        median_days: km.median(),
        events_1j: km.events_by(365),
        events_2j: km.events_by(730),
    }
}

fn court_row(label: &str, rows: &[&ReleaseRow]) -> CourtRow {
    let mut domains: Vec<String> = rows.iter().flat_map(|r| r.domains.clone()).collect();
    domains.sort();
    domains.dedup();
    let n = rows.len();
    let share = |f: &dyn Fn(&ReleaseRow) -> Option<bool>| {
        let known: Vec<bool> = rows.iter().filter_map(|r| f(r)).collect();
        Share::of(known.iter().filter(|&&b| b).count(), known.len())
    };
    let km = KaplanMeier::fit(&rows.iter().map(|r| r.followup).collect::<Vec<_>>());
    CourtRow {
        lange_detentiegeschiedenis: label.to_string(),
        size: n,
        participation: domains
            .into_iter()
            .map(|d| {
                let k = rows.iter().filter(|r| r.domains.contains(&d)).count();
                (d, Share::of(k, n))
            })
            .collect(),
        work_or_education: Share::of(rows.iter().filter(|r| r.exposed).count(), n),
        work_q1: share(&|r| r.work_q1),
        work_q2: share(&|r| r.work_q2),
        reincarcerated_two_years: share(&|r| r.within_two_years),
        km_2j: km.risk(730).map(|r| 100.0 * r),
        median_days: km.median(),
        events_2j: km.events_by(730),
    }
}

/// Strata by `lange_detentiegeschiedenis` of the rows where `outcome` is known.
fn strata(rows: &[&ReleaseRow], outcome: impl Fn(&ReleaseRow) -> Option<bool>) -> Vec<Stratum> {
    [false, true]
        .iter()
        .map(|&long| {
            let mut s = Stratum::default();
            for r in rows.iter().filter(|r| r.long_history == long) {
                let Some(o) = outcome(r) else { continue };
                if r.exposed {
                    s.n1 += 1;
                    s.a += u64::from(o);
                } else {
                    s.n0 += 1;
                    s.c += u64::from(o);
                }
            }
            s
        })
        .collect()
}

/// The cohort section for the cohorts `years` (ascending), from all release rows.
pub fn cohort_section(rows: &[ReleaseRow], years: &[i32]) -> CohortSection {
    let cohorts = years
        .iter()
        .map(|&year| {
            let cohort: Vec<&ReleaseRow> = rows.iter().filter(|r| r.year == year).collect();
            let curves = ["ja", "nee"]
                .iter()
                .filter_map(|&g| {
                    let f: Vec<Followup> = cohort
                        .iter()
                        .filter(|r| r.exposed == (g == "ja"))
                        .map(|r| r.followup)
                        .collect();
                    (!f.is_empty()).then(|| survival_curve(g, &f))
                })
                .collect();
            let by = |long: bool| -> Vec<&ReleaseRow> {
                cohort
                    .iter()
                    .copied()
                    .filter(|r| r.long_history == long)
                    .collect()
            };
            let mut court_table = Vec::new();
            for (label, long) in [("ja", true), ("nee", false)] {
                let part = by(long);
                if !part.is_empty() {
                    court_table.push(court_row(label, &part));
                }
            }
            court_table.push(court_row("totaal", &cohort));
            CohortView {
                year,
                size: cohort.len(),
                curves,
                court_table,
                difference_reincarceration: Difference::of(&strata(&cohort, |r| {
                    r.within_two_years
                })),
                difference_work: Difference::of(&strata(&cohort, |r| r.work_q1)),
            }
        })
        .collect();
    CohortSection { cohorts }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-12, "{a} != {b}");
    }

    fn ev(t: i64) -> Followup {
        Followup { t, event: true }
    }
    fn cens(t: i64) -> Followup {
        Followup { t, event: false }
    }

    #[test]
    fn follow_up_time_follows_the_contract() {
        // Back on day 100, followed to day 500: an event at 100.
        assert_eq!(Followup::from_days(0, Some(100), 500), ev(100));
        // Back on the last day of follow-up: still an event.
        assert_eq!(Followup::from_days(10, Some(500), 500), ev(490));
        // Back after the follow-up ended (not observable): censored at the end.
        assert_eq!(Followup::from_days(0, Some(600), 500), cens(500));
        assert_eq!(Followup::from_days(0, None, 42), cens(42));
    }

    /// Six rows: events at 10, 20, 20 and 40; censored at 20 (a tie with two events) and 50.
    ///
    /// - t=10: n = 6 (all rows), d = 1: S = 5/6.
    /// - t=20: n = 5 (rows at 20, 20, 20, 40, 50; the row censored at 20 is still at risk),
    ///   d = 2: S = 5/6 · 3/5 = 1/2.
    /// - t=40: n = 2 (40 and 50), d = 1: S = 1/2 · 1/2 = 1/4.
    ///
    /// Greenwood sums: 1/(6·5) = 1/30; + 2/(5·3) = 1/30 + 2/15 = 1/6; + 1/(2·1) = 2/3.
    #[test]
    fn kaplan_meier_with_an_event_and_a_censoring_on_the_same_day() {
        let km = KaplanMeier::fit(&[ev(20), cens(50), ev(10), cens(20), ev(40), ev(20)]);
        let s: Vec<(i64, usize, usize)> = km
            .steps()
            .iter()
            .map(|s| (s.t, s.at_risk, s.events))
            .collect();
        assert_eq!(s, vec![(10, 6, 1), (20, 5, 2), (40, 2, 1)]);
        close(km.survival(9), 1.0);
        close(km.survival(10), 5.0 / 6.0);
        close(km.survival(19), 5.0 / 6.0);
        close(km.survival(20), 0.5);
        close(km.survival(45), 0.25);
        close(km.survival(1000), 0.25);
        close(km.steps()[0].greenwood, 1.0 / 30.0);
        close(km.steps()[1].greenwood, 1.0 / 6.0);
        close(km.steps()[2].greenwood, 2.0 / 3.0);
        // S(20) = 0.5 exactly: the median is 20 (S <= 0.5, not < 0.5).
        assert_eq!(km.median(), Some(20));
        // Risk by day 30: 1 - 1/2; rows observed >= 30: 40, 50. Events by 30: 3 of 6.
        close(km.risk(30).unwrap(), 0.5);
        assert_eq!(km.events_by(30), 3);
        assert_eq!(km.rows(), 6);
        // Risk by day 50: someone is observed that long (censored at 50); by 51: nobody.
        close(km.risk(50).unwrap(), 0.75);
        assert_eq!(km.risk(51), None);
        assert_eq!(km.at_risk(20), 5);
        assert_eq!(km.at_risk(21), 2);
    }

    /// Follow-up stops before a year: the risk at 365 is null even though every row had an
    /// event or was censored before; at 200 it is defined.
    #[test]
    fn risk_is_null_when_nobody_is_followed_to_the_horizon() {
        // Events at 100 (n=3) and 200 (n=2): S = 2/3 · 1/2 = 1/3; the last row censored at 300.
        let km = KaplanMeier::fit(&[ev(100), ev(200), cens(300)]);
        assert_eq!(km.risk(365), None);
        assert_eq!(km.risk(730), None);
        close(km.risk(200).unwrap(), 1.0 - 1.0 / 3.0);
        close(km.risk(300).unwrap(), 1.0 - 1.0 / 3.0);
        // No rows at all: nothing is defined.
        let empty = KaplanMeier::fit(&[]);
        assert_eq!(empty.risk(365), None);
        assert_eq!(empty.median(), None);
        assert_eq!(empty.max_time(), None);
    }

    /// Four rows, one event at 30 (n=4, S = 3/4) and three censored at 400: S stays at 0.75
    /// > 0.5, so no median; the risk at 365 is 1/4 (rows observed >= 365: three).
    #[test]
    fn median_not_reached() {
        let km = KaplanMeier::fit(&[ev(30), cens(400), cens(400), cens(400)]);
        assert_eq!(km.median(), None);
        close(km.risk(365).unwrap(), 0.25);
        assert_eq!(km.events_by(365), 1);
    }

    /// Median reached below 0.5 without touching it: events at 5 (n=3: S=2/3) and 8 (n=2:
    /// S = 2/3 · 1/2 = 1/3 <= 0.5): the median is 8.
    #[test]
    fn median_reached() {
        let km = KaplanMeier::fit(&[ev(8), ev(5), cens(9)]);
        assert_eq!(km.median(), Some(8));
    }

    /// The band at S = 5/6 after one event among six rows: Greenwood 1/30,
    /// σ = sqrt(1/30) / |ln(5/6)| = 0.18257419 / 0.18232156 = 1.00138562;
    /// low = (5/6)^exp(1.959964·σ) = (5/6)^7.11838 = 0.27312, high = (5/6)^exp(-1.959964·σ)
    /// = (5/6)^0.14048 = 0.97471.
    #[test]
    fn greenwood_band_on_the_log_log_scale() {
        let km = KaplanMeier::fit(&[ev(10), cens(20), cens(20), cens(20), cens(20), cens(20)]);
        let (lo, hi) = km.band(15).unwrap();
        let s: f64 = 5.0 / 6.0;
        let sigma = (1.0_f64 / 30.0).sqrt() / s.ln().abs();
        close(lo, s.powf((1.959964 * sigma).exp()));
        close(hi, s.powf((-1.959964 * sigma).exp()));
        assert!((lo - 0.27312).abs() < 1e-5, "{lo}");
        assert!((hi - 0.97471).abs() < 1e-5, "{hi}");
        assert!(lo < s && s < hi);
        // Before the first event the band is the point 1.
        assert_eq!(km.band(3), Some((1.0, 1.0)));
        // When everyone at risk has the event, S = 0 and the band is undefined.
        let all = KaplanMeier::fit(&[ev(1), ev(2)]);
        close(all.survival(2), 0.0);
        assert_eq!(all.band(2), None);
    }

    /// Two usable strata and one without exposed rows.
    ///
    /// - k=1: a=1 of n1=4 exposed, c=3 of n0=6 unexposed, N=10, b=3, d=3.
    ///   (a·n0 - c·n1)/N = (6 - 12)/10 = -0.6; n1·n0/N = 24/10 = 2.4;
    ///   (a·b·n0³ + c·d·n1³)/(n1·n0·N²) = (1·3·216 + 3·3·64)/(4·6·100) = 1224/2400 = 0.51.
    /// - k=2: a=1 of 2, c=2 of 2, N=4, b=1, d=0.
    ///   (2 - 4)/4 = -0.5; 4/4 = 1; (1·1·8 + 0)/(2·2·16) = 8/64 = 0.125.
    /// - k=3: no exposed rows (0 of 0, 1 of 3): left out of every sum and of the row count.
    ///
    /// RD = (-0.6 - 0.5)/(2.4 + 1) = -1.1/3.4 = -0.32352941;
    /// Var = (0.51 + 0.125)/3.4² = 0.635/11.56 = 0.05493080; sqrt = 0.23437320;
    /// interval -0.32352941 ± 1.959964·0.23437320 = -0.32352941 ± 0.45936303
    /// = [-0.78289244, 0.13583362]. Rows used: 10 + 4 = 14.
    #[test]
    fn mantel_haenszel_risk_difference_by_hand() {
        let rd = mantel_haenszel(&[
            Stratum {
                a: 1,
                n1: 4,
                c: 3,
                n0: 6,
            },
            Stratum {
                a: 1,
                n1: 2,
                c: 2,
                n0: 2,
            },
            Stratum {
                a: 0,
                n1: 0,
                c: 1,
                n0: 3,
            },
        ])
        .unwrap();
        close(rd.rd, -1.1 / 3.4);
        close(rd.variance, 0.635 / 11.56);
        assert_eq!(rd.rows, 14);
        assert_eq!(rd.strata, 2);
        assert!((rd.low - -0.78289244).abs() < 1e-7, "{}", rd.low);
        assert!((rd.high - 0.13583362).abs() < 1e-7, "{}", rd.high);
    }

    /// One stratum reduces to the crude difference: 3/5 - 1/5 = 0.4 with the variance
    /// p1(1-p1)/n1 + p0(1-p0)/n0 = 0.24/5 + 0.16/5 = 0.08:
    /// (a·b·n0³ + c·d·n1³)/(n1·n0·N²)/(n1·n0/N)² = (3·2·125 + 1·4·125)/(25·100)/(2.5²)
    /// = 1250/2500/6.25 = 0.08.
    #[test]
    fn one_stratum_is_the_crude_difference() {
        let rd = mantel_haenszel(&[Stratum {
            a: 3,
            n1: 5,
            c: 1,
            n0: 5,
        }])
        .unwrap();
        close(rd.rd, 0.4);
        close(rd.variance, 0.08);
    }

    #[test]
    fn no_stratum_with_both_groups_gives_no_difference() {
        assert_eq!(mantel_haenszel(&[]), None);
        let only_exposed = Stratum {
            a: 1,
            n1: 3,
            c: 0,
            n0: 0,
        };
        assert_eq!(mantel_haenszel(&[only_exposed]), None);
    }
}
