//! The yearly progress report for the mixed commission, as typed data.

use super::funnel::{self, Funnel, Position};
use super::quality::{CheckOutcome, Completeness, Late, RegisterEntry};
use super::{
    Basis, ClosedPrison, Figure, Marked, RunInfo, SourceYears, Unit, assess_total, closed_prisons,
    data_years, missing, open_in, prison_name, rests_on_samples,
};
use crate::assess::{self, Assessment, Status};
use crate::contract::Source;
use crate::disclosure::{Disclosure, Shown};
use crate::engine::Evaluation;
use crate::load::Sources;
use crate::model::{ActionStatus, Direction, Indicator, IndicatorKind, Model};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Serialize)]
pub struct YearReport {
    pub year: i32,
    pub plan_title: String,
    /// The plan version the report assesses against.
    pub plan_version: PlanVersion,
    pub run: RunInfo,
    /// True when any baseline or target shown is a sample value (`VOORBEELD`).
    pub uses_samples: bool,
    /// True when the plan's action statuses are sample values (`statussen_voorbeeld`): each
    /// is marked `VOORBEELD` where it is shown.
    pub sample_statuses: bool,
    /// Per objective: its actions and the indicators it is the first to follow.
    pub summary: Vec<ObjectiveSummary>,
    /// The objectives' indicators, each once (under the first objective that follows it):
    /// the count per status, the sum of the objectives' counts in `summary`.
    pub indicator_counts: Vec<(Status, usize)>,
    /// The context indicators (linked to no objective, in `context`): the count per status.
    pub context_counts: Vec<(Status, usize)>,
    pub movers: Vec<Mover>,
    pub attention: Vec<Attention>,
    pub objectives: Vec<ObjectiveSection>,
    /// Indicators linked to no objective (context figures).
    pub context: Vec<IndicatorRow>,
    pub equal_access: EqualAccess,
    /// Release cohorts of the report year and the two before it (COHORTS.md).
    pub cohorts: super::cohort::CohortReport,
    pub quality: Quality,
    pub method: Vec<MethodEntry>,
    pub thresholds: Thresholds,
    pub provenance: Vec<ProvenanceEntry>,
    /// The approval of the year the report follows (`hdv approve`), with every figure that
    /// differs since; set by the command when the year has one.
    pub approval: Option<super::approval::ApprovalNote>,
    /// The disclosure ledger the report was published from (indicators and cohorts) and
    /// what it found.
    pub protection: Protection,
}

/// The disclosure ledger of a published output, for its provenance.
#[derive(Debug, Clone, Serialize)]
pub struct Protection {
    /// `plans/afscherming.yaml`, or `None` for the defaults.
    pub policy_file: Option<String>,
    pub policy: crate::model::Policy,
    /// The cells of the output's years.
    pub summary: crate::protect::Summary,
}

impl Protection {
    pub(crate) fn of(d: &Disclosure, years: std::ops::RangeInclusive<i32>) -> Protection {
        Protection {
            policy_file: d.policy().file.clone(),
            policy: d.policy().clone(),
            summary: d.ledger().summary(d.policy(), Some(years)),
        }
    }
}

/// Which plan, and which version of it, a report assesses against.
#[derive(Debug, Clone, Serialize)]
pub struct PlanVersion {
    /// The plan's name (`2020-2025`).
    pub plan: String,
    /// The version in words (`versie na de herziening van 22 december 2023 (…)`).
    pub label: String,
    /// A revision applied is still provisional (its content not yet copied).
    pub provisional: bool,
}

