//! Charts as inline SVG (plotters): the trend of an indicator over the years and the funnel
//! plot of a rate across prisons. Every chart carries its title, the unit on the axis and a
//! legend; colours are the Okabe-Ito palette (colour-blind safe) and every colour has a
//! second cue (solid or dashed line, circle or triangle marker). Counts and rates start at
//! zero. Text is escaped by plotters' SVG backend. The surrounding HTML gives the chart an
//! accessible name and the data table next to it.

use super::nl_number;
use crate::report::funnel::{Funnel, Position};
use plotters::prelude::*;

const WIDTH: u32 = 640;
const HEIGHT: u32 = 300;
/// Okabe-Ito blue: the measured values.
const BLUE: RGBColor = RGBColor(0, 114, 178);
/// Okabe-Ito vermillion: the target path and what lies above the limits.
const VERMILLION: RGBColor = RGBColor(213, 94, 0);
/// Okabe-Ito bluish green: what lies below the limits.
const GREEN: RGBColor = RGBColor(0, 158, 115);
const GREY: RGBColor = RGBColor(90, 90, 90);
const FONT: &str = "sans-serif";

/// One trend chart's data, every number already as published.
pub struct Trend<'a> {
    pub title: &'a str,
    /// The unit on the value axis, as a reader reads it (`%`, `personen`, `euro`, ...).
    pub unit: &'a str,
    /// (year, value) of the total, years with a published value only.
    pub values: &'a [(i32, f64)],
    /// (year, low, high): the 95 % interval, for rates over persons or events.
    pub band: &'a [(i32, f64, f64)],
    /// (year, value) points of the target path: baseline, target(s).
    pub target_path: &'a [(i32, f64)],
    /// Years from which the definition changed: a break in the series.
    pub breaks: &'a [i32],
    /// Percentages: the axis ends at 100 at most.
    pub percent: bool,
}

/// Labels of the legend and axes (Dutch, for the reader).
const L_VALUE: &str = "waarde";
const L_BAND: &str = "95%-interval";
const L_PATH: &str = "pad naar het doel";
const L_BREAK: &str = "breuk in de reeks";

/// The y range: always including zero, a little beyond the extreme values, at most 100 for
/// a percentage. Negative values (differences in percentage points) extend it below zero.
fn value_range(min: f64, max: f64, percent: bool) -> std::ops::Range<f64> {
    let (lo, hi) = (min.min(0.0), max.max(0.0));
    if hi - lo <= 0.0 {
        return 0.0..1.0;
    }
    let pad = (hi - lo) * 0.12;
    let lo = if lo < 0.0 { lo - pad } else { 0.0 };
    let hi = if hi > 0.0 { hi + pad } else { 0.0 };
    lo..if percent { hi.min(100.0) } else { hi }
}

fn decimals_for(range: &std::ops::Range<f64>) -> usize {
    if range.end - range.start >= 20.0 {
        0
    } else {
        1
    }
}

