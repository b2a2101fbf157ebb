//! Stage 4: assess each figure against its baseline and target.
//!
//! The question the commission asks is "are we on the path to the target?". The path runs
//! from the baseline to the target (method per indicator, `methode` in its YAML):
//! - `lineair` (default): a straight line from the baseline to the target;
//! - `cagr` (Eurostat, Open SDG): a constant yearly growth rate from the baseline to the target.
//!
//! Status with a baseline and a target:
//! - `bereikt`: the value is at or beyond the target;
//! - `niet op koers`: the value is behind the path for its year. For a rate over persons or
//!   events, "behind" means significantly behind: a 95 % test of the value against the
//!   expected value on the path; for other figures (full counts, sums, medians, plan
//!   actions), behind by more than 5 % of the progress the path expects;
//! - `geen significante wijziging`: a rate that can be told apart neither from the path nor
//!   from its baseline (too little data to say either way);
//! - `op koers`: otherwise (at or ahead of the path, or within noise of it after a real change).
//!
//! Without a target: the trend over the series (`verbetering`, `verslechtering`, `stabiel`
//! within ±1 % a year, `stijgend`/`dalend` for neutral figures); for a rate over persons or
//! events a change that a 95 % test does not find is `geen significante wijziging`.
//! A rate on a denominator under the minimum, or a year without a publishable value, is
//! `onvoldoende gegevens`; a year in which a source of the figure has no rows is
//! `geen gegevens` (decided by the report layer, which knows the sources). The assessment takes the baseline and targets as values, so a
//! local target is assessed exactly like a Flemish one.

use crate::model::{Baseline, Direction, Indicator, IndicatorKind, ProgressMethod, Target};
use serde::Serialize;

/// Below this share of the expected progress a full count (no sampling noise) is behind.
pub(crate) const ON_TRACK: f64 = 0.95;
/// Default minimum denominator of a rate for a status.
pub(crate) const DEFAULT_MIN_DENOMINATOR: f64 = 30.0;
/// Below this yearly growth (in absolute value) a trend is "stabiel".
pub(crate) const STABLE_GROWTH: f64 = 0.01;
/// Below this yearly change in percentage points (in absolute value) the trend of a difference
/// in percentage points is "stabiel" (a difference has no relative growth: it can be 0 or
/// change sign).
pub(crate) const STABLE_POINTS: f64 = 0.5;
/// The two-sided 95 % normal quantile.
pub(crate) const Z95: f64 = 1.959_963_984_540_054;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Bereikt,
    OpKoers,
    NietOpKoers,
    GeenSignificanteWijziging,
    OnvoldoendeGegevens,
    GeenGegevens,
    /// No target: a trend in the better direction.
    Verbetering,
    /// No target: a trend in the worse direction.
    Verslechtering,
    /// No target: a trend within ±1 % a year.
    Stabiel,
    /// No target, neutral figure: rising.
    Stijgend,
    /// No target, neutral figure: falling.
    Dalend,
}

impl Status {
    /// The order in which statuses are listed (off track first).
    pub(crate) const ALL: [Status; 11] = [
        Status::NietOpKoers,
        Status::Verslechtering,
        Status::GeenSignificanteWijziging,
        Status::OpKoers,
        Status::Bereikt,
        Status::Verbetering,
        Status::Stabiel,
        Status::Stijgend,
        Status::Dalend,
        Status::OnvoldoendeGegevens,
        Status::GeenGegevens,
    ];

    /// Needs the commission's attention: off the path to the target, or worsening.
    pub fn needs_attention(self) -> bool {
        matches!(self, Status::NietOpKoers | Status::Verslechtering)
    }

