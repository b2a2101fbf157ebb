//! Approved years (`hdv approve --year 2024`): a reviewable ledger in the repository,
//! `plans/goedkeuringen/<jaar>.yaml`, that records per version the deliveries the year's
//! figures rest on (file, SHA-256, rows in use, extraction date) and the figures the yearly
//! report published (value or mark, per indicator and breakdown). A later report of that year
//! says which version it follows and lists every figure that differs, with the approved
//! value, the new one and the changed deliveries that caused it; approving again records the
//! revision with its reason. Answers to parliament cite the approvals of their years.

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::error::{Error, Result};
use crate::load::Sources;
use crate::model::Model;
use crate::report::approval::{
    ApprovalNote, Change, DeliveryChange, FigureRevision, PublishedFigure, Recorded,
};
use chrono::NaiveDate;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The folder of the ledgers under the project's `plans/`.
pub(crate) const FOLDER: &str = "goedkeuringen";

/// A delivery an approval rests on.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApprovedDelivery {
    pub bron: String,
    pub bestand: String,
    pub sha256: String,
    /// Rows in use.
    pub rijen: usize,
    #[serde(default)]
    pub extractiedatum: Option<String>,
}

/// A figure as approved: `waarde` or `teken`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApprovedFigure {
    pub indicator: String,
    #[serde(default)]
    pub uitsplitsing: String,
    #[serde(default)]
    pub waarde: Option<f64>,
    #[serde(default)]
    pub teken: Option<String>,
}

impl ApprovedFigure {
    fn recorded(&self) -> Recorded {
        match (self.waarde, &self.teken) {
            (Some(v), _) => Recorded::Value(v),
            (None, t) => Recorded::Mark(t.clone().unwrap_or_default()),
        }
    }
}

/// A figure revised by a version: its approved and new value, as text.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Revised {
    pub indicator: String,
    #[serde(default)]
    pub uitsplitsing: String,
    pub goedgekeurd: String,
    pub nieuw: String,
    #[serde(default)]
    pub leveringen: Vec<String>,
}

/// One approval of a year.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Version {
    pub versie: u32,
    /// `jjjj-mm-dd`
    pub datum: String,
    pub reden: String,
    #[serde(default)]
    pub herzieningen: Vec<Revised>,
    pub leveringen: Vec<ApprovedDelivery>,
    pub cijfers: Vec<ApprovedFigure>,
}

/// The ledger of a year: every version, oldest first.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ledger {
    pub jaar: i32,
    pub versies: Vec<Version>,
}

impl Ledger {
    pub fn latest(&self) -> Option<&Version> {
        self.versies.last()
    }
}

/// The ledger file of `year` under the project `root`.
pub fn path(root: &Path, year: i32) -> PathBuf {
    root.join("plans").join(FOLDER).join(format!("{year}.yaml"))
}

/// The ledger of `year`, if the year was approved.
pub fn read(root: &Path, year: i32) -> Result<Option<Ledger>> {
    let path = path(root, year);
    if !path.exists() {
        return Ok(None);
    }
    let mut diags = Diagnostics::new();
    let Some((text, shown)) = crate::yaml::read_yaml_file(&path, &mut diags) else {
        return Err(diags.into());
    };
    let Some(ledger) = crate::yaml::parse_yaml::<Ledger>(&text, &shown, &mut diags) else {
        return Err(diags.into());
    };
    if ledger.jaar != year || ledger.versies.is_empty() {
        return Err(
            Diagnostics(vec![Diagnostic::error(
                shown,
                format!(
                    "dit bestand hoort bij het jaar {year}: `jaar: {year}` en minstens één versie",
                ),
            )])
            .into(),
        );
    }
    Ok(Some(ledger))
}

/// The deliveries the figures of `year` rest on now: every delivery with rows in use for that
/// year or before (a row counts in the year of its start, so later rows cannot change it).
fn in_use(sources: &Sources, year: i32) -> Vec<ApprovedDelivery> {
    sources
        .deliveries
        .iter()
        .filter(|d| d.active() && d.years.iter().any(|y| *y <= year))
        .map(|d| ApprovedDelivery {
            bron: d.source.name().to_string(),
            bestand: d.name.clone(),
            sha256: d.sha256.clone(),
            rijen: d.used_rows(),
            extractiedatum: d.extracted.map(|x| x.format("%Y-%m-%d").to_string()),
        })
        .collect()
}

