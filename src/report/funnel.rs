//! Funnel plots for comparing prisons (Spiegelhalter, "Funnel plots for comparing
//! institutional performance", Statistics in Medicine 2005): each prison's rate against its
//! denominator, with 95 % and 99.8 % control limits around the rate of all compared prisons
//! together. A prison is flagged only outside the 99.8 % limits; a small prison has wide
//! limits and is not flagged for noise. Counts are never compared this way, and nothing is
//! ranked.
//!
//! The centre line is the pooled rate of the compared prisons (the sum of their numerators
//! over the sum of their denominators), not the Flemish total: a person who stayed in several
//! prisons counts in each prison's denominator but once in the Flemish one, so the Flemish
//! rate is not on the same footing as a prison's (see the equal-access note). The limits use
//! the normal approximation to the binomial, `p ± z·sqrt(p(1-p)/n)`, clipped to 0-100 %.

use crate::assess::Z95;
use serde::Serialize;

/// The 99.8 % two-sided normal quantile (about 3 standard errors).
pub(crate) const Z998: f64 = 3.090_232_306_167_813;

/// Control limits of a rate for a prison with denominator `n` around the centre rate `p`
/// (percent). Returns (low, high) in percent, clipped to 0-100.
pub(crate) fn limits(p: f64, n: f64, z: f64) -> Option<(f64, f64)> {
    if n <= 0.0 || !(0.0..=100.0).contains(&p) {
        return None;
    }
    let q = p / 100.0;
    let half = z * (q * (1.0 - q) / n).sqrt();
    Some((100.0 * (q - half).max(0.0), 100.0 * (q + half).min(1.0)))
}

/// Where a prison's rate lies against the limits for its denominator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Position {
    /// Within the 95 % limits.
    Inside,
    /// Between the 95 % and 99.8 % limits: can be chance, worth watching, not flagged.
    Watch,
    /// Above the 99.8 % limits: higher than chance explains.
    Above,
    /// Below the 99.8 % limits: lower than chance explains.
    Below,
}

impl Position {
    pub(crate) fn flagged(self) -> bool {
        matches!(self, Position::Above | Position::Below)
    }
}

/// One prison in the funnel.
#[derive(Debug, Clone, Serialize)]
pub struct FunnelPoint {
    pub code: String,
    pub prison: String,
    pub numerator: f64,
    pub denominator: f64,
    /// The published rate (percent).
    pub rate: f64,
    pub limits95: (f64, f64),
    pub limits998: (f64, f64),
    pub position: Position,
}

/// The limits at one denominator, for drawing the funnel's curves.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct LimitPoint {
    pub n: f64,
    pub low95: f64,
    pub high95: f64,
    pub low998: f64,
    pub high998: f64,
}

/// One rate compared across prisons in one year.
#[derive(Debug, Clone, Serialize)]
pub struct Funnel {
    pub indicator: String,
    pub title: String,
    pub year: i32,
    /// The pooled rate of the compared prisons (percent): the centre line.
    pub centre: f64,
    /// Sum of the compared prisons' numerators and denominators.
    pub pooled: (f64, f64),
    /// Prisons in name order.
    pub points: Vec<FunnelPoint>,
    /// The curves, from the smallest to somewhat beyond the largest denominator.
    pub curve: Vec<LimitPoint>,
    /// Whether a plot shows anything: the denominators differ. When every prison has the
    /// same denominator (a figure of the plan, the same actions for each prison) the funnel
    /// is one vertical line of points; the positions stand, the plot is left out.
    pub plot: bool,
}

/// A prison's published cell of a rate: numerator, denominator and the shown rate.
pub(crate) struct Cell {
    pub code: String,
    pub prison: String,
    pub numerator: f64,
    pub denominator: f64,
    pub rate: f64,
}

