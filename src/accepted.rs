//! Accepted findings (`plans/aanvaard.yaml`): a data steward records that a finding has been
//! looked at and accepted: which check (or which cell), which delivery, why and until when.
//! An accepted finding stays visible ("aanvaard", with the reason) in `hdv check` and in the
//! report, but no longer makes `check` fail and needs no feedback to the partner. It comes
//! back on its end date, or as soon as the delivery's content changes (its SHA-256 no longer
//! starts with the one recorded).
//!
//! ```yaml
//! - controle: traject_zonder_verblijf      # a check of plans/controles.yaml; without it, a
//!                                          # warning of the loader at `cel`
//!   levering: trajecten/caw-2024.xlsx      # as the register of `hdv check` names it
//!   sha256: 3f2a9c1b7e3d                   # the delivery's SHA-256 when accepted (12+ characters)
//!   cel: Export!E57                        # optional: only the finding at this cell
//!   reden: uitgaansvergunning; het verblijf staat in Sidis onder een andere instelling
//!   tot: 2025-12-31
//! ```

use crate::checks::{Found, Outcome, Rule};
use crate::diagnostic::{Diagnostic, Diagnostics, Place};
use crate::load::Sources;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The file of the accepted findings under the project's `plans/`.
pub(crate) const FILE: &str = "aanvaard.yaml";

/// The shortest SHA-256 prefix an entry may record.
const MIN_HASH: usize = 12;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryYaml {
    #[serde(default)]
    controle: Option<String>,
    levering: String,
    sha256: String,
    #[serde(default)]
    cel: Option<String>,
    reden: String,
    tot: String,
}

/// One accepted finding (or set of findings).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// The check (`controle`); `None`: a warning of the loader.
    pub rule: Option<String>,
    /// The delivery, as the register names it.
    pub delivery: String,
    /// The start of the delivery's SHA-256 when accepted, lower case.
    pub sha256: String,
    /// Only the finding at this cell (`Export!E57`, `E57`, `regel 12`).
    pub cell: Option<String>,
    pub reason: String,
    /// The last day it holds.
    pub until: NaiveDate,
    /// `plans/aanvaard.yaml:12`, for messages.
    pub location: String,
}

/// Whether an entry holds at the reference date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Active,
    /// Its end date has passed.
    Expired,
    /// The delivery's content changed since it was accepted.
    Changed,
    /// The delivery is not (or no longer) in the data folder.
    Missing,
}

/// The accepted findings of a project, each with its state at the reference date.
#[derive(Debug, Clone, Default)]
pub struct Accepted {
    pub entries: Vec<(Entry, State)>,
}

/// Reads `plans/aanvaard.yaml` under `root` (no file: nothing accepted). Every finding at once,
/// at the line of its item.
pub fn read(root: &Path) -> Result<Vec<Entry>, Diagnostics> {
    let path = root.join("plans").join(FILE);
    if !path.exists() {
        return Ok(Vec::new());
    }
    let mut diags = Diagnostics::new();
    let Some((text, shown)) = crate::yaml::read_yaml_file(&path, &mut diags) else {
        return Err(diags);
    };
    let Some(list) = crate::yaml::parse_yaml::<Option<Vec<EntryYaml>>>(&text, &shown, &mut diags)
    else {
        return Err(diags);
    };
    let lines: Vec<&str> = text.lines().collect();
    let item_line = |n: usize| {
        lines
            .iter()
            .enumerate()
            .filter(|(_, l)| l.starts_with("- "))
            .nth(n)
            .map_or(shown.clone(), |(i, _)| format!("{shown}:{}", i + 1))
    };
    let mut out = Vec::new();
    for (n, e) in list.unwrap_or_default().into_iter().enumerate() {
        let at = item_line(n);
        let mut err = |m: String| diags.push(Diagnostic::error(at.clone(), m));
        let hash = e.sha256.trim().to_ascii_lowercase();
        if hash.len() < MIN_HASH || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            err(format!(
                "sha256: '{}' is geen begin van een SHA-256 van minstens {MIN_HASH} tekens (0-9, a-f); neem het over uit het register van `hdv check`",
                e.sha256
            ));
            continue;
        }
        let Ok(until) = NaiveDate::parse_from_str(e.tot.trim(), "%Y-%m-%d") else {
            err(format!(
                "tot: '{}' is geen datum (verwacht jjjj-mm-dd, bv. 2025-12-31)",
                e.tot
            ));
            continue;
        };
        if e.reden.trim().is_empty() {
            err("reden is leeg: zeg waarom de bevinding aanvaard wordt".into());
            continue;
        }
        if e.controle.is_none() && e.cel.is_none() {
            err("geef `controle` (een controle over de bronnen) of `cel` (een waarschuwing bij het inlezen)".into());
            continue;
        }
        out.push(Entry {
            rule: e.controle.map(|c| c.trim().to_string()),
            delivery: e.levering.trim().to_string(),
            sha256: hash,
            cell: e.cel.map(|c| c.trim().to_string()),
            reason: e.reden.trim().to_string(),
            until,
            location: at,
        });
    }
    diags.into_result().map(|_| out)
}