/// The deliveries that differ between an approved set and the current one. A delivery is a
/// file of a source: a linked-data file that fills several tables is one delivery of each.
fn changed(approved: &[ApprovedDelivery], now: &[ApprovedDelivery]) -> Vec<DeliveryChange> {
    let same =
        |a: &ApprovedDelivery, b: &ApprovedDelivery| a.bron == b.bron && a.bestand == b.bestand;
    let change = |d: &ApprovedDelivery, change| DeliveryChange {
        file: d.bestand.clone(),
        source: d.bron.clone(),
        change,
    };
    let mut out = Vec::new();
    for n in now {
        match approved.iter().find(|a| same(a, n)) {
            None => out.push(change(n, Change::Added)),
            Some(a) if a.sha256 != n.sha256 || a.rijen != n.rijen => {
                out.push(change(n, Change::Changed))
            }
            Some(_) => {}
        }
    }
    for a in approved {
        if !now.iter().any(|n| same(a, n)) {
            out.push(change(a, Change::Removed));
        }
    }
    out
}

/// The files of `changed`, each once, in order.
pub(crate) fn changed_files(changed: &[DeliveryChange]) -> Vec<&str> {
    let mut files: Vec<&str> = Vec::new();
    for c in changed {
        if !files.contains(&c.file.as_str()) {
            files.push(&c.file);
        }
    }
    files
}

/// The report of a year against the latest version of its ledger: the figures that differ,
/// each with the changed deliveries of its indicator's sources.
pub fn status(
    ledger: &Ledger,
    file: &str,
    figures: &[PublishedFigure],
    sources: &Sources,
    model: &Model,
) -> Option<ApprovalNote> {
    let v = ledger.latest()?;
    let now = in_use(sources, ledger.jaar);
    let changed = changed(&v.leveringen, &now);
    let mut revisions = Vec::new();
    let mut seen: Vec<(&str, &str)> = Vec::new();
    let caused_by = |indicator: &str| -> Vec<String> {
        let reads = model
            .indicator(indicator)
            .map(|i| i.bronnen.clone())
            .unwrap_or_default();
        let theirs: Vec<DeliveryChange> = changed
            .iter()
            .filter(|c| reads.contains(&c.source))
            .cloned()
            .collect();
        changed_files(&theirs)
            .into_iter()
            .map(str::to_string)
            .collect()
    };
    let title = |indicator: &str| {
        model
            .indicator(indicator)
            .map_or_else(|| indicator.to_string(), |i| i.titel.clone())
    };
    let unit = |indicator: &str| {
        model
            .indicator(indicator)
            .map_or(crate::report::Unit::Decimal, crate::report::Unit::of)
    };
    for f in figures {
        seen.push((&f.indicator, &f.breakdown));
        let approved = v
            .cijfers
            .iter()
            .find(|a| a.indicator == f.indicator && a.uitsplitsing == f.breakdown)
            .map(ApprovedFigure::recorded);
        if !approved.as_ref().is_some_and(|a| same(a, &f.value)) {
            revisions.push(FigureRevision {
                indicator: f.indicator.clone(),
                title: title(&f.indicator),
                unit: unit(&f.indicator),
                breakdown: f.breakdown.clone(),
                approved,
                new: Some(f.value.clone()),
                deliveries: caused_by(&f.indicator),
            });
        }
    }
    for a in &v.cijfers {
        if !seen.contains(&(a.indicator.as_str(), a.uitsplitsing.as_str())) {
            revisions.push(FigureRevision {
                indicator: a.indicator.clone(),
                title: title(&a.indicator),
                unit: unit(&a.indicator),
                breakdown: a.uitsplitsing.clone(),
                approved: Some(a.recorded()),
                new: None,
                deliveries: caused_by(&a.indicator),
            });
        }
    }
    Some(ApprovalNote {
        file: file.to_string(),
        version: v.versie,
        date: NaiveDate::parse_from_str(&v.datum, "%Y-%m-%d").unwrap_or_default(),
        reason: v.reden.clone(),
        changed,
        revisions,
    })
}

/// The approval the yearly report `report` follows (the latest version of its year's ledger
/// under the project `root`), with every figure that differs since; `None` when the year was
/// not approved.
pub fn note(
    root: &Path,
    report: &crate::report::yearly::YearReport,
    inputs: &crate::register::Inputs,
) -> Result<Option<ApprovalNote>> {
    let Some(ledger) = read(root, report.year)? else {
        return Ok(None);
    };
    let figures = crate::report::yearly::published(report, &inputs.model);
    let file = crate::diagnostic::display_path(&path(root, report.year));
    Ok(status(
        &ledger,
        &file,
        &figures,
        &inputs.sources,
        &inputs.model,
    ))
}

/// The same published figure: the same mark, or values equal up to the last digits a sum in
/// another order can change (a figure computed again from the same rows is no revision).
fn same(a: &Recorded, b: &Recorded) -> bool {
    match (a, b) {
        (Recorded::Value(x), Recorded::Value(y)) => {
            (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0)
        }
        _ => a == b,
    }
}