impl PlanVersion {
    pub(crate) fn of(p: &crate::model::Plan) -> PlanVersion {
        PlanVersion {
            plan: p.id.clone(),
            label: p.version_label(),
            provisional: p.version.applied.iter().any(|r| r.voorlopig),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct ObjectiveSummary {
    pub id: String,
    pub title: String,
    pub actions: Vec<(ActionStatus, usize)>,
    /// Indicators counted under this objective (each indicator under one objective only).
    pub indicators: Vec<(Status, usize)>,
    /// The indicators (id, title) counted under this objective that need attention.
    pub off_track: Vec<(String, String)>,
    /// The delayed actions (ids) of this objective.
    pub delayed: Vec<String>,
}

/// A figure that moved most since last year.
#[derive(Debug, Serialize)]
pub struct Mover {
    pub id: String,
    pub title: String,
    pub unit: Unit,
    pub from: f64,
    pub to: f64,
    /// Percentage points for rates, relative change (fraction) otherwise.
    pub change: Change,
    /// `Some(true)` better, `Some(false)` worse, `None` a context figure.
    pub better: Option<bool>,
    /// For a rate over persons or events: whether the change passes a 95 % test.
    pub significant: Option<bool>,
    /// Both values rest on sample values (`VOORBEELD`).
    pub sample: bool,
}

#[derive(Debug, Clone, Copy, Serialize)]
#[serde(tag = "soort", content = "waarde", rename_all = "snake_case")]
pub enum Change {
    /// A rate or a difference: the change in percentage points, shown so it agrees with the
    /// two values.
    Points(super::Difference),
    Relative(f64),
}

/// Something the commission should look at.
#[derive(Debug, Serialize)]
#[serde(tag = "soort", rename_all = "snake_case")]
pub enum Attention {
    Indicator {
        id: String,
        title: String,
        objective: Option<String>,
        status: Status,
        assessment: Assessment,
        value: Figure,
    },
    Action {
        id: String,
        title: Title,
        objective: String,
        note: Option<String>,
    },
    /// A figure of the report year without data in one of its sources.
    NoData {
        id: String,
        title: String,
        sources: Vec<Basis>,
    },
}

/// An action's title; a provisional one is marked, never repeated.
#[derive(Debug, Clone, Serialize)]
pub struct Title {
    pub text: String,
    pub provisional: bool,
}

#[derive(Debug, Serialize)]
pub struct ActionRow {
    pub id: String,
    pub title: Title,
    pub lead: String,
    pub status: ActionStatus,
    pub note: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ObjectiveSection {
    pub id: String,
    pub title: String,
    pub actions: Vec<ActionRow>,
    pub action_counts: Vec<(ActionStatus, usize)>,
    pub indicators: Vec<IndicatorRow>,
}

/// One indicator in the report year: its figure, assessment and series.
#[derive(Debug, Serialize)]
pub struct IndicatorRow {
    pub id: String,
    pub title: String,
    /// The unit as a reader reads it (`%`, `personen`, `dagen`, ...).
    pub unit_label: String,
    pub value: Figure,
    /// Rates: numerator and denominator (when the value may be shown).
    pub fraction: Option<(f64, f64)>,
    pub baseline: Option<Marked>,
    pub target: Option<Marked>,
    pub assessment: Assessment,
    /// Years up to the report year, each as published.
    pub series: Vec<(i32, Figure)>,
    /// (year, low, high): the 95 % interval of each published year, for rates over persons
    /// or events (empty otherwise).
    pub band: Vec<(i32, f64, f64)>,
    /// Years from which the definition changed (breaks in the series), within the series.
    pub breaks: Vec<i32>,
    /// The path from the baseline through the targets, for the chart.
    pub path: Vec<(i32, f64)>,
    /// Breakdowns shown under the total (declared in the indicator's YAML).
    pub breakdowns: Vec<Breakdown>,
    /// What the figure rests on that has nothing in the report year (then the value is "geen
    /// gegevens").
    pub no_data: Vec<Basis>,
    /// Expected deliveries of its sources missing in the report year: (supplier, source).
    pub incomplete: Vec<(String, Source)>,
    /// The objective this indicator is counted under when it is not this section's own.
    pub counted_under: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Breakdown {
    pub dimension: String,
    pub cells: Vec<BreakdownCell>,
}

#[derive(Debug, Serialize)]
pub struct BreakdownCell {
    pub label: String,
    pub value: Figure,
    pub fraction: Option<(f64, f64)>,
}

/// The figures compared across the prisons open in the year.
#[derive(Debug, Serialize)]
pub struct EqualAccess {
    pub columns: Vec<AccessColumn>,
    pub rows: Vec<AccessRow>,
    pub flanders: Vec<Figure>,
    /// Prisons left out because they were closed or not yet open in the year.
    pub closed: Vec<ClosedPrison>,
    /// Per rate column: the sum of the prisons' denominators against the Flemish one (a
    /// person who stayed in several prisons counts in each).
    pub denominators: Vec<Option<(f64, f64)>>,
    /// One funnel per compared rate column, in column order.
    pub funnels: Vec<Funnel>,
    /// Which offer exists in which prison open in the year.
    pub offers: super::offer::OfferTable,
    /// Offer, sessions, FTE and funding from the linked-data deliveries (OSLO), when the
    /// year has them.
    pub oslo: Option<super::oslo::OsloSection>,
}

#[derive(Debug, Serialize)]
pub struct AccessColumn {
    pub id: String,
    pub title: String,
    pub unit_label: String,
    /// Rates are compared with control limits; counts and medians are shown, not judged.
    pub compared: bool,
}

#[derive(Debug, Serialize)]
pub struct AccessRow {
    pub prison: String,
    pub cells: Vec<AccessCell>,
}

#[derive(Debug, Serialize)]
pub struct AccessCell {
    pub value: Figure,
    /// For a compared rate: where it lies in the funnel of its column.
    pub position: Option<Position>,
}

#[derive(Debug, Serialize)]
pub struct Quality {
    pub figures: Vec<QualityRow>,
    /// Per source: the years with rows (and whether the report year is among them).
    pub coverage: Vec<SourceYears>,
    pub missing_sources: Vec<Source>,
    pub skipped: Vec<(String, Vec<Source>)>,
    /// Warnings of the loader, in words, one per file and kind.
    pub warnings: Vec<String>,
    /// The expected deliveries against what arrived, for the years up to the report year
    /// (empty when the project expects none).
    pub completeness: Vec<Completeness>,
    /// Indicators whose sources lack an expected delivery in the report year.
    pub incomplete: Vec<IncompleteIndicator>,
    /// The deliveries with rows in the report year: their cells, the cells later deliveries
    /// replace in them and those they replace (empty for a data folder without folders of
    /// deliveries).
    pub register: Vec<RegisterEntry>,
    /// Expected deliveries of the years up to the report year that are late at the date of
    /// the report.
    pub late: Vec<Late>,
    /// The checks across sources (`plans/controles.yaml`) for the report year, counts per
    /// prison and partner (empty when there are no rules).
    pub checks: Vec<CheckOutcome>,
}

/// An indicator that rests on an incomplete delivery in the report year.
#[derive(Debug, Serialize)]
pub struct IncompleteIndicator {
    pub id: String,
    pub title: String,
    /// The missing deliveries: (supplier, source).
    pub missing: Vec<(String, Source)>,
}

/// What the yearly report shows besides the figures, computed over the registered tables:
/// the release rows of the cohort section (the report year and the two before it) and the
/// outcomes of the checks across sources at 31 December of the report year. Empty: no
/// cohorts, no checks.
#[derive(Debug, Clone, Copy, Default)]
pub struct Extras<'a> {
    pub releases: &'a [crate::cohort::ReleaseRow],
    pub checks: &'a [crate::checks::Outcome],
}

/// The outcomes of the checks across sources as the yearly report shows them: per rule the
/// rows of `year` (rows without a year count at the reference date, 31 December), counted
/// per prison and partner.
/// The checks' outcomes of `year` as the report publishes them: a small count of rows (rows
/// are registrations about persons) is marked small.
fn checks_of_year(
    outcomes: &[crate::checks::Outcome],
    year: i32,
    policy: &crate::model::Policy,
) -> Vec<CheckOutcome> {
    let of_year: Vec<crate::checks::Outcome> =
        outcomes.iter().map(|o| o.clone().for_year(year)).collect();
    let mut out = super::quality::check_outcomes(&of_year);
    for c in out.iter_mut().flat_map(|o| o.counts.iter_mut()) {
        c.small = policy.small(c.rows as f64);
    }
    for a in out.iter_mut().flat_map(|o| o.accepted.iter_mut()) {
        a.small = policy.small(a.rows as f64);
    }
    out
}

#[derive(Debug, Serialize)]
pub struct QualityRow {
    pub title: String,
    pub value: Figure,
    pub meaning: String,
}

#[derive(Debug, Serialize)]
pub struct MethodEntry {
    pub id: String,
    pub title: String,
    pub description: String,
    pub unit_label: String,
    pub numerator: String,
    pub denominator: String,
    pub reading: String,
    pub sources: Vec<String>,
    pub breakdowns: Vec<String>,
    pub method: crate::model::ProgressMethod,
    pub baseline: Option<Marked>,
    pub targets: Vec<(Marked, Option<String>)>,
    pub unit: Unit,
    /// A rate over persons or events (interval and tests apply).
    pub sampled: bool,
}

#[derive(Debug, Serialize)]
pub struct Thresholds {
    pub on_track: f64,
    pub min_denominator: f64,
    pub small_label: String,
    pub small_denominator: f64,
}

#[derive(Debug, Serialize)]
pub struct ProvenanceEntry {
    pub source: Source,
    pub file: String,
    pub sha256: String,
    pub rows: usize,
}

/// Why there is no report for a year: no source has rows in it.
#[derive(Debug)]
pub struct NoDataForYear {
    pub year: i32,
    pub coverage: Vec<SourceYears>,
}

/// The break years of `ind` that fall after the first year of `series` and not after its
/// last: a break at the first year shown has nothing before it to differ from.
pub(crate) fn series_breaks(ind: &Indicator, series: &[(i32, Figure)]) -> Vec<i32> {
    let (Some(first), Some(last)) = (series.first(), series.last()) else {
        return Vec::new();
    };
    let mut b: Vec<i32> = ind
        .breuken
        .iter()
        .map(|b| b.jaar)
        .filter(|y| *y > first.0 && *y <= last.0)
        .collect();
    b.sort();
    b
}

/// The objective an indicator is counted under: the first in plan order that follows it.
pub(super) fn primary_objective<'a>(model: &'a Model, ind: &Indicator) -> Option<&'a str> {
    model
        .plan
        .doelstellingen
        .iter()
        .find(|o| follows(model, &o.id, ind))
        .map(|o| o.id.as_str())
}

/// An objective follows an indicator linked to it directly or through one of its actions.
pub(super) fn follows(model: &Model, objective: &str, ind: &Indicator) -> bool {
    ind.doelstellingen.iter().any(|d| d == objective)
        || model
            .plan
            .acties
            .iter()
            .any(|a| a.doelstelling == objective && a.indicatoren.contains(&ind.id))
}

fn count_by<T: Copy + PartialEq>(items: &[T], order: &[T]) -> Vec<(T, usize)> {
    order
        .iter()
        .map(|&s| (s, items.iter().filter(|&&x| x == s).count()))
        .filter(|c| c.1 > 0)
        .collect()
}

fn marked_baseline(ind: &Indicator) -> Option<Marked> {
    ind.basislijn.as_ref().map(|b| Marked {
        year: b.jaar,
        value: b.waarde,
        sample: b.voorbeeld,
    })
}

pub(super) fn fraction(
    ind: &Indicator,
    o: Option<&crate::engine::Observation>,
    shown: &Figure,
) -> Option<(f64, f64)> {
    match (ind.soort, o, shown.shown) {
        (IndicatorKind::Aandeel, Some(o), Shown::Value(_)) => o.numerator.zip(o.denominator),
        _ => None,
    }
}

pub(super) struct Ctx<'a> {
    pub(super) model: &'a Model,
    pub(super) eval: &'a Evaluation,
    pub(super) year: i32,
    pub(super) d: &'a Disclosure,
    pub(super) coverage: &'a [SourceYears],
    /// Expected deliveries against what arrived.
    pub(super) completeness: &'a [crate::load::CompletenessRow],
}

impl Ctx<'_> {
    pub(super) fn figure(
        &self,
        ind: &Indicator,
        year: i32,
        o: Option<&crate::engine::Observation>,
    ) -> Figure {
        if !self.missing(ind, year).is_empty() {
            Figure::no_data(ind)
        } else {
            Figure {
                sample: rests_on_samples(self.model, ind),
                ..Figure::of(ind, o, self.d)
            }
        }
    }