/// The trend chart as an SVG string; `None` when there is nothing to draw.
pub fn trend_svg(s: &Trend) -> Option<String> {
    if s.values.is_empty() {
        return None;
    }
    let years = s.values.iter().chain(s.target_path).map(|p| p.0);
    let (x0, x1) = (years.clone().min()?, years.max()?);
    let all = || {
        s.values
            .iter()
            .map(|p| p.1)
            .chain(s.target_path.iter().map(|p| p.1))
            .chain(s.band.iter().flat_map(|b| [b.1, b.2]))
    };
    let yr = value_range(
        all().fold(0.0, f64::min),
        all().fold(0.0, f64::max),
        s.percent,
    );
    let dec = decimals_for(&yr);
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let mut chart = ChartBuilder::on(&root)
            .caption(s.title, (FONT, 19))
            .margin(10)
            .x_label_area_size(28)
            .y_label_area_size(64)
            .build_cartesian_2d((x0 as f64 - 0.4)..(x1 as f64 + 0.4), yr.clone())
            .ok()?;
        chart
            .configure_mesh()
            .x_labels((x1 - x0 + 1) as usize)
            .x_label_formatter(&|x| format!("{}", x.round() as i64))
            .y_label_formatter(&|y| nl_number(*y, dec))
            .y_desc(s.unit)
            .light_line_style(RGBColor(246, 246, 246))
            .label_style((FONT, 15))
            .axis_desc_style((FONT, 15))
            .draw()
            .ok()?;
        if !s.band.is_empty() {
            let mut poly: Vec<(f64, f64)> = s.band.iter().map(|b| (b.0 as f64, b.2)).collect();
            poly.extend(s.band.iter().rev().map(|b| (b.0 as f64, b.1)));
            let fill = BLUE.mix(0.18);
            chart
                .draw_series(std::iter::once(Polygon::new(poly, fill.filled())))
                .ok()?
                .label(L_BAND)
                .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 18, y + 5)], fill.filled()));
        }
        chart
            .draw_series(LineSeries::new(
                s.values.iter().map(|&(x, y)| (x as f64, y)),
                BLUE.stroke_width(2),
            ))
            .ok()?
            .label(L_VALUE)
            .legend(|(x, y)| {
                EmptyElement::at((x, y))
                    + PathElement::new([(0, 0), (18, 0)], BLUE.stroke_width(2))
                    + Circle::new((9, 0), 3, BLUE.filled())
            });
        chart
            .draw_series(
                s.values
                    .iter()
                    .map(|&(x, y)| Circle::new((x as f64, y), 4, BLUE.filled())),
            )
            .ok()?;
        if s.target_path.len() >= 2 {
            chart
                .draw_series(DashedLineSeries::new(
                    s.target_path.iter().map(|&(x, y)| (x as f64, y)),
                    8,
                    5,
                    VERMILLION.stroke_width(2),
                ))
                .ok()?
                .label(L_PATH)
                .legend(|(x, y)| {
                    EmptyElement::at((x, y))
                        + PathElement::new([(0, 0), (7, 0)], VERMILLION.stroke_width(2))
                        + PathElement::new([(11, 0), (18, 0)], VERMILLION.stroke_width(2))
                        + TriangleMarker::new((9, 0), 5, VERMILLION.filled())
                });
            chart
                .draw_series(
                    s.target_path
                        .iter()
                        .skip(1)
                        .map(|&(x, y)| TriangleMarker::new((x as f64, y), 6, VERMILLION.filled())),
                )
                .ok()?;
        }
        for (i, &b) in s.breaks.iter().enumerate() {
            let x = b as f64 - 0.5;
            chart
                .draw_series(std::iter::once(Text::new(
                    format!("breuk {b}"),
                    (x, yr.end),
                    (FONT, 13).into_font().color(&GREY),
                )))
                .ok()?;
            let series = chart
                .draw_series(DashedLineSeries::new(
                    [(x, yr.start), (x, yr.end)],
                    3,
                    3,
                    GREY.stroke_width(1),
                ))
                .ok()?;
            if i == 0 {
                series.label(L_BREAK).legend(|(x, y)| {
                    EmptyElement::at((x, y))
                        + PathElement::new([(0, 0), (4, 0)], GREY.stroke_width(1))
                        + PathElement::new([(8, 0), (12, 0)], GREY.stroke_width(1))
                });
            }
        }
        legend(&mut chart)?;
        root.present().ok()?;
    }
    Some(responsive(buf))
}

/// The legend box of every chart, in the lower right corner.
fn legend<'a, DB: DrawingBackend + 'a, CT: plotters::coord::CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
) -> Option<()> {
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerRight)
        .background_style(WHITE.mix(0.85))
        .border_style(RGBColor(200, 200, 200))
        .label_font((FONT, 14))
        .draw()
        .ok()
}

/// Marker of a prison in the funnel, by position: flagged points are filled and shaped.
fn marker_colour(p: Position) -> RGBColor {
    match p {
        Position::Above => VERMILLION,
        Position::Below => GREEN,
        _ => BLUE,
    }
}