/// Builds the funnel of `cells` (published cells of open prisons only); `None` when there is
/// nothing to compare.
pub(crate) fn build(
    indicator: &str,
    title: &str,
    year: i32,
    mut cells: Vec<Cell>,
) -> Option<Funnel> {
    cells.retain(|c| c.denominator > 0.0);
    if cells.is_empty() {
        return None;
    }
    cells.sort_by(|a, b| a.prison.cmp(&b.prison));
    let k: f64 = cells.iter().map(|c| c.numerator).sum();
    let n: f64 = cells.iter().map(|c| c.denominator).sum();
    let centre = 100.0 * k / n;
    let points = cells
        .into_iter()
        .map(|c| {
            let l95 = limits(centre, c.denominator, Z95).expect("n > 0");
            let l998 = limits(centre, c.denominator, Z998).expect("n > 0");
            let position = if c.rate > l998.1 {
                Position::Above
            } else if c.rate < l998.0 {
                Position::Below
            } else if c.rate > l95.1 || c.rate < l95.0 {
                Position::Watch
            } else {
                Position::Inside
            };
            FunnelPoint {
                code: c.code,
                prison: c.prison,
                numerator: c.numerator,
                denominator: c.denominator,
                rate: c.rate,
                limits95: l95,
                limits998: l998,
                position,
            }
        })
        .collect::<Vec<_>>();
    let plot = points
        .iter()
        .any(|p| p.denominator != points[0].denominator);
    let max_n = points.iter().map(|p| p.denominator).fold(0.0, f64::max) * 1.1;
    let min_n = (points
        .iter()
        .map(|p| p.denominator)
        .fold(f64::MAX, f64::min)
        * 0.5)
        .max(1.0);
    // Geometric steps: the curves bend most at small denominators.
    let steps = 60;
    let curve = (0..=steps)
        .map(|i| {
            let n = min_n * (max_n / min_n).powf(i as f64 / steps as f64);
            let (low95, high95) = limits(centre, n, Z95).expect("n > 0");
            let (low998, high998) = limits(centre, n, Z998).expect("n > 0");
            LimitPoint {
                n,
                low95,
                high95,
                low998,
                high998,
            }
        })
        .collect();
    Some(Funnel {
        indicator: indicator.into(),
        title: title.into(),
        year,
        centre,
        pooled: (k, n),
        points,
        curve,
        plot,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_match_a_worked_example() {
        // Centre 50 %, a prison of 100: se = sqrt(.25/100) = 5 pt; 95 % limits
        // 50 ± 1.96 * 5 = 40.2 .. 59.8; 99.8 % limits 50 ± 3.09 * 5 = 34.55 .. 65.45.
        let (lo, hi) = limits(50.0, 100.0, Z95).unwrap();
        assert!(
            (lo - 40.2).abs() < 0.01 && (hi - 59.8).abs() < 0.01,
            "{lo} {hi}"
        );
        let (lo, hi) = limits(50.0, 100.0, Z998).unwrap();
        assert!(
            (lo - 34.549).abs() < 0.01 && (hi - 65.451).abs() < 0.01,
            "{lo} {hi}"
        );
        // A small prison has wide limits: 10 persons, se = 15.8 pt, 50 ± 48.9 = 1.1 .. 98.9.
        let (lo, hi) = limits(50.0, 10.0, Z998).unwrap();
        assert!(lo < 2.0 && hi > 98.0, "{lo} {hi}");
        assert_eq!(limits(50.0, 0.0, Z998), None);
        // Clipped at 0 %: centre 2 %, n = 20: se = sqrt(.02*.98/20) = 3.13 pt, 2 - 9.7 < 0.
        assert_eq!(limits(2.0, 20.0, Z998).unwrap().0, 0.0);
    }

    fn cell(code: &str, k: f64, n: f64) -> Cell {
        Cell {
            code: code.into(),
            prison: code.to_uppercase(),
            numerator: k,
            denominator: n,
            rate: 100.0 * k / n,
        }
    }

    #[test]
    fn flags_only_outside_the_wide_limits_around_the_pooled_rate() {
        // Pooled: (400 + 70 + 125 + 6) / (1000 + 100 + 400 + 10) = 601 / 1510 = 39.80 %.
        // a: 40 % of 1000, se = sqrt(.398*.602/1000) = 1.55 pt, 95 % limits 36.8 .. 42.8:
        //    inside.
        // b: 70 % of 100, se = 4.90 pt, 99.8 % high = 39.80 + 15.13 = 54.9: above.
        // c: 31.25 % of 400, se = 2.45 pt, 99.8 % low = 39.80 - 7.56 = 32.2: below.
        // d: 60 % of 10, se = 15.5 pt, 95 % high = 70.1: inside (a small prison).
        let f = build(
            "x",
            "X",
            2024,
            vec![
                cell("b", 70.0, 100.0),
                cell("a", 400.0, 1000.0),
                cell("c", 125.0, 400.0),
                cell("d", 6.0, 10.0),
            ],
        )
        .unwrap();
        assert!((f.centre - 39.8013).abs() < 0.001, "{}", f.centre);
        assert_eq!(f.pooled, (601.0, 1510.0));
        assert!(f.plot);
        let pos: Vec<_> = f
            .points
            .iter()
            .map(|p| (p.code.as_str(), p.position))
            .collect();
        assert_eq!(
            pos,
            [
                ("a", Position::Inside),
                ("b", Position::Above),
                ("c", Position::Below),
                ("d", Position::Inside)
            ]
        );
        // The curves cover every denominator and narrow as n grows.
        assert!(f.curve.first().unwrap().n <= 10.0 && f.curve.last().unwrap().n >= 1000.0);
        let w = |l: &LimitPoint| l.high998 - l.low998;
        assert!(w(f.curve.first().unwrap()) > w(f.curve.last().unwrap()));
        assert!(build("x", "X", 2024, vec![]).is_none());
    }

    #[test]
    fn between_the_limits_is_watch_not_flagged() {
        // Two prisons of 100: 50 % and 30 %. Pooled 40 %, se = sqrt(.4*.6/100) = 4.90 pt:
        // 95 % limits 30.4 .. 49.6, 99.8 % limits 24.9 .. 55.1: both between the two.
        let f = build(
            "x",
            "X",
            2024,
            vec![cell("a", 50.0, 100.0), cell("b", 30.0, 100.0)],
        )
        .unwrap();
        assert_eq!(f.points[1].position, Position::Watch);
        assert!(!Position::Watch.flagged());
        assert_eq!(f.points[0].position, Position::Watch);
        // Both of 100: the positions stand, a plot would be one vertical line.
        assert!(!f.plot);
    }
}
