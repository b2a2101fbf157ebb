//! The browsable site (`hdv site`) as typed data: which pages there are and what each shows,
//! for every year of the range. The objectives' status is the yearly report's for the last
//! year with data (the same function, so the site and that report agree); every figure goes
//! through the same disclosure control; a year whose sources have no rows is `NoData`
//! ("geen gegevens"), never a number.

use super::yearly::{self, Ctx, IndicatorRow, MethodEntry, NoDataForYear, YearReport};
use super::{Figure, RunInfo, SourceYears, data_years, prison_name};
use crate::assess;
use crate::disclosure::{Disclosure, Shown};
use crate::engine::{Evaluation, Observation};
use crate::load::Sources;
use crate::model::{Indicator, Model};
use crate::years::YearRange;
use serde::Serialize;

#[derive(Debug)]
pub struct Site {
    /// The years the site covers.
    pub range: YearRange,
    /// The years of the range in which at least one source has rows.
    pub years_with_data: Vec<i32>,
    /// The last of them: the year the objectives and indicators are assessed in.
    pub year: i32,
    /// The yearly report of that year: objectives, actions, status, what needs attention.
    pub report: YearReport,
    /// One page per indicator, in the model's order.
    pub indicators: Vec<IndicatorPage>,
    /// One page per prison of the model.
    pub prisons: Vec<PrisonPage>,
}

#[derive(Debug, Serialize)]
pub struct IndicatorPage {
    /// The indicator in the assessed year (value, baseline, target, status), with its series,
    /// band and breaks over every year of the range (chart and table).
    pub row: IndicatorRow,
    pub method: MethodEntry,
    /// The objectives that follow this indicator (ids, plan order).
    pub objectives: Vec<String>,
    /// One line per year of the range.
    pub years: Vec<YearFigure>,
    /// Every breakdown of the indicator, each cell over every year of the range.
    pub breakdowns: Vec<SiteBreakdown>,
}

/// A published figure of one year.
#[derive(Debug, Clone, Serialize)]
pub struct YearFigure {
    pub year: i32,
    pub value: Figure,
    /// Rates: numerator and denominator, when the rate may be shown.
    pub fraction: Option<(f64, f64)>,
    /// The 95 % interval, for a shown rate over persons or events.
    pub interval: Option<(f64, f64)>,
    /// The definition changed from this year on.
    pub is_break: bool,
}

#[derive(Debug, Serialize)]
pub struct SiteBreakdown {
    /// The dimension (`gevangenis`, `partner`, ...).
    pub dimension: String,
    pub cells: Vec<BreakdownSeries>,
}

#[derive(Debug, Serialize)]
pub struct BreakdownSeries {
    /// The value of the dimension as in the data (a prison's code).
    pub code: String,
    /// As a reader reads it (a prison's name).
    pub label: String,
    /// One per year of the range.
    pub years: Vec<YearFigure>,
}

#[derive(Debug, Serialize)]
pub struct PrisonPage {
    pub code: String,
    pub name: String,
    pub opened: Option<chrono::NaiveDate>,
    pub closed: Option<chrono::NaiveDate>,
    /// Open at some point in the assessed year (else it is not compared).
    pub open: bool,
    /// The years of the range with a local action plan of this prison under the site's plan.
    pub local_plans: Vec<i32>,
    /// Per indicator with a breakdown by prison: (indicator id, title, this prison's
    /// published figure per year of the range, the Flemish one per year).
    pub series: Vec<PrisonSeries>,
    /// Its figures of the assessed year next to the others (the local report's comparison).
    pub comparisons: Vec<super::local::Comparison>,
    /// Its local reports, one per year of `local_plans`.
    pub local_reports: Vec<(i32, super::local::LocalReport)>,
}

#[derive(Debug, Serialize)]
pub struct PrisonSeries {
    pub indicator: String,
    pub title: String,
    pub prison: Vec<YearFigure>,
    pub flanders: Vec<YearFigure>,
}

