//! The final evaluation (eindevaluatie) of a plan over its whole period, as typed data: per
//! objective and action what was realised, delayed, cancelled or added at a revision, with
//! dates; every indicator from its baseline to the last year against its end target; what the
//! local action plans covered; what remains open for the next plan.
//!
//! It assesses against the plan's last version (every revision applied) and says so; the
//! figures use the same assessment and the same honesty marks as the yearly report.

use super::yearly::{Ctx, IndicatorRow, MethodEntry, PlanVersion, ProvenanceEntry, Title};
use super::{RunInfo, SourceYears, data_years};
use crate::assess::Status;
use crate::disclosure::Disclosure;
use crate::engine::Evaluation;
use crate::load::Sources;
use crate::model::{ActionStatus, EventKind, Model, Plan};
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct FinalEvaluation {
    /// The plan's name (`2020-2025`) and its title.
    pub plan_id: String,
    pub plan_title: String,
    pub first_year: i32,
    pub last_year: i32,
    pub approved: Option<NaiveDate>,
    /// The version assessed against (the last one).
    pub version: PlanVersion,
    pub run: RunInfo,
    /// Baselines or targets shown are sample values (`VOORBEELD`).
    pub uses_samples: bool,
    /// The actions' statuses are sample values (`VOORBEELD`).
    pub sample_statuses: bool,
    pub revisions: Vec<RevisionRow>,
    pub objectives: Vec<ObjectiveOutcome>,
    /// Per final status: the number of actions (all objectives).
    pub action_counts: Vec<(ActionStatus, usize)>,
    /// Actions added at a revision; `None` while a revision is provisional (its changes are
    /// not yet copied from the decision, so the count would rest on nothing).
    pub added: Option<usize>,
    /// Every indicator, assessed in the last year, its series from the baseline on.
    pub indicators: Vec<IndicatorRow>,
    /// Per indicator (same order): whether its end target was reached.
    pub end_targets: Vec<EndTarget>,
    /// Per indicator status at the end: the number of indicators.
    pub indicator_counts: Vec<(Status, usize)>,
    pub local: LocalCoverage,
    pub open: Open,
    /// Per source: the years with rows.
    pub coverage: Vec<SourceYears>,
    pub method: Vec<MethodEntry>,
    pub provenance: Vec<ProvenanceEntry>,
}

/// A revision and what it changed.
#[derive(Debug, Serialize)]
pub struct RevisionRow {
    pub date: NaiveDate,
    pub decision: String,
    pub reason: String,
    pub source: Option<String>,
    /// Its content is not yet (fully) copied from the decision.
    pub provisional: bool,
    pub changes: Vec<ChangeRow>,
}

#[derive(Debug, Serialize)]
pub struct ChangeRow {
    pub kind: ChangeKind,
    /// The action or indicator changed.
    pub subject: String,
    /// Fields changed, merged actions, the new target value, the note: as data.
    pub fields: Vec<String>,
    pub target: Option<(i32, f64, bool)>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Added,
    Changed,
    Merged,
    Cancelled,
    Target,
}

#[derive(Debug, Serialize)]
pub struct ObjectiveOutcome {
    pub id: String,
    pub title: Title,
    pub actions: Vec<ActionOutcome>,
    pub counts: Vec<(ActionStatus, usize)>,
    /// The objective's own status at the end, for plans followed per objective.
    pub own_status: Option<(ActionStatus, Option<String>)>,
}

#[derive(Debug, Serialize)]
pub struct ActionOutcome {
    pub id: String,
    pub measure: Option<u32>,
    pub title: Title,
    pub lead: String,
    /// The status at the end of the period.
    pub status: ActionStatus,
    pub note: Option<String>,
    /// The year the final status was registered (e.g. the year realised); `None` without
    /// any registration (then `gepland`).
    pub since: Option<i32>,
    /// Years with a `vertraagd` status during the period.
    pub delayed_in: Vec<i32>,
    /// Added at the revision of this date.
    pub added_at: Option<NaiveDate>,
    /// What revisions did to it, in order: (date, kind, detail).
    pub revised: Vec<(NaiveDate, ChangeKind, String)>,
}

