//! Stage 4: assess each figure against its baseline and target.
//!
//! Methods (per indicator, `methode` in its YAML):
//! - `lineair` (default): the expected value in year Y lies on the straight line from the
//!   baseline to the target; ratio = actual change / expected change.
//! - `cagr` (Eurostat, Open SDG): the compound annual growth rate achieved,
//!   `(v/v0)^(1/(Y-t0)) - 1`, against the rate required, `(v1/v0)^(1/(t1-t0)) - 1`.
//!
//! Status: `bereikt` (target met), else by ratio: `op koers` (≥ 0.95), `matige vooruitgang`
//! (≥ 0.6), `beperkte vooruitgang` (≥ 0), `achteruitgang` (< 0). For rates, a change from the
//! baseline that a two-proportion z-test does not find significant at 95% is
//! `geen significante wijziging`; a denominator under the minimum gives
//! `onvoldoende gegevens`. "Lower is better" is symmetric: changes count in its direction.

use crate::model::{Direction, Indicator, ProgressMethod};
use serde::Serialize;

/// Ratio thresholds, stated in the report.
pub const ON_TRACK: f64 = 0.95;
pub const MODERATE: f64 = 0.6;
/// Default minimum denominator of a rate for a status.
pub const DEFAULT_MIN_DENOMINATOR: f64 = 30.0;
/// Below this yearly growth (in absolute value) a trend is "stabiel".
pub const STABLE_GROWTH: f64 = 0.01;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Status {
    Bereikt,
    OpKoers,
    MatigeVooruitgang,
    BeperkteVooruitgang,
    Achteruitgang,
    GeenSignificanteWijziging,
    OnvoldoendeGegevens,
    /// No target: a trend in the better direction.
    Verbetering,
    /// No target: a trend in the worse direction.
    Verslechtering,
    /// No target: a trend within ±1% a year, or a neutral indicator's trend.
    Stabiel,
    Stijgend,
    Dalend,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Bereikt => "bereikt",
            Status::OpKoers => "op koers",
            Status::MatigeVooruitgang => "matige vooruitgang",
            Status::BeperkteVooruitgang => "beperkte vooruitgang",
            Status::Achteruitgang => "achteruitgang",
            Status::GeenSignificanteWijziging => "geen significante wijziging",
            Status::OnvoldoendeGegevens => "onvoldoende gegevens",
            Status::Verbetering => "verbetering (geen doel)",
            Status::Verslechtering => "verslechtering (geen doel)",
            Status::Stabiel => "stabiel (geen doel)",
            Status::Stijgend => "stijgend",
            Status::Dalend => "dalend",
        }
    }

    /// A css class / traffic light: `goed`, `matig`, `slecht`, `neutraal`.
    pub fn tone(self) -> &'static str {
        match self {
            Status::Bereikt | Status::OpKoers | Status::Verbetering => "goed",
            Status::MatigeVooruitgang | Status::BeperkteVooruitgang => "matig",
            Status::Achteruitgang | Status::Verslechtering => "slecht",
            _ => "neutraal",
        }
    }

    /// Needs the commission's attention.
    pub fn needs_attention(self) -> bool {
        matches!(
            self,
            Status::Achteruitgang | Status::BeperkteVooruitgang | Status::Verslechtering
        )
    }
}

/// One year's figure of an indicator's total.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub year: i32,
    pub value: f64,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
}

/// The assessment of one figure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    pub status: Status,
    /// The target used (year, value), if any.
    pub target: Option<(i32, f64)>,
    /// The expected value this year on the path to the target.
    pub expected: Option<f64>,
    /// Achieved change relative to the expected change (method-dependent).
    pub ratio: Option<f64>,
    /// 95% Wilson interval of a rate, in percent.
    pub interval: Option<(f64, f64)>,
    /// A one-line Dutch explanation.
    pub explanation: String,
}

/// 95% Wilson score interval for `k` successes of `n`, in percent.
pub fn wilson(k: f64, n: f64) -> Option<(f64, f64)> {
    if n <= 0.0 {
        return None;
    }
    let z = 1.959_963_984_540_054_f64;
    let p = k / n;
    let denom = 1.0 + z * z / n;
    let centre = (p + z * z / (2.0 * n)) / denom;
    let half = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt() / denom;
    Some((
        100.0 * (centre - half).max(0.0),
        100.0 * (centre + half).min(1.0),
    ))
}

