//! Trend charts as inline SVG (plotters): the yearly values of an indicator's total and the
//! path from its baseline to its target. Only numbers and years go into the SVG; titles stay
//! in the surrounding HTML, where they are escaped.

use plotters::prelude::*;

/// One chart's data.
pub struct Series<'a> {
    /// (year, value) of the total, years with data only.
    pub values: &'a [(i32, f64)],
    /// (year, value) points of the target path: baseline, target(s).
    pub target_path: &'a [(i32, f64)],
    /// Years from which the definition changed: a vertical dashed line with a label.
    pub breaks: &'a [i32],
}

const WIDTH: u32 = 560;
const HEIGHT: u32 = 240;

/// The chart as an SVG string; `None` when there is nothing to draw.
pub fn trend_svg(s: &Series) -> Option<String> {
    if s.values.is_empty() {
        return None;
    }
    let years = s.values.iter().chain(s.target_path).map(|p| p.0);
    let (x0, x1) = (years.clone().min()?, years.max()?);
    let ys = s.values.iter().chain(s.target_path).map(|p| p.1);
    let (mut y0, mut y1) = (
        ys.clone().fold(f64::INFINITY, f64::min),
        ys.fold(f64::NEG_INFINITY, f64::max),
    );
    if y0 > 0.0 && y0 < (y1 - y0) * 2.0 {
        y0 = 0.0;
    }
    if (y1 - y0).abs() < 1e-9 {
        y1 = y0 + 1.0;
    }
    let pad = (y1 - y0) * 0.08;
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let mut chart = ChartBuilder::on(&root)
            .margin(8)
            .x_label_area_size(24)
            .y_label_area_size(56)
            .build_cartesian_2d(
                (x0 as f64 - 0.3)..(x1 as f64 + 0.3),
                (y0 - if y0 == 0.0 { 0.0 } else { pad })..(y1 + pad),
            )
            .ok()?;
        chart
            .configure_mesh()
            .x_labels((x1 - x0 + 1) as usize)
            .x_label_formatter(&|x| format!("{}", x.round() as i64))
            .y_label_formatter(&|y| super::nl_number(*y, 1))
            .light_line_style(RGBColor(235, 235, 235))
            .label_style(("sans-serif", 12))
            .draw()
            .ok()?;
        let blue = RGBColor(31, 78, 121);
        chart
            .draw_series(LineSeries::new(
                s.values.iter().map(|&(x, y)| (x as f64, y)),
                blue.stroke_width(2),
            ))
            .ok()?;
        chart
            .draw_series(
                s.values
                    .iter()
                    .map(|&(x, y)| Circle::new((x as f64, y), 3, blue.filled())),
            )
            .ok()?;
        if s.target_path.len() >= 2 {
            let orange = RGBColor(214, 110, 20);
            for w in s.target_path.windows(2) {
                // A dashed line: short segments along the path.
                let (a, b) = (w[0], w[1]);
                let steps = 24;
                for i in (0..steps).step_by(2) {
                    let t0 = i as f64 / steps as f64;
                    let t1 = (i + 1) as f64 / steps as f64;
                    let p = |t: f64| (a.0 as f64 + (b.0 - a.0) as f64 * t, a.1 + (b.1 - a.1) * t);
                    chart
                        .draw_series(LineSeries::new([p(t0), p(t1)], orange.stroke_width(2)))
                        .ok()?;
                }
            }
            chart
                .draw_series(
                    s.target_path
                        .iter()
                        .skip(1)
                        .map(|&(x, y)| TriangleMarker::new((x as f64, y), 5, orange.filled())),
                )
                .ok()?;
        }
        let grey = RGBColor(90, 90, 90);
        let (ylo, yhi) = (y0 - if y0 == 0.0 { 0.0 } else { pad }, y1 + pad);
        for &b in s.breaks {
            // Between the last year of the old definition and the first of the new one.
            let x = b as f64 - 0.5;
            let steps = 20;
            for i in (0..steps).step_by(2) {
                let t = |k: usize| ylo + (yhi - ylo) * k as f64 / steps as f64;
                chart
                    .draw_series(LineSeries::new(
                        [(x, t(i)), (x, t(i + 1))],
                        grey.stroke_width(1),
                    ))
                    .ok()?;
            }
            chart
                .draw_series(std::iter::once(Text::new(
                    format!("breuk {b}"),
                    (x, yhi),
                    ("sans-serif", 11).into_font().color(&grey),
                )))
                .ok()?;
        }
        root.present().ok()?;
    }
    Some(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_break_is_a_labelled_line() {
        let s = |breaks| {
            trend_svg(&Series {
                values: &[(2019, 10.0), (2020, 12.5), (2021, 11.0)],
                target_path: &[],
                breaks,
            })
            .unwrap()
        };
        assert!(s(&[2021]).contains("breuk 2021"));
        assert!(!s(&[]).contains("breuk"));
    }

    #[test]
    fn draws_values_and_target_path() {
        let svg = trend_svg(&Series {
            values: &[(2019, 10.0), (2020, 12.5), (2021, 11.0)],
            target_path: &[(2019, 10.0), (2025, 20.0)],
            breaks: &[],
        })
        .unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("2021"));
        assert!(svg.contains("polyline") || svg.contains("path"));
        assert!(
            trend_svg(&Series {
                values: &[],
                target_path: &[],
                breaks: &[],
            })
            .is_none()
        );
    }
}