/// An indicator's end target at the end of the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EndTarget {
    Reached,
    NotReached,
    /// No publishable value, or too small a denominator, in the last year.
    Unknown,
    /// Nothing to rest on in the last year (a source without rows, no local plan).
    NoData,
    /// The plan set no target for it.
    NoTarget,
}

impl EndTarget {
    fn of(r: &IndicatorRow) -> EndTarget {
        match (r.target, r.assessment.status) {
            (None, _) => EndTarget::NoTarget,
            (Some(_), Status::Bereikt) => EndTarget::Reached,
            (Some(_), Status::GeenGegevens) => EndTarget::NoData,
            (Some(_), Status::OnvoldoendeGegevens) => EndTarget::Unknown,
            (Some(_), _) if r.value.value().is_none() => EndTarget::Unknown,
            (Some(_), _) => EndTarget::NotReached,
        }
    }
}

/// What the local action plans covered over the period.
#[derive(Debug, Serialize)]
pub struct LocalCoverage {
    pub years: Vec<LocalYear>,
    /// Actions no local plan of the period linked to.
    pub never_covered: Vec<(String, Title)>,
    pub total_actions: usize,
}

#[derive(Debug, Serialize)]
pub struct LocalYear {
    pub year: i32,
    /// Prisons with a local plan that year.
    pub plans: usize,
    /// Prisons open that year.
    pub open_prisons: usize,
    /// Strategic actions of the version of that year linked by at least one local plan.
    pub covered: usize,
    pub actions: usize,
}

/// What remains open for the next plan.
#[derive(Debug, Serialize)]
pub struct Open {
    /// Actions neither realised nor cancelled at the end.
    pub actions: Vec<(String, Title, ActionStatus)>,
    /// Indicators whose end target is not reached (or cannot be judged), with their status.
    pub indicators: Vec<(String, String, Status)>,
}

fn title(text: &str, provisional: bool) -> Title {
    Title {
        text: text.to_string(),
        provisional,
    }
}

fn count_by<T: Copy + PartialEq>(items: &[T], order: &[T]) -> Vec<(T, usize)> {
    order
        .iter()
        .map(|&s| (s, items.iter().filter(|&&x| x == s).count()))
        .filter(|c| c.1 > 0)
        .collect()
}

fn revision_rows(plan: &Plan) -> Vec<RevisionRow> {
    use crate::model::Change;
    let mut revs: Vec<_> = plan.herzieningen.iter().collect();
    revs.sort_by_key(|r| r.datum);
    revs.iter()
        .map(|r| RevisionRow {
            date: r.datum,
            decision: r.beslissing.clone(),
            reason: r.reden.clone(),
            source: r.bron.clone(),
            provisional: r.voorlopig,
            changes: r
                .wijzigingen
                .iter()
                .map(|c| match c {
                    Change::Toevoegen { actie } => ChangeRow {
                        kind: ChangeKind::Added,
                        subject: actie.id.clone(),
                        fields: vec![actie.titel.clone()],
                        target: None,
                        note: None,
                    },
                    Change::Wijzigen {
                        actie,
                        titel,
                        trekker,
                        indicatoren,
                        maatregel,
                        toelichting,
                        ..
                    } => ChangeRow {
                        kind: ChangeKind::Changed,
                        subject: actie.clone(),
                        fields: [
                            titel.as_ref().map(|_| "titel"),
                            trekker.as_ref().map(|_| "trekker"),
                            indicatoren.as_ref().map(|_| "indicatoren"),
                            maatregel.as_ref().map(|_| "maatregel"),
                        ]
                        .into_iter()
                        .flatten()
                        .map(str::to_string)
                        .collect(),
                        target: None,
                        note: toelichting.clone(),
                    },
                    Change::Samenvoegen {
                        acties,
                        naar,
                        toelichting,
                    } => ChangeRow {
                        kind: ChangeKind::Merged,
                        subject: naar.clone(),
                        fields: acties.iter().filter(|a| *a != naar).cloned().collect(),
                        target: None,
                        note: toelichting.clone(),
                    },
                    Change::Schrappen { actie, toelichting } => ChangeRow {
                        kind: ChangeKind::Cancelled,
                        subject: actie.clone(),
                        fields: Vec::new(),
                        target: None,
                        note: toelichting.clone(),
                    },
                    Change::Doel {
                        indicator,
                        jaar,
                        waarde,
                        voorbeeld,
                        gevangenis,
                    } => ChangeRow {
                        kind: ChangeKind::Target,
                        subject: indicator.clone(),
                        fields: gevangenis.iter().cloned().collect(),
                        target: Some((*jaar, *waarde, *voorbeeld)),
                        note: None,
                    },
                })
                .collect(),
        })
        .collect()
}