    /// What `ind` rests on that has nothing in `year` (see [`missing`]).
    pub(super) fn missing(&self, ind: &Indicator, year: i32) -> Vec<Basis> {
        missing(self.model, ind, year, self.coverage)
    }

    pub(super) fn indicator_row(&self, ind: &Indicator, section: Option<&str>) -> IndicatorRow {
        let year = self.year;
        let cur = self.eval.total(&ind.id, year);
        let no_data = self.missing(ind, year);
        let value = self.figure(ind, year, cur);
        let assessment = assess_total(self.model, ind, self.eval, year, self.d, self.coverage);
        // The target of the year is shown even when nothing can be assessed against it.
        let target = assess::Goal::flemish(ind)
            .target_for(year, None)
            .map(|t| Marked {
                year: t.jaar,
                value: t.waarde,
                sample: t.voorbeeld,
            });
        let mut path = Vec::new();
        if let Some(b) = &ind.basislijn {
            let mut targets: Vec<_> = ind
                .doelen
                .iter()
                .filter(|t| t.gevangenis.is_none())
                .collect();
            targets.sort_by_key(|t| t.jaar);
            if !targets.is_empty() {
                path.push((b.jaar, b.waarde));
                path.extend(targets.iter().map(|t| (t.jaar, t.waarde)));
            }
        }
        let series: Vec<(i32, Figure)> = self
            .eval
            .of(&ind.id)
            .filter(|o| o.is_total() && o.year <= year)
            .map(|o| (o.year, self.figure(ind, o.year, Some(o))))
            .collect();
        // The 95 % interval of every published year, for rates over persons or events.
        let band = if assess::Spec::of(ind).sampled {
            self.eval
                .of(&ind.id)
                .filter(|o| o.is_total() && o.year <= year)
                .filter(|o| matches!(self.figure(ind, o.year, Some(o)).shown, Shown::Value(_)))
                .filter_map(|o| {
                    let (lo, hi) = assess::wilson(o.numerator?, o.denominator?)?;
                    Some((o.year, lo, hi))
                })
                .collect()
        } else {
            Vec::new()
        };
        let breaks = series_breaks(ind, &series);
        let breakdowns = ind
            .rapport_uitsplitsingen
            .iter()
            .map(|dim| Breakdown {
                dimension: dim.clone(),
                cells: self
                    .eval
                    .of(&ind.id)
                    .filter(|o| o.year == year && o.dim.as_ref().is_some_and(|d| &d.name == dim))
                    .map(|o| {
                        let value = self.figure(ind, year, Some(o));
                        BreakdownCell {
                            label: o.dim.as_ref().map(|d| d.value.clone()).unwrap_or_default(),
                            fraction: fraction(ind, Some(o), &value),
                            value,
                        }
                    })
                    .collect(),
            })
            .collect();
        let primary = primary_objective(self.model, ind);
        IndicatorRow {
            id: ind.id.clone(),
            title: ind.titel.clone(),
            unit_label: ind.eenheid.clone(),
            fraction: fraction(ind, cur, &value),
            value,
            baseline: marked_baseline(ind),
            target,
            assessment,
            series,
            band,
            breaks,
            path,
            breakdowns,
            no_data,
            incomplete: super::missing_deliveries(ind, year, self.completeness),
            counted_under: match (section, primary) {
                (Some(s), Some(p)) if s != p => Some(p.to_string()),
                _ => None,
            },
        }
    }
}

