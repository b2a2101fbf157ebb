//! The Kaplan–Meier chart of a release cohort as inline SVG (plotters): "nog niet opnieuw
//! opgesloten" (%) over the days after release, a step curve per group with its 95% band,
//! each group told apart without colour too (solid or dashed line, its name at the end of its
//! curve), and under the chart the number still followed per group, each row named.

use crate::cohort::{AT_RISK_DAYS, SurvivalCurve};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

const WIDTH: u32 = 600;
const HEIGHT: u32 = 300;
/// Height of the number-at-risk rows under the plot, per curve.
const ROW: u32 = 16;
/// Room left of the plot (value labels, row names) and right of it (curve names).
const LEFT: u32 = 104;
const RIGHT: u32 = 112;

/// A group's short name, at the end of its curve and before its row of numbers.
fn name(c: &SurvivalCurve) -> &'static str {
    if c.deelname_werk_onderwijs == "ja" {
        "deelname"
    } else {
        "geen deelname"
    }
}

fn colour(i: usize) -> RGBColor {
    [RGBColor(31, 78, 121), RGBColor(214, 110, 20)][i % 2]
}

/// The step points of `(t, y)` clipped at `x_max`: horizontal to the next time, then down.
fn steps(points: &[(i64, f64)], x_max: i64) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    for (k, &(t, y)) in points.iter().enumerate() {
        if t > x_max {
            break;
        }
        if let Some(&(_, prev)) = k.checked_sub(1).map(|j| &points[j]) {
            out.push((t as f64, prev));
        }
        out.push((t as f64, y));
    }
    // Extend to the curve's end (or the axis end) at the last level.
    if let (Some(&(_, y)), Some(&(last_t, _))) = (out.last(), points.last()) {
        let end = last_t.min(x_max) as f64;
        if out.last().is_some_and(|p| p.0 < end) {
            out.push((end, y));
        }
    }
    out
}

/// The chart of `curves` over `0..=x_max` days; `None` when there is nothing to draw.
pub(crate) fn survival_svg(curves: &[SurvivalCurve], x_max: i64) -> Option<String> {
    if curves.is_empty() || x_max <= 0 {
        return None;
    }
    let rows = curves.len() as u32;
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (WIDTH, HEIGHT + ROW * (rows + 1) + 4))
            .into_drawing_area();
        root.fill(&WHITE).ok()?;
        let (plot, table) = root.split_vertically(HEIGHT);
        let mut chart = ChartBuilder::on(&plot)
            .margin_top(8)
            .margin_left(8)
            .margin_right(RIGHT)
            .x_label_area_size(40)
            .y_label_area_size(LEFT - 8)
            .build_cartesian_2d(0.0..x_max as f64, 0.0..100.0)
            .ok()?;
        chart
            .configure_mesh()
            .x_labels(AT_RISK_DAYS.len())
            .x_label_formatter(&|x: &f64| format!("{}", x.round() as i64))
            .y_label_formatter(&|y: &f64| format!("{} %", y.round() as i64))
            .x_desc("dagen na de vrijlating")
            .y_desc("nog niet opnieuw opgesloten")
            .light_line_style(RGBColor(235, 235, 235))
            .label_style(("sans-serif", 12))
            .axis_desc_style(("sans-serif", 12))
            .draw()
            .ok()?;
        let mut ends: Vec<(usize, f64)> = Vec::new();
        for (i, c) in curves.iter().enumerate() {
            let col = colour(i);
            let level =
                |f: &dyn Fn(&crate::cohort::SurvivalPoint) -> Option<f64>| -> Vec<(i64, f64)> {
                    c.points
                        .iter()
                        .map_while(|p| f(p).map(|v| (p.t, 100.0 * v)))
                        .collect()
                };
            let high = steps(&level(&|p| p.high), x_max);
            let low = steps(&level(&|p| p.low), x_max);
            if high.len() >= 2 && low.len() >= 2 {
                let band: Vec<(f64, f64)> =
                    high.iter().copied().chain(low.into_iter().rev()).collect();
                chart
                    .draw_series(std::iter::once(Polygon::new(band, col.mix(0.15).filled())))
                    .ok()?;
            }
            let line = steps(&level(&|p| Some(p.survival)), x_max);
            // The first group solid, the second dashed: told apart in black and white.
            if i % 2 == 0 {
                chart
                    .draw_series(LineSeries::new(line.clone(), col.stroke_width(2)))
                    .ok()?;
            } else {
                chart
                    .draw_series(DashedLineSeries::new(
                        line.clone(),
                        7,
                        4,
                        col.stroke_width(2),
                    ))
                    .ok()?;
            }
            if let Some(&(x, y)) = line.last() {
                ends.push((i, y));
                let _ = x;
            }
        }
        // Each curve's name right of the plot, at the height where it ends (apart by at least
        // a line when the curves end close together).
        ends.sort_by(|a, b| b.1.total_cmp(&a.1));
        let mut last_y: Option<i32> = None;
        for (i, y) in ends {
            let (_, py) = chart.backend_coord(&(x_max as f64, y));
            let mut py = py - plot.get_base_pixel().1;
            if let Some(prev) = last_y {
                py = py.max(prev + 15);
            }
            last_y = Some(py);
            plot.draw(&Text::new(
                name(&curves[i]),
                ((WIDTH - RIGHT) as i32 + 6, py),
                ("sans-serif", 13)
                    .into_font()
                    .color(&colour(i))
                    .pos(Pos::new(HPos::Left, VPos::Center)),
            ))
            .ok()?;
        }
        draw_at_risk(&table, curves, x_max)?;
        root.present().ok()?;
    }
    Some(buf)
}

