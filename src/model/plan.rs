//! Prisons, the strategic plan and local action plans.

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::Model;
use chrono::{Datelike, NaiveDate};
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
    /// Other names under which linked-data deliveries name the prison (`Gevangenis van Gent`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub namen: Vec<String>,
    /// Identifiers (IRIs, numbers) by which linked-data deliveries name the prison.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ids: Vec<String>,
}

/// A strategic plan: one file per plan under `plans/plannen/<naam>.yaml` (the name is the
/// file stem, e.g. `2020-2025`), with its period, objectives, actions and revisions.
///
/// As read, a plan is its original version with its revisions listed; [`Plan::version_at`]
/// gives the version in force on a day (the revisions up to that day applied).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// The plan's name (`2020-2025`): the file stem, set by the loader.
    #[serde(skip)]
    pub id: String,
    pub titel: String,
    /// The years the plan is reported on; the periods of two plans may not overlap.
    pub eerste_jaar: i32,
    pub laatste_jaar: i32,
    #[serde(default)]
    pub goedgekeurd: Option<NaiveDate>,
    /// How many objectives and actions the approved plan has, when known: `check` warns
    /// when the file holds another number.
    #[serde(default)]
    pub aantal_doelstellingen: Option<usize>,
    #[serde(default)]
    pub aantal_acties: Option<usize>,
    /// The statuses in the file are sample values, not the commission's follow-up: the final
    /// evaluation and the answers mark them `VOORBEELD`.
    #[serde(default)]
    pub statussen_voorbeeld: bool,
    /// Strategic options above the objectives (the plan 2015-2020 has 10), if any.
    #[serde(default)]
    pub strategische_opties: Vec<Objective>,
    pub doelstellingen: Vec<Objective>,
    #[serde(default)]
    pub acties: Vec<Action>,
    /// Baselines this plan sets for indicators (e.g. the last value under the previous plan);
    /// while the plan is in force they replace the indicator's own `basislijn`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub basislijnen: Vec<PlanBaseline>,
    /// Revisions (herzieningen) of the plan, each a decision with its changes.
    #[serde(default)]
    pub herzieningen: Vec<Revision>,
    /// The file it was read from (set by the loader).
    #[serde(skip)]
    pub file: String,
    /// Set by [`Plan::version_at`]: the version this is and what its revisions changed.
    #[serde(skip)]
    pub version: Version,
}

impl Plan {
    pub(crate) fn years(&self) -> std::ops::RangeInclusive<i32> {
        self.eerste_jaar..=self.laatste_jaar
    }

    pub(crate) fn objective(&self, id: &str) -> Option<&Objective> {
        self.doelstellingen.iter().find(|o| o.id == id)
    }

    pub fn action(&self, id: &str) -> Option<&Action> {
        self.acties.iter().find(|a| a.id == id)
    }

    /// The plan's period as a reader reads it: `2020-2025`.
    pub(crate) fn period(&self) -> String {
        format!("{}-{}", self.eerste_jaar, self.laatste_jaar)
    }
}

/// A plan's baseline for one indicator.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PlanBaseline {
    pub indicator: String,
    pub jaar: i32,
    pub waarde: f64,
    /// A sample value: marked `VOORBEELD` in every output.
    #[serde(default)]
    pub voorbeeld: bool,
}

/// A strategic objective (`SD1` .. `SD5`), a priority goal of the plan 2015-2020 (`PD1` ..
/// `PD19`) or a strategic option above them (`SO1` .. `SO10`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Objective {
    pub id: String,
    pub titel: String,
    /// Short name for tables and charts.
    #[serde(default)]
    pub korte_titel: Option<String>,
    /// True while the title is provisional (not yet copied from the approved plan).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub voorlopige_titel: bool,
    /// The strategic option this objective falls under (plans with options), if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optie: Option<String>,
    /// The objective's own status per year, for plans followed per objective (2015-2020:
    /// per priority goal); objectives of plans followed per action leave it empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub status: Vec<StatusEntry>,
}