/// Builds the report for `year`; refuses a year in which no source has rows.
pub fn build(
    model: &Model,
    eval: &Evaluation,
    sources: &Sources,
    year: i32,
    run: RunInfo,
    d: &Disclosure,
    extras: Extras,
) -> Result<YearReport, NoDataForYear> {
    let coverage = data_years(sources);
    if !coverage.iter().any(|c| c.has(year)) {
        return Err(NoDataForYear { year, coverage });
    }
    let cx = Ctx {
        model,
        eval,
        year,
        d,
        coverage: &coverage,
        completeness: &sources.completeness,
    };
    let generated = run.generated.clone();

    // Each indicator once: its row and status, counted under its primary objective.
    let ObjectiveParts {
        status_of,
        objectives,
        summary,
        mut attention,
    } = objective_sections(&cx);
    let context: Vec<IndicatorRow> = model
        .indicators
        .iter()
        .filter(|i| primary_objective(model, i).is_none())
        .map(|i| cx.indicator_row(i, None))
        .collect();
    for r in &context {
        if r.assessment.status.needs_attention() {
            attention.push(Attention::Indicator {
                id: r.id.clone(),
                title: r.title.clone(),
                objective: None,
                status: r.assessment.status,
                assessment: r.assessment.clone(),
                value: r.value,
            });
        }
    }
    let all: Vec<Status> = status_of.values().copied().collect();
    let uses_samples = model.indicators.iter().any(|i| {
        i.basislijn.as_ref().is_some_and(|b| b.voorbeeld) || i.doelen.iter().any(|t| t.voorbeeld)
    });
    // The report year and the two before it: the recent cohorts have the shortest
    // follow-up, which is what the censoring in Kaplan-Meier is for.
    let cohort_years: Vec<i32> = super::window::Window::yearly(&model.plan, year)
        .releases()
        .iter()
        .filter(|y| extras.releases.iter().any(|r| r.year == *y))
        .collect();
    let (cohorts, published) = super::cohort::publish(
        &crate::cohort::cohort_section(extras.releases, &cohort_years),
        d,
    );
    let first = eval
        .observations
        .iter()
        .map(|o| o.year)
        .min()
        .unwrap_or(year);

    Ok(YearReport {
        year,
        plan_title: model.plan.titel.clone(),
        plan_version: PlanVersion::of(&model.plan),
        run,
        uses_samples,
        sample_statuses: model.plan.statussen_voorbeeld,
        summary,
        indicator_counts: count_by(&all, &Status::ALL),
        context_counts: count_by(
            &context
                .iter()
                .map(|r| r.assessment.status)
                .collect::<Vec<_>>(),
            &Status::ALL,
        ),
        movers: movers(&cx),
        attention,
        objectives,
        context,
        equal_access: equal_access(&cx, sources),
        cohorts,
        quality: Quality {
            checks: checks_of_year(extras.checks, year, d.policy()),
            ..quality(&cx, sources, &generated)
        },
        method: model.indicators.iter().map(method_entry).collect(),
        thresholds: Thresholds {
            on_track: assess::ON_TRACK,
            min_denominator: assess::DEFAULT_MIN_DENOMINATOR,
            small_label: d.small_label(),
            small_denominator: d.min_denominator(),
        },
        provenance: provenance(sources),
        protection: Protection::of(&published, first..=year),
        approval: None,
    })
}

