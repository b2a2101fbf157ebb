//! Revisions of a strategic plan applied: a revision (herziening) is a decision on a date,
//! with its reason, that adds, changes, merges or cancels actions and may change targets.
//!
//! A plan file holds the original version and its revisions (`herzieningen:`), so their
//! types ([`Revision`], [`Change`], the resulting [`Version`]) are the plan's, in `plan`; this
//! module only uses them. [`Plan::version_at`] applies the revisions dated up to a day and records what they did, so
//! every output can say which version it assesses against and a final evaluation can say
//! what was added or cancelled at which revision.
//!
//! In YAML (`plans/plannen/<naam>.yaml`):
//!
//! ```yaml
//! herzieningen:
//!   - datum: 2023-12-22
//!     beslissing: Tussentijdse evaluatie en bijsturing van het plan
//!     reden: De acties werden geëvalueerd; sommige zijn gerealiseerd, andere lopen nog.
//!     wijzigingen:
//!       - {soort: toevoegen, actie: {id: A6.1.1, titel: ..., doelstelling: SD5, trekker: ...}}
//!       - {soort: wijzigen, actie: A1.1.1, titel: Nieuwe titel}
//!       - {soort: samenvoegen, acties: [A2.1.1, A2.1.2], naar: A2.1.1}
//!       - {soort: schrappen, actie: A3.2.1, toelichting: Opgenomen in het federale plan.}
//!       - {soort: doel, indicator: deelname_graad, jaar: 2025, waarde: 58}
//! ```
//!
//! Readings taken (the decree and the plan do not define them):
//! - a revision applies from its date; the yearly report of a year assesses against the
//!   version in force on 31 December of that year;
//! - cancelling or merging an action gives it the status `geschrapt` from the revision's
//!   year on (status entries of that year and later are replaced), with the revision in the
//!   explanation; the action stays listed, so its history is kept;
//! - a changed target replaces the plan's target of the same indicator, year and prison.

use super::plan::{
    Action, ActionEvent, ActionStatus, Change, EventKind, Plan, Revision, StatusEntry, Version,
};
use chrono::{Datelike, NaiveDate};

impl Plan {
    /// The version in force on `day`: the revisions dated up to and including `day` applied
    /// in date order.
    pub(crate) fn version_at(&self, day: NaiveDate) -> Plan {
        let mut p = self.clone();
        let mut revisions: Vec<&Revision> = self
            .herzieningen
            .iter()
            .filter(|r| r.datum <= day)
            .collect();
        revisions.sort_by_key(|r| r.datum);
        let mut version = Version::default();
        for r in revisions {
            apply(&mut p, r, &mut version);
            version.applied.push(r.clone());
        }
        p.version = version;
        p
    }

    /// Whether `id` is an action of this plan in some version (as read or added by a
    /// revision).
    pub(crate) fn knows_action(&self, id: &str) -> bool {
        self.action(id).is_some()
            || self.herzieningen.iter().any(|r| {
                r.wijzigingen
                    .iter()
                    .any(|c| matches!(c, Change::Toevoegen { actie } if actie.id == id))
            })
    }

    /// The version in force at the end of `year`.
    pub(crate) fn version_in(&self, year: i32) -> Plan {
        self.version_at(crate::years::year_bounds(year).1)
    }

    /// The version after every revision.
    pub(crate) fn latest_version(&self) -> Plan {
        self.version_at(NaiveDate::MAX)
    }

    /// The version in words: `oorspronkelijke versie (goedgekeurd op 13 november 2020)` or
    /// `versie na de herziening van 22 december 2023 (…)`.
    pub(crate) fn version_label(&self) -> String {
        match self.version.last() {
            None => match self.goedgekeurd {
                Some(d) => format!(
                    "oorspronkelijke versie (goedgekeurd op {})",
                    crate::number::nl_date(d)
                ),
                None => "oorspronkelijke versie".into(),
            },
            Some(r) => format!(
                "versie na de herziening van {} ({}{})",
                r.date_label(),
                r.short_name(),
                if self.version.applied.iter().any(|r| r.voorlopig) {
                    "; de wijzigingen zijn nog voorlopig, over te nemen uit de beslissing"
                } else {
                    ""
                }
            ),
        }
    }
}

/// Cancels `a` from `year` on: later status entries are dropped, `geschrapt` is added.
fn cancel(a: &mut Action, year: i32, note: String) {
    a.status.retain(|s| s.jaar < year);
    a.status.push(StatusEntry {
        jaar: year,
        status: ActionStatus::Geschrapt,
        toelichting: Some(note),
    });
}

