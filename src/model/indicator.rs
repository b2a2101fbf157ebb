//! Indicators: one YAML file each under `indicators/`, holding the definition in words, the
//! SQL that computes it, and its baseline and targets.
//!
//! # The SQL contract
//!
//! An indicator's SQL computes all requested years in one query. It is run with the named
//! parameters `$jaar_van` and `$jaar_tot` (first and last year, Int32) and may use the table
//! `jaren` (`jaar`, `begin`, `einde`, `dagen`: every calendar year, `begin`/`einde` its first
//! and last day). It returns exactly these columns, one row per year and breakdown cell:
//!
//! | column | type | meaning |
//! |---|---|---|
//! | `year` | integer | the year |
//! | `dim` | text, null for the total | the breakdown (one of `uitsplitsingen`) |
//! | `dim_value` | text, null for the total | the breakdown's value |
//! | `value` | double | the figure (null when undefined) |
//! | `numerator` | double | rates and ratios: the numerator, else null |
//! | `denominator` | double | rates and ratios: the denominator, else null |
//! | `aantal` | double, optional | averages and medians: the persons or events behind the figure (the disclosure policy's `minimum_personen`); not printed by `hdv eval` |
//!
//! Every requested year must have a total row (`dim` null).
//!
//! # Per-row SQL and a declared computation (`berekening`)
//!
//! Figures SQL cannot sum up (Kaplan–Meier, Mantel–Haenszel; `shared/contract/COHORTS.md`)
//! declare `berekening:`; their SQL returns one row per unit (a release) and the engine
//! computes every cell with [`crate::cohort`]:
//!
//! - `{methode: kaplan_meier, dagen: 365}` (`100 * (1 - S(dagen))`, soort `aandeel`) and
//!   `{methode: kaplan_meier_mediaan}` (soort `mediaan`): columns `year`, `t` (observed days),
//!   `event` (1 or 0 / true or false) and one text column per breakdown in `uitsplitsingen`.
//!   The total and every breakdown value that occurs get a cell.
//! - `{methode: mantel_haenszel}` (soort `verschil`, total only): columns `year`, `stratum`
//!   (text), `blootgesteld` and `uitkomst` (1 or 0 / true or false).
//!
//! A year without rows gets a total whose value is null.

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::Model;
use serde::{Deserialize, Serialize};
use std::path::Path;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub id: String,
    pub titel: String,
    pub beschrijving: String,
    /// Unit as shown to readers: `%`, `personen`, `aanvragen`, `dagen`, `euro`, ...
    pub eenheid: String,
    pub soort: IndicatorKind,
    /// What the figure counts: persons, events about persons, or neither (money, FTE, the
    /// plan's actions). Persons and events are protected by the disclosure policy.
    #[serde(default)]
    pub telt: Option<super::Counts>,
    pub richting: Direction,
    /// What the numerator counts (rates and ratios) or what is counted/summed.
    #[serde(default)]
    pub teller: Option<String>,
    /// What the denominator counts (rates and ratios).
    #[serde(default)]
    pub noemer: Option<String>,
    /// Sources the SQL reads; when one is absent the indicator is left out with a warning.
    #[serde(default)]
    pub bronnen: Vec<String>,
    /// What of the plans the figure rests on besides delivered sources (`lokale_plannen`,
    /// `actiestatussen`): a year without it has no data ("geen gegevens", never 0).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub plangegevens: Vec<PlanData>,
    /// Breakdowns the SQL produces besides the total.
    #[serde(default)]
    pub uitsplitsingen: Vec<String>,
    /// Linked strategic objectives (`SD2`) and actions.
    #[serde(default)]
    pub doelstellingen: Vec<String>,
    #[serde(default)]
    pub acties: Vec<String>,
    /// Where the contract (INDICATORS.md) left room, the reading taken, in words.
    #[serde(default)]
    pub interpretatie: Option<String>,
    pub sql: String,
    /// A computation over per-row SQL output (see the module docs); `None`: the SQL returns
    /// the figures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub berekening: Option<Computation>,
    #[serde(default)]
    pub basislijn: Option<Baseline>,
    #[serde(default)]
    pub doelen: Vec<Target>,
    /// Changes of definition (breaks in the series), the indicator's series continuing
    /// across plan periods.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub breuken: Vec<SeriesBreak>,
    #[serde(default)]
    pub methode: ProgressMethod,
    /// Below this denominator a rate's progress status is `onvoldoende gegevens`.
    #[serde(default)]
    pub minimum_noemer: Option<f64>,
    /// A rate over persons or events carries sampling noise: a 95 % interval and tests
    /// against its path (default). `false` for rates over the plan's own actions, which are
    /// counted in full and are no draw of a process.
    #[serde(default = "yes")]
    pub toevalsmarge: bool,
    /// Section-specific breakdowns to show in the yearly report under the total (e.g.
    /// dropout per partner), in the order given.
    #[serde(default)]
    pub rapport_uitsplitsingen: Vec<String>,
    /// File it was read from, relative to the project root (set by the loader).
    #[serde(skip)]
    pub file: String,
    /// 1-based line in `file` where the SQL text starts (set by the loader).
    #[serde(skip)]
    pub sql_line: usize,
}