/// The site's range when none is asked: from the year before the plan in force in the last
/// year with data began (its baseline year, as the yearly report's series) to that year.
/// Years after every plan's period do not count as the last year.
pub(crate) fn default_range(model: &Model, coverage: &[SourceYears]) -> Option<YearRange> {
    let years: std::collections::BTreeSet<i32> = coverage
        .iter()
        .flat_map(|c| c.years.iter().copied())
        .collect();
    let last = years
        .iter()
        .rev()
        .find(|y| model.plans.iter().any(|p| p.years().contains(*y)))
        .or(years.last())
        .copied()?;
    Some(
        model
            .plan_in_force(last)
            .map_or(YearRange::single(last), |p| {
                super::window::Window::yearly(p, last).evaluation
            }),
    )
}

/// The last year of `range` in which a source has rows.
pub(crate) fn last_year_with_data(range: YearRange, coverage: &[SourceYears]) -> Option<i32> {
    range
        .iter()
        .filter(|y| coverage.iter().any(|c| c.has(*y)))
        .last()
}

/// Builds the site over `range`; `eval` must hold every year of the range and the yearly
/// report's years (from the year before the plan began). Refuses a range without data.
/// `releases` are the release cohorts for the yearly report (may be empty: the site shows
/// no cohorts).
pub fn build(
    model: &Model,
    eval: &Evaluation,
    sources: &Sources,
    range: YearRange,
    run: RunInfo,
    d: &Disclosure,
    releases: &[crate::cohort::ReleaseRow],
) -> Result<Site, NoDataForYear> {
    let coverage = data_years(sources);
    let Some(year) = last_year_with_data(range, &coverage) else {
        return Err(NoDataForYear {
            year: range.last,
            coverage,
        });
    };
    // The yearly report of that year over its own years (from the year before the plan
    // began), so that its statuses are the ones `hdv report --year` gives.
    let years = super::window::Window::yearly(&model.plan, year).evaluation;
    let report_eval = Evaluation {
        observations: eval
            .observations
            .iter()
            .filter(|o| years.contains(o.year))
            .cloned()
            .collect(),
        skipped: eval.skipped.clone(),
    };
    let extras = yearly::Extras {
        releases,
        ..Default::default()
    };
    let report = yearly::build(model, &report_eval, sources, year, run.clone(), d, extras)?;
    let cx = Ctx {
        model,
        eval,
        year,
        d,
        coverage: &coverage,
        completeness: &sources.completeness,
    };
    let indicators: Vec<IndicatorPage> = model
        .indicators
        .iter()
        .map(|ind| indicator_page(&cx, ind, range))
        .collect();
    let prisons = model
        .prisons
        .iter()
        .map(|p| {
            let local_reports: Vec<(i32, super::local::LocalReport)> = range
                .iter()
                .filter(|y| model.plan.years().contains(y))
                .filter_map(|y| {
                    let plan = model.local_plan(&p.code, y)?;
                    Some((
                        y,
                        super::local::build_report(model, plan, eval, run.clone(), d),
                    ))
                })
                .collect();
            prison_page(&cx, p, &indicators, local_reports)
        })
        .collect();
    Ok(Site {
        range,
        years_with_data: range
            .iter()
            .filter(|y| coverage.iter().any(|c| c.has(*y)))
            .collect(),
        year,
        report,
        indicators,
        prisons,
    })
}

/// The page of prison `p`: its series per indicator next to the Flemish one, its figures of
/// the assessed year next to the others and its local reports.
fn prison_page(
    cx: &Ctx,
    p: &crate::model::Prison,
    indicators: &[IndicatorPage],
    local_reports: Vec<(i32, super::local::LocalReport)>,
) -> PrisonPage {
    PrisonPage {
        code: p.code.clone(),
        name: p.naam.clone(),
        opened: p.open_vanaf,
        closed: p.gesloten_vanaf,
        open: super::prison_open_in(p, cx.year),
        local_plans: local_reports.iter().map(|(y, _)| *y).collect(),
        comparisons: super::local::comparisons(cx.model, cx.eval, &p.code, cx.year, cx.d),
        local_reports,
        series: indicators
            .iter()
            .filter_map(|page| {
                let b = page
                    .breakdowns
                    .iter()
                    .find(|b| b.dimension == "gevangenis")?;
                let cell = b.cells.iter().find(|c| c.code == p.code)?;
                Some(PrisonSeries {
                    indicator: page.row.id.clone(),
                    title: page.row.title.clone(),
                    prison: cell.years.clone(),
                    flanders: page.years.clone(),
                })
            })
            .collect(),
    }
}