    /// Good, bad or neither: drives the colour and the word next to it.
    pub(crate) fn tone(self) -> Tone {
        match self {
            Status::Bereikt | Status::OpKoers | Status::Verbetering => Tone::Good,
            Status::NietOpKoers | Status::Verslechtering => Tone::Bad,
            _ => Tone::Neutral,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Tone {
    Good,
    Bad,
    Neutral,
}

/// One year's figure.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub year: i32,
    pub value: f64,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    /// The 95 % interval of a difference (`soort: verschil`), in its unit.
    pub interval: Option<(f64, f64)>,
}

/// How a figure behaves statistically; from the indicator.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spec {
    pub kind: IndicatorKind,
    pub direction: Direction,
    pub method: ProgressMethod,
    pub min_denominator: f64,
    /// A rate over persons or events (a draw of a process, so noise is judged): intervals
    /// and tests apply. False for rates over the plan's actions.
    pub sampled: bool,
}

impl Spec {
    pub(crate) fn of(ind: &Indicator) -> Spec {
        Spec {
            kind: ind.soort,
            direction: ind.richting,
            method: ind.methode,
            min_denominator: ind.minimum_noemer.unwrap_or(DEFAULT_MIN_DENOMINATOR),
            sampled: ind.soort == IndicatorKind::Aandeel && ind.toevalsmarge,
        }
    }
}

/// The baseline and targets a figure is assessed against (overall, or one prison's).
#[derive(Debug, Clone, Copy, Default)]
pub struct Goal<'a> {
    pub baseline: Option<&'a Baseline>,
    pub targets: &'a [Target],
}

impl<'a> Goal<'a> {
    /// The indicator's own baseline and its Flemish targets (those without a prison).
    pub(crate) fn flemish(ind: &'a Indicator) -> Goal<'a> {
        Goal {
            baseline: ind.basislijn.as_ref(),
            targets: &ind.doelen,
        }
    }

    /// The target for `year`: the first one in or after it, else the last one.
    pub(crate) fn target_for(&self, year: i32, prison: Option<&str>) -> Option<&'a Target> {
        let of_scope = || {
            self.targets
                .iter()
                .filter(move |t| t.gevangenis.as_deref() == prison)
        };
        of_scope()
            .filter(|t| t.jaar >= year)
            .min_by_key(|t| t.jaar)
            .or_else(|| of_scope().max_by_key(|t| t.jaar))
    }
}

/// Why a figure got its status: typed, so the words are chosen when rendering.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "soort", rename_all = "snake_case")]
pub enum Reason {
    /// No value for the year (undefined, or not publishable).
    NoValue,
    /// A source the figure reads has no rows for the year.
    NoData,
    /// The rate's denominator is under the minimum.
    SmallDenominator { minimum: f64 },
    /// The year is the baseline year or earlier.
    NotAfterBaseline { baseline_year: i32 },
    /// The method cannot place the path (e.g. `cagr` with a zero value).
    PathUndefined,
    /// At or beyond the target.
    TargetMet,
    /// Compared with the path to the target. `significant`: for rates over persons or events,
    /// whether the difference with the path passes the 95 % test.
    Path {
        behind: bool,
        significant: Option<bool>,
    },
    /// A rate within noise of both its path and its baseline.
    WithinNoise { baseline_year: i32 },
    /// The trend over the series (no target). `growth` is the mean yearly growth.
    Trend {
        growth: f64,
        first_year: i32,
        first_value: f64,
        last_year: i32,
        last_value: f64,
        significant: Option<bool>,
    },
    /// The trend of a difference in percentage points (no target): the mean yearly change
    /// in points, `per_year`. `significant`: whether the change from the first to the last
    /// year passes a 95 % test on their intervals.
    PointsTrend {
        per_year: f64,
        first_year: i32,
        first_value: f64,
        last_year: i32,
        last_value: f64,
        significant: Option<bool>,
    },
    /// Too short a series for a trend (no target): fewer than two years with a published
    /// value.
    ShortSeries,
    /// A relative growth is undefined: the series starts or ends at zero or below.
    NoGrowth,
}

/// The assessment of one figure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    pub status: Status,
    pub reason: Reason,
    /// The target used (year, value), if any.
    pub target: Option<(i32, f64)>,
    /// The expected value this year on the path to the target.
    pub expected: Option<f64>,
    /// The share of the way from baseline to target covered by the value (1 = at the target,
    /// negative = further from the target than at the start).
    pub covered: Option<f64>,
    /// The share of the way the path expects by this year.
    pub expected_covered: Option<f64>,
    /// 95 % Wilson interval of a rate over persons or events, in percent.
    pub interval: Option<(f64, f64)>,
}