impl Objective {
    /// The objective's own status at the end of `year`, if one was registered by then.
    pub(crate) fn status_in(&self, year: i32) -> Option<(ActionStatus, Option<&str>)> {
        self.status
            .iter()
            .filter(|s| s.jaar <= year)
            .max_by_key(|s| s.jaar)
            .map(|s| (s.status, s.toelichting.as_deref()))
    }
}

/// One of the plan's actions.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Action {
    pub id: String,
    /// The official measure number (`maatregel`) in the approved plan, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maatregel: Option<u32>,
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
    /// Whether any status was registered up to the end of `year`.
    pub(crate) fn has_status_by(&self, year: i32) -> bool {
        self.status.iter().any(|s| s.jaar <= year)
    }

    /// The status at the end of `year`: the latest entry with `jaar <= year`, or `gepland`
    /// when there is none yet.
    pub(crate) fn status_in(&self, year: i32) -> (ActionStatus, Option<&str>) {
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
    pub(crate) const ALL: [ActionStatus; 5] = [
        ActionStatus::Gerealiseerd,
        ActionStatus::Lopend,
        ActionStatus::Vertraagd,
        ActionStatus::Gepland,
        ActionStatus::Geschrapt,
    ];

    pub(crate) fn code(self) -> &'static str {
        match self {
            ActionStatus::Gepland => "gepland",
            ActionStatus::Lopend => "lopend",
            ActionStatus::Gerealiseerd => "gerealiseerd",
            ActionStatus::Vertraagd => "vertraagd",
            ActionStatus::Geschrapt => "geschrapt",
        }
    }
}

/// One revision of a plan.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Revision {
    pub datum: NaiveDate,
    /// The decision, as named in the decision itself.
    pub beslissing: String,
    /// A short name for running text (`tussentijdse evaluatie en bijsturing`); default the
    /// decision.
    #[serde(default)]
    pub naam: Option<String>,
    /// Why the plan was revised.
    pub reden: String,
    /// Where the decision is published (a link or reference), if known.
    #[serde(default)]
    pub bron: Option<String>,
    /// True while the revision's content is not yet (fully) copied from the decision: every
    /// output marks it as provisional.
    #[serde(default)]
    pub voorlopig: bool,
    #[serde(default)]
    pub wijzigingen: Vec<Change>,
}

impl Revision {
    /// The short name, else the decision.
    pub(crate) fn short_name(&self) -> &str {
        self.naam
            .as_deref()
            .unwrap_or(&self.beslissing)
            .trim_end_matches('.')
    }

    /// `22 december 2023`.
    pub(crate) fn date_label(&self) -> String {
        crate::number::nl_date(self.datum)
    }
}

/// What a revision does.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(tag = "soort", rename_all = "lowercase", deny_unknown_fields)]
pub enum Change {
    /// A new action.
    Toevoegen { actie: Action },
    /// New values for some fields of an action; fields left out stay as they were.
    Wijzigen {
        actie: String,
        #[serde(default)]
        titel: Option<String>,
        #[serde(default)]
        voorlopige_titel: Option<bool>,
        #[serde(default)]
        trekker: Option<String>,
        #[serde(default)]
        indicatoren: Option<Vec<String>>,
        #[serde(default)]
        maatregel: Option<u32>,
        #[serde(default)]
        toelichting: Option<String>,
    },
    /// Actions merged into one (`naar`, one of them or another existing action); the others
    /// are cancelled with a note naming `naar`.
    Samenvoegen {
        acties: Vec<String>,
        naar: String,
        #[serde(default)]
        toelichting: Option<String>,
    },
    /// An action cancelled.
    Schrappen {
        actie: String,
        #[serde(default)]
        toelichting: Option<String>,
    },
    /// A target set or changed.
    Doel {
        indicator: String,
        jaar: i32,
        waarde: f64,
        #[serde(default)]
        gevangenis: Option<String>,
        #[serde(default)]
        voorbeeld: bool,
    },
}

impl Change {
    /// The action ids the change refers to as existing actions (not the one it adds).
    pub(crate) fn referenced_actions(&self) -> Vec<&str> {
        match self {
            Change::Toevoegen { .. } | Change::Doel { .. } => Vec::new(),
            Change::Wijzigen { actie, .. } | Change::Schrappen { actie, .. } => vec![actie],
            Change::Samenvoegen { acties, naar, .. } => acties
                .iter()
                .map(String::as_str)
                .chain(std::iter::once(naar.as_str()))
                .collect(),
        }
    }
}