/// What the sections per objective give the report.
struct ObjectiveParts {
    /// The status of every indicator, under its primary objective only.
    status_of: BTreeMap<String, Status>,
    objectives: Vec<ObjectiveSection>,
    summary: Vec<ObjectiveSummary>,
    attention: Vec<Attention>,
}

/// The section and the summary line of every objective, and what needs attention in them.
fn objective_sections(cx: &Ctx) -> ObjectiveParts {
    let (model, year) = (cx.model, cx.year);
    let mut status_of: BTreeMap<String, Status> = BTreeMap::new();
    let mut objectives = Vec::new();
    let mut summary = Vec::new();
    let mut attention = Vec::new();
    for o in &model.plan.doelstellingen {
        let acts: Vec<_> = model
            .plan
            .acties
            .iter()
            .filter(|a| a.doelstelling == o.id)
            .collect();
        let actions: Vec<ActionRow> = acts
            .iter()
            .map(|a| {
                let (s, t) = a.status_in(year);
                ActionRow {
                    id: a.id.clone(),
                    title: Title {
                        text: a.titel.clone(),
                        provisional: a.voorlopige_titel,
                    },
                    lead: a.trekker.clone(),
                    status: s,
                    note: t.map(str::to_string),
                }
            })
            .collect();
        let statuses: Vec<ActionStatus> = actions.iter().map(|a| a.status).collect();
        let rows: Vec<IndicatorRow> = model
            .indicators
            .iter()
            .filter(|i| follows(model, &o.id, i))
            .map(|i| cx.indicator_row(i, Some(&o.id)))
            .collect();
        let mut own = Vec::new();
        let mut off_track = Vec::new();
        let mut delayed = Vec::new();
        for r in rows.iter().filter(|r| r.counted_under.is_none()) {
            status_of.insert(r.id.clone(), r.assessment.status);
            own.push(r.assessment.status);
            if r.assessment.status.needs_attention() {
                off_track.push((r.id.clone(), r.title.clone()));
                attention.push(Attention::Indicator {
                    id: r.id.clone(),
                    title: r.title.clone(),
                    objective: Some(o.id.clone()),
                    status: r.assessment.status,
                    assessment: r.assessment.clone(),
                    value: r.value,
                });
            } else if !r.no_data.is_empty() {
                attention.push(Attention::NoData {
                    id: r.id.clone(),
                    title: r.title.clone(),
                    sources: r.no_data.clone(),
                });
            }
        }
        for a in actions
            .iter()
            .filter(|a| a.status == ActionStatus::Vertraagd)
        {
            delayed.push(a.id.clone());
            attention.push(Attention::Action {
                id: a.id.clone(),
                title: a.title.clone(),
                objective: o.id.clone(),
                note: a.note.clone(),
            });
        }
        summary.push(ObjectiveSummary {
            id: o.id.clone(),
            title: o.korte_titel.clone().unwrap_or_else(|| o.titel.clone()),
            actions: count_by(&statuses, &ActionStatus::ALL),
            indicators: count_by(&own, &Status::ALL),
            off_track,
            delayed,
        });
        objectives.push(ObjectiveSection {
            id: o.id.clone(),
            title: o.titel.clone(),
            action_counts: count_by(&statuses, &ActionStatus::ALL),
            actions,
            indicators: rows,
        });
    }
    ObjectiveParts {
        status_of,
        objectives,
        summary,
        attention,
    }
}

