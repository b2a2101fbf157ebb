//! The policy model as YAML kept in the repository: prisons, the strategic plan with its
//! objectives and actions, local action plans per prison and year, and the indicators.
//!
//! Layout under the project folder:
//! - `plans/gevangenissen.yaml`: the prisons;
//! - `plans/plannen/<naam>.yaml`: one file per strategic plan (`2015-2020.yaml`,
//!   `2020-2025.yaml`, the next one without code changes), each with its revisions;
//!   `plans/strategisch-plan.yaml` is still read as a plan when present;
//! - `plans/lokaal/<jaar>/<gevangenis>.yaml`: local action plans;
//! - `plans/rapport.yaml`: what the yearly report's sections show;
//! - `plans/afscherming.yaml`: the disclosure policy (what is protected and how);
//! - `indicators/<id>.yaml`: one file per indicator.

pub(crate) mod afscherming;
pub(crate) mod indicator;
pub(crate) mod layout;
pub(crate) mod plan;
pub(crate) mod revision;

pub use afscherming::{Counts, Policy};
pub use indicator::{
    Baseline, Computation, Direction, Indicator, IndicatorKind, PlanData, ProgressMethod,
    SeriesBreak, Target,
};
pub(crate) use layout::ReportLayout;
pub use plan::{
    Action, ActionStatus, LocalAction, LocalPlan, LocalTarget, Objective, Plan, PlanBaseline,
    Prison, StatusEntry,
};
pub(crate) use revision::{Change, EventKind};

use crate::diagnostic::Diagnostics;
use std::path::{Path, PathBuf};

/// The whole model, validated (unique ids, every reference resolves).
#[derive(Debug, Clone)]
pub struct Model {
    /// The project folder the model was read from.
    pub root: PathBuf,
    pub prisons: Vec<Prison>,
    /// Every strategic plan as read (original versions with their revisions), sorted by
    /// period.
    pub plans: Vec<Plan>,
    /// The plan version this model assesses against: after loading, the latest version of
    /// the latest plan; [`Model::as_of`] selects the plan and version in force in a year.
    pub plan: Plan,
    pub local_plans: Vec<LocalPlan>,
    /// Sorted by id.
    pub indicators: Vec<Indicator>,
    /// What the yearly report's sections show.
    pub layout: ReportLayout,
    /// What every published output protects and how (`plans/afscherming.yaml`).
    pub policy: Policy,
}

impl Model {
    pub fn prison_codes(&self) -> Vec<String> {
        self.prisons.iter().map(|p| p.code.clone()).collect()
    }

    pub(crate) fn prison(&self, code: &str) -> Option<&Prison> {
        self.prisons.iter().find(|p| p.code == code)
    }