/// Builds the final evaluation of `model.plan` (the model as [`Model::with_plan`] gives it:
/// the plan's last version and its targets); `eval` holds the indicators' figures from the
/// earliest baseline to the plan's last year.
pub fn build(
    model: &Model,
    eval: &Evaluation,
    sources: &Sources,
    run: RunInfo,
    d: &Disclosure,
) -> FinalEvaluation {
    let plan = &model.plan;
    let last = plan.laatste_jaar;
    let coverage = data_years(sources);
    let cx = Ctx {
        model,
        eval,
        year: last,
        d,
        coverage: &coverage,
        completeness: &sources.completeness,
    };
    let ObjectiveParts {
        objectives,
        all_statuses,
        added,
    } = objective_outcomes(plan, last);

    let indicators: Vec<IndicatorRow> = model
        .indicators
        .iter()
        .map(|i| cx.indicator_row(i, None))
        .collect();
    let ind_statuses: Vec<Status> = indicators.iter().map(|r| r.assessment.status).collect();
    let end_targets: Vec<EndTarget> = indicators.iter().map(EndTarget::of).collect();

    let local = local_coverage(model);

    let open = Open {
        actions: objectives
            .iter()
            .flat_map(|o| &o.actions)
            .filter(|a| {
                !matches!(
                    a.status,
                    ActionStatus::Gerealiseerd | ActionStatus::Geschrapt
                )
            })
            .map(|a| (a.id.clone(), a.title.clone(), a.status))
            .collect(),
        indicators: indicators
            .iter()
            .filter(|r| r.target.is_some() && r.assessment.status != Status::Bereikt)
            .map(|r| (r.id.clone(), r.title.clone(), r.assessment.status))
            .collect(),
    };
    let uses_samples = indicators
        .iter()
        .any(|r| r.baseline.is_some_and(|b| b.sample) || r.target.is_some_and(|t| t.sample));

    FinalEvaluation {
        plan_id: plan.id.clone(),
        plan_title: plan.titel.clone(),
        first_year: plan.eerste_jaar,
        last_year: last,
        approved: plan.goedgekeurd,
        version: PlanVersion::of(plan),
        run,
        uses_samples,
        sample_statuses: plan.statussen_voorbeeld,
        revisions: revision_rows(plan),
        action_counts: count_by(&all_statuses, &ActionStatus::ALL),
        added: (!plan.herzieningen.iter().any(|r| r.voorlopig)).then_some(added),
        objectives,
        indicator_counts: count_by(&ind_statuses, &Status::ALL),
        indicators,
        end_targets,
        local,
        open,
        coverage,
        method: model
            .indicators
            .iter()
            .map(super::yearly::method_entry)
            .collect(),
        provenance: super::yearly::provenance(sources),
    }
}

/// What the outcomes per objective give the final evaluation.
struct ObjectiveParts {
    objectives: Vec<ObjectiveOutcome>,
    /// The status of every action at the end of the period.
    all_statuses: Vec<ActionStatus>,
    /// How many actions a revision added.
    added: usize,
}

