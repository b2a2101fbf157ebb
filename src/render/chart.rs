//! Charts as inline SVG (plotters): the trend of an indicator over the years and the funnel
//! plot of a rate across prisons. Every chart carries its title, the unit on the axis and a
//! legend; colours are the Okabe-Ito palette (colour-blind safe) and every colour has a
//! second cue (solid or dashed line, circle or triangle marker). Counts and rates start at
//! zero. Text is escaped by plotters' SVG backend. The surrounding HTML gives the chart an
//! accessible name and the data table next to it.

use super::nl_number;
use crate::report::funnel::{Funnel, Position};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

const WIDTH: u32 = 640;
const HEIGHT: u32 = 250;
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

/// Rendered font sizes (plotters writes 0.806 × the size it is given).
const TITLE_PT: u32 = 19;
const LABEL_PT: u32 = 15;
const LEGEND_PT: u32 = 14;
const PX_PER_PT: f64 = 0.806;

/// The width in pixels of `text` at plotters size `pt`: a generous average glyph width (0.6
/// em), so that layout errs on the side of room.
pub(crate) fn text_width(text: &str, pt: u32) -> f64 {
    text.chars().count() as f64 * 0.6 * pt as f64 * PX_PER_PT
}

/// A chart title in lines that fit `width` pixels (broken between words).
fn title_lines(title: &str, width: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in title.split_whitespace() {
        match lines.last_mut() {
            Some(l) if text_width(&format!("{l} {word}"), TITLE_PT) <= width => {
                l.push(' ');
                l.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

/// Height of one title line and of one legend row, in pixels.
const TITLE_LINE: u32 = 20;
const LEGEND_ROW: u32 = 20;

/// Draws the title lines centred at the top of `area`.
fn draw_title<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    lines: &[String],
) -> Option<()> {
    use plotters::style::text_anchor::{HPos, Pos, VPos};
    let (w, _) = area.dim_in_pixel();
    let style =
        TextStyle::from((FONT, TITLE_PT).into_font()).pos(Pos::new(HPos::Center, VPos::Top));
    for (i, l) in lines.iter().enumerate() {
        area.draw(&Text::new(
            l.clone(),
            ((w / 2) as i32, 4 + (i as u32 * TITLE_LINE) as i32),
            style.clone(),
        ))
        .ok()?;
    }
    Some(())
}

/// How a legend entry is drawn.
#[derive(Clone, Copy)]
enum Key {
    /// A line (dashed with dash and gap lengths), with an optional marker in its middle.
    Line {
        colour: RGBColor,
        width: u32,
        dash: Option<(i32, i32)>,
        marker: Option<Marker>,
    },
    /// A filled area.
    Area(RGBAColor),
}

#[derive(Clone, Copy)]
enum Marker {
    Circle,
    Triangle,
    Cross,
}

/// Width of a legend sample, the gap after it and between entries, in pixels.
const SAMPLE: i32 = 22;

fn legend_entry_width(label: &str) -> i32 {
    SAMPLE + 6 + text_width(label, LEGEND_PT).ceil() as i32 + 18
}

/// The legend's entries in rows that fit `width` pixels.
fn legend_rows(items: &[(String, Key)], width: i32) -> Vec<Vec<usize>> {
    let mut rows: Vec<Vec<usize>> = Vec::new();
    let mut used = 0;
    for (i, (label, _)) in items.iter().enumerate() {
        let w = legend_entry_width(label);
        match rows.last_mut() {
            Some(r) if used + w <= width => {
                r.push(i);
                used += w;
            }
            _ => {
                rows.push(vec![i]);
                used = w;
            }
        }
    }
    rows
}

/// Draws the legend under the plot, outside it: it never covers data.
fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    items: &[(String, Key)],
    left: i32,
) -> Option<()> {
    use plotters::style::text_anchor::{HPos, Pos, VPos};
    let (w, _) = area.dim_in_pixel();
    let style =
        TextStyle::from((FONT, LEGEND_PT).into_font()).pos(Pos::new(HPos::Left, VPos::Center));
    for (r, row) in legend_rows(items, w as i32 - left - 8).iter().enumerate() {
        let y = (r as u32 * LEGEND_ROW) as i32 + LEGEND_ROW as i32 / 2;
        let mut x = left;
        for &i in row {
            let (label, key) = &items[i];
            match *key {
                Key::Line {
                    colour,
                    width,
                    dash,
                    marker,
                } => {
                    let style = colour.stroke_width(width);
                    match dash {
                        None => area
                            .draw(&PathElement::new([(x, y), (x + SAMPLE, y)], style))
                            .ok()?,
                        Some((d, g)) => {
                            let mut a = x;
                            while a < x + SAMPLE {
                                let b = (a + d).min(x + SAMPLE);
                                area.draw(&PathElement::new([(a, y), (b, y)], style)).ok()?;
                                a = b + g;
                            }
                        }
                    }
                    let m = (x + SAMPLE / 2, y);
                    match marker {
                        Some(Marker::Circle) => {
                            area.draw(&Circle::new(m, 3, colour.filled())).ok()?
                        }
                        Some(Marker::Triangle) => area
                            .draw(&TriangleMarker::new(m, 5, colour.filled()))
                            .ok()?,
                        Some(Marker::Cross) => {
                            area.draw(&Cross::new(m, 4, colour.stroke_width(2))).ok()?
                        }
                        None => {}
                    }
                }
                Key::Area(fill) => {
                    area.draw(&Rectangle::new(
                        [(x, y - 5), (x + SAMPLE, y + 5)],
                        fill.filled(),
                    ))
                    .ok()?;
                }
            }
            area.draw(&Text::new(
                label.clone(),
                (x + SAMPLE + 6, y),
                style.clone(),
            ))
            .ok()?;
            x += legend_entry_width(label);
        }
    }
    Some(())
}

/// The width of the value axis' label area: the widest tick label and the rotated unit.
fn y_label_area(range: &std::ops::Range<f64>, dec: usize) -> u32 {
    let widest = [range.start, range.end, (range.start + range.end) / 2.0]
        .iter()
        .map(|v| text_width(&nl_number(*v, dec), LABEL_PT))
        .fold(0.0, f64::max);
    (widest + 14.0 + LABEL_PT as f64 * PX_PER_PT + 10.0).ceil() as u32
}

/// The parts of a chart: title lines on top, the plot, the legend rows under it.
struct Layout {
    title: Vec<String>,
    legend_rows: usize,
}

impl Layout {
    fn new(title: &str, legend: &[(String, Key)]) -> Layout {
        Layout {
            title: title_lines(title, WIDTH as f64 - 24.0),
            legend_rows: legend_rows(legend, WIDTH as i32 - 16).len(),
        }
    }

    fn title_height(&self) -> u32 {
        self.title.len() as u32 * TITLE_LINE + 8
    }

    fn height(&self) -> u32 {
        self.title_height() + HEIGHT + self.legend_rows as u32 * LEGEND_ROW + 4
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
    let band_fill = BLUE.mix(0.18);
    let keys = trend_keys(s, band_fill);
    let layout = Layout::new(s.title, &keys);
    let y_area = y_label_area(&yr, dec);
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (WIDTH, layout.height())).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let (top, rest) = root.split_vertically(layout.title_height());
        let (plot, bottom) = rest.split_vertically(HEIGHT);
        draw_title(&top, &layout.title)?;
        // Room above the plot for the label of a break in the series.
        let top_room = if s.breaks.is_empty() { 4 } else { 18 };
        let mut chart = ChartBuilder::on(&plot)
            .margin_left(10)
            .margin_right(16)
            .margin_top(top_room)
            .margin_bottom(4)
            .x_label_area_size(28)
            .y_label_area_size(y_area)
            .build_cartesian_2d((x0 as f64 - 0.4)..(x1 as f64 + 0.4), yr.clone())
            .ok()?;
        chart
            .configure_mesh()
            .x_labels((x1 - x0 + 1) as usize)
            .x_label_formatter(&|x| format!("{}", x.round() as i64))
            .y_label_formatter(&|y| nl_number(*y, dec))
            .y_desc(s.unit)
            .light_line_style(RGBColor(246, 246, 246))
            .label_style((FONT, LABEL_PT))
            .axis_desc_style((FONT, LABEL_PT))
            .draw()
            .ok()?;
        if !s.band.is_empty() {
            let mut poly: Vec<(f64, f64)> = s.band.iter().map(|b| (b.0 as f64, b.2)).collect();
            poly.extend(s.band.iter().rev().map(|b| (b.0 as f64, b.1)));
            chart
                .draw_series(std::iter::once(Polygon::new(poly, band_fill.filled())))
                .ok()?;
        }
        chart
            .draw_series(LineSeries::new(
                s.values.iter().map(|&(x, y)| (x as f64, y)),
                BLUE.stroke_width(2),
            ))
            .ok()?;
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
                .ok()?;
            chart
                .draw_series(
                    s.target_path
                        .iter()
                        .skip(1)
                        .map(|&(x, y)| TriangleMarker::new((x as f64, y), 6, VERMILLION.filled())),
                )
                .ok()?;
        }
        draw_breaks(&mut chart, &plot, s.breaks, &yr)?;
        draw_legend(&bottom, &keys, 10)?;
        root.present().ok()?;
    }
    Some(responsive(buf, layout.height()))
}