/// Every source file with its hash and rows; for a folder of deliveries, every delivery
/// whose rows are used (a replaced delivery is not).
pub(super) fn provenance(sources: &Sources) -> Vec<ProvenanceEntry> {
    sources
        .files
        .iter()
        .flat_map(|f| {
            let ds: Vec<ProvenanceEntry> = sources
                .deliveries
                .iter()
                .filter(|d| d.source == f.source && d.active() && d.path != f.path)
                .map(|d| ProvenanceEntry {
                    source: d.source,
                    file: d.name.clone(),
                    sha256: d.sha256.clone(),
                    rows: d.rows,
                })
                .collect();
            if ds.is_empty() {
                vec![ProvenanceEntry {
                    source: f.source,
                    file: f.file_name(),
                    sha256: f.sha256.clone(),
                    rows: f.rows,
                }]
            } else {
                ds
            }
        })
        .collect()
}

/// What moved most: the five largest changes since last year among published figures,
/// in percentage points for rates (a tenth weighs like 1 % of a count), relative otherwise.
fn movers(cx: &Ctx) -> Vec<Mover> {
    let year = cx.year;
    let mut out: Vec<(f64, Mover)> = Vec::new();
    for ind in &cx.model.indicators {
        if !cx.missing(ind, year).is_empty() || !cx.missing(ind, year - 1).is_empty() {
            continue;
        }
        let (Some(a), Some(b)) = (
            cx.eval.total(&ind.id, year - 1),
            cx.eval.total(&ind.id, year),
        ) else {
            continue;
        };
        let (fa, fb) = (
            cx.figure(ind, year - 1, Some(a)),
            cx.figure(ind, year, Some(b)),
        );
        let (Some(va), Some(vb)) = (fa.value(), fb.value()) else {
            continue;
        };
        if va == vb {
            continue;
        }
        let (size, change) =
            if matches!(ind.soort, IndicatorKind::Aandeel | IndicatorKind::Verschil) {
                (
                    (vb - va).abs() / 10.0,
                    Change::Points(super::Difference::between(va, vb, 1)),
                )
            } else if va != 0.0 {
                (
                    (vb - va).abs() / va.abs(),
                    Change::Relative((vb - va) / va.abs()),
                )
            } else {
                continue;
            };
        let spec = assess::Spec::of(ind);
        let significant = match (
            spec.sampled,
            a.numerator,
            a.denominator,
            b.numerator,
            b.denominator,
        ) {
            (true, Some(k0), Some(n0), Some(k1), Some(n1)) => {
                Some(assess::significant_change(k0, n0, k1, n1))
            }
            _ => None,
        };
        out.push((
            size,
            Mover {
                id: ind.id.clone(),
                title: ind.titel.clone(),
                unit: Unit::of(ind),
                from: va,
                to: vb,
                change,
                better: match ind.richting {
                    Direction::HogerIsBeter => Some(vb > va),
                    Direction::LagerIsBeter => Some(vb < va),
                    Direction::Neutraal => None,
                },
                significant,
                sample: fa.sample || fb.sample,
            },
        ));
    }
    out.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.id.cmp(&b.1.id)));
    out.into_iter().take(5).map(|(_, m)| m).collect()
}

