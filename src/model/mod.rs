//! The policy model as YAML kept in the repository: prisons, the strategic plan with its
//! objectives and actions, local action plans per prison and year, and the indicators.
//!
//! Layout under the project folder:
//! - `plans/gevangenissen.yaml`: the prisons;
//! - `plans/strategisch-plan.yaml`: the strategic plan 2020-2025;
//! - `plans/lokaal/<jaar>/<gevangenis>.yaml`: local action plans;
//! - `indicators/<id>.yaml`: one file per indicator.

pub mod indicator;
pub mod plan;

pub use indicator::{
    Baseline, Computation, Direction, Indicator, IndicatorKind, ProgressMethod, Target,
};
pub use plan::{
    Action, ActionStatus, LocalAction, LocalPlan, LocalTarget, Objective, Plan, Prison, StatusEntry,
};

use crate::diagnostic::Diagnostics;
use std::path::{Path, PathBuf};

/// The whole model, validated (unique ids, every reference resolves).
#[derive(Debug, Clone)]
pub struct Model {
    /// The project folder the model was read from.
    pub root: PathBuf,
    pub prisons: Vec<Prison>,
    pub plan: Plan,
    pub local_plans: Vec<LocalPlan>,
    /// Sorted by id.
    pub indicators: Vec<Indicator>,
}

impl Model {
    pub fn prison_codes(&self) -> Vec<String> {
        self.prisons.iter().map(|p| p.code.clone()).collect()
    }

    pub fn prison(&self, code: &str) -> Option<&Prison> {
        self.prisons.iter().find(|p| p.code == code)
    }

    pub fn indicator(&self, id: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.id == id)
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
    let strategic = plan::load_plan(&root.join("plans"), &mut diags);
    let local_plans = plan::load_local_plans(&root.join("plans").join("lokaal"), &mut diags);
    let indicators = indicator::load_indicators(&root.join("indicators"), &mut diags);
    if diags.has_errors() {
        return Err(diags);
    }
    let model = Model {
        root: root.to_path_buf(),
        prisons,
        plan: strategic.unwrap_or_default(),
        local_plans,
        indicators,
    };
    plan::validate(&model, &mut diags);
    indicator::validate(&model, &mut diags);
    if diags.has_errors() {
        return Err(diags);
    }
    Ok(model)
}

/// A path as shown in messages: relative to the current folder when possible.
pub fn display_path(path: &Path) -> String {
    let cwd = std::env::current_dir().ok();
    let rel = cwd
        .as_deref()
        .and_then(|c| path.strip_prefix(c).ok())
        .unwrap_or(path);
    let rel = rel.strip_prefix(".").unwrap_or(rel);
    rel.display().to_string()
}

/// Parses YAML text into `T`; on failure records an error with `file:line:column`.
pub(crate) fn parse_yaml<T: serde::de::DeserializeOwned>(
    text: &str,
    file: &str,
    diags: &mut Diagnostics,
) -> Option<T> {
    match serde_yaml::from_str::<T>(text) {
        Ok(v) => Some(v),
        Err(e) => {
            let location = match e.location() {
                Some(l) => format!("{file}:{}:{}", l.line(), l.column()),
                None => file.to_string(),
            };
            diags.push(crate::diagnostic::Diagnostic::error(
                location,
                crate::model::yaml_message(&e),
            ));
            None
        }
    }
}

/// serde_yaml's message, with the common phrases in Dutch.
pub(crate) fn yaml_message(e: &serde_yaml::Error) -> String {
    let raw = e.to_string();
    // Drop serde_yaml's own " at line X column Y" suffix: the location is given separately.
    let raw = match raw.find(" at line ") {
        Some(i) => raw[..i].to_string(),
        None => raw,
    };
    let replacements = [
        ("unknown field", "onbekend veld"),
        ("missing field", "ontbrekend veld"),
        ("expected one of", "verwacht een van"),
        ("unknown variant", "onbekende waarde"),
        ("invalid type", "ongeldig type"),
        ("expected", "verwacht"),
        ("duplicate field", "dubbel veld"),
        ("found", "gevonden"),
        (
            "repetition limit exceeded",
            "te veel herhalingen (aliassen)",
        ),
        ("recursion limit exceeded", "te diep genest"),
    ];
    let mut msg = raw;
    for (en, nl) in replacements {
        msg = msg.replace(en, nl);
    }
    format!("ongeldige YAML: {msg}")
}

/// `file:line:column` of the first occurrence of `needle` in the file, or just the file.
///
/// serde_yaml gives no positions for values, so references found invalid after parsing are
/// located by searching the text.
pub(crate) fn locate_in_file(file: &str, needle: &str) -> String {
    let Ok(text) = std::fs::read_to_string(file) else {
        return file.to_string();
    };
    match locate(&text, needle) {
        Some((line, col)) => format!("{file}:{line}:{col}"),
        None => file.to_string(),
    }
}

/// `file:line:column` of the first occurrence of `needle` after the line holding `anchor`
/// (e.g. a reference inside the block of the action with that id), or of `needle` anywhere.
pub(crate) fn locate_in_file_after(file: &str, anchor: &str, needle: &str) -> String {
    let Ok(text) = std::fs::read_to_string(file) else {
        return file.to_string();
    };
    let from = locate(&text, anchor).map_or(0, |(l, _)| l - 1);
    match locate_from(&text, needle, from).or_else(|| locate(&text, needle)) {
        Some((line, col)) => format!("{file}:{line}:{col}"),
        None => file.to_string(),
    }
}

/// 1-based line and column of the first whole-word occurrence of `needle`.
pub(crate) fn locate(text: &str, needle: &str) -> Option<(usize, usize)> {
    locate_from(text, needle, 0)
}

/// As [`locate`], starting at the 0-based line `from`.
fn locate_from(text: &str, needle: &str, from: usize) -> Option<(usize, usize)> {
    if needle.is_empty() {
        return None;
    }
    let is_word = |c: char| c.is_alphanumeric() || c == '_' || c == '-' || c == '.';
    for (i, line) in text.lines().enumerate().skip(from) {
        let mut start = 0;
        while let Some(pos) = line[start..].find(needle) {
            let at = start + pos;
            let before = line[..at].chars().next_back();
            let after = line[at + needle.len()..].chars().next();
            if !before.is_some_and(is_word) && !after.is_some_and(is_word) {
                return Some((i + 1, line[..at].chars().count() + 1));
            }
            start = at + needle.len();
        }
    }
    None
}