impl Indicator {
    /// Rates and ratios carry a numerator and denominator.
    pub(crate) fn has_fraction(&self) -> bool {
        matches!(
            self.soort,
            IndicatorKind::Aandeel | IndicatorKind::Verhouding
        )
    }
}

/// What of the plans a figure can rest on (`plangegevens` in the YAML).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum PlanData {
    /// The local action plans of the year: a year without any has no data.
    LokalePlannen,
    /// The statuses of the plan's actions (`status:` per action): a year by which no action
    /// of the plan has a status has no data. When the plan's statuses are samples
    /// (`statussen_voorbeeld`), so is every figure of the indicator (`VOORBEELD`).
    Actiestatussen,
}

/// What kind of figure an indicator is; drives output, disclosure control and progress.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum IndicatorKind {
    /// A percentage `100 * numerator / denominator`.
    Aandeel,
    /// A count of persons, requests, trajectories, ...
    Aantal,
    /// An average (e.g. average daily population).
    Gemiddelde,
    /// A median.
    Mediaan,
    /// A sum of amounts (euro, FTE).
    Som,
    /// A ratio `numerator / denominator` that is not a percentage.
    Verhouding,
    /// A difference in percentage points with a 95% interval (Mantel–Haenszel); the
    /// denominator is the number of rows compared, the numerator null.
    Verschil,
}

/// A declared computation over per-row SQL output (`berekening:` in the YAML).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(tag = "methode", rename_all = "snake_case", deny_unknown_fields)]
pub enum Computation {
    /// `100 * (1 - S(dagen))` of the Kaplan–Meier curve; null when no row is followed
    /// `dagen` days. Numerator: events by `dagen`; denominator: rows.
    KaplanMeier { dagen: i64 },
    /// The smallest event time with `S <= 0.5`; null when `S` stays above 0.5.
    KaplanMeierMediaan,
    /// Mantel–Haenszel risk difference in percentage points, with `ci_low`/`ci_high`.
    MantelHaenszel,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    HogerIsBeter,
    LagerIsBeter,
    /// Context figures with no better direction (population, spending).
    Neutraal,
}

#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ProgressMethod {
    #[default]
    Lineair,
    Cagr,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub jaar: i32,
    pub waarde: f64,
    /// A sample value (to show how progress is reported), not a policy decision: every
    /// output marks it `VOORBEELD`.
    #[serde(default)]
    pub voorbeeld: bool,
}

/// A target for a year, overall or for one prison.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Target {
    pub jaar: i32,
    pub waarde: f64,
    #[serde(default)]
    pub gevangenis: Option<String>,
    /// A sample value, not a decision of the commission: marked `VOORBEELD` in every output.
    #[serde(default)]
    pub voorbeeld: bool,
    /// The plan the target belongs to (`2020-2025`); without it, the plan whose period holds
    /// the target's year. A target outside its plan's period is an error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<String>,
}

/// A change of definition: from `jaar` on, the series is not comparable with the years
/// before (a break in the series, marked in charts and tables).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SeriesBreak {
    /// The first year under the new definition.
    pub jaar: i32,
    /// What changed, in words.
    pub omschrijving: String,
}

fn yes() -> bool {
    true
}