/// The funnel plot of one rate; `highlight` is the code of a prison to mark and name (the
/// local report's own prison).
pub(crate) fn funnel_svg(f: &Funnel, highlight: Option<&str>, x_unit: &str) -> Option<String> {
    let last = f.curve.last()?;
    let max_rate = f
        .points
        .iter()
        .map(|p| p.rate)
        .chain(f.curve.iter().map(|c| c.high998.min(100.0)))
        .fold(0.0, f64::max);
    let yr = value_range(0.0, max_rate, true);
    let dec = decimals_for(&yr);
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let mut chart = ChartBuilder::on(&root)
            .caption(format!("{} ({})", f.title, f.year), (FONT, 19))
            .margin(10)
            .x_label_area_size(40)
            .y_label_area_size(64)
            .build_cartesian_2d(0.0..last.n, yr.clone())
            .ok()?;
        chart
            .configure_mesh()
            .x_label_formatter(&|x| nl_number(*x, 0))
            .y_label_formatter(&|y| nl_number(*y, dec))
            .x_desc(x_unit)
            .y_desc("%")
            .light_line_style(RGBColor(246, 246, 246))
            .label_style((FONT, 15))
            .axis_desc_style((FONT, 15))
            .draw()
            .ok()?;
        chart
            .draw_series(LineSeries::new(
                [(0.0, f.centre), (last.n, f.centre)],
                GREY.stroke_width(1),
            ))
            .ok()?
            .label(format!(
                "gevangenissen samen ({} %)",
                nl_number(f.centre, 1)
            ))
            .legend(|(x, y)| PathElement::new([(x, y), (x + 18, y)], GREY.stroke_width(1)));
        type Pick = fn(&crate::report::funnel::LimitPoint) -> f64;
        let curves: [(Pick, Pick, u32, &str); 2] = [
            (|c| c.low95, |c| c.high95, 4, "95%-grenzen"),
            (|c| c.low998, |c| c.high998, 9, "99,8%-grenzen"),
        ];
        for (low, high, dash, label) in curves {
            for (i, pick) in [low, high].into_iter().enumerate() {
                let s = chart
                    .draw_series(DashedLineSeries::new(
                        f.curve.iter().map(|c| (c.n, pick(c))),
                        dash,
                        4,
                        GREY.stroke_width(if dash > 4 { 2 } else { 1 }),
                    ))
                    .ok()?;
                if i == 0 {
                    let w = if dash > 4 { 2 } else { 1 };
                    let d = dash as i32;
                    s.label(label).legend(move |(x, y)| {
                        EmptyElement::at((x, y))
                            + PathElement::new([(0, 0), (d, 0)], GREY.stroke_width(w))
                            + PathElement::new([(d + 4, 0), (18, 0)], GREY.stroke_width(w))
                    });
                }
            }
        }
        for p in &f.points {
            let c = marker_colour(p.position);
            let xy = (p.denominator, p.rate);
            let own = highlight == Some(p.code.as_str());
            match p.position {
                Position::Above => chart
                    .draw_series(std::iter::once(TriangleMarker::new(xy, 6, c.filled())))
                    .ok()?,
                Position::Below => chart
                    .draw_series(std::iter::once(Cross::new(xy, 5, c.stroke_width(2))))
                    .ok()?,
                _ => chart
                    .draw_series(std::iter::once(Circle::new(xy, 4, c.stroke_width(2))))
                    .ok()?,
            };
            if own || p.position.flagged() {
                let style = TextStyle::from((FONT, 14).into_font()).color(&BLACK);
                chart
                    .draw_series(std::iter::once(Text::new(
                        p.prison.clone(),
                        xy,
                        style.pos(plotters::style::text_anchor::Pos::new(
                            plotters::style::text_anchor::HPos::Left,
                            plotters::style::text_anchor::VPos::Bottom,
                        )),
                    )))
                    .ok()?;
            }
            if own {
                chart
                    .draw_series(std::iter::once(Circle::new(xy, 8, BLACK.stroke_width(2))))
                    .ok()?;
            }
        }
        legend(&mut chart)?;
        root.present().ok()?;
    }
    Some(responsive(buf))
}