/// The state of every entry at `today` against the deliveries of `sources`; an entry naming a
/// check that `rules` lack is an error. The warnings say which entries no longer hold.
pub fn assess(
    entries: Vec<Entry>,
    sources: &Sources,
    rules: &[Rule],
    today: NaiveDate,
) -> Result<(Accepted, Diagnostics), Diagnostics> {
    let mut diags = Diagnostics::new();
    let mut out = Accepted::default();
    for e in entries {
        if let Some(r) = &e.rule
            && !rules.iter().any(|x| x.id == *r)
        {
            diags.push(Diagnostic::error(
                e.location.clone(),
                format!(
                    "onbekende controle `{r}` (controles: {})",
                    rules
                        .iter()
                        .map(|x| x.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
            continue;
        }
        let delivery = sources.deliveries.iter().find(|d| d.name == e.delivery);
        let state = match delivery {
            None => State::Missing,
            Some(d) if !d.sha256.starts_with(&e.sha256) => State::Changed,
            Some(_) if e.until < today => State::Expired,
            Some(_) => State::Active,
        };
        let what = e.rule.as_deref().unwrap_or("waarschuwing");
        match state {
            State::Active => {}
            State::Missing => diags.push(Diagnostic::warning(
                e.location.clone(),
                format!(
                    "aanvaarding ({what}) verwijst naar de levering {}, die niet in de gegevensmap staat",
                    e.delivery
                ),
            )),
            State::Changed => diags.push(Diagnostic::warning(
                e.location.clone(),
                format!(
                    "aanvaarding ({what}) vervalt: de levering {} is gewijzigd sinds de aanvaarding (sha256 {} tegenover {}); de bevinding telt weer",
                    e.delivery,
                    delivery
                        .and_then(|d| d.sha256.get(..MIN_HASH))
                        .unwrap_or_default(),
                    e.sha256
                ),
            )),
            State::Expired => diags.push(Diagnostic::warning(
                e.location.clone(),
                format!(
                    "aanvaarding ({what}) van {} is verlopen op {}; de bevinding telt weer",
                    e.delivery,
                    crate::number::nl_date(e.until)
                ),
            )),
        }
        out.entries.push((e, state));
    }
    diags.into_result().map(|w| (out, w))
}

/// The accepted findings of the project under `root` ([`read`]) with their state at `today`
/// ([`assess`]), and the warnings of the entries that no longer hold.
pub fn in_force(
    root: &Path,
    sources: &Sources,
    rules: &[Rule],
    today: NaiveDate,
) -> Result<(Accepted, Diagnostics), Diagnostics> {
    assess(read(root)?, sources, rules, today)
}

impl Accepted {
    /// The entry in force that covers the finding of check `rule` (`None`: of the loader) at
    /// `location` (`trajecten/caw-2024.xlsx!Export!E57`).
    pub fn covers(&self, rule: Option<&str>, location: &str) -> Option<&Entry> {
        let place = Place::parse(location);
        self.entries
            .iter()
            .filter(|(_, s)| *s == State::Active)
            .map(|(e, _)| e)
            .find(|e| {
                e.rule.as_deref() == rule
                    && e.delivery == place.file
                    && e.cell.as_ref().is_none_or(|c| same_cell(c, &place))
            })
    }

    /// The entry in force that covers a loader finding (a warning; an error keeps the file
    /// out, whatever is accepted).
    pub fn covers_warning(&self, d: &Diagnostic) -> Option<&Entry> {
        (!d.is_error())
            .then(|| self.covers(None, &d.location))
            .flatten()
    }

    /// The outcomes with every row an entry in force covers moved to [`Outcome::accepted`]:
    /// their counts (and so `check`'s exit status) hold only the rows still open.
    pub fn apply(&self, outcomes: Vec<Outcome>, sources: &Sources) -> Vec<Outcome> {
        outcomes
            .into_iter()
            .map(|mut o| {
                let (open, accepted): (Vec<Found>, Vec<Found>) =
                    std::mem::take(&mut o.found).into_iter().partition(|f| {
                        self.covers(Some(&o.id), &location(f, &o, sources))
                            .is_none()
                    });
                for f in accepted {
                    let e = self
                        .covers(Some(&o.id), &location(&f, &o, sources))
                        .expect("partitioned on it");
                    o.accepted.push(crate::checks::AcceptedFound {
                        found: f,
                        reason: e.reason.clone(),
                        until: e.until,
                        entry: e.location.clone(),
                    });
                }
                o.found = open;
                o.counts = crate::checks::counts(&o.found);
                o
            })
            .collect()
    }
}

/// Where a row found lies: its cell in the delivery (the check's column), or the delivery.
fn location(f: &Found, o: &Outcome, sources: &Sources) -> String {
    let Some(name) = &f.delivery else {
        return String::new();
    };
    match (f.row, sources.deliveries.iter().find(|d| d.name == *name)) {
        (Some(row), Some(d)) => d.place(row, o.column.as_deref()),
        _ => name.clone(),
    }
}

/// An entry's `cel` (`Export!E57`, `E57`, `regel 12`) against a finding's place.
fn same_cell(cell: &str, place: &Place) -> bool {
    let (sheet, cell) = match cell.rsplit_once('!') {
        Some((s, c)) => (Some(s), c),
        None => (None, cell),
    };
    place
        .cell
        .as_deref()
        .is_some_and(|c| c.eq_ignore_ascii_case(cell.trim()))
        && sheet.is_none_or(|s| {
            place
                .sheet
                .as_deref()
                .is_some_and(|p| p.eq_ignore_ascii_case(s.trim()))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_matches_with_or_without_its_sheet() {
        let p = Place::parse("trajecten/caw-2024.xlsx!Export!E57");
        assert!(same_cell("Export!E57", &p));
        assert!(same_cell("e57", &p));
        assert!(!same_cell("E58", &p));
        assert!(!same_cell("Blad1!E57", &p));
        let csv = Place::parse("aanvragen.csv:12");
        assert!(same_cell("regel 12", &csv));
    }
}
