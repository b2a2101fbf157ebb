//! Stage 5: the reports as typed data. Every decision a reader sees is taken here, once:
//! the assessment against baseline and target, what needs attention, what moved most,
//! suppression, which prisons are compared, which years have data, which values are
//! samples. One module per product: `yearly`, `evaluation` (the final evaluation), `local`
//! (local report and overview), `site`, `check` (what `hdv check` says), `successor` (a
//! next plan's baselines); `window` decides every product's years, `Figure::of` what of an
//! indicator's figure may be shown, `quality` what arrived and what the checks found.
//! `render` only formats these structures (numbers in nl-BE, words for statuses, templates,
//! XLSX, DOCX) and decides nothing.

pub mod afscherming;
pub mod approval;
pub(crate) mod check;
pub(crate) mod cohort;
pub mod evaluation;
pub mod feedback;
pub(crate) mod funnel;
pub mod local;
pub mod offer;
pub mod oslo;
pub mod quality;
pub mod site;
pub(crate) mod successor;
pub mod window;
pub mod yearly;

// The verdicts and the suppression marks are part of what the products show: `render` reads
// them from here, with the rest of the reports' types.
pub(crate) use crate::assess::Tone;
pub use crate::assess::{Assessment, Reason, Status};
pub use crate::disclosure::{Disclosure, Shown};

use crate::assess::{self, Goal, Point, Spec};
use crate::contract::Source;
use crate::engine::{Evaluation, Observation};
use crate::load::{SourceFile, Sources};
use crate::model::{Indicator, IndicatorKind, Model, PlanData};
use serde::Serialize;
use std::collections::BTreeSet;

/// Facts about the run, for provenance.
#[derive(Debug, Clone, Serialize)]
pub struct RunInfo {
    pub version: String,
    pub command: String,
    /// `yyyy-mm-dd`, from `SOURCE_DATE_EPOCH` when set.
    pub generated: String,
}

/// How a figure is read: drives the number format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// A percentage (one decimal).
    Percent,
    /// A whole count (persons, requests, trajectories).
    Whole,
    /// An average or ratio (one decimal).
    Decimal,
    /// An amount in euro (whole euros).
    Euro,
    /// A number of days.
    Days,
    /// A difference of percentages, in percentage points (one decimal).
    Points,
}

impl Unit {
    pub fn of(ind: &Indicator) -> Unit {
        match ind.soort {
            IndicatorKind::Aandeel => Unit::Percent,
            IndicatorKind::Verschil => Unit::Points,
            _ if ind.eenheid.starts_with("euro") => Unit::Euro,
            _ if ind.eenheid == "dagen" => Unit::Days,
            // A number of offers: whole, and (not being persons) never suppressed as a count.
            _ if ind.eenheid == "aanbiedingen" => Unit::Whole,
            IndicatorKind::Aantal => Unit::Whole,
            _ => Unit::Decimal,
        }
    }
}

/// A change between two figures in percentage points, computed from the unrounded values and
/// shown at as many decimals as it takes to agree with the two values shown: 40,04 % to
/// 38,55 % is -1,49 procentpunt, which at one decimal would read "van 40,0 % naar 38,5 %
/// (-1,5 procentpunt)" against a difference of -1,4 between the values shown; at two decimals
/// all three agree.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Difference {
    pub from: f64,
    pub to: f64,
    /// `to - from`, unrounded.
    pub change: f64,
    /// The decimals at which `from`, `to` and `change` are all shown.
    pub decimals: usize,
}

impl Difference {
    /// The decimals tried at most; beyond them the change shown is the difference of the
    /// values shown.
    const MAX_DECIMALS: usize = 3;

    /// The change from `from` to `to`, at least at `decimals` (the unit's own).
    pub(crate) fn between(from: f64, to: f64, decimals: usize) -> Difference {
        let change = to - from;
        let agrees = |d: usize| {
            let f = 10f64.powi(d as i32);
            (to * f).round() - (from * f).round() == (change * f).round()
        };
        let decimals = (decimals..=Self::MAX_DECIMALS.max(decimals))
            .find(|d| agrees(*d))
            .unwrap_or(Self::MAX_DECIMALS.max(decimals));
        Difference {
            from,
            to,
            change,
            decimals,
        }
    }

    /// The change as shown: rounded at `decimals`, and equal to the difference of the two
    /// values shown (the unrounded change when they agree, which is whenever `decimals` was
    /// found).
    pub fn shown_change(&self) -> f64 {
        let f = 10f64.powi(self.decimals as i32);
        ((self.to * f).round() - (self.from * f).round()) / f
    }
}

/// A baseline or target value, with the mark that it is a sample (`VOORBEELD`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Marked {
    pub year: i32,
    pub value: f64,
    pub sample: bool,
}