/// Which version of a plan this is, and what its revisions did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Version {
    /// The revisions applied, in date order (empty: the original version).
    pub applied: Vec<Revision>,
    /// What happened to actions, in order.
    pub events: Vec<ActionEvent>,
    /// Targets set or changed by the revisions applied: (indicator, target).
    pub targets: Vec<(String, super::Target)>,
}

impl Version {
    /// The revision this version follows, if any.
    pub(crate) fn last(&self) -> Option<&Revision> {
        self.applied.last()
    }
}

/// Something a revision did to an action.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionEvent {
    pub action: String,
    pub date: NaiveDate,
    pub kind: EventKind,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum EventKind {
    Added,
    /// The names of the fields changed (`titel`, `trekker`, ...).
    Changed(Vec<&'static str>),
    /// Merged into the action named.
    MergedInto(String),
    /// Other actions merged into this one.
    MergedFrom(Vec<String>),
    Cancelled,
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
    crate::yaml::read_yaml_file(path, diags)
}

pub(crate) fn load_prisons(dir: &Path, diags: &mut Diagnostics) -> Vec<Prison> {
    let (text, shown) = match read_text(&dir.join("gevangenissen.yaml"), diags) {
        Some(t) => t,
        None => return Vec::new(),
    };
    crate::yaml::parse_model_yaml::<Vec<Prison>>(&text, &shown, diags).unwrap_or_default()
}

/// Reads every plan: `plannen/<naam>.yaml` (the name is the file stem, e.g. `2020-2025`),
/// and, for projects made before plans had their own folder, `strategisch-plan.yaml` (named
/// after its period). Sorted by first year.
pub(crate) fn load_plans(dir: &Path, diags: &mut Diagnostics) -> Vec<Plan> {
    let mut paths: Vec<std::path::PathBuf> = std::fs::read_dir(dir.join("plannen"))
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")))
        .collect();
    paths.sort();
    let legacy = dir.join("strategisch-plan.yaml");
    let legacy_exists = legacy.exists();
    if legacy_exists {
        paths.push(legacy.clone());
    }
    if paths.is_empty() {
        diags.push(Diagnostic::error(
            crate::diagnostic::display_path(&dir.join("plannen")),
            "geen strategisch plan gevonden: zet elk plan in plans/plannen/<naam>.yaml (bv. 2020-2025.yaml)",
        ));
        return Vec::new();
    }
    let mut out = Vec::new();
    for path in paths {
        let Some((text, shown)) = read_text(&path, diags) else {
            continue;
        };
        let Some(mut plan) = crate::yaml::parse_model_yaml::<Plan>(&text, &shown, diags) else {
            continue;
        };
        plan.id = if legacy_exists && path == legacy {
            plan.period()
        } else {
            path.file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default()
                .to_string()
        };
        if !is_slug(&plan.id) {
            diags.push(Diagnostic::error(
                shown.clone(),
                format!(
                    "de naam van het plan {} is ongeldig: alleen kleine letters, cijfers en koppeltekens (bv. 2020-2025.yaml)",
                    crate::diagnostic::quoted(&plan.id)
                ),
            ));
        }
        plan.file = shown;
        out.push(plan);
    }
    out.sort_by_key(|p| (p.eerste_jaar, p.laatste_jaar));
    out
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
        if let Some(mut plan) = crate::yaml::parse_model_yaml::<LocalPlan>(&text, &shown, diags) {
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
                let at = crate::yaml::locate(&text, &plan.gevangenis)
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
pub(crate) fn is_slug(code: &str) -> bool {
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
                crate::yaml::locate_in_file(file, id),
                format!("{what} `{id}` komt meer dan eens voor"),
            ));
        }
    }
}