fn equal_access(cx: &Ctx, sources: &Sources) -> EqualAccess {
    let year = cx.year;
    let inds: Vec<&Indicator> = cx
        .model
        .layout
        .gelijke_toegang
        .iter()
        .filter_map(|id| cx.model.indicator(id))
        .collect();
    let mut prisons: Vec<&str> = cx
        .eval
        .observations
        .iter()
        .filter(|o| o.year == year && inds.iter().any(|i| i.id == o.indicator))
        .filter_map(|o| {
            o.dim
                .as_ref()
                .filter(|d| d.name == "gevangenis")
                .map(|d| d.value.as_str())
        })
        .filter(|p| open_in(cx.model, p, year))
        .collect();
    prisons.sort_by_key(|p| prison_name(cx.model, p));
    prisons.dedup();
    // One funnel per compared rate, over the published cells of the open prisons.
    let funnels = funnels(cx, &inds, &prisons);
    let rows = prisons
        .iter()
        .map(|p| AccessRow {
            prison: prison_name(cx.model, p),
            cells: inds
                .iter()
                .zip(&funnels)
                .map(|(ind, f)| {
                    let o = cx
                        .eval
                        .of(&ind.id)
                        .find(|o| o.year == year && o.is_cell("gevangenis", p));
                    AccessCell {
                        value: cx.figure(ind, year, o),
                        position: f
                            .as_ref()
                            .and_then(|f| f.points.iter().find(|x| x.code == *p))
                            .map(|x| x.position),
                    }
                })
                .collect(),
        })
        .collect();
    EqualAccess {
        columns: inds
            .iter()
            .map(|i| AccessColumn {
                id: i.id.clone(),
                title: i.titel.clone(),
                unit_label: i.eenheid.clone(),
                compared: i.soort == IndicatorKind::Aandeel,
            })
            .collect(),
        flanders: inds
            .iter()
            .map(|i| cx.figure(i, year, cx.eval.total(&i.id, year)))
            .collect(),
        denominators: inds
            .iter()
            .map(|i| {
                if i.soort != IndicatorKind::Aandeel {
                    return None;
                }
                let total = cx.eval.total(&i.id, year)?;
                let flemish = total.denominator?;
                // Both sums are published: only when every denominator behind them is (a
                // sum over prisons with one hidden would give it away).
                let shown = |o: &crate::engine::Observation| {
                    matches!(cx.d.published(i, o).denominator, Shown::Value(_))
                };
                let prisons: Vec<&crate::engine::Observation> = cx
                    .eval
                    .of(&i.id)
                    .filter(|o| {
                        o.year == year && o.dim.as_ref().is_some_and(|d| d.name == "gevangenis")
                    })
                    .collect();
                if !shown(total) || !prisons.iter().all(|o| shown(o)) {
                    return None;
                }
                let sum: f64 = prisons.iter().filter_map(|o| o.denominator).sum();
                Some((sum, flemish))
            })
            .collect(),
        closed: closed_prisons(cx.model, year),
        rows,
        funnels: funnels.into_iter().flatten().collect(),
        offers: super::offer::offer_table(cx.model, sources, year),
        oslo: super::oslo::section(cx.model, cx.eval, sources, year, cx.d),
    }
}

/// One funnel per compared rate, over the published cells of the open prisons.
fn funnels(cx: &Ctx, inds: &[&Indicator], prisons: &[&str]) -> Vec<Option<Funnel>> {
    let year = cx.year;
    inds.iter()
        .map(|ind| {
            if ind.soort != IndicatorKind::Aandeel {
                return None;
            }
            let cells = prisons
                .iter()
                .filter_map(|p| {
                    let o = cx
                        .eval
                        .of(&ind.id)
                        .find(|o| o.year == year && o.is_cell("gevangenis", p))?;
                    let Shown::Value(rate) = cx.figure(ind, year, Some(o)).shown else {
                        return None;
                    };
                    Some(funnel::Cell {
                        code: p.to_string(),
                        prison: prison_name(cx.model, p),
                        numerator: o.numerator?,
                        denominator: o.denominator?,
                        rate,
                    })
                })
                .collect();
            funnel::build(&ind.id, &ind.titel, year, cells)
        })
        .collect()
}

