//! Prisons, the strategic plan and local action plans.

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::Model;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// A prison (code as in DATA.md).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Prison {
    pub code: String,
    pub naam: String,
    #[serde(default)]
    pub open_vanaf: Option<NaiveDate>,
    /// First day the prison is closed (e.g. Ieper: 2022-01-01).
    #[serde(default)]
    pub gesloten_vanaf: Option<NaiveDate>,
    #[serde(default)]
    pub opmerking: Option<String>,
}

/// The strategic plan.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    pub titel: String,
    pub eerste_jaar: i32,
    pub laatste_jaar: i32,
    #[serde(default)]
    pub goedgekeurd: Option<NaiveDate>,
    pub doelstellingen: Vec<Objective>,
    pub acties: Vec<Action>,
}

impl Plan {
    pub fn years(&self) -> std::ops::RangeInclusive<i32> {
        self.eerste_jaar..=self.laatste_jaar
    }

    pub fn objective(&self, id: &str) -> Option<&Objective> {
        self.doelstellingen.iter().find(|o| o.id == id)
    }

    pub fn action(&self, id: &str) -> Option<&Action> {
        self.acties.iter().find(|a| a.id == id)
    }
}

/// A strategic objective (`SD1` .. `SD5`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Objective {
    pub id: String,
    pub titel: String,
    /// Short name for tables and charts.
    #[serde(default)]
    pub korte_titel: Option<String>,
}

/// One of the plan's actions.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Action {
    pub id: String,
    pub titel: String,
    /// True while the title is provisional (not yet copied from the approved plan).
    #[serde(default)]
    pub voorlopige_titel: bool,
    /// The objective (`SD2`).
    pub doelstelling: String,
    /// The cluster within the objective as on the plan's slides (`SD2.1`), if any.
    #[serde(default)]
    pub cluster: Option<String>,
    /// Lead organisation.
    pub trekker: String,
    #[serde(default)]
    pub indicatoren: Vec<String>,
    /// Status per year, in any order; the status of a year is the latest entry up to it.
    #[serde(default)]
    pub status: Vec<StatusEntry>,
}

impl Action {
    /// The status at the end of `year`: the latest entry with `jaar <= year`, or `gepland`
    /// when there is none yet.
    pub fn status_in(&self, year: i32) -> (ActionStatus, Option<&str>) {
        self.status
            .iter()
            .filter(|s| s.jaar <= year)
            .max_by_key(|s| s.jaar)
            .map(|s| (s.status, s.toelichting.as_deref()))
            .unwrap_or((ActionStatus::Gepland, None))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct StatusEntry {
    pub jaar: i32,
    pub status: ActionStatus,
    #[serde(default)]
    pub toelichting: Option<String>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum ActionStatus {
    Gepland,
    Lopend,
    Gerealiseerd,
    Vertraagd,
    Geschrapt,
}

impl ActionStatus {
    pub const ALL: [ActionStatus; 5] = [
        ActionStatus::Gerealiseerd,
        ActionStatus::Lopend,
        ActionStatus::Vertraagd,
        ActionStatus::Gepland,
        ActionStatus::Geschrapt,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ActionStatus::Gepland => "gepland",
            ActionStatus::Lopend => "lopend",
            ActionStatus::Gerealiseerd => "gerealiseerd",
            ActionStatus::Vertraagd => "vertraagd",
            ActionStatus::Geschrapt => "geschrapt",
        }
    }
}

/// A prison's local action plan for one year.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LocalPlan {
    pub gevangenis: String,
    pub jaar: i32,
    #[serde(default)]
    pub lokaal_beleidsteam: Option<String>,
    pub acties: Vec<LocalAction>,
    /// The file it was read from (set by the loader).
    #[serde(skip)]
    pub file: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LocalAction {
    pub id: String,
    pub titel: String,
    /// Strategic action ids this local action contributes to (may be empty: then unlinked).
    #[serde(default)]
    pub strategische_acties: Vec<String>,
    pub eigenaar: String,
    pub status: ActionStatus,
    #[serde(default)]
    pub toelichting: Option<String>,
    #[serde(default)]
    pub doelen: Vec<LocalTarget>,
}

/// A local target on an indicator for this prison.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LocalTarget {
    pub indicator: String,
    pub waarde: f64,
    /// The year the target is for; defaults to the plan's year.
    #[serde(default)]
    pub jaar: Option<i32>,
}

pub(crate) fn load_prisons(_dir: &Path, _diags: &mut Diagnostics) -> Vec<Prison> {
    Vec::new()
}

pub(crate) fn load_plan(_dir: &Path, _diags: &mut Diagnostics) -> Option<Plan> {
    None
}

pub(crate) fn load_local_plans(_dir: &Path, _diags: &mut Diagnostics) -> Vec<LocalPlan> {
    Vec::new()
}

pub(crate) fn validate(_model: &Model, _diags: &mut Diagnostics) {
    let _ = Diagnostic::error("", "");
}