/// Lets the chart scale with the page (print and small screens): the fixed width and height
/// become a view box.
fn responsive(svg: String) -> String {
    let fixed = format!("width=\"{WIDTH}\" height=\"{HEIGHT}\"");
    svg.replacen(
        &fixed,
        &format!("width=\"100%\" style=\"max-width:{WIDTH}px;height:auto\" aria-hidden=\"true\""),
        1,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trend<'a>(values: &'a [(i32, f64)], path: &'a [(i32, f64)]) -> Trend<'a> {
        Trend {
            title: "Deelname <&>",
            unit: "%",
            values,
            band: &[(2019, 8.0, 12.0), (2020, 10.0, 15.0), (2021, 9.0, 13.0)],
            target_path: path,
            breaks: &[2021],
            percent: true,
        }
    }

    #[test]
    fn draws_title_unit_legend_values_band_path_and_break() {
        let svg = trend_svg(&trend(
            &[(2019, 10.0), (2020, 12.5), (2021, 11.0)],
            &[(2019, 10.0), (2025, 20.0)],
        ))
        .unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("viewBox"), "scales with the page");
        // The title is escaped by plotters.
        assert!(svg.contains("Deelname &lt;&amp;&gt;"), "{svg}");
        for label in ["2021", "%", L_VALUE, L_BAND, L_PATH, L_BREAK] {
            assert!(svg.contains(label), "{label}");
        }
        // The axis starts at zero for a rate.
        assert!(svg.contains(">\n0\n</text>"), "zero on the axis");
        assert!(trend_svg(&trend(&[], &[])).is_none());
    }

    #[test]
    fn the_axis_includes_zero_and_a_rate_axis_never_passes_100() {
        assert_eq!(value_range(10.0, 95.0, true), 0.0..100.0);
        let r = value_range(20.0, 50.0, true);
        assert_eq!(r.start, 0.0);
        assert!((r.end - 56.0).abs() < 1e-9);
        assert_eq!(value_range(400.0, 1000.0, false).start, 0.0);
        assert_eq!(value_range(0.0, 0.0, false), 0.0..1.0);
        // A difference in points: -5 .. 10 becomes -6.8 .. 11.8.
        let r = value_range(-5.0, 10.0, false);
        assert!(
            (r.start + 6.8).abs() < 1e-9 && (r.end - 11.8).abs() < 1e-9,
            "{r:?}"
        );
    }

    #[test]
    fn funnel_names_flagged_and_own_prisons_only() {
        use crate::report::funnel::{Cell, build};
        let cell = |code: &str, prison: &str, k: f64, n: f64| Cell {
            code: code.into(),
            prison: prison.into(),
            numerator: k,
            denominator: n,
            rate: 100.0 * k / n,
        };
        let f = build(
            "x",
            "Deelnamegraad",
            2024,
            vec![
                cell("a", "Gevangenis A", 400.0, 1000.0),
                cell("b", "Gevangenis B", 70.0, 100.0),
                cell("c", "Gevangenis C", 125.0, 400.0),
                cell("d", "Gevangenis D", 6.0, 10.0),
            ],
        )
        .unwrap();
        let svg = funnel_svg(&f, Some("d"), "personen").unwrap();
        assert!(svg.contains("Deelnamegraad (2024)"));
        assert!(svg.contains("Gevangenis B") && svg.contains("Gevangenis C"));
        assert!(svg.contains("Gevangenis D"), "the own prison is named");
        assert!(
            !svg.contains("Gevangenis A"),
            "an unflagged prison is not named"
        );
        assert!(svg.contains("99,8%-grenzen") && svg.contains("personen"));
    }
}