/// Two-proportion z-test at 95%: is `k1/n1` different from `k0/n0`?
pub fn significant_change(k0: f64, n0: f64, k1: f64, n1: f64) -> bool {
    if n0 <= 0.0 || n1 <= 0.0 {
        return false;
    }
    let p = (k0 + k1) / (n0 + n1);
    let se = (p * (1.0 - p) * (1.0 / n0 + 1.0 / n1)).sqrt();
    if se == 0.0 {
        return k0 / n0 != k1 / n1;
    }
    ((k1 / n1 - k0 / n0) / se).abs() >= 1.959_963_984_540_054
}

/// Status from a ratio of achieved to expected progress.
pub fn status_from_ratio(ratio: f64) -> Status {
    if ratio >= ON_TRACK {
        Status::OpKoers
    } else if ratio >= MODERATE {
        Status::MatigeVooruitgang
    } else if ratio >= 0.0 {
        Status::BeperkteVooruitgang
    } else {
        Status::Achteruitgang
    }
}

fn met(direction: Direction, value: f64, target: f64) -> bool {
    match direction {
        Direction::LagerIsBeter => value <= target,
        _ => value >= target,
    }
}

/// Assesses `current` against the indicator's baseline and overall target (or the target
/// for `prison`), with `series` (all years with data, the total) for the trend without target.
pub fn assess(
    ind: &Indicator,
    prison: Option<&str>,
    current: Option<Point>,
    baseline_point: Option<Point>,
    series: &[Point],
) -> Assessment {
    let mut a = Assessment {
        status: Status::OnvoldoendeGegevens,
        target: None,
        expected: None,
        ratio: None,
        interval: None,
        explanation: String::new(),
    };
    let Some(cur) = current else {
        a.explanation = "geen waarde voor dit jaar".into();
        return a;
    };
    if ind.has_fraction()
        && let (Some(k), Some(n)) = (cur.numerator, cur.denominator)
        && ind.soort == crate::model::IndicatorKind::Aandeel
    {
        a.interval = wilson(k, n);
    }
    let min_den = ind.minimum_noemer.unwrap_or(DEFAULT_MIN_DENOMINATOR);
    if ind.soort == crate::model::IndicatorKind::Aandeel
        && cur.denominator.is_some_and(|n| n < min_den)
    {
        a.explanation = format!("noemer kleiner dan {min_den}");
        return a;
    }
    // The target for this year or the first one after it; the baseline from the YAML.
    let target = ind
        .doelen
        .iter()
        .filter(|t| t.gevangenis.as_deref() == prison)
        .filter(|t| t.jaar >= cur.year)
        .min_by_key(|t| t.jaar)
        .or_else(|| {
            ind.doelen
                .iter()
                .filter(|t| t.gevangenis.as_deref() == prison)
                .max_by_key(|t| t.jaar)
        });
    let (Some(target), Some(base)) = (target, ind.basislijn.as_ref()) else {
        return trend(ind, a, series);
    };
    a.target = Some((target.jaar, target.waarde));
    if met(ind.richting, cur.value, target.waarde) && cur.year <= target.jaar {
        a.status = Status::Bereikt;
        a.explanation = "doel bereikt".into();
        return a;
    }
    if cur.year <= base.jaar || target.jaar <= base.jaar {
        a.explanation = "nog geen jaar na de basislijn".into();
        return a;
    }
    let elapsed = f64::from(cur.year.min(target.jaar) - base.jaar);
    let span = f64::from(target.jaar - base.jaar);
    let ratio = match ind.methode {
        ProgressMethod::Lineair => {
            let expected = base.waarde + (target.waarde - base.waarde) * elapsed / span;
            a.expected = Some(expected);
            let needed = expected - base.waarde;
            if needed == 0.0 {
                None
            } else {
                Some((cur.value - base.waarde) / needed)
            }
        }
        ProgressMethod::Cagr => {
            if base.waarde <= 0.0 || cur.value <= 0.0 || target.waarde <= 0.0 {
                None
            } else {
                let achieved = (cur.value / base.waarde).powf(1.0 / elapsed) - 1.0;
                let required = (target.waarde / base.waarde).powf(1.0 / span) - 1.0;
                a.expected = Some(base.waarde * (1.0 + required).powf(elapsed));
                if required == 0.0 {
                    None
                } else {
                    Some(achieved / required)
                }
            }
        }
    };
    let Some(ratio) = ratio else {
        a.explanation = "de voortgang kan met deze methode niet berekend worden".into();
        return a;
    };
    a.ratio = Some(ratio);
    a.status = status_from_ratio(ratio);
    a.explanation = format!("{:.0}% van de verwachte vooruitgang", 100.0 * ratio);
    if let (Some(b), Some(k1), Some(n1)) = (baseline_point, cur.numerator, cur.denominator)
        && ind.soort == crate::model::IndicatorKind::Aandeel
        && let (Some(k0), Some(n0)) = (b.numerator, b.denominator)
        && !significant_change(k0, n0, k1, n1)
    {
        a.status = Status::GeenSignificanteWijziging;
        a.explanation = format!("verschil met {} valt binnen de toevalsmarge (95%)", b.year);
    }
    a
}