fn apply(p: &mut Plan, r: &Revision, v: &mut Version) {
    let year = r.datum.year();
    let at = format!("herziening van {}", r.date_label());
    let event = |action: &str, kind: EventKind, note: Option<String>| ActionEvent {
        action: action.to_string(),
        date: r.datum,
        kind,
        note,
    };
    for c in &r.wijzigingen {
        match c {
            Change::Toevoegen { actie } => {
                p.acties.push(actie.clone());
                v.events.push(event(&actie.id, EventKind::Added, None));
            }
            Change::Wijzigen {
                actie,
                titel,
                voorlopige_titel,
                trekker,
                indicatoren,
                maatregel,
                toelichting,
            } => {
                let Some(a) = p.acties.iter_mut().find(|a| &a.id == actie) else {
                    continue;
                };
                let mut fields = Vec::new();
                if let Some(t) = titel {
                    a.titel = t.clone();
                    a.voorlopige_titel = voorlopige_titel.unwrap_or(false);
                    fields.push("titel");
                } else if let Some(vt) = voorlopige_titel {
                    a.voorlopige_titel = *vt;
                }
                if let Some(t) = trekker {
                    a.trekker = t.clone();
                    fields.push("trekker");
                }
                if let Some(i) = indicatoren {
                    a.indicatoren = i.clone();
                    fields.push("indicatoren");
                }
                if let Some(m) = maatregel {
                    a.maatregel = Some(*m);
                    fields.push("maatregel");
                }
                v.events.push(event(
                    actie,
                    EventKind::Changed(fields),
                    toelichting.clone(),
                ));
            }
            Change::Samenvoegen {
                acties,
                naar,
                toelichting,
            } => {
                let others: Vec<String> = acties.iter().filter(|a| *a != naar).cloned().collect();
                let mut merged_indicators = Vec::new();
                for a in p.acties.iter_mut().filter(|a| others.contains(&a.id)) {
                    merged_indicators.extend(a.indicatoren.iter().cloned());
                    cancel(a, year, format!("samengevoegd met {naar} ({at})"));
                    v.events.push(event(
                        &a.id,
                        EventKind::MergedInto(naar.clone()),
                        toelichting.clone(),
                    ));
                }
                if let Some(t) = p.acties.iter_mut().find(|a| &a.id == naar) {
                    for i in merged_indicators {
                        if !t.indicatoren.contains(&i) {
                            t.indicatoren.push(i);
                        }
                    }
                    v.events.push(event(
                        naar,
                        EventKind::MergedFrom(others.clone()),
                        toelichting.clone(),
                    ));
                }
            }
            Change::Schrappen { actie, toelichting } => {
                if let Some(a) = p.acties.iter_mut().find(|a| &a.id == actie) {
                    let note = match toelichting {
                        Some(t) => format!("{t} ({at})"),
                        None => format!("geschrapt bij de {at}"),
                    };
                    cancel(a, year, note);
                    v.events
                        .push(event(actie, EventKind::Cancelled, toelichting.clone()));
                }
            }
            Change::Doel {
                indicator,
                jaar,
                waarde,
                gevangenis,
                voorbeeld,
            } => {
                v.targets.push((
                    indicator.clone(),
                    super::Target {
                        jaar: *jaar,
                        waarde: *waarde,
                        gevangenis: gevangenis.clone(),
                        voorbeeld: *voorbeeld,
                        plan: Some(p.id.clone()).filter(|s| !s.is_empty()),
                    },
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> Plan {
        let yaml = r#"
titel: Testplan
eerste_jaar: 2020
laatste_jaar: 2025
doelstellingen: [{id: SD1, titel: Een}]
acties:
  - {id: A1, titel: Eerste, doelstelling: SD1, trekker: X,
     status: [{jaar: 2021, status: lopend}, {jaar: 2024, status: gerealiseerd}]}
  - {id: A2, titel: Tweede, doelstelling: SD1, trekker: X, indicatoren: [i2]}
herzieningen:
  - datum: 2023-12-22
    beslissing: Bijsturing
    reden: Tussentijdse evaluatie
    wijzigingen:
      - {soort: toevoegen, actie: {id: A3, titel: Derde, doelstelling: SD1, trekker: Y}}
      - {soort: schrappen, actie: A1, toelichting: Niet meer nodig}
      - {soort: samenvoegen, acties: [A2, A3], naar: A3}
      - {soort: doel, indicator: i1, jaar: 2025, waarde: 58}
"#;
        let mut p: Plan = crate::yaml::from_str(yaml).unwrap();
        p.id = "2020-2025".into();
        p
    }

    #[test]
    fn before_the_revision_the_original_version_holds() {
        let p = plan().version_in(2022);
        assert_eq!(p.acties.len(), 2);
        assert!(p.version.applied.is_empty());
        assert_eq!(p.version_label(), "oorspronkelijke versie");
    }

    #[test]
    fn a_revision_adds_cancels_merges_and_changes_targets_from_its_date() {
        let p = plan().version_in(2023);
        assert_eq!(p.acties.len(), 3);
        let a1 = p.action("A1").unwrap();
        // Cancelled in 2023: the later entry (gerealiseerd in 2024) no longer counts.
        assert_eq!(a1.status_in(2024).0, ActionStatus::Geschrapt);
        assert_eq!(a1.status_in(2022).0, ActionStatus::Lopend);
        let a2 = p.action("A2").unwrap();
        assert_eq!(a2.status_in(2023).0, ActionStatus::Geschrapt);
        assert!(
            a2.status_in(2023)
                .1
                .unwrap()
                .contains("samengevoegd met A3")
        );
        assert_eq!(p.action("A3").unwrap().indicatoren, vec!["i2".to_string()]);
        assert_eq!(p.version.targets.len(), 1);
        assert_eq!(p.version.targets[0].1.waarde, 58.0);
        assert_eq!(p.version.targets[0].1.plan.as_deref(), Some("2020-2025"));
        assert_eq!(
            p.version_label(),
            "versie na de herziening van 22 december 2023 (Bijsturing)"
        );
        assert!(matches!(
            p.version
                .events
                .iter()
                .find(|e| e.action == "A3")
                .unwrap()
                .kind,
            EventKind::Added
        ));
    }
}