pub(crate) fn validate(model: &Model, diags: &mut Diagnostics) {
    let prisons_file =
        crate::diagnostic::display_path(&model.root.join("plans/gevangenissen.yaml"));
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
                crate::yaml::locate_in_file(&prisons_file, &p.code),
                format!(
                    "gevangeniscode {} is ongeldig: alleen kleine letters, cijfers en koppeltekens tussen woorden (bv. leuven-centraal)",
                    crate::diagnostic::quoted(&p.code)
                ),
            ));
        }
    }
    for plan in &model.plans {
        validate_plan(model, plan, diags);
    }
    // Periods may not overlap: a report year selects exactly one plan.
    for w in model.plans.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        if b.eerste_jaar <= a.laatste_jaar {
            diags.push(Diagnostic::error(
                crate::yaml::locate_in_file(&b.file, "eerste_jaar"),
                format!(
                    "de periode van plan {} ({}) overlapt met die van plan {} ({}): elk jaar hoort bij één plan",
                    b.id,
                    b.period(),
                    a.id,
                    a.period()
                ),
            ));
        }
    }
    validate_local_plans(model, diags);
}

/// The local plans: one per prison and year, a known prison, a strategic plan in force in
/// its year, and links to actions and indicators that plan (in that version) knows.
fn validate_local_plans(model: &Model, diags: &mut Diagnostics) {
    let mut seen_plans = std::collections::HashSet::new();
    for lp in &model.local_plans {
        let at = |needle: &str| crate::yaml::locate_in_file(&lp.file, needle);
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
        // A local plan belongs to the strategic plan in force in its year.
        let Some(plan) = model.plans.iter().find(|p| p.years().contains(&lp.jaar)) else {
            diags.push(Diagnostic::error(
                at(&lp.jaar.to_string()),
                format!(
                    "jaar {} ligt buiten de periode van elk strategisch plan ({})",
                    lp.jaar,
                    model
                        .plans
                        .iter()
                        .map(|p| p.period())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
            continue;
        };
        let version = plan.version_in(lp.jaar);
        duplicates(
            lp.acties.iter().map(|a| a.id.as_str()),
            "lokale actie",
            &lp.file,
            diags,
        );
        for la in &lp.acties {
            let at = |needle: &str| crate::yaml::locate_in_file_after(&lp.file, &la.id, needle);
            for s in &la.strategische_acties {
                if version.action(s).is_some() {
                    continue;
                }
                let other = model
                    .plans
                    .iter()
                    .find(|p| p.id != plan.id && p.knows_action(s));
                let msg = match other {
                    Some(o) => format!(
                        "lokale actie `{}`: strategische actie `{s}` hoort bij plan {}, niet bij plan {} dat in {} van kracht is",
                        la.id, o.id, plan.id, lp.jaar
                    ),
                    None if plan.knows_action(s) => format!(
                        "lokale actie `{}`: strategische actie `{s}` bestaat in {} nog niet (pas toegevoegd bij een latere herziening van plan {})",
                        la.id, lp.jaar, plan.id
                    ),
                    None => format!(
                        "lokale actie `{}`: onbekende strategische actie `{s}`",
                        la.id
                    ),
                };
                diags.push(Diagnostic::error(at(s), msg));
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

/// One plan: unique ids, references that resolve, status years inside its period, and its
/// revisions (known actions, known indicators, targets inside the period).
fn validate_plan(model: &Model, plan: &Plan, diags: &mut Diagnostics) {
    let plan_file = plan.file.as_str();
    duplicates(
        plan.strategische_opties
            .iter()
            .chain(&plan.doelstellingen)
            .map(|o| o.id.as_str()),
        "doelstelling",
        plan_file,
        diags,
    );
    duplicates(
        plan.acties.iter().map(|a| a.id.as_str()).chain(
            plan.herzieningen
                .iter()
                .flat_map(|r| &r.wijzigingen)
                .filter_map(|c| match c {
                    Change::Toevoegen { actie } => Some(actie.id.as_str()),
                    _ => None,
                }),
        ),
        "actie",
        plan_file,
        diags,
    );
    if plan.eerste_jaar > plan.laatste_jaar {
        diags.push(Diagnostic::error(
            crate::yaml::locate_in_file(plan_file, "eerste_jaar"),
            "eerste_jaar ligt na laatste_jaar",
        ));
    }
    for o in &plan.doelstellingen {
        for st in &o.status {
            if !plan.years().contains(&st.jaar) {
                diags.push(Diagnostic::error(
                    crate::yaml::locate_in_file_after(plan_file, &o.id, &st.jaar.to_string()),
                    format!(
                        "doelstelling `{}`: status voor {} ligt buiten de planperiode {}",
                        o.id,
                        st.jaar,
                        plan.period()
                    ),
                ));
            }
        }
        if let Some(opt) = &o.optie
            && !plan.strategische_opties.iter().any(|x| &x.id == opt)
        {
            diags.push(Diagnostic::error(
                crate::yaml::locate_in_file_after(plan_file, &o.id, opt),
                format!(
                    "doelstelling `{}`: onbekende strategische optie `{opt}`",
                    o.id
                ),
            ));
        }
    }
    let added: Vec<&Action> = plan
        .herzieningen
        .iter()
        .flat_map(|r| &r.wijzigingen)
        .filter_map(|c| match c {
            Change::Toevoegen { actie } => Some(actie),
            _ => None,
        })
        .collect();
    for a in plan.acties.iter().chain(added) {
        validate_action(model, plan, a, diags);
    }
    for b in &plan.basislijnen {
        if model.indicator(&b.indicator).is_none() {
            diags.push(Diagnostic::error(
                crate::yaml::locate_in_file_after(plan_file, "basislijnen:", &b.indicator),
                format!("basislijn: onbekende indicator `{}`", b.indicator),
            ));
        }
    }
    for (name, expected, found) in [
        (
            "doelstellingen",
            plan.aantal_doelstellingen,
            plan.doelstellingen.len(),
        ),
        ("acties", plan.aantal_acties, plan.acties.len()),
    ] {
        if let Some(n) = expected
            && n != found
        {
            diags.push(Diagnostic::warning(
                plan_file.to_string(),
                format!("het plan {} telt {n} {name}, dit bestand {found}", plan.id),
            ));
        }
    }
    validate_revisions(model, plan, diags);
}

/// A plan's revisions: dates inside its period, changes to actions known just before, targets
/// for known indicators inside the period.
fn validate_revisions(model: &Model, plan: &Plan, diags: &mut Diagnostics) {
    let plan_file = plan.file.as_str();
    for r in &plan.herzieningen {
        let anchor = r.datum.format("%Y-%m-%d").to_string();
        let at = |needle: &str| crate::yaml::locate_in_file_after(plan_file, &anchor, needle);
        if !plan.years().contains(&r.datum.year()) {
            diags.push(Diagnostic::error(
                at(&anchor),
                format!(
                    "herziening van {}: de datum ligt buiten de planperiode {}",
                    r.date_label(),
                    plan.period()
                ),
            ));
        }
        // The actions known just before this revision: the original ones and those added by
        // earlier revisions or earlier in this one.
        let before = plan.version_at(r.datum.pred_opt().unwrap_or(r.datum));
        let mut known: Vec<String> = before.acties.iter().map(|a| a.id.clone()).collect();
        for c in &r.wijzigingen {
            for id in c.referenced_actions() {
                if !known.iter().any(|k| k == id) {
                    diags.push(Diagnostic::error(
                        at(id),
                        format!(
                            "herziening van {}: onbekende actie `{id}` in plan {}",
                            r.date_label(),
                            plan.id
                        ),
                    ));
                }
            }
            match c {
                Change::Toevoegen { actie } => known.push(actie.id.clone()),
                Change::Doel {
                    indicator, jaar, ..
                } => {
                    if model.indicator(indicator).is_none() {
                        diags.push(Diagnostic::error(
                            at(indicator),
                            format!(
                                "herziening van {}: onbekende indicator `{indicator}`",
                                r.date_label()
                            ),
                        ));
                    }
                    if !plan.years().contains(jaar) {
                        diags.push(Diagnostic::error(
                            at(&jaar.to_string()),
                            format!(
                                "herziening van {}: doel voor {jaar} ligt buiten de planperiode {}",
                                r.date_label(),
                                plan.period()
                            ),
                        ));
                    }
                }
                _ => {}
            }
        }
    }
}

fn validate_action(model: &Model, plan: &Plan, a: &Action, diags: &mut Diagnostics) {
    let at = |needle: &str| crate::yaml::locate_in_file_after(&plan.file, &a.id, needle);
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