fn quality(cx: &Ctx, sources: &Sources, generated: &str) -> Quality {
    // Lateness at the date of the report.
    let today = chrono::NaiveDate::parse_from_str(generated, "%Y-%m-%d")
        .unwrap_or_else(|_| chrono::Utc::now().date_naive());
    Quality {
        figures: cx
            .model
            .layout
            .datakwaliteit
            .iter()
            .filter_map(|q| {
                let ind = cx.model.indicator(&q.indicator)?;
                Some(QualityRow {
                    title: ind.titel.clone(),
                    value: cx.figure(ind, cx.year, cx.eval.total(&ind.id, cx.year)),
                    meaning: q.uitleg.clone(),
                })
            })
            .collect(),
        coverage: cx.coverage.to_vec(),
        missing_sources: sources.missing.clone(),
        skipped: cx.eval.skipped.clone(),
        // Each with the delivery file it is about (a source has several once deliveries
        // arrive per partner and year).
        warnings: sources
            .warnings
            .iter()
            .map(|w| format!("{}: {}", w.location, w.message))
            .collect(),
        completeness: super::quality::completeness(&sources.completeness, Some(cx.year)),
        late: super::quality::late(&sources.completeness, Some(cx.year), today),
        incomplete: incomplete_indicators(cx, sources),
        register: super::quality::register(sources, Some(cx.year)),
        checks: Vec::new(),
    }
}

/// The indicators of the report whose sources miss an expected delivery in the report year.
fn incomplete_indicators(cx: &Ctx, sources: &Sources) -> Vec<IncompleteIndicator> {
    cx.model
        .indicators
        .iter()
        .filter_map(|ind| {
            let missing = super::missing_deliveries(ind, cx.year, &sources.completeness);
            (!missing.is_empty()).then(|| IncompleteIndicator {
                id: ind.id.clone(),
                title: ind.titel.clone(),
                missing,
            })
        })
        .collect()
}

pub(super) fn method_entry(i: &Indicator) -> MethodEntry {
    MethodEntry {
        id: i.id.clone(),
        title: i.titel.clone(),
        description: i.beschrijving.trim().into(),
        unit_label: i.eenheid.clone(),
        numerator: i.teller.clone().unwrap_or_default().trim().into(),
        denominator: i.noemer.clone().unwrap_or_default().trim().into(),
        reading: i.interpretatie.clone().unwrap_or_default().trim().into(),
        sources: i.bronnen.clone(),
        breakdowns: i.uitsplitsingen.clone(),
        method: i.methode,
        baseline: marked_baseline(i),
        targets: i
            .doelen
            .iter()
            .map(|t| {
                (
                    Marked {
                        year: t.jaar,
                        value: t.waarde,
                        sample: t.voorbeeld,
                    },
                    t.gevangenis.clone(),
                )
            })
            .collect(),
        unit: Unit::of(i),
        sampled: assess::Spec::of(i).sampled,
    }
}

/// Every figure of the report's year as published: per indicator its total and the breakdowns
/// shown under it, and the prisons compared in the equal-access section. Each once, in report
/// order.
pub fn published(report: &YearReport, model: &Model) -> Vec<super::approval::PublishedFigure> {
    use super::approval::{PublishedFigure, Recorded};
    let mut out: Vec<PublishedFigure> = Vec::new();
    let mut push = |indicator: &str, breakdown: String, shown: &Shown| {
        if !out
            .iter()
            .any(|f| f.indicator == indicator && f.breakdown == breakdown)
        {
            out.push(PublishedFigure {
                indicator: indicator.to_string(),
                breakdown,
                value: Recorded::of(shown),
            });
        }
    };
    let rows = report
        .objectives
        .iter()
        .flat_map(|o| &o.indicators)
        .chain(&report.context);
    for r in rows {
        push(&r.id, String::new(), &r.value.shown);
        for b in &r.breakdowns {
            for c in &b.cells {
                push(
                    &r.id,
                    format!("{}={}", b.dimension, c.label),
                    &c.value.shown,
                );
            }
        }
    }
    let ea = &report.equal_access;
    for row in &ea.rows {
        // The section names prisons; the record keeps their code.
        let code = model
            .prisons
            .iter()
            .find(|p| p.naam == row.prison)
            .map_or(row.prison.as_str(), |p| p.code.as_str());
        for (col, cell) in ea.columns.iter().zip(&row.cells) {
            push(&col.id, format!("gevangenis={code}"), &cell.value.shown);
        }
    }
    out
}