/// The legend of a trend chart: the band, the values, the target path, the breaks.
fn trend_keys(s: &Trend, band_fill: RGBAColor) -> Vec<(String, Key)> {
    let mut keys: Vec<(String, Key)> = Vec::new();
    if !s.band.is_empty() {
        keys.push((L_BAND.into(), Key::Area(band_fill)));
    }
    keys.push((
        L_VALUE.into(),
        Key::Line {
            colour: BLUE,
            width: 2,
            dash: None,
            marker: Some(Marker::Circle),
        },
    ));
    if s.target_path.len() >= 2 {
        keys.push((
            L_PATH.into(),
            Key::Line {
                colour: VERMILLION,
                width: 2,
                dash: Some((8, 5)),
                marker: Some(Marker::Triangle),
            },
        ));
    }
    if !s.breaks.is_empty() {
        keys.push((
            L_BREAK.into(),
            Key::Line {
                colour: GREY,
                width: 1,
                dash: Some((3, 3)),
                marker: None,
            },
        ));
    }
    keys
}

/// A chart over years or counts (x) against values (y), drawn as SVG.
type Chart<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// A part of an SVG drawing.
type Area<'b> = DrawingArea<SVGBackend<'b>, plotters::coord::Shift>;

/// A dashed line before each year of a break in the series, labelled above the plot.
fn draw_breaks(
    chart: &mut Chart,
    plot: &Area,
    breaks: &[i32],
    yr: &std::ops::Range<f64>,
) -> Option<()> {
    for &b in breaks {
        let x = b as f64 - 0.5;
        chart
            .draw_series(DashedLineSeries::new(
                [(x, yr.start), (x, yr.end)],
                3,
                3,
                GREY.stroke_width(1),
            ))
            .ok()?;
        // Its label above the plot, beside the top of the line.
        use plotters::style::text_anchor::{HPos, Pos, VPos};
        let (px, py) = chart.backend_coord(&(x, yr.end));
        let (ox, oy) = plot.get_base_pixel();
        plot.draw(&Text::new(
            format!("breuk {b}"),
            (px - ox + 3, py - oy - 3),
            TextStyle::from((FONT, 13).into_font())
                .color(&GREY)
                .pos(Pos::new(HPos::Left, VPos::Bottom)),
        ))
        .ok()?;
    }
    Some(())
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
    let keys = funnel_keys(f);
    let layout = Layout::new(&format!("{} ({})", f.title, f.year), &keys);
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (WIDTH, layout.height())).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let (top, rest) = root.split_vertically(layout.title_height());
        let (plot, bottom) = rest.split_vertically(HEIGHT);
        draw_title(&top, &layout.title)?;
        let mut chart = ChartBuilder::on(&plot)
            .margin_left(10)
            .margin_right(16)
            .margin_top(4)
            .margin_bottom(4)
            .x_label_area_size(44)
            .y_label_area_size(y_label_area(&yr, dec))
            .build_cartesian_2d(0.0..last.n, yr.clone())
            .ok()?;
        chart
            .configure_mesh()
            .x_label_formatter(&|x| nl_number(*x, 0))
            .y_label_formatter(&|y| nl_number(*y, dec))
            .x_desc(x_unit)
            .y_desc("%")
            .light_line_style(RGBColor(246, 246, 246))
            .label_style((FONT, LABEL_PT))
            .axis_desc_style((FONT, LABEL_PT))
            .draw()
            .ok()?;
        chart
            .draw_series(LineSeries::new(
                [(0.0, f.centre), (last.n, f.centre)],
                GREY.stroke_width(1),
            ))
            .ok()?;
        type Pick = fn(&crate::report::funnel::LimitPoint) -> f64;
        let curves: [(Pick, Pick, u32); 2] = [
            (|c| c.low95, |c| c.high95, 4),
            (|c| c.low998, |c| c.high998, 9),
        ];
        for (low, high, dash) in curves {
            for pick in [low, high] {
                chart
                    .draw_series(DashedLineSeries::new(
                        f.curve.iter().map(|c| (c.n, pick(c))),
                        dash,
                        4,
                        GREY.stroke_width(if dash > 4 { 2 } else { 1 }),
                    ))
                    .ok()?;
            }
        }
        // Every point in pixels, to place the names where they cover no other point and stay
        // inside the plot.
        let pixels: Vec<(i32, i32)> = f
            .points
            .iter()
            .map(|p| chart.backend_coord(&(p.denominator, p.rate)))
            .collect();
        // The limit curves, as points to keep clear of too.
        let curve_pixels = curve_pixels(&chart, f, &yr);
        let (px0, py0) = chart.backend_coord(&(0.0, yr.end));
        let (px1, py1) = chart.backend_coord(&(last.n, yr.start));
        let labels = Labels {
            pixels: &pixels,
            curve_pixels: &curve_pixels,
            plot_box: (px0, py0, px1, py1),
        };
        for (k, p) in f.points.iter().enumerate() {
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
                labels.place(&plot, k, p)?;
            }
            if own {
                chart
                    .draw_series(std::iter::once(Circle::new(xy, 8, BLACK.stroke_width(2))))
                    .ok()?;
            }
        }
        draw_legend(&bottom, &keys, 10)?;
        root.present().ok()?;
    }
    Some(responsive(buf, layout.height()))
}