/// Reads every `*.yaml` file in `dir`, sorted by id.
pub(crate) fn load_indicators(dir: &Path, diags: &mut Diagnostics) -> Vec<Indicator> {
    let mut out = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            diags.push(Diagnostic::error(
                dir.display().to_string(),
                format!(
                    "de map met indicatoren kan niet gelezen worden: {}",
                    crate::error::io_message(&e)
                ),
            ));
            return out;
        }
    };
    let mut paths: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")))
        .collect();
    paths.sort();
    for path in paths {
        let Some((text, shown)) = crate::yaml::read_yaml_file(&path, diags) else {
            continue;
        };
        match crate::yaml::parse_model_yaml::<Indicator>(&text, &shown, diags) {
            Some(mut ind) => {
                ind.sql_line = sql_line(&text);
                ind.file = shown;
                out.push(ind);
            }
            None => continue,
        }
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

/// The 1-based line where the SQL text starts (the line after `sql: |`).
fn sql_line(text: &str) -> usize {
    text.lines()
        .position(|l| l.starts_with("sql:"))
        .map(|i| {
            if text
                .lines()
                .nth(i)
                .is_some_and(|l| l.trim_end().len() > "sql: |".len())
            {
                i + 1
            } else {
                i + 2
            }
        })
        .unwrap_or(1)
}

pub(crate) fn validate(model: &Model, diags: &mut Diagnostics) {
    let mut seen = std::collections::HashMap::new();
    for ind in &model.indicators {
        let at = |needle: &str| crate::yaml::locate_in_file(&ind.file, needle);
        if ind.telt.is_none() {
            diags.push(Diagnostic::error(
                at("soort:"),
                format!(
                    "indicator `{}` zegt niet wat hij telt: voeg `telt: personen`, `telt: gebeurtenissen` of `telt: geen` toe (geld, VTE, acties van het plan)",
                    ind.id
                ),
            ));
        }
        if let Some(first) = seen.insert(ind.id.as_str(), ind.file.as_str()) {
            diags.push(Diagnostic::error(
                at(&ind.id),
                format!(
                    "indicator-id `{}` komt meer dan eens voor (ook in {first})",
                    ind.id
                ),
            ));
        }
        for b in &ind.bronnen {
            if crate::contract::Source::from_name(b).is_none() {
                diags.push(Diagnostic::error(
                    at(b),
                    format!(
                        "onbekende bron `{b}` (toegelaten: {})",
                        crate::contract::Source::ALL.map(|s| s.name()).join(", ")
                    ),
                ));
            }
        }
        for d in &ind.rapport_uitsplitsingen {
            if !ind.uitsplitsingen.contains(d) {
                diags.push(Diagnostic::error(
                    at(d),
                    format!(
                        "uitsplitsing `{d}` in rapport_uitsplitsingen staat niet in uitsplitsingen"
                    ),
                ));
            }
        }
        // Links resolve against the plan in force in a report's year: each must exist in
        // at least one plan.
        for d in &ind.doelstellingen {
            if !model.plans.iter().any(|p| p.objective(d).is_some()) {
                diags.push(Diagnostic::error(
                    at(d),
                    format!("onbekende doelstelling `{d}`"),
                ));
            }
        }
        for t in &ind.doelen {
            match model.plan_of_target(t) {
                Ok(_) => {}
                Err(msg) => diags.push(Diagnostic::error(
                    crate::yaml::locate_in_file_after(&ind.file, "doelen:", &t.jaar.to_string()),
                    format!("indicator `{}`: {msg}", ind.id),
                )),
            }
        }
        for b in &ind.breuken {
            if ind.breuken.iter().filter(|x| x.jaar == b.jaar).count() > 1 {
                diags.push(Diagnostic::error(
                    crate::yaml::locate_in_file_after(&ind.file, "breuken:", &b.jaar.to_string()),
                    format!("indicator `{}`: twee breuken in {}", ind.id, b.jaar),
                ));
            }
        }
        for a in &ind.acties {
            if !model.plans.iter().any(|p| p.knows_action(a)) {
                diags.push(Diagnostic::error(at(a), format!("onbekende actie `{a}`")));
            }
        }
        validate_computation(ind, diags);
        for t in &ind.doelen {
            if let Some(g) = &t.gevangenis
                && model.prison(g).is_none()
            {
                diags.push(Diagnostic::error(
                    at(g),
                    format!("onbekende gevangenis `{g}`"),
                ));
            }
        }
    }
}

/// An indicator's `berekening`: the kind it gives, a total only where it gives no breakdown;
/// a difference needs one.
fn validate_computation(ind: &Indicator, diags: &mut Diagnostics) {
    let at = |needle: &str| crate::yaml::locate_in_file(&ind.file, needle);
    if let Some(c) = ind.berekening {
        let (kind, total_only) = match c {
            Computation::KaplanMeier { .. } => (IndicatorKind::Aandeel, false),
            Computation::KaplanMeierMediaan => (IndicatorKind::Mediaan, false),
            Computation::MantelHaenszel => (IndicatorKind::Verschil, true),
        };
        let name = serde_json::to_value(kind).expect("kind serializes");
        let name = name.as_str().unwrap_or_default();
        if ind.soort != kind {
            diags.push(Diagnostic::error(
                at("berekening"),
                format!(
                    "indicator `{}`: deze berekening geeft soort `{name}`",
                    ind.id
                ),
            ));
        }
        if total_only && !ind.uitsplitsingen.is_empty() {
            diags.push(Diagnostic::error(
                at("uitsplitsingen"),
                format!(
                    "indicator `{}`: deze berekening geeft enkel een totaal, zonder uitsplitsingen",
                    ind.id
                ),
            ));
        }
    } else if ind.soort == IndicatorKind::Verschil {
        diags.push(Diagnostic::error(
            at("soort"),
            format!(
                "indicator `{}`: soort `verschil` vraagt `berekening: {{methode: mantel_haenszel}}`",
                ind.id
            ),
        ));
    }
}
