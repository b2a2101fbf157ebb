//! The feedback of `hdv check --feedback` as typed data: per delivery file, the findings its
//! partner can act on, in the partner's words (their header, their words for what is expected,
//! the cell, what to change in their export); findings across sources become rows of the
//! delivery that answers for them; everything else (a gap in the project's delivery profile,
//! a note on the register) is for the data steward.

use crate::checks::Outcome;
use crate::diagnostic::{Diagnostic, Diagnostics, Place, Severity};
use crate::load::Sources;
use crate::model::Model;

/// The feedback of one run.
#[derive(Debug, Default)]
pub struct Feedback {
    /// Per delivery file with findings for its partner (in the order of their first finding).
    pub partners: Vec<PartnerFeedback>,
    /// Findings for the data steward, one per line.
    pub steward: Vec<StewardLine>,
}

/// The workbook of one delivery.
#[derive(Debug)]
pub struct PartnerFeedback {
    /// The delivery as named in the data folder (`trajecten/caw-2024.xlsx`): where its
    /// workbook goes.
    pub delivery: String,
    pub rows: Vec<FeedbackRow>,
}

impl PartnerFeedback {
    /// The delivery's file name, as the partner knows it (`caw-2024.xlsx`).
    pub fn file_name(&self) -> &str {
        self.delivery.rsplit('/').next().unwrap_or(&self.delivery)
    }

    pub fn errors(&self) -> usize {
        self.rows
            .iter()
            .filter(|r| r.severity == Severity::Error)
            .count()
    }
}

/// One finding as the partner reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedbackRow {
    pub sheet: Option<String>,
    /// `F17`, `regel 12`, or a row (`57:57`).
    pub cell: Option<String>,
    /// Their header of the column.
    pub header: Option<String>,
    pub severity: Severity,
    /// The value as read.
    pub value: Option<String>,
    /// What the cell should hold, in their words.
    pub expected: Option<String>,
    /// What to change in their export.
    pub advice: String,
}

/// One finding for the data steward.
#[derive(Debug, Clone, PartialEq)]
pub struct StewardLine {
    /// The file it is about (a delivery, a YAML file of the project).
    pub file: String,
    pub location: String,
    pub severity: Severity,
    pub message: String,
}

/// Splits the loader's findings (`diags`; `data` is the data folder as shown, stripped from
/// locations) and the checks across sources (`outcomes`, over `sources`) into the partners'
/// workbooks and the steward's list. A loader finding an accepted-findings entry covers
/// (`accepted`) is for neither (accepted rows of the checks are no longer in `outcomes`).
pub fn build(
    diags: &Diagnostics,
    data: &str,
    sources: Option<&Sources>,
    outcomes: &[Outcome],
    model: Option<&Model>,
    accepted: &dyn Fn(&Diagnostic) -> bool,
) -> Feedback {
    let mut fb = Feedback::default();
    let rel = |file: &str| -> String {
        std::path::Path::new(file)
            .strip_prefix(data)
            .map_or(file.to_string(), |r| r.display().to_string())
    };
    for d in diags.iter().filter(|d| !accepted(d)) {
        let place = d.place();
        let file = rel(&place.file);
        match (&d.partner, is_delivery(&file)) {
            (Some(p), true) => partner_of(&mut fb, &file).push(FeedbackRow {
                sheet: place.sheet,
                cell: place.cell,
                header: p.header.clone(),
                severity: d.severity,
                value: d.value.clone(),
                expected: p.expected.clone(),
                advice: p.advice.clone(),
            }),
            _ => fb.steward.push(StewardLine {
                file,
                location: d.location.clone(),
                severity: d.severity,
                message: d.message.clone(),
            }),
        }
    }
    if let Some(sources) = sources {
        for o in outcomes {
            across(&mut fb, o, sources, model);
        }
    }
    fb
}

/// The rows found by a check across sources, as findings of the deliveries that answer for
/// them: at their cell when the check named the row, else about the prison and year.
fn across(fb: &mut Feedback, o: &Outcome, sources: &Sources, model: Option<&Model>) {
    let advice = o.advice.clone().unwrap_or_else(|| o.message.clone());
    // In file order: `checks` sorts the rows found by delivery and row.
    for f in &o.found {
        let Some(d) = f
            .delivery
            .as_ref()
            .and_then(|n| sources.deliveries.iter().find(|d| d.name == *n))
        else {
            continue;
        };
        let location = match f.row {
            Some(row) => d.place(row, o.column.as_deref()),
            None => d.name.clone(),
        };
        let place = Place::parse(&location);
        let about = match (f.row, &f.prison, f.year) {
            (Some(_), _, _) => String::new(),
            (None, Some(p), Some(y)) => {
                let name = model
                    .and_then(|m| m.prison(p))
                    .map_or_else(|| p.clone(), |x| x.naam.clone());
                format!(" ({name}, {y})")
            }
            _ => String::new(),
        };
        partner_of(fb, &d.name).push(FeedbackRow {
            sheet: place.sheet,
            cell: place.cell,
            header: o.column.as_ref().map(|c| d.header(c)),
            severity: o.severity,
            value: None,
            expected: None,
            advice: format!("{}{about}: {advice}", o.title),
        });
    }
}

fn partner_of<'a>(fb: &'a mut Feedback, delivery: &str) -> &'a mut Vec<FeedbackRow> {
    let i = match fb.partners.iter().position(|p| p.delivery == delivery) {
        Some(i) => i,
        None => {
            fb.partners.push(PartnerFeedback {
                delivery: delivery.to_string(),
                rows: Vec::new(),
            });
            fb.partners.len() - 1
        }
    };
    &mut fb.partners[i].rows
}

/// The extensions of delivery files (lower case): spreadsheets, CSV, Parquet and linked data.
pub(crate) const DELIVERY_EXTENSIONS: [&str; 7] =
    ["xlsx", "csv", "parquet", "ttl", "nt", "jsonld", "json"];

/// A delivery file ([`DELIVERY_EXTENSIONS`]), not a YAML file of the project or a folder.
fn is_delivery(file: &str) -> bool {
    std::path::Path::new(file)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| DELIVERY_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}