impl Assessment {
    /// A year for which a source of the figure has no rows: nothing is assessed.
    pub(crate) fn no_data() -> Assessment {
        Assessment::new(Status::GeenGegevens, Reason::NoData)
    }

    fn new(status: Status, reason: Reason) -> Assessment {
        Assessment {
            status,
            reason,
            target: None,
            expected: None,
            covered: None,
            expected_covered: None,
            interval: None,
        }
    }
}

/// 95 % Wilson score interval for `k` successes of `n`, in percent.
pub(crate) fn wilson(k: f64, n: f64) -> Option<(f64, f64)> {
    if n <= 0.0 {
        return None;
    }
    let z = Z95;
    let p = k / n;
    let denom = 1.0 + z * z / n;
    let centre = (p + z * z / (2.0 * n)) / denom;
    let half = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt() / denom;
    Some((
        100.0 * (centre - half).max(0.0),
        100.0 * (centre + half).min(1.0),
    ))
}

/// Two-proportion z-test at 95 %: is `k1/n1` different from `k0/n0`?
pub(crate) fn significant_change(k0: f64, n0: f64, k1: f64, n1: f64) -> bool {
    if n0 <= 0.0 || n1 <= 0.0 {
        return false;
    }
    let p = (k0 + k1) / (n0 + n1);
    let se = (p * (1.0 - p) * (1.0 / n0 + 1.0 / n1)).sqrt();
    if se == 0.0 {
        return k0 / n0 != k1 / n1;
    }
    ((k1 / n1 - k0 / n0) / se).abs() >= Z95
}

/// One-sample z-test at 95 %: is the rate `k/n` different from the expected share `p0`
/// (a fraction)? With `p0` at 0 or 1 any other rate differs.
pub(crate) fn differs_from(k: f64, n: f64, p0: f64) -> bool {
    if n <= 0.0 {
        return false;
    }
    let p0 = p0.clamp(0.0, 1.0);
    let se = (p0 * (1.0 - p0) / n).sqrt();
    if se == 0.0 {
        return k / n != p0;
    }
    ((k / n - p0) / se).abs() >= Z95
}

fn better_or_equal(direction: Direction, value: f64, reference: f64) -> bool {
    match direction {
        Direction::LagerIsBeter => value <= reference,
        _ => value >= reference,
    }
}

/// The expected value in `year` on the path from `base` to `target`.
fn path_value(method: ProgressMethod, base: &Baseline, target: &Target, year: i32) -> Option<f64> {
    let elapsed = f64::from(year.min(target.jaar) - base.jaar);
    let span = f64::from(target.jaar - base.jaar);
    if span <= 0.0 {
        return None;
    }
    match method {
        ProgressMethod::Lineair => {
            Some(base.waarde + (target.waarde - base.waarde) * elapsed / span)
        }
        ProgressMethod::Cagr => {
            if base.waarde <= 0.0 || target.waarde <= 0.0 {
                None
            } else {
                let rate = (target.waarde / base.waarde).powf(1.0 / span);
                Some(base.waarde * rate.powf(elapsed))
            }
        }
    }
}