/// Without a target: a trend from the yearly growth rate over the series.
fn trend(ind: &Indicator, mut a: Assessment, series: &[Point]) -> Assessment {
    let (Some(first), Some(last)) = (series.first(), series.last()) else {
        a.explanation = "geen reeks".into();
        return a;
    };
    if last.year <= first.year || first.value <= 0.0 || last.value <= 0.0 {
        a.explanation = "te korte reeks voor een trend".into();
        return a;
    }
    let growth = (last.value / first.value).powf(1.0 / f64::from(last.year - first.year)) - 1.0;
    a.ratio = None;
    a.status = if growth.abs() < STABLE_GROWTH {
        Status::Stabiel
    } else {
        match ind.richting {
            Direction::Neutraal if growth > 0.0 => Status::Stijgend,
            Direction::Neutraal => Status::Dalend,
            Direction::HogerIsBeter if growth > 0.0 => Status::Verbetering,
            Direction::LagerIsBeter if growth < 0.0 => Status::Verbetering,
            _ => Status::Verslechtering,
        }
    };
    a.explanation = format!(
        "gemiddeld {}% per jaar tussen {} en {}",
        format!("{:+.1}", 100.0 * growth).replace('.', ","),
        first.year,
        last.year
    );
    a
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Baseline, IndicatorKind, Target};

    fn ind(kind: IndicatorKind, dir: Direction, method: ProgressMethod) -> Indicator {
        Indicator {
            id: "x".into(),
            titel: "x".into(),
            beschrijving: String::new(),
            eenheid: "%".into(),
            soort: kind,
            richting: dir,
            teller: None,
            noemer: None,
            bronnen: vec![],
            uitsplitsingen: vec![],
            doelstellingen: vec![],
            acties: vec![],
            interpretatie: None,
            sql: String::new(),
            berekening: None,
            basislijn: Some(Baseline {
                jaar: 2020,
                waarde: 10.0,
            }),
            doelen: vec![Target {
                jaar: 2025,
                waarde: 20.0,
                gevangenis: None,
            }],
            methode: method,
            minimum_noemer: None,
            file: String::new(),
            sql_line: 0,
        }
    }

    fn pt(year: i32, value: f64) -> Option<Point> {
        Some(Point {
            year,
            value,
            numerator: None,
            denominator: None,
        })
    }

    fn count() -> Indicator {
        ind(
            IndicatorKind::Aantal,
            Direction::HogerIsBeter,
            ProgressMethod::Lineair,
        )
    }

    #[test]
    fn linear_thresholds_at_their_boundaries() {
        // Baseline 10 (2020), target 20 (2025): in 2022 the expected value is 14, so the
        // expected change is 4 and a value of 10 + 4r has ratio r.
        let i = count();
        let at = |v: f64| assess(&i, None, pt(2022, v), None, &[]);
        assert_eq!(at(14.0).status, Status::OpKoers); // r = 1
        assert_eq!(at(13.8).status, Status::OpKoers); // r = 0.95 exactly
        assert_eq!(at(13.79).status, Status::MatigeVooruitgang); // r = 0.9475
        assert_eq!(at(12.4).status, Status::MatigeVooruitgang); // r = 0.6
        assert_eq!(at(12.39).status, Status::BeperkteVooruitgang); // r = 0.5975
        assert_eq!(at(10.0).status, Status::BeperkteVooruitgang); // r = 0
        assert_eq!(at(9.99).status, Status::Achteruitgang); // r < 0
        assert_eq!(at(20.0).status, Status::Bereikt);
        assert_eq!(at(14.0).expected, Some(14.0));
        assert!((at(13.8).ratio.unwrap() - 0.95).abs() < 1e-12);
    }

    #[test]
    fn lower_is_better_is_symmetric() {
        // Baseline 60, target 40: in 2022 expected 52 (change -8). 56 is half way: r = 0.5.
        let mut i = ind(
            IndicatorKind::Aantal,
            Direction::LagerIsBeter,
            ProgressMethod::Lineair,
        );
        i.basislijn = Some(Baseline {
            jaar: 2020,
            waarde: 60.0,
        });
        i.doelen[0].waarde = 40.0;
        let at = |v: f64| assess(&i, None, pt(2022, v), None, &[]);
        assert_eq!(at(52.0).status, Status::OpKoers);
        assert_eq!(at(56.0).status, Status::BeperkteVooruitgang);
        assert_eq!(at(54.0).status, Status::MatigeVooruitgang); // r = 0.75
        assert_eq!(at(61.0).status, Status::Achteruitgang);
        assert_eq!(at(40.0).status, Status::Bereikt);
        assert_eq!(at(39.0).status, Status::Bereikt);
    }

    #[test]
    fn cagr_compares_growth_rates() {
        // Baseline 10 (2020), target 20 (2025): required growth 2^(1/5)-1 = 14.87%/year.
        // A value of 10 * 1.1487^2 = 13.195 in 2022 is exactly on course.
        let i = ind(
            IndicatorKind::Aantal,
            Direction::HogerIsBeter,
            ProgressMethod::Cagr,
        );
        let on = 10.0 * 2f64.powf(2.0 / 5.0);
        let a = assess(&i, None, pt(2022, on), None, &[]);
        assert!((a.ratio.unwrap() - 1.0).abs() < 1e-9);
        assert_eq!(a.status, Status::OpKoers);
        // Half the required yearly growth: (1 + r/2)^2.
        let half = 10.0 * (1.0 + (2f64.powf(0.2) - 1.0) / 2.0).powi(2);
        let a = assess(&i, None, pt(2022, half), None, &[]);
        assert!((a.ratio.unwrap() - 0.5).abs() < 1e-9);
        assert_eq!(a.status, Status::BeperkteVooruitgang);
    }

    #[test]
    fn rates_within_noise_are_not_called_progress() {
        let i = ind(
            IndicatorKind::Aandeel,
            Direction::HogerIsBeter,
            ProgressMethod::Lineair,
        );
        let base = Point {
            year: 2020,
            value: 10.0,
            numerator: Some(10.0),
            denominator: Some(100.0),
        };
        // 14% of 100 vs 10% of 100: z = 0.87, not significant.
        let cur = Point {
            year: 2022,
            value: 14.0,
            numerator: Some(14.0),
            denominator: Some(100.0),
        };
        assert_eq!(
            assess(&i, None, Some(cur), Some(base), &[]).status,
            Status::GeenSignificanteWijziging
        );
        // 14% of 10000 vs 10% of 10000: significant, on course.
        let base = Point {
            numerator: Some(1000.0),
            denominator: Some(10000.0),
            ..base
        };
        let cur = Point {
            numerator: Some(1400.0),
            denominator: Some(10000.0),
            ..cur
        };
        assert_eq!(
            assess(&i, None, Some(cur), Some(base), &[]).status,
            Status::OpKoers
        );
        // Below the minimum denominator: insufficient data.
        let small = Point {
            numerator: Some(2.0),
            denominator: Some(29.0),
            ..cur
        };
        assert_eq!(
            assess(&i, None, Some(small), None, &[]).status,
            Status::OnvoldoendeGegevens
        );
    }

    #[test]
    fn wilson_interval_matches_a_worked_example() {
        // 250 of 600: p = 0.4167; Wilson 95% interval (0.3778, 0.4566).
        let (lo, hi) = wilson(250.0, 600.0).unwrap();
        assert!((lo - 37.78).abs() < 0.01, "{lo}");
        assert!((hi - 45.66).abs() < 0.01, "{hi}");
        assert_eq!(wilson(0.0, 0.0), None);
    }

    #[test]
    fn trend_without_target() {
        let mut i = count();
        i.doelen.clear();
        let s = [pt(2020, 100.0).unwrap(), pt(2022, 121.0).unwrap()];
        let a = assess(&i, None, pt(2022, 121.0), None, &s);
        assert_eq!(a.status, Status::Verbetering); // +10% a year
        i.richting = Direction::LagerIsBeter;
        assert_eq!(
            assess(&i, None, pt(2022, 121.0), None, &s).status,
            Status::Verslechtering
        );
        i.richting = Direction::Neutraal;
        assert_eq!(
            assess(&i, None, pt(2022, 121.0), None, &s).status,
            Status::Stijgend
        );
        let flat = [pt(2020, 100.0).unwrap(), pt(2022, 101.0).unwrap()];
        assert_eq!(
            assess(&i, None, pt(2022, 101.0), None, &flat).status,
            Status::Stabiel
        );
    }
}