/// What `approve` did.
#[derive(Debug, PartialEq)]
pub enum Approved {
    /// The first version of the year.
    First,
    /// A new version, revising this many figures.
    Revised { version: u32, figures: usize },
    /// Nothing differs from the latest version: nothing written.
    Unchanged { version: u32 },
}

/// Records the approval of `year`: the first version, or a revision of the latest one with
/// `reason` (required when figures or deliveries differ). Returns the ledger's new text (to
/// be written) and what it records.
pub fn approve(
    ledger: Option<&Ledger>,
    year: i32,
    figures: &[PublishedFigure],
    sources: &Sources,
    model: &Model,
    today: NaiveDate,
    reason: Option<&str>,
) -> Result<(Option<String>, Approved)> {
    let now = in_use(sources, year);
    let new = |versie: u32, reden: String, herzieningen: Vec<Revised>| Version {
        versie,
        datum: today.format("%Y-%m-%d").to_string(),
        reden,
        herzieningen,
        leveringen: now.clone(),
        cijfers: figures
            .iter()
            .map(|f| ApprovedFigure {
                indicator: f.indicator.clone(),
                uitsplitsing: f.breakdown.clone(),
                waarde: match f.value {
                    Recorded::Value(v) => Some(v),
                    Recorded::Mark(_) => None,
                },
                teken: match &f.value {
                    Recorded::Mark(m) => Some(m.clone()),
                    Recorded::Value(_) => None,
                },
            })
            .collect(),
    };
    let Some(ledger) = ledger else {
        let reden = reason.unwrap_or("eerste goedkeuring").to_string();
        let l = Ledger {
            jaar: year,
            versies: vec![new(1, reden, Vec::new())],
        };
        return Ok((Some(text(&l)), Approved::First));
    };
    let note = status(ledger, "", figures, sources, model).expect("a ledger has a version");
    let latest = note.version;
    if note.revisions.is_empty() && note.changed.is_empty() {
        return Ok((None, Approved::Unchanged { version: latest }));
    }
    let Some(reason) = reason.map(str::trim).filter(|r| !r.is_empty()) else {
        return Err(Error::RevisionWithoutReason {
            year,
            version: latest,
            revised: note.revisions.len(),
            files: changed_files(&note.changed)
                .into_iter()
                .map(String::from)
                .collect(),
        });
    };
    let herzieningen: Vec<Revised> = note
        .revisions
        .iter()
        .map(|r| Revised {
            indicator: r.indicator.clone(),
            uitsplitsing: r.breakdown.clone(),
            goedgekeurd: recorded_text(r.approved.as_ref()),
            nieuw: recorded_text(r.new.as_ref()),
            leveringen: r.deliveries.clone(),
        })
        .collect();
    let figures_revised = herzieningen.len();
    let mut l = ledger.clone();
    l.versies
        .push(new(latest + 1, reason.to_string(), herzieningen));
    Ok((
        Some(text(&l)),
        Approved::Revised {
            version: latest + 1,
            figures: figures_revised,
        },
    ))
}

/// A recorded figure as the ledger's revision list writes it: the value, or the mark.
fn recorded_text(r: Option<&Recorded>) -> String {
    match r {
        Some(Recorded::Value(v)) => v.to_string(),
        Some(Recorded::Mark(m)) => m.clone(),
        None => "niet gepubliceerd".into(),
    }
}