/// Assesses `current` against `goal` (the target for `prison`, or the Flemish one), with
/// `baseline_point` (the figure of the baseline year, for the noise test of a rate) and
/// `series` (the years with a published value up to the current one) for a trend without
/// target.
pub fn assess(
    spec: &Spec,
    goal: &Goal,
    prison: Option<&str>,
    current: Option<Point>,
    baseline_point: Option<Point>,
    series: &[Point],
) -> Assessment {
    let Some(cur) = current else {
        return Assessment::new(Status::OnvoldoendeGegevens, Reason::NoValue);
    };
    let interval = match (spec.sampled, cur.numerator, cur.denominator) {
        (true, Some(k), Some(n)) => wilson(k, n),
        _ => None,
    };
    let with_interval = |mut a: Assessment| {
        a.interval = interval;
        a
    };
    if spec.kind == IndicatorKind::Aandeel
        && cur.denominator.is_some_and(|n| n < spec.min_denominator)
    {
        return with_interval(Assessment::new(
            Status::OnvoldoendeGegevens,
            Reason::SmallDenominator {
                minimum: spec.min_denominator,
            },
        ));
    }
    let (Some(target), Some(base)) = (goal.target_for(cur.year, prison), goal.baseline) else {
        return with_interval(trend(spec, cur, series));
    };
    let mut a = Assessment::new(Status::OnvoldoendeGegevens, Reason::PathUndefined);
    a.interval = interval;
    a.target = Some((target.jaar, target.waarde));
    let way = target.waarde - base.waarde;
    if way != 0.0 {
        a.covered = Some((cur.value - base.waarde) / way);
    }
    if better_or_equal(spec.direction, cur.value, target.waarde) && way != 0.0 {
        a.status = Status::Bereikt;
        a.reason = Reason::TargetMet;
        return a;
    }
    if cur.year <= base.jaar {
        a.reason = Reason::NotAfterBaseline {
            baseline_year: base.jaar,
        };
        return a;
    }
    let Some(expected) = path_value(spec.method, base, target, cur.year) else {
        return a;
    };
    a.expected = Some(expected);
    if way != 0.0 {
        a.expected_covered = Some((expected - base.waarde) / way);
    }
    let behind = !better_or_equal(spec.direction, cur.value, expected);
    match (spec.sampled, cur.numerator, cur.denominator) {
        (true, Some(k), Some(n)) => {
            let off_path = differs_from(k, n, expected / 100.0);
            a.reason = Reason::Path {
                behind,
                significant: Some(off_path),
            };
            a.status = if behind && off_path {
                Status::NietOpKoers
            } else if off_path {
                Status::OpKoers
            } else {
                // Within noise of the path: has it moved from its baseline at all?
                let moved = match baseline_point {
                    Some(Point {
                        numerator: Some(k0),
                        denominator: Some(n0),
                        ..
                    }) => Some(significant_change(k0, n0, k, n)),
                    _ => None,
                };
                if moved == Some(false) {
                    a.reason = Reason::WithinNoise {
                        baseline_year: base.jaar,
                    };
                    Status::GeenSignificanteWijziging
                } else {
                    Status::OpKoers
                }
            };
        }
        _ => {
            // A full count: behind when it made less than 95 % of the expected progress.
            let needed = expected - base.waarde;
            let made = cur.value - base.waarde;
            let off = if needed == 0.0 {
                behind
            } else {
                made / needed < ON_TRACK
            };
            a.reason = Reason::Path {
                behind,
                significant: None,
            };
            a.status = if off {
                Status::NietOpKoers
            } else {
                Status::OpKoers
            };
        }
    }
    a
}

/// The status of a trend without target: no change a test finds, stable, or rising/falling
/// by direction.
fn trend_status(spec: &Spec, change: f64, stable: f64, significant: Option<bool>) -> Status {
    if significant == Some(false) {
        Status::GeenSignificanteWijziging
    } else if change.abs() < stable {
        Status::Stabiel
    } else {
        match spec.direction {
            Direction::Neutraal if change > 0.0 => Status::Stijgend,
            Direction::Neutraal => Status::Dalend,
            Direction::HogerIsBeter if change > 0.0 => Status::Verbetering,
            Direction::LagerIsBeter if change < 0.0 => Status::Verbetering,
            _ => Status::Verslechtering,
        }
    }
}