/// The number at risk under the chart: a heading, then one named row per curve, aligned
/// with the x axis.
fn draw_at_risk(
    table: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    curves: &[SurvivalCurve],
    x_max: i64,
) -> Option<()> {
    let (x0, x1) = (LEFT as i32, (WIDTH - RIGHT) as i32);
    let x_of = |t: i64| x0 + ((x1 - x0) as f64 * t as f64 / x_max as f64) as i32;
    table
        .draw(&Text::new(
            "aantal nog opgevolgd",
            (4, 2),
            ("sans-serif", 12)
                .into_font()
                .color(&RGBColor(68, 68, 68))
                .pos(Pos::new(HPos::Left, VPos::Top)),
        ))
        .ok()?;
    for (i, c) in curves.iter().enumerate() {
        let y = (ROW * (i as u32 + 1)) as i32 + 2;
        let style = ("sans-serif", 12)
            .into_font()
            .color(&colour(i))
            .pos(Pos::new(HPos::Center, VPos::Top));
        table
            .draw(&Text::new(
                name(c),
                (x0 - 16, y),
                ("sans-serif", 12)
                    .into_font()
                    .color(&colour(i))
                    .pos(Pos::new(HPos::Right, VPos::Top)),
            ))
            .ok()?;
        for a in c.at_risk.iter().filter(|a| a.t <= x_max) {
            table
                .draw(&Text::new(a.n.to_string(), (x_of(a.t), y), style.clone()))
                .ok()?;
        }
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cohort::{Followup, survival_curve};

    #[test]
    fn steps_go_across_then_down() {
        assert_eq!(
            steps(&[(0, 100.0), (10, 80.0), (20, 50.0), (30, 50.0)], 25),
            vec![
                (0.0, 100.0),
                (10.0, 100.0),
                (10.0, 80.0),
                (20.0, 80.0),
                (20.0, 50.0),
                (25.0, 50.0)
            ]
        );
    }

    #[test]
    fn draws_curves_band_and_numbers_at_risk() {
        let rows = |k: i64| -> Vec<Followup> {
            (1..=20)
                .map(|i| Followup {
                    t: i * k,
                    event: i % 3 != 0,
                })
                .collect()
        };
        let curves = [
            survival_curve("ja", &rows(40)),
            survival_curve("nee", &rows(25)),
        ];
        let svg = survival_svg(&curves, 730).unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("polygon") || svg.contains("path"), "a band");
        // Five numbers at risk per curve, 20 at day 0 for both.
        assert_eq!(svg.matches("\n20\n</text>").count(), 2, "{svg}");
        assert!(svg.contains("#1F4E79") || svg.contains("#1f4e79") || svg.contains("31,78,121"));
        // Told apart without colour: the second curve dashed, each named at its end and
        // before its row of numbers, under a heading.
        assert!(svg.contains("stroke-dasharray") || svg.matches("<polyline").count() > 4);
        assert_eq!(svg.matches("\ngeen deelname\n</text>").count(), 2, "{svg}");
        assert_eq!(svg.matches("\ndeelname\n</text>").count(), 2, "{svg}");
        assert!(svg.contains("aantal nog opgevolgd") && svg.contains("dagen na de vrijlating"));
        assert!(survival_svg(&[], 730).is_none());
    }
}