/// The legend of a funnel plot: the centre line, the limits, the flagged positions present.
fn funnel_keys(f: &Funnel) -> Vec<(String, Key)> {
    let line = |colour, width, dash| Key::Line {
        colour,
        width,
        dash,
        marker: None,
    };
    let mut keys: Vec<(String, Key)> = vec![
        (
            format!("gevangenissen samen ({} %)", nl_number(f.centre, 1)),
            line(GREY, 1, None),
        ),
        ("95%-grenzen".into(), line(GREY, 1, Some((4, 4)))),
        ("99,8%-grenzen".into(), line(GREY, 2, Some((9, 4)))),
    ];
    let marker_key = |colour, marker| Key::Line {
        colour,
        width: 0,
        dash: Some((0, SAMPLE)),
        marker: Some(marker),
    };
    if f.points.iter().any(|p| p.position == Position::Above) {
        keys.push((
            words_position(Position::Above).into(),
            marker_key(VERMILLION, Marker::Triangle),
        ));
    }
    if f.points.iter().any(|p| p.position == Position::Below) {
        keys.push((
            words_position(Position::Below).into(),
            marker_key(GREEN, Marker::Cross),
        ));
    }
    keys
}

/// The limit curves of a funnel plot in pixels, as points a name must keep clear of.
fn curve_pixels(chart: &Chart, f: &Funnel, yr: &std::ops::Range<f64>) -> Vec<(i32, i32)> {
    let mut curve_pixels: Vec<(i32, i32)> = Vec::new();
    type Limit = fn(&crate::report::funnel::LimitPoint) -> f64;
    let limits: [Limit; 4] = [|c| c.low95, |c| c.high95, |c| c.low998, |c| c.high998];
    for pick in limits {
        for pair in f.curve.windows(2) {
            let a = chart.backend_coord(&(pair[0].n, pick(&pair[0]).clamp(yr.start, yr.end)));
            let b = chart.backend_coord(&(pair[1].n, pick(&pair[1]).clamp(yr.start, yr.end)));
            let steps = ((b.0 - a.0).abs().max((b.1 - a.1).abs()) / 3).max(1);
            for i in 0..=steps {
                curve_pixels.push((a.0 + (b.0 - a.0) * i / steps, a.1 + (b.1 - a.1) * i / steps));
            }
        }
    }
    curve_pixels
}

