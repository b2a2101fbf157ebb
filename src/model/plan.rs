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

fn read_text(path: &Path, diags: &mut Diagnostics) -> Option<(String, String)> {
    crate::model::read_yaml_file(path, diags)
}

pub(crate) fn load_prisons(dir: &Path, diags: &mut Diagnostics) -> Vec<Prison> {
    let (text, shown) = match read_text(&dir.join("gevangenissen.yaml"), diags) {
        Some(t) => t,
        None => return Vec::new(),
    };
    crate::model::parse_model_yaml::<Vec<Prison>>(&text, &shown, diags).unwrap_or_default()
}

pub(crate) fn load_plan(dir: &Path, diags: &mut Diagnostics) -> Option<Plan> {
    let (text, shown) = read_text(&dir.join("strategisch-plan.yaml"), diags)?;
    crate::model::parse_model_yaml::<Plan>(&text, &shown, diags)
}

/// Reads `lokaal/<jaar>/<gevangenis>.yaml`; a missing `lokaal/` folder means no local plans.
pub(crate) fn load_local_plans(dir: &Path, diags: &mut Diagnostics) -> Vec<LocalPlan> {
    let mut out = Vec::new();
    let Ok(years) = std::fs::read_dir(dir) else {
        return out;
    };
    let mut paths: Vec<_> = years
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .flat_map(|d| {
            std::fs::read_dir(&d)
                .into_iter()
                .flatten()
                .filter_map(|e| e.ok().map(|e| e.path()))
                .collect::<Vec<_>>()
        })
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")))
        .collect();
    paths.sort();
    for path in paths {
        let Some((text, shown)) = read_text(&path, diags) else {
            continue;
        };
        if let Some(mut plan) = crate::model::parse_model_yaml::<LocalPlan>(&text, &shown, diags) {
            let stem = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default();
            let year = path
                .parent()
                .and_then(|p| p.file_name())
                .and_then(|s| s.to_str())
                .unwrap_or_default();
            if stem != plan.gevangenis || year != plan.jaar.to_string() {
                let at = crate::model::locate(&text, &plan.gevangenis)
                    .map(|(l, c)| format!("{shown}:{l}:{c}"))
                    .unwrap_or_else(|| shown.clone());
                diags.push(Diagnostic::error(
                    at,
                    format!(
                        "de bestandsnaam past niet bij de inhoud: verwacht plans/lokaal/{}/{}.yaml",
                        plan.jaar, plan.gevangenis
                    ),
                ));
            }
            plan.file = shown;
            out.push(plan);
        }
    }
    out
}

/// A code of lower-case letters and digits, in words joined by single hyphens (`fpc-gent`).
pub fn is_slug(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 64
        && code.split('-').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// Reports each id that occurs more than once.
fn duplicates<'a>(
    ids: impl Iterator<Item = &'a str>,
    what: &str,
    file: &str,
    diags: &mut Diagnostics,
) {
    let mut seen = std::collections::HashSet::new();
    for id in ids {
        if !seen.insert(id) {
            diags.push(Diagnostic::error(
                crate::model::locate_in_file(file, id),
                format!("{what} `{id}` komt meer dan eens voor"),
            ));
        }
    }
}

