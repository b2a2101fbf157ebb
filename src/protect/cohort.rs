//! The release cohorts of the yearly report in the ledger (over the indicators' ledger, so a
//! cohort figure that is also an indicator's is published the same way): the cohort and
//! group sizes, the Court's table (sizes and shares per detention history, adding up to the
//! whole cohort), the Kaplan–Meier figures with the events behind them, the numbers at risk.

use super::figures::Shown;
use super::ledger::{CellKey, Ledger, Mark, Part, Reason};
use crate::cohort::{CohortSection, CourtRow, Share, SurvivalCurve};
use crate::model::Policy;

/// The table of a cohort figure: `cohort/<what>`.
fn table(what: &str) -> String {
    format!("cohort/{what}")
}

/// The breakdown cell of a group (`deelname_werk_onderwijs`).
pub fn group_dims(group: &str) -> Vec<(&'static str, String)> {
    vec![("deelname_werk_onderwijs", group.to_string())]
}

/// The breakdown cell of a line of the Court's table (`totaal`: the whole cohort).
pub fn line_dims(line: &str) -> Vec<(&'static str, String)> {
    if line == "totaal" {
        Vec::new()
    } else {
        vec![("lange_detentiegeschiedenis", line.to_string())]
    }
}

pub fn key(what: &str, year: i32, dims: &[(&'static str, String)], part: Part) -> CellKey {
    let dims: Vec<(&str, &str)> = dims.iter().map(|(d, v)| (*d, v.as_str())).collect();
    CellKey::new(&table(what), year, &dims, part)
}

/// Every protected figure of `section`, on a ledger over the indicators' ledger.
pub fn register(l: &mut Ledger, section: &CohortSection, policy: &Policy) {
    for c in &section.cohorts {
        let y = c.year;
        let size = l.cell(key("omvang", y, &[], Part::Value), c.size as f64, true);
        let groups: Vec<usize> = c.curves.iter().map(|k| curve(l, y, k, policy)).collect();
        l.relation(size, groups);
        let mut lines: Vec<(String, Vec<(String, usize)>)> = Vec::new();
        for r in &c.court_table {
            lines.push((
                r.lange_detentiegeschiedenis.clone(),
                court_line(l, y, r, policy),
            ));
        }
        // The whole cohort's line is the sum of the two others (or more, or less: decided
        // from the values).
        let Some((_, total)) = lines.iter().find(|(n, _)| n == "totaal") else {
            continue;
        };
        for (name, cell) in total {
            let parts: Vec<usize> = lines
                .iter()
                .filter(|(n, _)| n != "totaal")
                .filter_map(|(_, cells)| cells.iter().find(|(m, _)| m == name).map(|x| x.1))
                .collect();
            l.relation(*cell, parts);
        }
    }
}

/// The participation domains of a cohort's Court table, sorted: every line shows each (a
/// line without participation in a domain shows 0 of its releases).
pub fn domains(c: &crate::cohort::CohortView) -> Vec<String> {
    let mut d: Vec<String> = c
        .court_table
        .iter()
        .flat_map(|r| r.participation.iter().map(|(x, _)| x.clone()))
        .collect();
    d.sort();
    d.dedup();
    d
}

/// The share of a line's releases that took part in `domain` (0 when none did).
pub fn participation(r: &CourtRow, domain: &str) -> Share {
    r.participation
        .iter()
        .find(|(x, _)| x == domain)
        .map(|(_, s)| *s)
        .unwrap_or(Share {
            numerator: 0,
            denominator: r.size,
            value: (r.size > 0).then_some(0.0),
        })
}

/// A group's curve: its size and the events behind its Kaplan–Meier figures (its numbers at
/// risk are only shown from the minimum number of persons on, so never small). Returns the
/// size's cell.
fn curve(l: &mut Ledger, y: i32, k: &SurvivalCurve, policy: &Policy) -> usize {
    let dims = group_dims(&k.deelname_werk_onderwijs);
    let rows = l.cell(key("groep", y, &dims, Part::Value), k.rows as f64, true);
    for (what, value, events) in [
        ("km_1j", k.km_1j, k.events_1j),
        ("km_2j", k.km_2j, k.events_2j),
    ] {
        if value.is_none() {
            continue;
        }
        km(l, what, y, &dims, events, k.rows, policy);
    }
    let m = l.cell(
        key("mediaan", y, &dims, Part::Value),
        k.median_days.unwrap_or(0) as f64,
        false,
    );
    if k.rows < policy.minimum_personen as usize {
        l.force(m, Reason::FewPersons);
    }
    rows
}

/// A Kaplan–Meier figure as a rate: events by the horizon over the rows.
fn km(
    l: &mut Ledger,
    what: &str,
    y: i32,
    dims: &[(&'static str, String)],
    events: usize,
    rows: usize,
    policy: &Policy,
) {
    let k = l.cell(key(what, y, dims, Part::Numerator), events as f64, true);
    let n = l.cell(key(what, y, dims, Part::Denominator), rows as f64, true);
    l.rate(k, n);
    if rows < policy.minimum_noemer as usize || rows < policy.minimum_personen as usize {
        l.force(k, Reason::FewPersons);
    }
}

fn share(
    l: &mut Ledger,
    what: &str,
    y: i32,
    dims: &[(&'static str, String)],
    s: &Share,
    policy: &Policy,
    out: &mut Vec<(String, usize)>,
) {
    let k = l.cell(
        key(what, y, dims, Part::Numerator),
        s.numerator as f64,
        true,
    );
    let n = l.cell(
        key(what, y, dims, Part::Denominator),
        s.denominator as f64,
        true,
    );
    l.rate(k, n);
    if s.denominator < policy.minimum_noemer as usize {
        l.force(k, Reason::SmallDenominator);
    }
    out.push((format!("{what}/teller"), k));
    out.push((format!("{what}/noemer"), n));
}

/// The figures of one line of the Court's table, by name.
fn court_line(l: &mut Ledger, y: i32, r: &CourtRow, policy: &Policy) -> Vec<(String, usize)> {
    let dims = line_dims(&r.lange_detentiegeschiedenis);
    let mut out = Vec::new();
    let size = l.cell(
        key("hof/omvang", y, &dims, Part::Value),
        r.size as f64,
        true,
    );
    out.push(("omvang".to_string(), size));
    for (d, s) in &r.participation {
        share(
            l,
            &format!("hof/deelname/{d}"),
            y,
            &dims,
            s,
            policy,
            &mut out,
        );
    }
    for (what, s) in [
        ("hof/werk_of_onderwijs", &r.work_or_education),
        ("hof/werk_k1", &r.work_q1),
        ("hof/werk_k2", &r.work_q2),
        ("hof/wederopsluiting_2j", &r.reincarcerated_two_years),
    ] {
        share(l, what, y, &dims, s, policy, &mut out);
    }
    if r.km_2j.is_some() {
        km(l, "hof/km_2j", y, &dims, r.events_2j, r.size, policy);
    }
    let m = l.cell(
        key("hof/mediaan", y, &dims, Part::Value),
        r.median_days.unwrap_or(0) as f64,
        false,
    );
    if r.size < policy.minimum_personen as usize {
        l.force(m, Reason::FewPersons);
    }
    out
}

/// A count as published.
pub fn count(l: &Ledger, key: &CellKey, value: f64) -> Shown {
    match l.mark_of(key) {
        Some(Mark::Shown) => Shown::Value(value),
        Some(Mark::Hidden(Reason::Small)) => Shown::Small,
        _ => Shown::Hidden,
    }
}

/// A rate (or Kaplan–Meier figure) as published: shown when its numerator and denominator
/// are.
pub fn rate(
    l: &Ledger,
    what: &str,
    y: i32,
    dims: &[(&'static str, String)],
    value: Option<f64>,
) -> Shown {
    let Some(v) = value else {
        return Shown::Empty;
    };
    let shown = |part| l.mark_of(&key(what, y, dims, part)) == Some(Mark::Shown);
    if shown(Part::Numerator) && shown(Part::Denominator) {
        Shown::Value(v)
    } else {
        Shown::Hidden
    }
}

/// An average or median as published.
pub fn value(l: &Ledger, key: &CellKey, value: Option<f64>) -> Shown {
    match value {
        None => Shown::Empty,
        Some(v) if l.mark_of(key) == Some(Mark::Shown) => Shown::Value(v),
        Some(_) => Shown::Hidden,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cohort::{Followup, ReleaseRow, cohort_section};

    fn release(year: i32, exposed: bool, long: bool, t: i64, event: bool) -> ReleaseRow {
        ReleaseRow {
            year,
            followup: Followup { t, event },
            long_history: long,
            exposed,
            domains: if exposed { vec!["werk".into()] } else { vec![] },
            work_q1: Some(exposed),
            work_q2: None,
            within_two_years: None,
        }
    }

    #[test]
    fn a_group_of_three_hides_its_curve_figures_and_the_line_that_gives_it_away() {
        // 2023: 3 released after work or education (one back inside on day 100), 30 without
        // (six back inside). The group of three: its size is small, its figures rest on too
        // few; the whole cohort (33) minus the other group (30) would give the 3 away, so
        // the 30 is hidden too (the cohort size is a total: it stays).
        let mut rows = Vec::new();
        for i in 0..3 {
            rows.push(release(2023, true, i == 0, 800, i == 0));
        }
        for i in 0..30 {
            rows.push(release(
                2023,
                false,
                i % 2 == 0,
                if i < 6 { 50 } else { 800 },
                i < 6,
            ));
        }
        let section = cohort_section(&rows, &[2023]);
        let policy = Policy::default();
        let mut l = Ledger::new();
        register(&mut l, &section, &policy);
        assert!(l.solve(&policy).is_empty());
        let ja = group_dims("ja");
        let nee = group_dims("nee");
        assert_eq!(
            count(&l, &key("groep", 2023, &ja, Part::Value), 3.0),
            Shown::Small
        );
        assert_eq!(
            count(&l, &key("groep", 2023, &nee, Part::Value), 30.0),
            Shown::Hidden
        );
        assert_eq!(
            count(&l, &key("omvang", 2023, &[], Part::Value), 33.0),
            Shown::Value(33.0)
        );
        assert_eq!(rate(&l, "km_1j", 2023, &ja, Some(33.3)), Shown::Hidden);
        assert_eq!(
            value(&l, &key("mediaan", 2023, &ja, Part::Value), Some(100.0)),
            Shown::Hidden
        );
        assert!(l.audit(&policy).iter().all(|d| d.protected));
    }
}