/// Where the names of a funnel plot's prisons may go: every point and the limit curves in
/// pixels, and the plot's box (left, top, right, bottom).
struct Labels<'a> {
    pixels: &'a [(i32, i32)],
    curve_pixels: &'a [(i32, i32)],
    plot_box: (i32, i32, i32, i32),
}

impl Labels<'_> {
    /// The name of point `k` (prison `p`) beside it, where it covers no other point and
    /// stays inside the plot.
    fn place(&self, plot: &Area, k: usize, p: &crate::report::funnel::FunnelPoint) -> Option<()> {
        let (pixels, curve_pixels) = (self.pixels, self.curve_pixels);
        let (px0, py0, px1, py1) = self.plot_box;
        use plotters::style::text_anchor::{HPos, Pos, VPos};
        let (x, y) = pixels[k];
        let w = text_width(&p.prison, 14).ceil() as i32;
        let h = (14.0 * PX_PER_PT).ceil() as i32 + 2;
        // Above right, above left, below right, below left of the point: the first
        // that stays in the plot and covers no other point.
        let candidates = [
            (x + 6, y - 6 - h, HPos::Left, VPos::Bottom, (6, -6)),
            (x - 6 - w, y - 6 - h, HPos::Right, VPos::Bottom, (-6, -6)),
            (x + 6, y + 6, HPos::Left, VPos::Top, (6, 6)),
            (x - 6 - w, y + 6, HPos::Right, VPos::Top, (-6, 6)),
        ];
        let free = |bx: i32, by: i32| {
            bx >= px0
                && bx + w <= px1
                && by >= py0
                && by + h <= py1
                && pixels.iter().enumerate().all(|(j, &(qx, qy))| {
                    j == k || !(qx > bx - 6 && qx < bx + w + 6 && qy > by - 6 && qy < by + h + 6)
                })
                && curve_pixels
                    .iter()
                    .all(|&(qx, qy)| !(qx > bx && qx < bx + w && qy > by && qy < by + h))
        };
        let (_, _, hpos, vpos, (dx, dy)) = candidates
            .iter()
            .copied()
            .find(|c| free(c.0, c.1))
            .unwrap_or(if x > (px0 + px1) / 2 {
                candidates[1]
            } else {
                candidates[0]
            });
        let (ox, oy) = plot.get_base_pixel();
        plot.draw(&Text::new(
            p.prison.clone(),
            (x + dx - ox, y + dy - oy),
            TextStyle::from((FONT, 14).into_font())
                .color(&BLACK)
                .pos(Pos::new(hpos, vpos)),
        ))
        .ok()?;
        Some(())
    }
}

/// A flagged position in the legend's words.
fn words_position(p: Position) -> &'static str {
    match p {
        Position::Above => "hoger dan verwacht (buiten 99,8%)",
        _ => "lager dan verwacht (buiten 99,8%)",
    }
}

/// Lets the chart scale with the page (print and small screens): the fixed width and height
/// become a view box.
fn responsive(svg: String, height: u32) -> String {
    let fixed = format!("width=\"{WIDTH}\" height=\"{height}\"");
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