    pub fn indicator(&self, id: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.id == id)
    }

    /// The plan in force in `year`: the one whose period holds it; after the last plan the
    /// last one, before the first the first (as the status of an action stays in force after
    /// the plan ends).
    pub(crate) fn plan_in_force(&self, year: i32) -> Option<&Plan> {
        self.plans
            .iter()
            .find(|p| p.years().contains(&year))
            .or_else(|| self.plans.iter().rev().find(|p| p.eerste_jaar <= year))
            .or_else(|| self.plans.first())
    }

    pub fn plan_by_id(&self, id: &str) -> Option<&Plan> {
        self.plans.iter().find(|p| p.id == id)
    }

    /// The plan a target belongs to: the one it names, else the one whose period holds its
    /// year. An error (in Dutch) when the plan is unknown or the year outside its period.
    pub(crate) fn plan_of_target(&self, t: &Target) -> Result<&Plan, String> {
        match &t.plan {
            Some(id) => {
                let p = self
                    .plan_by_id(id)
                    .ok_or_else(|| format!("doel voor {}: onbekend plan `{id}`", t.jaar))?;
                if p.years().contains(&t.jaar) {
                    Ok(p)
                } else {
                    Err(format!(
                        "doel voor {} ligt buiten de periode {} van plan {id}",
                        t.jaar,
                        p.period()
                    ))
                }
            }
            None => self
                .plans
                .iter()
                .find(|p| p.years().contains(&t.jaar))
                .ok_or_else(|| {
                    format!(
                        "doel voor {} ligt buiten de periode van elk plan ({})",
                        t.jaar,
                        self.plans
                            .iter()
                            .map(|p| p.period())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                }),
        }
    }

    /// The model as it assesses `year`: the plan in force in that year in its version of 31
    /// December, and every indicator's targets those of that plan, with the targets its
    /// revisions set or changed.
    pub fn as_of(&self, year: i32) -> Model {
        let mut m = self.clone();
        let Some(plan) = self.plan_in_force(year) else {
            return m;
        };
        m.plan = plan.version_in(year);
        m.restrict_targets();
        m
    }

    /// The model with the last version of plan `id` (for a final evaluation).
    pub fn with_plan(&self, plan: &Plan) -> Model {
        let mut m = self.clone();
        m.plan = plan.latest_version();
        m.restrict_targets();
        m
    }

    /// Keeps the targets of `self.plan`, applies its revisions' target changes and its own
    /// baselines.
    fn restrict_targets(&mut self) {
        for b in &self.plan.basislijnen {
            if let Some(ind) = self.indicators.iter_mut().find(|i| i.id == b.indicator) {
                ind.basislijn = Some(Baseline {
                    jaar: b.jaar,
                    waarde: b.waarde,
                    voorbeeld: b.voorbeeld,
                });
            }
        }
        let id = self.plan.id.clone();
        let belongs: Vec<Vec<bool>> = self
            .indicators
            .iter()
            .map(|i| {
                i.doelen
                    .iter()
                    .map(|t| self.plan_of_target(t).is_ok_and(|p| p.id == id))
                    .collect()
            })
            .collect();
        for (ind, keep) in self.indicators.iter_mut().zip(belongs) {
            let mut k = keep.into_iter();
            ind.doelen.retain(|_| k.next().unwrap_or(false));
        }
        for (ind_id, t) in self.plan.version.targets.clone() {
            if let Some(ind) = self.indicators.iter_mut().find(|i| i.id == ind_id) {
                ind.doelen
                    .retain(|x| !(x.jaar == t.jaar && x.gevangenis == t.gevangenis));
                ind.doelen.push(t);
                ind.doelen.sort_by_key(|x| x.jaar);
            }
        }
    }

    pub fn local_plan(&self, prison: &str, year: i32) -> Option<&LocalPlan> {
        self.local_plans
            .iter()
            .find(|p| p.gevangenis == prison && p.jaar == year)
    }
}

/// Reads and validates the model under `root` (the folder holding `plans/` and `indicators/`).
pub fn load_model(root: &Path) -> Result<Model, Diagnostics> {
    let mut diags = Diagnostics::new();
    let prisons = plan::load_prisons(&root.join("plans"), &mut diags);
    let plans = plan::load_plans(&root.join("plans"), &mut diags);
    let local_plans = plan::load_local_plans(&root.join("plans").join("lokaal"), &mut diags);
    let indicators = indicator::load_indicators(&root.join("indicators"), &mut diags);
    let layout = layout::load_layout(&root.join("plans"), &mut diags);
    let policy = afscherming::load_policy(&root.join("plans"), &mut diags);
    if diags.has_errors() {
        return Err(diags);
    }
    let model = Model {
        root: root.to_path_buf(),
        prisons,
        plan: plans.last().map(|p| p.latest_version()).unwrap_or_default(),
        plans,
        local_plans,
        indicators,
        layout,
        policy,
    };
    plan::validate(&model, &mut diags);
    indicator::validate(&model, &mut diags);
    layout::validate(&model, &mut diags);
    if diags.has_errors() {
        return Err(diags);
    }
    Ok(model)
}