/// The outcome of every objective and its actions at the end of the period (`last`).
fn objective_outcomes(plan: &Plan, last: i32) -> ObjectiveParts {
    let events = &plan.version.events;
    let kind_of = |k: &EventKind| match k {
        EventKind::Added => (ChangeKind::Added, String::new()),
        EventKind::Changed(f) => (ChangeKind::Changed, f.join(", ")),
        EventKind::MergedInto(t) => (ChangeKind::Merged, format!("→ {t}")),
        EventKind::MergedFrom(v) => (ChangeKind::Merged, format!("← {}", v.join(", "))),
        EventKind::Cancelled => (ChangeKind::Cancelled, String::new()),
    };
    let mut all_statuses = Vec::new();
    let mut added = 0;
    let objectives: Vec<ObjectiveOutcome> = plan
        .doelstellingen
        .iter()
        .map(|o| {
            let actions: Vec<ActionOutcome> = plan
                .acties
                .iter()
                .filter(|a| a.doelstelling == o.id)
                .map(|a| {
                    let (status, note) = a.status_in(last);
                    let since = a
                        .status
                        .iter()
                        .filter(|s| s.jaar <= last)
                        .max_by_key(|s| s.jaar)
                        .map(|s| s.jaar);
                    let mut delayed_in: Vec<i32> = a
                        .status
                        .iter()
                        .filter(|s| s.status == ActionStatus::Vertraagd && s.jaar <= last)
                        .map(|s| s.jaar)
                        .collect();
                    delayed_in.sort();
                    let added_at = events
                        .iter()
                        .find(|e| e.action == a.id && e.kind == EventKind::Added)
                        .map(|e| e.date);
                    if added_at.is_some() {
                        added += 1;
                    }
                    ActionOutcome {
                        id: a.id.clone(),
                        measure: a.maatregel,
                        title: title(&a.titel, a.voorlopige_titel),
                        lead: a.trekker.clone(),
                        status,
                        note: note.map(str::to_string),
                        since,
                        delayed_in,
                        added_at,
                        revised: events
                            .iter()
                            .filter(|e| e.action == a.id && e.kind != EventKind::Added)
                            .map(|e| {
                                let (k, detail) = kind_of(&e.kind);
                                (e.date, k, detail)
                            })
                            .collect(),
                    }
                })
                .collect();
            let statuses: Vec<ActionStatus> = actions.iter().map(|a| a.status).collect();
            all_statuses.extend(statuses.iter().copied());
            ObjectiveOutcome {
                id: o.id.clone(),
                title: title(&o.titel, o.voorlopige_titel),
                counts: count_by(&statuses, &ActionStatus::ALL),
                own_status: o.status_in(last).map(|(s, t)| (s, t.map(str::to_string))),
                actions,
            }
        })
        .collect();
    ObjectiveParts {
        objectives,
        all_statuses,
        added,
    }
}

/// Local plans per year of the period, against the version of that year.
fn local_coverage(model: &Model) -> LocalCoverage {
    let plan = &model.plan;
    let mut ever = std::collections::BTreeSet::new();
    let years = plan
        .years()
        .map(|y| {
            let version = model
                .plans
                .iter()
                .find(|p| p.id == plan.id)
                .map(|p| p.version_in(y))
                .unwrap_or_else(|| plan.clone());
            let lps: Vec<_> = model.local_plans.iter().filter(|l| l.jaar == y).collect();
            let linked: std::collections::BTreeSet<&str> = lps
                .iter()
                .flat_map(|l| l.acties.iter())
                .flat_map(|a| a.strategische_acties.iter().map(String::as_str))
                .filter(|id| version.action(id).is_some())
                .collect();
            ever.extend(linked.iter().map(|s| s.to_string()));
            LocalYear {
                year: y,
                plans: lps.len(),
                open_prisons: model
                    .prisons
                    .iter()
                    .filter(|p| super::prison_open_in(p, y))
                    .count(),
                covered: linked.len(),
                actions: version.acties.len(),
            }
        })
        .collect();
    LocalCoverage {
        years,
        never_covered: plan
            .acties
            .iter()
            .filter(|a| !ever.contains(&a.id))
            .map(|a| (a.id.clone(), title(&a.titel, a.voorlopige_titel)))
            .collect(),
        total_actions: plan.acties.len(),
    }
}