/// The years in which a source has rows: a year counts when at least one row has a date
/// in it (for `middelen`, the `jaar` column). An open-ended stay does not make a later
/// year a year with data.
#[derive(Debug, Clone, Serialize)]
pub struct SourceYears {
    pub source: Source,
    pub years: BTreeSet<i32>,
}

impl SourceYears {
    pub(crate) fn has(&self, year: i32) -> bool {
        self.years.contains(&year)
    }
}

/// The years with rows of every source file.
pub(crate) fn data_years(sources: &Sources) -> Vec<SourceYears> {
    sources
        .files
        .iter()
        .map(|f| SourceYears {
            source: f.source,
            years: file_years(f),
        })
        .collect()
}

fn file_years(f: &SourceFile) -> BTreeSet<i32> {
    use datafusion::arrow::array::AsArray;
    use datafusion::arrow::compute::cast;
    use datafusion::arrow::datatypes::{DataType, Int32Type};
    let mut years = BTreeSet::new();
    for (field, col) in f.batch.schema().fields().iter().zip(f.batch.columns()) {
        // The year of every row at once (a year out of range for i32 becomes null).
        let year_col = match col.data_type() {
            DataType::Date32 => Some(std::sync::Arc::new(crate::years::years_of(
                col.as_primitive::<datafusion::arrow::datatypes::Date32Type>(),
            )) as datafusion::arrow::array::ArrayRef),
            DataType::Int32 | DataType::Int64 if field.name() == "jaar" => {
                cast(col, &DataType::Int32).ok()
            }
            _ => None,
        };
        let Some(year_col) = year_col else { continue };
        // Rows mostly come grouped by year: the set sees one insert per run of equal years.
        let mut last = None;
        for y in year_col.as_primitive::<Int32Type>().iter().flatten() {
            if last != Some(y) {
                years.insert(y);
                last = Some(y);
            }
        }
    }
    years
}

/// The expected deliveries of an indicator's sources that are missing in `year`:
/// (supplier, source). The indicator then rests on incomplete deliveries.
pub(crate) fn missing_deliveries(
    ind: &Indicator,
    year: i32,
    completeness: &[crate::load::CompletenessRow],
) -> Vec<(String, Source)> {
    completeness
        .iter()
        .filter(|r| ind.bronnen.iter().any(|b| b == r.source.name()))
        .filter(|r| r.missing_in(year))
        .map(|r| (r.supplier.clone(), r.source))
        .collect()
}

/// What a figure rests on, named when it has nothing for a year: a delivered source, or the
/// plans' own data (`plangegevens` of the indicator).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "soort", content = "bron", rename_all = "snake_case")]
pub enum Basis {
    /// A source without rows in the year.
    Source(Source),
    /// No local action plan for the year.
    LocalPlans,
    /// No action of the plan has a status by the end of the year.
    Statuses,
}

/// What `ind` rests on that has nothing for `year`: the sources it reads without rows in the
/// year (absent sources included) and the plans' data it rests on that the year lacks. Empty:
/// the figure of the year rests on data.
pub(crate) fn missing(
    model: &Model,
    ind: &Indicator,
    year: i32,
    coverage: &[SourceYears],
) -> Vec<Basis> {
    let sources = ind
        .bronnen
        .iter()
        .filter_map(|b| Source::from_name(b))
        .filter(|s| !coverage.iter().any(|c| c.source == *s && c.has(year)))
        .map(Basis::Source);
    let plans = ind.plangegevens.iter().filter_map(|p| match p {
        PlanData::LokalePlannen => {
            (!model.local_plans.iter().any(|l| l.jaar == year)).then_some(Basis::LocalPlans)
        }
        PlanData::Actiestatussen => {
            (!model.plan.acties.iter().any(|a| a.has_status_by(year))).then_some(Basis::Statuses)
        }
    });
    sources.chain(plans).collect()
}

/// Every figure of `ind` rests on sample values: the plan's action statuses are samples
/// (`statussen_voorbeeld`) and the indicator rests on them.
pub(crate) fn rests_on_samples(model: &Model, ind: &Indicator) -> bool {
    model.plan.statussen_voorbeeld && ind.plangegevens.contains(&PlanData::Actiestatussen)
}

/// The published figure of one observation of `ind`, with its unit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Figure {
    pub shown: Shown,
    pub unit: Unit,
    /// The value rests on sample values (the plan's sample action statuses): marked
    /// `VOORBEELD` wherever it is shown.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub sample: bool,
}

impl Figure {
    /// The published figure of observation `o` of `ind`: the one place that decides what of
    /// an indicator's figure may be shown (every product's figures come through here).
    pub(crate) fn of(ind: &Indicator, o: Option<&Observation>, d: &Disclosure) -> Figure {
        Figure {
            shown: o.map_or(Shown::Empty, |o| d.apply(ind, o)),
            unit: Unit::of(ind),
            sample: false,
        }
    }