/// A YAML scalar in double quotes (JSON's escaping is valid YAML).
fn q(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

/// The ledger as a reviewable YAML document: one line per delivery and per figure, so that a
/// revision reads as a diff.
fn text(l: &Ledger) -> String {
    let mut s = format!(
        "# Goedkeuring van de cijfers van {y}: per versie de leveringen waarop ze steunen en de\n# cijfers zoals het jaarrapport ze publiceerde. Geschreven door `hdv approve --year {y}`;\n# een herziening is een nieuwe versie met haar reden (`hdv approve --year {y} --reden ...`).\njaar: {y}\nversies:\n",
        y = l.jaar
    );
    for v in &l.versies {
        s.push_str(&format!(
            "  - versie: {}\n    datum: {}\n    reden: {}\n",
            v.versie,
            q(&v.datum),
            q(&v.reden)
        ));
        if !v.herzieningen.is_empty() {
            s.push_str("    herzieningen:\n");
            for r in &v.herzieningen {
                s.push_str(&format!(
                    "      - {{ indicator: {}, uitsplitsing: {}, goedgekeurd: {}, nieuw: {}, leveringen: [{}] }}\n",
                    q(&r.indicator),
                    q(&r.uitsplitsing),
                    q(&r.goedgekeurd),
                    q(&r.nieuw),
                    r.leveringen.iter().map(|x| q(x)).collect::<Vec<_>>().join(", ")
                ));
            }
        }
        s.push_str("    leveringen:\n");
        for d in &v.leveringen {
            s.push_str(&format!(
                "      - {{ bron: {}, bestand: {}, sha256: {}, rijen: {}{} }}\n",
                q(&d.bron),
                q(&d.bestand),
                q(&d.sha256),
                d.rijen,
                d.extractiedatum
                    .as_ref()
                    .map(|x| format!(", extractiedatum: {}", q(x)))
                    .unwrap_or_default()
            ));
        }
        s.push_str("    cijfers:\n");
        for f in &v.cijfers {
            let value = match (f.waarde, &f.teken) {
                (Some(w), _) => format!("waarde: {}", number(w)),
                (None, t) => format!("teken: {}", q(t.as_deref().unwrap_or_default())),
            };
            s.push_str(&format!(
                "      - {{ indicator: {}, uitsplitsing: {}, {value} }}\n",
                q(&f.indicator),
                q(&f.uitsplitsing)
            ));
        }
    }
    s
}

/// A value as YAML reads it back exactly (Rust's shortest round-trip form; never `NaN`).
fn number(v: f64) -> String {
    if v.is_finite() {
        let s = v.to_string();
        if s.contains(['.', 'e']) {
            s
        } else {
            format!("{s}.0")
        }
    } else {
        "null".into()
    }
}

/// The approvals an answer over `years` rests on, in words: per year its latest version (and
/// whether deliveries changed since), and the years not approved (in a project that approves
/// years).
pub fn cite(root: &Path, years: crate::years::YearRange, sources: &Sources) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut open = Vec::new();
    for y in years.iter() {
        let now = in_use(sources, y);
        let Some(l) = read(root, y)? else {
            open.push(y);
            continue;
        };
        let v = l.latest().expect("a ledger has a version");
        let date = NaiveDate::parse_from_str(&v.datum, "%Y-%m-%d")
            .map_or(v.datum.clone(), crate::number::nl_date);
        let c = changed(&v.leveringen, &now);
        out.push(format!(
            "Cijfers van {y}: goedkeuring versie {} van {date} ({}){}",
            v.versie,
            crate::diagnostic::display_path(&path(root, y)),
            if c.is_empty() {
                String::new()
            } else {
                format!(
                    "; sindsdien gewijzigde leveringen: {} (cijfers van dat jaar kunnen afwijken van de goedgekeurde)",
                    changed_files(&c).join(", ")
                )
            }
        ));
    }
    // A project that approves years says which of these are not (yet) approved.
    if !open.is_empty() && root.join("plans").join(FOLDER).is_dir() {
        out.push(format!(
            "Nog niet goedgekeurd: {}",
            open.iter()
                .map(|y| y.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_figure_computed_again_is_the_same_up_to_rounding_noise() {
        let v = |x: f64| Recorded::Value(x);
        assert!(same(&v(65.50290939318371), &v(65.50290939318372)));
        assert!(same(&v(0.0), &v(1e-12)));
        assert!(!same(&v(65.5), &v(65.6)));
        assert!(!same(&v(3.0), &Recorded::Mark("klein aantal".into())));
        assert!(same(
            &Recorded::Mark("klein aantal".into()),
            &Recorded::Mark("klein aantal".into())
        ));
    }

    #[test]
    fn the_ledger_reads_back_what_it_writes() {
        let l = Ledger {
            jaar: 2024,
            versies: vec![Version {
                versie: 1,
                datum: "2026-01-01".into(),
                reden: "eerste \"goedkeuring\"".into(),
                herzieningen: Vec::new(),
                leveringen: vec![ApprovedDelivery {
                    bron: "trajecten".into(),
                    bestand: "trajecten/caw-2024.xlsx".into(),
                    sha256: "ab".repeat(32),
                    rijen: 611,
                    extractiedatum: Some("2026-03-31".into()),
                }],
                cijfers: vec![
                    ApprovedFigure {
                        indicator: "traject_uitval".into(),
                        uitsplitsing: String::new(),
                        waarde: Some(65.50290939318371),
                        teken: None,
                    },
                    ApprovedFigure {
                        indicator: "wachtenden".into(),
                        uitsplitsing: "gevangenis=gent".into(),
                        waarde: None,
                        teken: Some("klein aantal".into()),
                    },
                    ApprovedFigure {
                        indicator: "personen".into(),
                        uitsplitsing: String::new(),
                        waarde: Some(857.0),
                        teken: None,
                    },
                ],
            }],
        };
        let text = text(&l);
        let mut diags = Diagnostics::new();
        let back: Ledger = crate::yaml::parse_yaml(&text, "x.yaml", &mut diags).unwrap();
        assert_eq!(back, l, "{diags}");
    }
}
