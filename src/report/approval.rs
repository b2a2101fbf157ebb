//! What an approved year (`hdv approve`, `plans/goedkeuringen/<jaar>.yaml`) means for the
//! yearly report, as typed data: the figures the report publishes for its year (what an
//! approval records; `yearly::published` lists them), and the approval a report follows with
//! every figure that differs since.

use crate::disclosure::Shown;
use serde::Serialize;

/// A published figure as recorded: the value, or the mark shown instead of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Recorded {
    Value(f64),
    /// Why no value is shown, in words (`klein aantal`, `verborgen`, `geen gegevens`).
    Mark(String),
}

impl Recorded {
    /// What the report publishes for `shown`. Read through its serialized form, so that a mark
    /// the disclosure stage adds is recorded by its name without a change here.
    pub(crate) fn of(shown: &Shown) -> Recorded {
        match serde_json::to_value(shown) {
            Ok(serde_json::Value::Object(m)) => match m.values().next().and_then(|v| v.as_f64()) {
                Some(v) if m.len() == 1 => Recorded::Value(v),
                _ => Recorded::Mark(m.keys().next().cloned().unwrap_or_default()),
            },
            Ok(serde_json::Value::String(s)) => Recorded::Mark(mark_word(&s)),
            _ => Recorded::Mark(String::new()),
        }
    }
}

/// A mark of the disclosure stage in words.
fn mark_word(name: &str) -> String {
    match name {
        "Small" => "klein aantal".into(),
        "Hidden" => "verborgen".into(),
        "Empty" => "leeg".into(),
        "NoData" => "geen gegevens".into(),
        other => other.to_string(),
    }
}

/// One figure the yearly report publishes for its year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublishedFigure {
    pub indicator: String,
    /// `""` for the total, else `dimension=value` (`partner=CAW`, `gevangenis=gent`).
    pub breakdown: String,
    pub value: Recorded,
}

/// The approval a report's year rests on, and what differs since.
#[derive(Debug, Clone, Serialize)]
pub struct ApprovalNote {
    /// The ledger (`plans/goedkeuringen/2024.yaml`).
    pub file: String,
    pub version: u32,
    pub date: chrono::NaiveDate,
    pub reason: String,
    /// Deliveries in use now that differ from those the approval rests on.
    pub changed: Vec<DeliveryChange>,
    /// Every figure that differs from the approved one.
    pub revisions: Vec<FigureRevision>,
}

/// A delivery that differs from the approved set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeliveryChange {
    pub file: String,
    /// The source it delivers (a linked-data file is a delivery of each table it fills).
    pub source: String,
    pub change: Change,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// Other content (SHA-256) or other rows in use.
    Changed,
    /// In use now, not then.
    Added,
    /// In use then, not now.
    Removed,
}

/// A figure whose value differs from the approved one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FigureRevision {
    pub indicator: String,
    pub title: String,
    pub unit: super::Unit,
    pub breakdown: String,
    /// `None`: the figure was not published then.
    pub approved: Option<Recorded>,
    /// `None`: the figure is no longer published.
    pub new: Option<Recorded>,
    /// The changed deliveries of the indicator's sources (what caused it).
    pub deliveries: Vec<String>,
}