/// Without a target, for a difference in percentage points: the mean yearly change in
/// points from the first to the last published year, tested on their 95 % intervals.
fn points_trend(spec: &Spec, first: &Point, last: &Point) -> Assessment {
    let per_year = (last.value - first.value) / f64::from(last.year - first.year);
    let se = |p: &Point| p.interval.map(|(lo, hi)| (hi - lo) / (2.0 * Z95));
    let significant = match (se(first), se(last)) {
        (Some(a), Some(b)) if a * a + b * b > 0.0 => {
            Some(((last.value - first.value) / (a * a + b * b).sqrt()).abs() >= Z95)
        }
        _ => None,
    };
    Assessment::new(
        trend_status(spec, per_year, STABLE_POINTS, significant),
        Reason::PointsTrend {
            per_year,
            first_year: first.year,
            first_value: first.value,
            last_year: last.year,
            last_value: last.value,
            significant,
        },
    )
}

/// Without a target: a trend from the yearly growth rate over the series (for a difference in
/// percentage points, its yearly change in points).
fn trend(spec: &Spec, cur: Point, series: &[Point]) -> Assessment {
    let (Some(first), Some(last)) = (series.first(), series.last()) else {
        return Assessment::new(Status::OnvoldoendeGegevens, Reason::ShortSeries);
    };
    if last.year <= first.year {
        return Assessment::new(Status::OnvoldoendeGegevens, Reason::ShortSeries);
    }
    if spec.kind == IndicatorKind::Verschil {
        return points_trend(spec, first, last);
    }
    if first.value <= 0.0 || last.value <= 0.0 {
        return Assessment::new(Status::OnvoldoendeGegevens, Reason::NoGrowth);
    }
    let growth = (last.value / first.value).powf(1.0 / f64::from(last.year - first.year)) - 1.0;
    let significant = match (
        spec.sampled,
        first.numerator,
        first.denominator,
        cur.numerator,
        cur.denominator,
    ) {
        (true, Some(k0), Some(n0), Some(k1), Some(n1)) => Some(significant_change(k0, n0, k1, n1)),
        _ => None,
    };
    let status = trend_status(spec, growth, STABLE_GROWTH, significant);
    Assessment::new(
        status,
        Reason::Trend {
            growth,
            first_year: first.year,
            first_value: first.value,
            last_year: last.year,
            last_value: last.value,
            significant,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(kind: IndicatorKind, dir: Direction, method: ProgressMethod) -> Spec {
        Spec {
            kind,
            direction: dir,
            method,
            min_denominator: DEFAULT_MIN_DENOMINATOR,
            sampled: kind == IndicatorKind::Aandeel,
        }
    }

    fn base(jaar: i32, waarde: f64) -> Baseline {
        Baseline {
            jaar,
            waarde,
            voorbeeld: false,
        }
    }

    fn target(jaar: i32, waarde: f64) -> Vec<Target> {
        vec![Target {
            jaar,
            waarde,
            gevangenis: None,
            voorbeeld: false,
            plan: None,
        }]
    }

    fn pt(year: i32, value: f64) -> Option<Point> {
        Some(Point {
            year,
            value,
            numerator: None,
            denominator: None,
            interval: None,
        })
    }

    fn rate(year: i32, k: f64, n: f64) -> Option<Point> {
        Some(Point {
            year,
            value: 100.0 * k / n,
            numerator: Some(k),
            denominator: Some(n),
            interval: None,
        })
    }

    #[test]
    fn a_count_is_on_track_from_95_percent_of_the_expected_progress() {
        // Baseline 10 (2020), target 20 (2025): in 2022 the path expects 14 (4 of progress).
        // 13.8 made 3.8 = 95 % of it: on track; 13.79 is behind.
        let s = spec(
            IndicatorKind::Aantal,
            Direction::HogerIsBeter,
            ProgressMethod::Lineair,
        );
        let (b, t) = (base(2020, 10.0), target(2025, 20.0));
        let g = Goal {
            baseline: Some(&b),
            targets: &t,
        };
        let at = |v: f64| assess(&s, &g, None, pt(2022, v), None, &[]);
        assert_eq!(at(14.0).status, Status::OpKoers);
        assert_eq!(at(13.8).status, Status::OpKoers);
        assert_eq!(at(13.79).status, Status::NietOpKoers);
        assert_eq!(at(9.0).status, Status::NietOpKoers);
        assert_eq!(at(20.0).status, Status::Bereikt);
        assert_eq!(at(14.0).expected, Some(14.0));
        // 12 is a fifth of the way from 10 to 20; the path expects two fifths by 2022.
        let a = at(12.0);
        assert!((a.covered.unwrap() - 0.2).abs() < 1e-12);
        assert!((a.expected_covered.unwrap() - 0.4).abs() < 1e-12);
        // Further from the target than at the start: negative share of the way.
        assert!(at(9.0).covered.unwrap() < 0.0);
    }

    #[test]
    fn a_rate_far_off_its_path_with_no_significant_change_from_baseline_is_off_track() {
        // The Court's dropout case: baseline 69.7 % (2019), target 50 % (2025), lower is
        // better. In 2024 the path expects 69.7 - 19.7 * 5/6 = 53.28 %. Actual 857 of 1265
        // = 67.75 %: se = sqrt(.5328 * .4672 / 1265) = 1.40 pt, z = 10.3: behind the path.
        // Against the baseline (1000 of 1435 = 69.69 %) the change is not significant
        // (two-proportion z = 1.1), which used to hide it as "geen significante wijziging".
        let s = spec(
            IndicatorKind::Aandeel,
            Direction::LagerIsBeter,
            ProgressMethod::Lineair,
        );
        let (b, t) = (base(2019, 69.7), target(2025, 50.0));
        let g = Goal {
            baseline: Some(&b),
            targets: &t,
        };
        let baseline = rate(2019, 1000.0, 1435.0);
        assert!(!significant_change(1000.0, 1435.0, 857.0, 1265.0));
        let a = assess(&s, &g, None, rate(2024, 857.0, 1265.0), baseline, &[]);
        assert_eq!(a.status, Status::NietOpKoers);
        assert!(a.status.needs_attention());
        assert!((a.expected.unwrap() - 53.283_333).abs() < 1e-4);
        assert_eq!(
            a.reason,
            Reason::Path {
                behind: true,
                significant: Some(true)
            }
        );
        assert!(a.interval.is_some());
    }

    #[test]
    fn a_rate_on_its_path_is_on_track() {
        // Higher is better, 40 % (2020) to 60 % (2025): the path expects 48 % in 2022.
        // 480 of 1000 is exactly on the path; 470 of 1000 is within noise of it
        // (z = -0.63) but significantly above the baseline: on track too.
        let s = spec(
            IndicatorKind::Aandeel,
            Direction::HogerIsBeter,
            ProgressMethod::Lineair,
        );
        let (b, t) = (base(2020, 40.0), target(2025, 60.0));
        let g = Goal {
            baseline: Some(&b),
            targets: &t,
        };
        let baseline = rate(2020, 400.0, 1000.0);
        for k in [480.0, 470.0, 550.0] {
            let a = assess(&s, &g, None, rate(2022, k, 1000.0), baseline, &[]);
            assert_eq!(a.status, Status::OpKoers, "{k}");
        }
        // 440 of 1000 is significantly behind the path (z = -2.53).
        let a = assess(&s, &g, None, rate(2022, 440.0, 1000.0), baseline, &[]);
        assert_eq!(a.status, Status::NietOpKoers);
    }

    #[test]
    fn a_rate_that_cannot_be_told_from_path_nor_baseline_has_no_significant_change() {
        // 40 % (2020) to 60 % (2025); in 2021 the path expects 44 %. 21 of 50 = 42 %:
        // se vs path = sqrt(.44*.56/50) = 7 pt (z = -0.29), and vs 20 of 50 at baseline
        // z = 0.2: neither can be told apart.
        let s = spec(
            IndicatorKind::Aandeel,
            Direction::HogerIsBeter,
            ProgressMethod::Lineair,
        );
        let (b, t) = (base(2020, 40.0), target(2025, 60.0));
        let g = Goal {
            baseline: Some(&b),
            targets: &t,
        };
        let a = assess(
            &s,
            &g,
            None,
            rate(2021, 21.0, 50.0),
            rate(2020, 20.0, 50.0),
            &[],
        );
        assert_eq!(a.status, Status::GeenSignificanteWijziging);
        assert_eq!(
            a.reason,
            Reason::WithinNoise {
                baseline_year: 2020
            }
        );
    }

    #[test]
    fn lower_is_better_is_symmetric() {
        // Baseline 60, target 40: in 2022 the path expects 52.
        let s = spec(
            IndicatorKind::Aantal,
            Direction::LagerIsBeter,
            ProgressMethod::Lineair,
        );
        let (b, t) = (base(2020, 60.0), target(2025, 40.0));
        let g = Goal {
            baseline: Some(&b),
            targets: &t,
        };
        let at = |v: f64| assess(&s, &g, None, pt(2022, v), None, &[]).status;
        assert_eq!(at(52.0), Status::OpKoers);
        assert_eq!(at(56.0), Status::NietOpKoers);
        assert_eq!(at(61.0), Status::NietOpKoers);
        assert_eq!(at(40.0), Status::Bereikt);
        assert_eq!(at(39.0), Status::Bereikt);
    }

    #[test]
    fn cagr_follows_a_constant_growth_path() {
        // 10 (2020) to 20 (2025): the path is 10 * 2^(t/5); in 2022 that is 13.195.
        let s = spec(
            IndicatorKind::Aantal,
            Direction::HogerIsBeter,
            ProgressMethod::Cagr,
        );
        let (b, t) = (base(2020, 10.0), target(2025, 20.0));
        let g = Goal {
            baseline: Some(&b),
            targets: &t,
        };
        let on = 10.0 * 2f64.powf(2.0 / 5.0);
        let a = assess(&s, &g, None, pt(2022, on), None, &[]);
        assert!((a.expected.unwrap() - on).abs() < 1e-9);
        assert_eq!(a.status, Status::OpKoers);
        assert_eq!(
            assess(&s, &g, None, pt(2022, 12.0), None, &[]).status,
            Status::NietOpKoers
        );
    }

    #[test]
    fn small_denominators_and_missing_years() {
        let s = spec(
            IndicatorKind::Aandeel,
            Direction::HogerIsBeter,
            ProgressMethod::Lineair,
        );
        let g = Goal::default();
        assert_eq!(
            assess(&s, &g, None, rate(2022, 2.0, 29.0), None, &[]).status,
            Status::OnvoldoendeGegevens
        );
        assert_eq!(
            assess(&s, &g, None, None, None, &[]).status,
            Status::OnvoldoendeGegevens
        );
        assert_eq!(Assessment::no_data().status, Status::GeenGegevens);
    }

    #[test]
    fn wilson_interval_matches_a_worked_example() {
        // 250 of 600: p = 0.4167; Wilson 95 % interval (0.3778, 0.4566).
        let (lo, hi) = wilson(250.0, 600.0).unwrap();
        assert!((lo - 37.78).abs() < 0.01, "{lo}");
        assert!((hi - 45.66).abs() < 0.01, "{hi}");
        assert_eq!(wilson(0.0, 0.0), None);
    }

    #[test]
    fn without_a_target_the_trend_status_stays() {
        let s = spec(
            IndicatorKind::Aantal,
            Direction::HogerIsBeter,
            ProgressMethod::Lineair,
        );
        let g = Goal::default();
        let series = [pt(2020, 100.0).unwrap(), pt(2022, 121.0).unwrap()];
        let a = assess(&s, &g, None, pt(2022, 121.0), None, &series);
        assert_eq!(a.status, Status::Verbetering); // +10 % a year
        let down = Spec {
            direction: Direction::LagerIsBeter,
            ..s
        };
        assert_eq!(
            assess(&down, &g, None, pt(2022, 121.0), None, &series).status,
            Status::Verslechtering
        );
        let neutral = Spec {
            direction: Direction::Neutraal,
            ..s
        };
        assert_eq!(
            assess(&neutral, &g, None, pt(2022, 121.0), None, &series).status,
            Status::Stijgend
        );
        let flat = [pt(2020, 100.0).unwrap(), pt(2022, 101.0).unwrap()];
        assert_eq!(
            assess(&neutral, &g, None, pt(2022, 101.0), None, &flat).status,
            Status::Stabiel
        );
        // A rate over persons whose change is within noise: no significant change.
        let r = spec(
            IndicatorKind::Aandeel,
            Direction::HogerIsBeter,
            ProgressMethod::Lineair,
        );
        let noisy = [
            rate(2020, 40.0, 100.0).unwrap(),
            rate(2022, 45.0, 100.0).unwrap(),
        ];
        assert_eq!(
            assess(&r, &g, None, rate(2022, 45.0, 100.0), None, &noisy).status,
            Status::GeenSignificanteWijziging
        );
    }

    #[test]
    fn a_prison_target_is_chosen_for_its_prison_only() {
        let t = vec![
            Target {
                jaar: 2025,
                waarde: 20.0,
                gevangenis: None,
                voorbeeld: false,
                plan: None,
            },
            Target {
                jaar: 2024,
                waarde: 30.0,
                gevangenis: Some("gent".into()),
                voorbeeld: false,
                plan: None,
            },
        ];
        let g = Goal {
            baseline: None,
            targets: &t,
        };
        assert_eq!(g.target_for(2024, None).unwrap().waarde, 20.0);
        assert_eq!(g.target_for(2024, Some("gent")).unwrap().waarde, 30.0);
        // After the last target year, the last target stays.
        assert_eq!(g.target_for(2026, Some("gent")).unwrap().waarde, 30.0);
        assert!(g.target_for(2024, Some("brugge")).is_none());
    }

    fn diff(year: i32, value: f64, half: f64) -> Point {
        Point {
            year,
            value,
            numerator: None,
            denominator: Some(400.0),
            interval: Some((value - half, value + half)),
        }
    }

    #[test]
    fn a_difference_in_points_has_a_trend_in_points_per_year() {
        let s = spec(
            IndicatorKind::Verschil,
            Direction::Neutraal,
            ProgressMethod::Lineair,
        );
        let g = Goal::default();
        // Six years from -6,9 to -8,6 (negative values: no relative growth, still a trend):
        // -0,34 points a year; intervals of ±5,5 points: within noise.
        let series: Vec<Point> = (2019..=2024)
            .map(|y| diff(y, -6.9 - 0.34 * f64::from(y - 2019), 5.5))
            .collect();
        let a = assess(&s, &g, None, series.last().copied(), None, &series);
        assert_eq!(a.status, Status::GeenSignificanteWijziging);
        match a.reason {
            Reason::PointsTrend {
                per_year,
                first_year,
                last_year,
                significant,
                ..
            } => {
                assert!((per_year - -0.34).abs() < 1e-9, "{per_year}");
                assert_eq!(
                    (first_year, last_year, significant),
                    (2019, 2024, Some(false))
                );
            }
            r => panic!("{r:?}"),
        }
        // From +5 to +15 points with intervals of ±2: rising, 2 points a year.
        let series = [diff(2019, 5.0, 2.0), diff(2024, 15.0, 2.0)];
        let a = assess(&s, &g, None, Some(series[1]), None, &series);
        assert_eq!(a.status, Status::Stijgend);
        // One year is no series.
        let a = assess(&s, &g, None, Some(series[1]), None, &series[1..]);
        assert_eq!(a.reason, Reason::ShortSeries);
    }

    #[test]
    fn a_series_from_zero_has_no_growth_rate_but_is_no_short_series() {
        let s = spec(
            IndicatorKind::Som,
            Direction::Neutraal,
            ProgressMethod::Lineair,
        );
        let series = [pt(2019, 0.0).unwrap(), pt(2024, 10.0).unwrap()];
        let a = assess(&s, &Goal::default(), None, pt(2024, 10.0), None, &series);
        assert_eq!(a.reason, Reason::NoGrowth);
    }
}
