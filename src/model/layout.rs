//! What the sections of the yearly report show, declared in `plans/rapport.yaml` so that no
//! indicator id is written in Rust: the figures compared across prisons and the figures of
//! the data-quality section. Breakdowns shown under an indicator are in the indicator's own
//! YAML (`rapport_uitsplitsingen`).

use crate::diagnostic::{Diagnostic, Diagnostics};
use serde::{Deserialize, Serialize};
use std::path::Path;

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ReportLayout {
    /// Indicators compared across prisons ("gelijke toegang"), in column order.
    #[serde(default)]
    pub gelijke_toegang: Vec<String>,
    /// Indicators that describe the quality of the registrations, each with what it means.
    #[serde(default)]
    pub datakwaliteit: Vec<QualityFigure>,
    /// Indicators over the linked-data deliveries (OSLO), per prison, in column order: a
    /// section of the report for a year with such deliveries.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub oslo: Vec<String>,
    /// File it was read from (set by the loader).
    #[serde(skip)]
    pub file: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct QualityFigure {
    pub indicator: String,
    /// What the figure means for a reader, in one phrase.
    pub uitleg: String,
}

/// Reads `plans/rapport.yaml`; without it the sections are empty.
pub(crate) fn load_layout(plans: &Path, diags: &mut Diagnostics) -> ReportLayout {
    let path = plans.join("rapport.yaml");
    let shown = crate::diagnostic::display_path(&path);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return ReportLayout::default(),
        Err(e) => {
            diags.push(Diagnostic::error(
                shown,
                format!("kan niet gelezen worden: {e}"),
            ));
            return ReportLayout::default();
        }
    };
    let mut layout: ReportLayout =
        crate::yaml::parse_yaml(&text, &shown, diags).unwrap_or_default();
    layout.file = shown;
    layout
}

/// Every indicator named in the layout exists.
pub(crate) fn validate(model: &super::Model, diags: &mut Diagnostics) {
    let l = &model.layout;
    let named = l
        .gelijke_toegang
        .iter()
        .map(|s| s.as_str())
        .chain(l.datakwaliteit.iter().map(|q| q.indicator.as_str()))
        .chain(l.oslo.iter().map(|s| s.as_str()));
    for id in named {
        if model.indicator(id).is_none() {
            diags.push(Diagnostic::error(
                crate::yaml::locate_in_file(&l.file, id),
                format!("onbekende indicator '{id}' in de indeling van het jaarrapport"),
            ));
        }
    }
}