/// One published figure of `ind` in `year`, as the reports publish it.
fn year_figure(cx: &Ctx, ind: &Indicator, year: i32, o: Option<&Observation>) -> YearFigure {
    let value = cx.figure(ind, year, o);
    let interval = match (value.shown, o) {
        (Shown::Value(_), Some(o)) if assess::Spec::of(ind).sampled => o
            .numerator
            .zip(o.denominator)
            .and_then(|(k, n)| assess::wilson(k, n)),
        _ => None,
    };
    YearFigure {
        year,
        fraction: yearly::fraction(ind, o, &value),
        interval,
        value,
        is_break: ind.breuken.iter().any(|b| b.jaar == year),
    }
}

fn indicator_page(cx: &Ctx, ind: &Indicator, range: YearRange) -> IndicatorPage {
    let years: Vec<YearFigure> = range
        .iter()
        .map(|y| year_figure(cx, ind, y, cx.eval.total(&ind.id, y)))
        .collect();
    let mut row = cx.indicator_row(ind, None);
    // The chart and its table cover the site's years, not the yearly report's.
    row.series = years.iter().map(|y| (y.year, y.value)).collect();
    row.band = years
        .iter()
        .filter_map(|y| y.interval.map(|(lo, hi)| (y.year, lo, hi)))
        .collect();
    row.breaks = yearly::series_breaks(ind, &row.series);
    let breakdowns = ind
        .uitsplitsingen
        .iter()
        .map(|dim| {
            let mut codes: Vec<&str> = cx
                .eval
                .of(&ind.id)
                .filter(|o| range.contains(o.year))
                .filter_map(|o| o.dim.as_ref().filter(|d| &d.name == dim))
                .map(|d| d.value.as_str())
                .collect();
            codes.sort();
            codes.dedup();
            let label = |c: &str| {
                if dim == "gevangenis" {
                    prison_name(cx.model, c)
                } else {
                    c.to_string()
                }
            };
            let mut cells: Vec<BreakdownSeries> = codes
                .into_iter()
                .map(|c| BreakdownSeries {
                    code: c.to_string(),
                    label: label(c),
                    years: range
                        .iter()
                        .map(|y| {
                            let o = cx
                                .eval
                                .of(&ind.id)
                                .find(|o| o.year == y && o.is_cell(dim, c));
                            year_figure(cx, ind, y, o)
                        })
                        .collect(),
                })
                .collect();
            cells.sort_by(|a, b| a.label.cmp(&b.label).then_with(|| a.code.cmp(&b.code)));
            SiteBreakdown {
                dimension: dim.clone(),
                cells,
            }
        })
        .collect();
    IndicatorPage {
        objectives: cx
            .model
            .plan
            .doelstellingen
            .iter()
            .filter(|o| yearly::follows(cx.model, &o.id, ind))
            .map(|o| o.id.clone())
            .collect(),
        method: yearly::method_entry(ind),
        row,
        years,
        breakdowns,
    }
}

/// Is `id` safe as a file name on every system (letters, digits, `-`, `_`, `.` not first)?
pub(crate) fn file_safe(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('.')
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_that_could_leave_the_site_folder_are_not_file_safe() {
        assert!(file_safe("SD1"));
        assert!(file_safe("deelname_graad"));
        assert!(file_safe("sint-gillis"));
        assert!(!file_safe("../x"));
        assert!(!file_safe(".hidden"));
        assert!(!file_safe("a/b"));
        assert!(!file_safe(""));
    }
}