    /// A figure for a year whose sources have no rows: never a number.
    pub(crate) fn no_data(ind: &Indicator) -> Figure {
        Figure {
            shown: Shown::NoData,
            unit: Unit::of(ind),
            sample: false,
        }
    }

    pub(crate) fn value(&self) -> Option<f64> {
        match self.shown {
            Shown::Value(v) => Some(v),
            _ => None,
        }
    }
}

/// The observation as an assessment point.
pub(crate) fn point(o: &Observation) -> Option<Point> {
    o.value.map(|value| Point {
        year: o.year,
        value,
        numerator: o.numerator,
        denominator: o.denominator,
        interval: o.interval.and_then(|i| i.low.zip(i.high)),
    })
}

/// The published series of an indicator's total up to `year` (years with a value that may
/// be shown and whose sources have rows).
pub(crate) fn published_series(
    model: &Model,
    ind: &Indicator,
    eval: &Evaluation,
    d: &Disclosure,
    coverage: &[SourceYears],
    year: i32,
) -> Vec<Point> {
    eval.of(&ind.id)
        .filter(|o| o.is_total() && o.year <= year)
        .filter(|o| missing(model, ind, o.year, coverage).is_empty())
        .filter(|o| Figure::of(ind, Some(o), d).value().is_some())
        .filter_map(point)
        .collect()
}

/// Assesses the Flemish total of `ind` in `year` against its own baseline and targets.
pub(crate) fn assess_total(
    model: &Model,
    ind: &Indicator,
    eval: &Evaluation,
    year: i32,
    d: &Disclosure,
    coverage: &[SourceYears],
) -> Assessment {
    if !missing(model, ind, year, coverage).is_empty() {
        return Assessment::no_data();
    }
    let cur = eval
        .total(&ind.id, year)
        .filter(|o| Figure::of(ind, Some(o), d).value().is_some())
        .and_then(point);
    let base = ind
        .basislijn
        .as_ref()
        .and_then(|b| eval.total(&ind.id, b.jaar))
        .and_then(point);
    let series = published_series(model, ind, eval, d, coverage, year);
    assess::assess(
        &Spec::of(ind),
        &Goal::flemish(ind),
        None,
        cur,
        base,
        &series,
    )
}

/// A prison is open in `year` when it opened on or before 31/12 and closed after 1/1.
pub(crate) fn open_in(model: &Model, code: &str, year: i32) -> bool {
    model.prison(code).is_none_or(|p| prison_open_in(p, year))
}

/// Is the prison open at some point in `year`?
pub(crate) fn prison_open_in(p: &crate::model::Prison, year: i32) -> bool {
    let (first, last) = crate::years::year_bounds(year);
    p.open_vanaf.is_none_or(|o| o <= last) && p.gesloten_vanaf.is_none_or(|c| c > first)
}

/// A prison's display name (its code when unknown).
pub(crate) fn prison_name(model: &Model, code: &str) -> String {
    model
        .prison(code)
        .map(|p| p.naam.clone())
        .unwrap_or_else(|| code.to_string())
}

/// A prison that was closed (or not yet open) in the year, for the footnote of every
/// comparison it is left out of.
#[derive(Debug, Clone, Serialize)]
pub struct ClosedPrison {
    pub name: String,
    pub opened: Option<chrono::NaiveDate>,
    pub closed: Option<chrono::NaiveDate>,
}

pub(crate) fn closed_prisons(model: &Model, year: i32) -> Vec<ClosedPrison> {
    model
        .prisons
        .iter()
        .filter(|p| !prison_open_in(p, year))
        .map(|p| ClosedPrison {
            name: p.naam.clone(),
            opened: p.open_vanaf,
            closed: p.gesloten_vanaf,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::Difference;

    #[test]
    fn a_difference_agrees_with_the_values_shown() {
        // 40,04 → 38,55: -1,49; at one decimal 40,0 → 38,5 would be -1,5 against -1,4 shown.
        let d = Difference::between(40.04, 38.55, 1);
        assert_eq!(d.decimals, 2);
        assert!((d.shown_change() - -1.49).abs() < 1e-9);
        // When one decimal agrees, one decimal it is.
        let d = Difference::between(19.2, 26.9, 1);
        assert_eq!(d.decimals, 1);
        assert!((d.shown_change() - 7.7).abs() < 1e-9);
        // 43,84 vs 50,94: -7,10; at one decimal 43,8 and 50,9 give -7,1, and so does -7,10.
        assert_eq!(Difference::between(50.94, 43.84, 1).decimals, 1);
        // 43,76 vs 50,94 (shown 43,8 and 50,9: -7,1) but -7,18 rounds to -7,2: two decimals.
        let d = Difference::between(50.94, 43.76, 1);
        assert_eq!(d.decimals, 2);
        assert!((d.shown_change() - -7.18).abs() < 1e-9);
    }
}