pub(crate) fn validate(model: &Model, diags: &mut Diagnostics) {
    let prisons_file = crate::model::display_path(&model.root.join("plans/gevangenissen.yaml"));
    let plan_file = crate::model::display_path(&model.root.join("plans/strategisch-plan.yaml"));
    let plan = &model.plan;
    duplicates(
        model.prisons.iter().map(|p| p.code.as_str()),
        "gevangeniscode",
        &prisons_file,
        diags,
    );
    // A code is also a file name (plans/lokaal/<jaar>/<code>.yaml, out/<jaar>/lokaal/<code>.*):
    // only a slug, so that no path can be made from it.
    for p in &model.prisons {
        if !is_slug(&p.code) {
            diags.push(Diagnostic::error(
                crate::model::locate_in_file(&prisons_file, &p.code),
                format!(
                    "gevangeniscode {} is ongeldig: alleen kleine letters, cijfers en koppeltekens tussen woorden (bv. leuven-centraal)",
                    crate::load::table::quoted(&p.code)
                ),
            ));
        }
    }
    duplicates(
        plan.doelstellingen.iter().map(|o| o.id.as_str()),
        "doelstelling",
        &plan_file,
        diags,
    );
    duplicates(
        plan.acties.iter().map(|a| a.id.as_str()),
        "actie",
        &plan_file,
        diags,
    );
    if plan.eerste_jaar > plan.laatste_jaar {
        diags.push(Diagnostic::error(
            crate::model::locate_in_file(&plan_file, "eerste_jaar"),
            "eerste_jaar ligt na laatste_jaar",
        ));
    }
    for a in &plan.acties {
        let at = |needle: &str| crate::model::locate_in_file_after(&plan_file, &a.id, needle);
        if plan.objective(&a.doelstelling).is_none() {
            diags.push(Diagnostic::error(
                at(&a.doelstelling),
                format!(
                    "actie `{}`: onbekende doelstelling `{}`",
                    a.id, a.doelstelling
                ),
            ));
        }
        if let Some(c) = &a.cluster
            && !c.starts_with(&format!("{}.", a.doelstelling))
        {
            diags.push(Diagnostic::error(
                at(c),
                format!(
                    "actie `{}`: cluster `{c}` hoort niet bij doelstelling `{}`",
                    a.id, a.doelstelling
                ),
            ));
        }
        for i in &a.indicatoren {
            if model.indicator(i).is_none() {
                diags.push(Diagnostic::error(
                    at(i),
                    format!("actie `{}`: onbekende indicator `{i}`", a.id),
                ));
            }
        }
        for s in &a.status {
            if !plan.years().contains(&s.jaar) {
                diags.push(Diagnostic::error(
                    at(&s.jaar.to_string()),
                    format!(
                        "actie `{}`: status voor {} ligt buiten de planperiode {}-{}",
                        a.id, s.jaar, plan.eerste_jaar, plan.laatste_jaar
                    ),
                ));
            }
        }
    }
    if !plan.acties.is_empty() && plan.acties.len() != 53 {
        diags.push(Diagnostic::warning(
            plan_file.clone(),
            format!(
                "het strategisch plan telt 53 acties, dit bestand {}",
                plan.acties.len()
            ),
        ));
    }
    let mut seen_plans = std::collections::HashSet::new();
    for lp in &model.local_plans {
        let at = |needle: &str| crate::model::locate_in_file(&lp.file, needle);
        if !seen_plans.insert((lp.gevangenis.as_str(), lp.jaar)) {
            diags.push(Diagnostic::error(
                lp.file.clone(),
                format!(
                    "er is al een lokaal actieplan voor {} in {}",
                    lp.gevangenis, lp.jaar
                ),
            ));
        }
        if model.prison(&lp.gevangenis).is_none() {
            diags.push(Diagnostic::error(
                at(&lp.gevangenis),
                format!("onbekende gevangenis `{}`", lp.gevangenis),
            ));
        }
        if !plan.years().contains(&lp.jaar) {
            diags.push(Diagnostic::error(
                at(&lp.jaar.to_string()),
                format!(
                    "jaar {} ligt buiten de planperiode {}-{}",
                    lp.jaar, plan.eerste_jaar, plan.laatste_jaar
                ),
            ));
        }
        duplicates(
            lp.acties.iter().map(|a| a.id.as_str()),
            "lokale actie",
            &lp.file,
            diags,
        );
        for la in &lp.acties {
            let at = |needle: &str| crate::model::locate_in_file_after(&lp.file, &la.id, needle);
            for s in &la.strategische_acties {
                if plan.action(s).is_none() {
                    diags.push(Diagnostic::error(
                        at(s),
                        format!(
                            "lokale actie `{}`: onbekende strategische actie `{s}`",
                            la.id
                        ),
                    ));
                }
            }
            for t in &la.doelen {
                if model.indicator(&t.indicator).is_none() {
                    diags.push(Diagnostic::error(
                        at(&t.indicator),
                        format!(
                            "lokale actie `{}`: onbekende indicator `{}`",
                            la.id, t.indicator
                        ),
                    ));
                }
            }
        }
    }
}
